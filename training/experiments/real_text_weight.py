"""How much should a real sentence weigh in training? Leave-one-source-out CV over the real sources.

Run: python training/experiments/real_text_weight.py [CANDIDATE ...] [--rules DIR] [--part FILE] [--no-baseline]

A CANDIDATE is a weight ("2") or settings ("real_text_weight=1,C=10"); the
default is 1 2 3. --rules reads the rules from DIR instead of the shipped
rules/ (to measure a rule revision). --part adds FILE's real sentences to
training: each trains in the folds where its source is not held out and is
never scored, so the figure stays over the same sentences (to measure a new
real part).

For each real training source in turn: train on the synthetic corpus plus the
other real sources (real sentences weighted WEIGHT, synthetic ones 1), and
predict the held-out source's sentences. The figure is macro-F1 over the six
outcomes, pooled over the held-out sources; per-source hybrid macro-F1
follows. The baseline is the synthetic corpus alone. The rule that decides
between them was written before this was run (ADOPTION.md, "When real text
is added to training"). Needs the pointer-only sources rebuilt
(training/real/rebuild.py); the real-text test set is not read.
"""

from __future__ import annotations

import sys
from dataclasses import replace
from pathlib import Path

from classifier.api import ClaimClassifier
from classifier.rulebook.book import load_rulebook
from classifier.rulebook.matcher import RuleMatcher
from classifier.training.crossval import Folds, out_of_fold_classifiers
from classifier.training.data import Example, load_corpus, pointer_source_files, shipped_corpus_files
from classifier.training.evaluate import predict_by_mode
from classifier.training.fit import fit_model
from classifier.training.metrics import score
from classifier.training.settings import TrainSettings


def corpus_parts() -> tuple[list[Example], list[Example]]:
    """The synthetic corpus and the real training corpus (pointer-only sources included)."""
    rebuilt, missing = pointer_source_files()
    if missing:
        raise SystemExit(f"rebuild the pointer-only sources first (training/real/rebuild.py): {', '.join(missing)}")
    examples = load_corpus([*shipped_corpus_files(), *rebuilt])
    return [e for e in examples if e.synthetic], [e for e in examples if not e.synthetic]


def pooled_line(
    name: str, real: list[Example], predicted: dict[str, list[str]], confidences: list[float] | None = None
) -> str:
    """Pooled macro-F1 per mode, the hybrid's calibration error when its confidences are given, and the
    hybrid's macro-F1 per held-out source."""
    gold = [e.label for e in real]
    figures = {mode: score(gold, outcomes, also=[e.also for e in real]) for mode, outcomes in predicted.items()}
    if confidences is not None:
        calibration = score(gold, predicted["hybrid"], confidences=confidences).calibration_error
        figures_note = f"  hybrid calibration error {calibration:.4f}"
    else:
        figures_note = ""
    sources = sorted({e.source for e in real})
    per_source = []
    for source in sources:
        rows = [i for i, e in enumerate(real) if e.source == source]
        hybrid = score([gold[i] for i in rows], [predicted["hybrid"][i] for i in rows]).macro_f1
        per_source.append(f"{source} {hybrid:.3f}")
    modes = "  ".join(f"{mode} {figures[mode].macro_f1:.4f}" for mode in ("rules", "model", "hybrid"))
    return f"{name:22} {modes}{figures_note}  | hybrid by source: {', '.join(per_source)}"


def take_part(args: list[str]) -> list[Example]:
    """The real sentences of ``--part FILE`` (none without it), the option removed from ``args``."""
    if "--part" not in args:
        return []
    at = args.index("--part")
    part = load_corpus([Path(args[at + 1])])
    del args[at : at + 2]
    return part


def candidate(text: str) -> TrainSettings:
    """ "2" -> real_text_weight 2; "real_text_weight=1,C=10,min_df=3" -> those settings (each cast to the
    type of the shipped value)."""
    if "=" not in text:
        return replace(TrainSettings(), real_text_weight=float(text))
    shipped = TrainSettings()
    values = dict(item.split("=", 1) for item in text.split(","))
    return replace(shipped, **{key: type(getattr(shipped, key))(float(value)) for key, value in values.items()})


def main() -> None:
    args = sys.argv[1:]
    rules = []
    if "--rules" in args:
        at = args.index("--rules")
        rules = [Path(args[at + 1])]
        del args[at : at + 2]
    part = take_part(args)
    baseline_wanted = "--no-baseline" not in args
    candidates = [a for a in args if a != "--no-baseline"] or ["1", "2", "3"]
    synthetic, real = corpus_parts()
    rulebook = load_rulebook(rules)  # an overlay: a rule with a shipped id replaces it
    print(f"{len(synthetic)} synthetic sentences; {len(real)} real ones from {len({e.source for e in real})} sources")
    if baseline_wanted:
        baseline = ClaimClassifier(fit_model(synthetic, RuleMatcher(rulebook), TrainSettings()), rulebook)
        by_mode = predict_by_mode(baseline, [e.text for e in real])
        predicted = {mode: outcomes for mode, (outcomes, _) in by_mode.items()}
        print(pooled_line("synthetic only", real, predicted), flush=True)
    n_sources = len({e.source for e in real})
    folded = [*real, *part]  # part sentences come last, so the first len(real) predictions are the scored ones
    for text in candidates:
        settings = candidate(text)
        plan = Folds(folded, rulebook, settings, n_sources, group_by="source", extra_training=synthetic)
        predicted = {mode: [""] * len(folded) for mode in ("rules", "model", "hybrid")}
        confidences = [0.0] * len(folded)
        for test_index, classifier in out_of_fold_classifiers(plan):
            fold = predict_by_mode(classifier, [folded[i].text for i in test_index])
            for mode, (outcomes, sureness) in fold.items():
                for position, index in enumerate(test_index):
                    predicted[mode][index] = outcomes[position]
                    if mode == "hybrid":
                        confidences[index] = sureness[position]
        scored = {mode: outcomes[: len(real)] for mode, outcomes in predicted.items()}
        name = f"with real, {text}" + (" + part" if part else "")
        print(pooled_line(name, real, scored, confidences[: len(real)]), flush=True)


if __name__ == "__main__":
    main()
