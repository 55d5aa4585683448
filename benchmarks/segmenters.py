"""Compare sentence segmenters on diplomatic prose: errors first, then speed.

Run: pip install pysbd syntok && python benchmarks/segmenters.py [--quick]

Texts: the seed rejoinder (19 gold sentences) and benchmarks/tricky_diplomatic.txt
(gold: one sentence per line of tricky_diplomatic.gold.txt, white space folded).
An error is a gold sentence that the segmenter does not return exactly.
"""

from __future__ import annotations

import argparse
import json
import time
from collections.abc import Callable
from pathlib import Path

from classifier.text.segment import split_sentences

HERE = Path(__file__).resolve().parent
REPO = HERE.parent


def fold(text: str) -> str:
    return " ".join(text.split())


def ours(text: str) -> list[str]:
    return [text[s.start : s.end] for s in split_sentences(text)]


def pysbd_segmenter() -> Callable[[str], list[str]] | None:
    try:
        import pysbd
    except ImportError:
        return None
    seg = pysbd.Segmenter(language="en", clean=False, char_span=False)
    return lambda text: [s.strip() for s in seg.segment(text) if s.strip()]


def syntok_segmenter() -> Callable[[str], list[str]] | None:
    try:
        from syntok import segmenter
    except ImportError:
        return None

    def split(text: str) -> list[str]:
        out = []
        for paragraph in segmenter.analyze(text):
            for sentence in paragraph:
                first, last = sentence[0], sentence[-1]
                out.append(text[first.offset : last.offset + len(last.value)])
        return out

    return split


def errors(split: Callable[[str], list[str]], text: str, gold: list[str]) -> int:
    got = {fold(s) for s in split(text)}
    return sum(fold(g) not in got for g in gold)


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--quick", action="store_true", help="fewer timing repetitions")
    args = parser.parse_args()
    seed = (REPO / "fixtures" / "rejoinder.txt").read_text(encoding="utf-8")
    seed_gold = [json.loads(line)["text"] for line in (REPO / "fixtures" / "rejoinder.gold.jsonl").open()]
    tricky = (HERE / "tricky_diplomatic.txt").read_text(encoding="utf-8")
    tricky_gold = [
        line for line in (HERE / "tricky_diplomatic.gold.txt").read_text(encoding="utf-8").splitlines() if line
    ]
    candidates = {"ours (classifier.segment)": ours, "pysbd": pysbd_segmenter(), "syntok": syntok_segmenter()}
    repeats = 20 if args.quick else 200
    print(f"{'segmenter':28} {'seed errors':>11} {'tricky errors':>13} {'sentences/s':>12}")
    for name, split in candidates.items():
        if split is None:
            print(f"{name:28} not installed")
            continue
        seed_errors = errors(split, seed, seed_gold)
        tricky_errors = errors(split, tricky, tricky_gold)
        began = time.perf_counter()
        for _ in range(repeats):
            split(seed)
            split(tricky)
        rate = repeats * (len(seed_gold) + len(tricky_gold)) / (time.perf_counter() - began)
        seed_cell = f"{seed_errors} of {len(seed_gold)}"
        tricky_cell = f"{tricky_errors} of {len(tricky_gold)}"
        print(f"{name:28} {seed_cell:>11} {tricky_cell:>13} {rate:12,.0f}")


if __name__ == "__main__":
    main()
