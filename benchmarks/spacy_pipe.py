"""How fast the spaCy component labels documents, one by one and through ``nlp.pipe``.

Run: pip install ".[spacy]" && python benchmarks/spacy_pipe.py [--docs N] [--repeat R]

Documents are the dev-test set's sentences grouped by statement (its ``doc`` field), so each has a
few sentences, as short statements do. Three ways, best of R runs each, documents per second:

  label_text  ClaimClassifier.label_text on each document's text: the API's per-document cost
  nlp(text)   spacy.blank("en") + the claims component, one document per call
  nlp.pipe    the same pipeline, batch_size 256: every batch's sentences scored in one call

Tokenising is spaCy's share of the time in the last two; the component itself adds the labelling.
"""

from __future__ import annotations

import argparse
import time
from collections import defaultdict

import spacy

from classifier import ClaimClassifier
from classifier.training.data import load_labelled_file, shipped_devtest_file


def documents(limit: int) -> list[str]:
    grouped: dict[str, list[str]] = defaultdict(list)
    for example in load_labelled_file(shipped_devtest_file()):
        grouped[example.doc].append(example.text)
    texts = [" ".join(sentences) for sentences in grouped.values()]
    return (texts * (limit // len(texts) + 1))[:limit]


def best_rate(run, count: int, repeat: int) -> float:
    best = float("inf")
    for _ in range(repeat):
        start = time.perf_counter()
        run()
        best = min(best, time.perf_counter() - start)
    return count / best


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--docs", type=int, default=2000)
    parser.add_argument("--repeat", type=int, default=3)
    args = parser.parse_args()
    texts = documents(args.docs)
    classifier = ClaimClassifier.load()
    nlp = spacy.blank("en")
    nlp.add_pipe("claims")
    nlp("Warm-up: load the model once.")
    sentences = sum(len(classifier.label_text(t)) for t in texts)
    print(f"{len(texts)} documents, {sentences} sentences; best of {args.repeat}, documents per second")
    rates = {
        "label_text": best_rate(lambda: [classifier.label_text(t) for t in texts], len(texts), args.repeat),
        "nlp(text)": best_rate(lambda: [nlp(t) for t in texts], len(texts), args.repeat),
        "nlp.pipe": best_rate(lambda: list(nlp.pipe(texts, batch_size=256)), len(texts), args.repeat),
    }
    for name, rate in rates.items():
        print(f"  {name:<11} {rate:9.0f}")


if __name__ == "__main__":
    main()
