"""TF-IDF alone, TF-IDF + sentence encoder and encoder alone, measured as ADOPTION.md says.

Run (needs the 'encoder' and 'train' extras, and the pointer-only sources rebuilt):

    python training/experiments/encoder_effect.py scales            # grouped 5-fold CV, s in 1, 2, 4
    python training/experiments/encoder_effect.py cv S              # the three candidates by the same CV
                                                   [--only TEXT]    # (those whose name contains TEXT)
    python training/experiments/encoder_effect.py devtest S         # trained on the training side, dev-test set
    python training/experiments/encoder_effect.py realtest-alone S  # encoder alone trained on everything,
                                                                    # on the real-text test set (one look)

The TF-IDF + encoder model's real-text figures come from building it
(``python training/build_encoder_model.py``), which measures them once.
``--cache FILE`` keeps the embeddings between runs (they depend only on the
sentence and the encoder file). Nothing is written but the cache.
"""

from __future__ import annotations

import argparse
import time
from dataclasses import replace
from pathlib import Path

from classifier.api import ClaimClassifier
from classifier.rulebook.book import load_rulebook
from classifier.rulebook.matcher import RuleMatcher
from classifier.training.crossval import Folds, cross_validate
from classifier.training.data import (
    load_corpus,
    load_labelled_file,
    pointer_source_files,
    shipped_corpus_files,
    shipped_devtest_file,
)
from classifier.training.embeddings import load_memo, save_memo
from classifier.training.evaluate import evaluate
from classifier.training.fit import TrainSettings, fit_model, grouped_holdout
from classifier.training.run import measure_realtest

ENCODER = "all-MiniLM-L6-v2"


def candidates(scale: float) -> dict[str, TrainSettings]:
    base = TrainSettings()
    return {
        "TF-IDF alone (shipped)": base,
        f"TF-IDF + encoder, s={scale:g}": replace(base, encoder=ENCODER, encoder_scale=scale),
        f"encoder alone, s={scale:g}": replace(base, encoder=ENCODER, encoder_scale=scale, tfidf=False),
    }


def corpus() -> list:
    rebuilt, missing = pointer_source_files()
    if missing:
        raise SystemExit(f"rebuild {', '.join(missing)} first: python training/real/rebuild.py --snapshots DIR")
    return load_corpus([*shipped_corpus_files(), *rebuilt])


def line(name: str, figures: dict, seconds: float) -> str:
    return (
        f"{name:34} rules {figures['rules'].macro_f1:.4f}  model {figures['model'].macro_f1:.4f}  "
        f"hybrid {figures['hybrid'].macro_f1:.4f}  ({seconds:.0f} s)"
    )


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("what", choices=("scales", "cv", "devtest", "realtest-alone"))
    parser.add_argument("scale", nargs="?", type=float, default=1.0)
    parser.add_argument("--cache", type=Path, help="an .npz file of embeddings, read and updated")
    parser.add_argument("--only", help="run only the candidates whose name contains this")
    args = parser.parse_args()
    if args.cache:
        print(f"{load_memo(args.cache)} embeddings read from {args.cache}", flush=True)
    rulebook = load_rulebook()
    examples = corpus()
    training_side, _held_out = grouped_holdout(examples, TrainSettings().holdout, TrainSettings().seed)
    if args.what == "scales":
        runs = {
            f"TF-IDF + encoder, s={s:g}": replace(TrainSettings(), encoder=ENCODER, encoder_scale=s) for s in (1, 2, 4)
        }
    else:
        runs = candidates(args.scale)
    if args.what == "realtest-alone":
        runs = {name: settings for name, settings in runs.items() if not settings.tfidf}
    if args.only:
        runs = {name: settings for name, settings in runs.items() if args.only in name}
    devtest = load_labelled_file(shipped_devtest_file())
    for name, settings in runs.items():
        began = time.perf_counter()
        if args.what in ("scales", "cv"):
            figures = cross_validate(Folds(training_side, rulebook, settings, 5))
        elif args.what == "devtest":
            model = fit_model(training_side, RuleMatcher(rulebook), settings)
            figures = evaluate(ClaimClassifier(model, rulebook), devtest)
        else:
            model = fit_model(examples, RuleMatcher(rulebook), settings)
            figures = measure_realtest(ClaimClassifier(model, rulebook))["all"]["all"]
        print(line(name, figures, time.perf_counter() - began), flush=True)
        if args.cache:
            save_memo(args.cache)


if __name__ == "__main__":
    main()
