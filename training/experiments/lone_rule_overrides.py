"""When the rules point to one label only and the hybrid picks another, which one is right?

Run: python training/experiments/lone_rule_overrides.py

Out-of-fold predictions by the same 5-fold cross-validation grouped by
statement as ``claims evaluate --cv 5``, on the training part of the held-out split (neither the held-out statements nor
any test set is used). It counts the sentences where every rule that fired
names the same label and the hybrid chose a different outcome, and how often
each side agreed with the gold label; then the same for sentences where rules
of several labels fired. It shows whether the combiner should trust a lone
rule more than it does.
"""

from __future__ import annotations

from collections import Counter

from classifier.labels import NONE_LABEL
from classifier.rulebook.book import load_rulebook
from classifier.training.crossval import Folds, out_of_fold_classifiers
from classifier.training.data import load_corpus
from classifier.training.fit import TrainSettings, grouped_holdout


def main() -> None:
    settings = TrainSettings()
    examples, _held_out = grouped_holdout(load_corpus(), settings.holdout, settings.seed)
    counts: Counter[str] = Counter()
    for test_rows, classifier in out_of_fold_classifiers(Folds(examples, load_rulebook(), settings, 5)):
        tested = [examples[i] for i in test_rows]
        for example, prediction in zip(tested, classifier.label_sentences([e.text for e in tested]), strict=True):
            rule_labels = {hit.label for hit in prediction.evidence}
            chosen = prediction.label or NONE_LABEL
            if len(rule_labels) == 1:
                (rule_label,) = rule_labels
                if chosen != rule_label:
                    counts["lone rule overridden"] += 1
                    counts["lone rule overridden: the rule was right"] += rule_label == example.label
                    counts["lone rule overridden: the hybrid was right"] += chosen == example.label
            elif rule_labels:
                counts["rules of several labels"] += 1
                counts["rules of several labels: one of them was right"] += example.label in rule_labels
                counts["rules of several labels: the hybrid was right"] += chosen == example.label
    print(f"{len(examples)} training-side sentences, out-of-fold predictions")
    for name, count in counts.items():
        print(f"{name:52} {count:5}")


if __name__ == "__main__":
    main()
