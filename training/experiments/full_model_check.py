"""Conditions 2 and 3 of the real-text adoption rule for candidate weights, without the real-text test set.

Run: python training/experiments/full_model_check.py CANDIDATE [CANDIDATE ...]

A CANDIDATE is a weight or settings, as for real_text_weight.py. For each: a
model trained on the synthetic corpus plus the real training corpus, its
size (terms in its vocabulary), its hybrid macro-F1 on the
synthetic dev-test set, and how many of the 19 seed sentences it labels as
the gold file does (strict). Nothing is written.
"""

from __future__ import annotations

import json
import sys
from pathlib import Path

from real_text_weight import candidate, corpus_parts

from classifier.api import ClaimClassifier
from classifier.rulebook.book import load_rulebook
from classifier.rulebook.matcher import RuleMatcher
from classifier.training.data import load_labelled_file, shipped_devtest_file
from classifier.training.evaluate import evaluate
from classifier.training.fit import fit_model

FIXTURES = Path(__file__).resolve().parents[2] / "fixtures"


def seed_agreement(classifier: ClaimClassifier) -> int:
    text = (FIXTURES / "rejoinder.txt").read_text(encoding="utf-8")
    gold = [json.loads(line)["label"] for line in (FIXTURES / "rejoinder.gold.jsonl").read_text().splitlines() if line]
    return sum(p.label == g for p, g in zip(classifier.label_text(text), gold, strict=True))


def main() -> None:
    synthetic, real = corpus_parts()
    rulebook = load_rulebook()
    devtest = load_labelled_file(shipped_devtest_file())
    for text in sys.argv[1:]:
        model = fit_model([*synthetic, *real], RuleMatcher(rulebook), candidate(text))
        classifier = ClaimClassifier(model, rulebook)
        hybrid = evaluate(classifier, devtest)["hybrid"].macro_f1
        terms = len(model.features)
        seed = seed_agreement(classifier)
        print(f"{text}: {terms} terms, dev-test hybrid {hybrid:.4f}, seed {seed} of 19", flush=True)


if __name__ == "__main__":
    main()
