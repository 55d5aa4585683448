"""Conditions 2 and 3 of the real-text adoption rule for candidate weights, without the real-text test set.

Run: python training/experiments/full_model_check.py CANDIDATE [CANDIDATE ...] [--part FILE]

A CANDIDATE is a weight or settings, as for real_text_weight.py. For each: a
model trained on the synthetic corpus plus the real training corpus (plus the
real sentences of FILE, with --part), its size (terms in its vocabulary), its
hybrid macro-F1 and calibration error on the synthetic dev-test set, how many of the 19 seed
sentences it labels as the gold file does (strict), and its hybrid accuracy
and macro-F1 on the real failure-class target set
(training/devtest/real_failure_classes.jsonl). Nothing is written.
"""

from __future__ import annotations

import json
import sys
from pathlib import Path

from real_text_weight import candidate, corpus_parts, take_part

from classifier.api import ClaimClassifier
from classifier.rulebook.book import load_rulebook
from classifier.rulebook.matcher import RuleMatcher
from classifier.training.data import load_labelled_file, shipped_devtest_file
from classifier.training.evaluate import evaluate
from classifier.training.fit import fit_model

FIXTURES = Path(__file__).resolve().parents[2] / "fixtures"
TARGET = Path(__file__).resolve().parents[1] / "devtest" / "real_failure_classes.jsonl"


def seed_agreement(classifier: ClaimClassifier) -> int:
    text = (FIXTURES / "rejoinder.txt").read_text(encoding="utf-8")
    gold = [json.loads(line)["label"] for line in (FIXTURES / "rejoinder.gold.jsonl").read_text().splitlines() if line]
    return sum(p.label == g for p, g in zip(classifier.label_text(text), gold, strict=True))


def main() -> None:
    args = sys.argv[1:]
    part = take_part(args)
    synthetic, real = corpus_parts()
    rulebook = load_rulebook()
    devtest = load_labelled_file(shipped_devtest_file())
    target = load_labelled_file(TARGET)
    for text in args:
        model = fit_model([*synthetic, *real, *part], RuleMatcher(rulebook), candidate(text))
        classifier = ClaimClassifier(model, rulebook)
        on_devtest = evaluate(classifier, devtest)["hybrid"]
        hybrid = on_devtest.macro_f1
        on_target = evaluate(classifier, target)["hybrid"]
        terms = len(model.features)
        seed = seed_agreement(classifier)
        print(
            f"{text}: {terms} terms, dev-test hybrid {hybrid:.4f} (calibration error "
            f"{on_devtest.calibration_error:.4f}), seed {seed} of 19, "
            f"failure classes hybrid accuracy {on_target.accuracy:.4f} (macro-F1 {on_target.macro_f1:.4f})",
            flush=True,
        )


if __name__ == "__main__":
    main()
