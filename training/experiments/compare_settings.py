"""Compare model settings and hybrid schemes by grouped cross-validation on the corpus.

Run: python training/experiments/compare_settings.py
Prints macro-F1 over the six outcomes for each candidate, by 5-fold
cross-validation grouped by statement on the training part of the held-out
split: neither the held-out statements nor the dev-test set are used, so the
choice is not tuned on them. Pass words of a candidate's name to run only
those (each candidate takes a few minutes). With --by-source the folds hold
out whole corpus parts (writers) instead of statements: a harder test, closer
to text the classifier has never seen. With --held-out each candidate is also
fitted on the whole training side and scored on the held-out statements and
the dev-test set (what training/experiments/ADOPTION.md asks of a feature
change).
"""

from __future__ import annotations

import sys
import time
from dataclasses import replace

from classifier.api import ClaimClassifier
from classifier.rulebook.book import load_rulebook
from classifier.rulebook.matcher import RuleMatcher
from classifier.training.crossval import Folds, cross_validate
from classifier.training.data import load_corpus, load_labelled_file, shipped_devtest_file
from classifier.training.evaluate import evaluate
from classifier.training.fit import TrainSettings, fit_model, grouped_holdout


def main() -> None:
    base = TrainSettings()
    examples, held_out = grouped_holdout(load_corpus(), base.holdout, base.seed)
    rulebook = load_rulebook()
    # The shipped settings: word 1-2 + char_wb 3-5 over text with place names masked, C=30, a
    # combiner over log-probabilities and per-label rule sums fitted on 3 out-of-fold fits. The
    # candidates are the rows of the settings table in docs/how-it-works.md; each changes one or two things.
    five = replace(base, folds=5)
    candidates = {
        "shipped (3 out-of-fold fits)": base,
        "4 fits": replace(base, folds=4),
        "5 fits": five,
        "rule columns": replace(base, rule_indicators=True),
        "5 fits, char_wb 2-5 + rule columns (earlier default)": replace(five, char_ngrams=(2, 5), rule_indicators=True),
        "char_wb 2-4": replace(base, char_ngrams=(2, 4)),
        "char_wb 3-4": replace(base, char_ngrams=(3, 4)),
        "words only, C=10": replace(base, char_ngrams=None, C=10.0),
        "tol 1e-3": replace(base, tol=1e-3),
        "C=10": replace(base, C=10.0),
        "word 1-3": replace(base, word_ngrams=(1, 3)),
        "raw tf": replace(base, sublinear_tf=False),
        "place names not masked": replace(base, mask_places=False),
    }
    flags = {"--by-source", "--held-out"}
    by_source = "--by-source" in sys.argv
    with_held_out = "--held-out" in sys.argv
    devtest = load_labelled_file(shipped_devtest_file())
    only = [word for word in sys.argv[1:] if word not in flags]
    extra_header = f" {'held-out':>9} {'dev-test':>9}" if with_held_out else ""
    print(f"{'settings':52} {'rules':>7} {'model':>7} {'hybrid':>7} {'ECE hyb':>8} {'secs':>6}{extra_header}")
    for name, settings in candidates.items():
        if only and not any(o in name for o in only):
            continue
        began = time.perf_counter()
        reports = cross_validate(Folds(examples, rulebook, settings, 5, group_by="source" if by_source else "doc"))
        took = time.perf_counter() - began
        extra = ""
        if with_held_out:
            classifier = ClaimClassifier(fit_model(examples, RuleMatcher(rulebook), settings), rulebook)
            scores = [evaluate(classifier, test)["hybrid"].macro_f1 for test in (held_out, devtest)]
            extra = "".join(f" {score:9.4f}" for score in scores)
        print(
            f"{name:52} {reports['rules'].macro_f1:7.3f} {reports['model'].macro_f1:7.3f} "
            f"{reports['hybrid'].macro_f1:7.4f} {reports['hybrid'].calibration_error:8.3f} {took:6.1f}{extra}",
            flush=True,
        )


if __name__ == "__main__":
    main()
