"""The learning curve on real text: the shipped settings and rules trained on the synthetic corpus
plus 0, 500, 1,000, 2,000, 4,000, 8,000 and all real training sentences, measured on the real-text
test set.

Run: python training/experiments/learning_curve.py

The real sentences are drawn at random (seed 13) as whole statements, so a
smaller share is a subset of every larger one. This reads the real-text test
set, so it is run once after each round of real text is adopted, and chooses nothing
(docs/accuracy.md counts the looks).
Needs the pointer-only sources rebuilt (training/real/rebuild.py).
"""

from __future__ import annotations

import random

from real_text_weight import corpus_parts

from classifier.api import ClaimClassifier
from classifier.rulebook.book import load_rulebook
from classifier.rulebook.matcher import RuleMatcher
from classifier.training.data import Example, load_labelled_file, realtest_files
from classifier.training.evaluate import evaluate
from classifier.training.fit import fit_model
from classifier.training.settings import TrainSettings

SIZES = (0, 500, 1000, 2000, 4000, 8000)


def first_sentences(real: list[Example], n: int, seed: int = 13) -> list[Example]:
    """The first ``n`` real sentences when statements are taken in one shuffled order."""
    docs = sorted({e.doc for e in real})
    random.Random(seed).shuffle(docs)
    rank = {doc: i for i, doc in enumerate(docs)}
    return sorted(real, key=lambda e: rank[e.doc])[:n]


def main() -> None:
    synthetic, real = corpus_parts()
    test = [e for path in realtest_files() for e in load_labelled_file(path)]
    rulebook = load_rulebook()
    matcher = RuleMatcher(rulebook)
    print(f"real-text test set: {len(test)} sentences")
    print("| real training sentences | rules | model | hybrid |\n|---|---|---|---|")
    for n in (*SIZES, len(real)):
        model = fit_model([*synthetic, *first_sentences(real, n)], matcher, TrainSettings())
        figures = evaluate(ClaimClassifier(model, rulebook), test)
        row = " | ".join(f"{figures[mode].macro_f1:.3f}" for mode in ("rules", "model", "hybrid"))
        print(f"| {n} | {row} |", flush=True)


if __name__ == "__main__":
    main()
