"""Compare model settings and hybrid schemes by grouped cross-validation on the corpus.

Run: python training/experiments/compare_settings.py
Prints macro-F1 over the six outcomes for each candidate; the dev-test set is
not used here, so the choice is not tuned on it.
"""

from __future__ import annotations

import sys
import time
from dataclasses import replace

from classifier.rulebook import load_rulebook
from classifier.training.data import load_corpus
from classifier.training.evaluate import cross_validate
from classifier.training.fit import TrainSettings


def main() -> None:
    examples = load_corpus()
    rulebook = load_rulebook()
    base = TrainSettings()
    candidates = {
        "word 1-2, sublinear, C=10": base,
        "word 1-2, sublinear, C=3": replace(base, C=3.0),
        "word 1-2, sublinear, C=30": replace(base, C=30.0),
        "word 1-1, sublinear, C=10": replace(base, ngram_range=(1, 1)),
        "word 1-3, sublinear, C=10": replace(base, ngram_range=(1, 3)),
        "word 1-2, raw tf, C=10": replace(base, sublinear_tf=False),
        "word 1-2, min_df=2, C=10": replace(base, min_df=2),
    }
    only = sys.argv[1:]
    print(f"{'settings':32} {'rules':>7} {'model':>7} {'hybrid':>7} {'ECE hyb':>8} {'secs':>6}")
    for name, settings in candidates.items():
        if only and not any(o in name for o in only):
            continue
        began = time.perf_counter()
        reports = cross_validate(examples, rulebook, settings, folds=5)
        took = time.perf_counter() - began
        print(
            f"{name:32} {reports['rules'].macro_f1:7.3f} {reports['model'].macro_f1:7.3f} "
            f"{reports['hybrid'].macro_f1:7.3f} {reports['hybrid'].calibration_error:8.3f} {took:6.1f}"
        )


if __name__ == "__main__":
    main()
