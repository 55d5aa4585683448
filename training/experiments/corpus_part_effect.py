"""What does one corpus part add? Train with and without it, test on the same sentences.

Run: python training/experiments/corpus_part_effect.py [--cv] PART.jsonl [EXTRA_GOLD.jsonl ...]

The held-out statements come from the shipped corpus *without* the part
(grouped 20% split, the training seed), so both models are tested on exactly
the same sentences; the part only ever joins the training side. Also scored:
the dev-test set and any extra gold files given (JSONL in the corpus layout,
with optional ``also``). Prints hybrid and model macro-F1 for each.

With --cv it also runs 5-fold cross-validation grouped by statement on the
training side (the held-out statements stay untouched), adding the part to
every training fold and never to a test fold: a steadier estimate than one
split.
"""

from __future__ import annotations

import sys
from pathlib import Path

from classifier.api import ClaimClassifier
from classifier.rulebook.book import load_rulebook
from classifier.rulebook.matcher import RuleMatcher
from classifier.training.crossval import Folds, cross_validate
from classifier.training.data import load_corpus, load_labelled_file, shipped_corpus_files, shipped_devtest_file
from classifier.training.evaluate import evaluate
from classifier.training.fit import TrainSettings, fit_model, grouped_holdout


def main() -> None:
    use_cv = "--cv" in sys.argv
    arguments = [a for a in sys.argv[1:] if a != "--cv"]
    if not arguments:
        raise SystemExit(__doc__)
    part = Path(arguments[0]).resolve()
    settings = TrainSettings()
    others = [path for path in shipped_corpus_files() if path.resolve() != part]
    train, held_out = grouped_holdout(load_corpus(others), settings.holdout, settings.seed)
    added = load_corpus([part])
    rulebook = load_rulebook()
    matcher = RuleMatcher(rulebook)
    test_sets = {"held-out statements": held_out, "dev-test set": load_labelled_file(shipped_devtest_file())}
    for extra in arguments[1:]:
        test_sets[Path(extra).name] = load_labelled_file(Path(extra))
    print(f"training on {len(train)} sentences, or {len(train) + len(added)} with {part.name}")
    for name, examples in (("without", train), ("with", [*train, *added])):
        classifier = ClaimClassifier(fit_model(examples, matcher, settings), rulebook)
        for test_name, test in test_sets.items():
            reports = evaluate(classifier, test)
            print(
                f"{name:8} {part.name}: {test_name:24} ({len(test):4} sentences) "
                f"hybrid {reports['hybrid'].macro_f1:.4f}  model {reports['model'].macro_f1:.4f}  "
                f"hybrid accuracy {reports['hybrid'].accuracy:.3f}",
                flush=True,
            )
    if use_cv:
        for name, extra_training in (("without", []), ("with", added)):
            reports = cross_validate(Folds(train, rulebook, settings, 5, extra_training=extra_training))
            print(
                f"{name:8} {part.name}: 5-fold CV on the training side  "
                f"hybrid {reports['hybrid'].macro_f1:.4f}  model {reports['model'].macro_f1:.4f}",
                flush=True,
            )


if __name__ == "__main__":
    main()
