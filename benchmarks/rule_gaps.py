"""How matching time grows with sentence length for the costliest patterns the rule language allows.

Run: python benchmarks/rule_gaps.py

Each pattern has the most gap placements allowed (``MAX_PLACEMENTS``), and
each sentence is built so that every position starts a partial match that
fails late (the pattern's first words everywhere, its last word nowhere),
with hyphenated and apostrophised words to tempt backtracking. Prints the
median time of a search at 250, 500 and 1,000 words and the ratio per
doubling: about 2 means linear. A benchmark, not a test: machines are noisy.
"""

from __future__ import annotations

import itertools
import statistics
import time

from classifier.rulebook.patterns import MAX_PLACEMENTS, compile_pattern

PATTERNS = ("alpha ..8 beta ..8 gamma", "alpha ..8 (beta|delta)? ..3 gamma", "^ alpha ..8 beta ..8 gamma")
FILLER = "alpha beta cross-border o'neill's beta-alpha"


def sentence(words: int) -> str:
    return " ".join((FILLER.split() * words)[:words]) + " omega"


def median_seconds(pattern: str, text: str, repeat: int = 7) -> float:
    compiled = compile_pattern(pattern, {})
    lowered = text.lower()
    times = []
    for _ in range(repeat):
        began = time.perf_counter()
        compiled.search(text, lowered)
        compiled.regex.search(text)
        times.append(time.perf_counter() - began)
    return statistics.median(times)


def main() -> None:
    print(f"at most {MAX_PLACEMENTS} gap placements per pattern")
    for pattern in PATTERNS:
        figures = [median_seconds(pattern, sentence(n)) for n in (250, 500, 1000)]
        ratios = ", ".join(f"{b / a:.2f}" for a, b in itertools.pairwise(figures))
        times = ", ".join(f"{t * 1000:.2f} ms" for t in figures)
        print(f"{pattern!r}: 250 / 500 / 1,000 words {times}; per doubling x{ratios}")


if __name__ == "__main__":
    main()
