"""Conditions 2 and 3 of the real-text adoption rule for candidate weights, without the real-text test set.

Run: python training/experiments/full_model_check.py WEIGHT [WEIGHT ...]

For each weight: a model trained on the synthetic corpus plus the real
training corpus (real sentences weighted WEIGHT), its hybrid macro-F1 on the
synthetic dev-test set, and how many of the 19 seed sentences it labels as
the gold file does (strict). Nothing is written.
"""

from __future__ import annotations

import json
import sys
from dataclasses import replace
from pathlib import Path

from real_text_weight import corpus_parts

from classifier.api import ClaimClassifier
from classifier.rulebook.book import load_rulebook
from classifier.rulebook.matcher import RuleMatcher
from classifier.training.data import load_labelled_file, shipped_devtest_file
from classifier.training.evaluate import evaluate
from classifier.training.fit import fit_model
from classifier.training.settings import TrainSettings

FIXTURES = Path(__file__).resolve().parents[2] / "fixtures"


def seed_agreement(classifier: ClaimClassifier) -> int:
    text = (FIXTURES / "rejoinder.txt").read_text(encoding="utf-8")
    gold = [json.loads(line)["label"] for line in (FIXTURES / "rejoinder.gold.jsonl").read_text().splitlines() if line]
    return sum(p.label == g for p, g in zip(classifier.label_text(text), gold, strict=True))


def main() -> None:
    synthetic, real = corpus_parts()
    rulebook = load_rulebook()
    devtest = load_labelled_file(shipped_devtest_file())
    for weight in [float(w) for w in sys.argv[1:]]:
        settings = replace(TrainSettings(), real_text_weight=weight)
        classifier = ClaimClassifier(fit_model([*synthetic, *real], RuleMatcher(rulebook), settings), rulebook)
        hybrid = evaluate(classifier, devtest)["hybrid"].macro_f1
        print(f"weight {weight:g}: dev-test hybrid {hybrid:.4f}, seed {seed_agreement(classifier)} of 19", flush=True)


if __name__ == "__main__":
    main()
