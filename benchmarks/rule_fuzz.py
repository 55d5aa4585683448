"""Fuzzing user rule patterns for matching cost: steps per word stay bounded up to 1,000 words.

Run: python benchmarks/rule_fuzz.py [--examples 300]        (needs Debian's valgrind)

Hypothesis writes patterns in the rule language (words, inflections,
alternatives, optional tokens, wildcards, numbers, suffixes, gaps up to
``..8``, the sentence-start anchor); those ``compile_pattern`` accepts are
searched on adversarial sentences: a short run of the pattern's own words,
their inflections, hyphenated and apostrophised look-alikes and numbers,
repeated to 250 and to 1,000 words, so that match attempts start everywhere
and fail late. Hypothesis is steered (``target``) towards the costliest
pattern and sentence it can find.

The work is counted, not timed: the script runs itself under callgrind,
which counts the machine instructions executed inside the regular-expression
engine's search function and nothing else (the same count on every run,
whatever else the machine is doing). For each example it reports steps per
word at 1,000 words, and the growth from 250 to 1,000 words: 4 is linear.
The script exits 1 if any example grows faster than linearly (more than 5),
or if the run does not end within ``--timeout`` seconds (a search that
backtracks without bound never returns to be counted; a normal run takes
minutes).
"""

from __future__ import annotations

import argparse
import glob
import math
import os
import shutil
import subprocess
import sys
import tempfile
from dataclasses import dataclass
from pathlib import Path

from hypothesis import HealthCheck, given, settings, target
from hypothesis import strategies as st

from classifier.errors import RuleError
from classifier.rulebook.patterns import CompiledPattern, compile_pattern

WORDS = ("alpha", "beta", "gamma", "delta")
SHORT, LONG = 250, 1000
#: Worst growth from 250 to 1,000 words still called linear (4 exactly, plus fixed per-call costs).
LINEAR_GROWTH = 5.0
_OUT_ENV = "RULE_FUZZ_COUNTS"


def _word_token(word: str) -> st.SearchStrategy[str]:
    return st.sampled_from([word, f"{word}~", f"{word}?", f"({word}|{word}s)", f"({word}|the {word})?"])


@st.composite
def patterns(draw: st.DrawFn) -> str:
    """A pattern of 2-7 tokens: words and their variants, wildcards, gaps between them."""
    count = draw(st.integers(2, 7))
    tokens = [draw(st.sampled_from(WORDS))]
    for _ in range(count - 1):
        tokens.append(
            draw(
                st.one_of(
                    st.sampled_from(WORDS).flatmap(_word_token),
                    st.sampled_from(["*", "#", "*ing", "*a"]),
                    st.integers(1, 8).map(lambda k: f"..{k}"),
                )
            )
        )
    tokens.append(draw(st.sampled_from(WORDS)))
    anchor = draw(st.booleans())
    return ("^ " if anchor else "") + " ".join(tokens)


def _look_alikes(word: str) -> list[str]:
    return [word, f"{word}s", f"{word}ing", f"{word}-{word}", f"o'{word}'s", f"{word}\u2019s", "12", "xv", "2(4)"]


@st.composite
def motifs(draw: st.DrawFn, source: str) -> list[str]:
    """1-31 words, mostly the pattern's own words and their look-alikes: repeated, it makes a sentence."""
    own = [word for word in WORDS if word in source] or list(WORDS)
    vocabulary = [alike for word in own for alike in _look_alikes(word)]
    others = [alike for word in WORDS for alike in _look_alikes(word)] + ["omega", ",", "\u2014"]
    words = draw(st.lists(st.sampled_from(vocabulary) | st.sampled_from(others), min_size=1, max_size=30))
    first = source.removeprefix("^ ").split()[0]
    # the pattern's first word in every repeat starts a match attempt in every repeat
    return [first, *words] if draw(st.booleans()) else words


def sentence(motif: list[str], words: int) -> str:
    return " ".join((motif * (words // len(motif) + 1))[:words])


class StepCounter:
    """Instructions executed inside the regex engine since the last call, read from callgrind's dumps."""

    def __init__(self, prefix: str) -> None:
        self.prefix = prefix

    def __call__(self) -> int:
        math.gcd(1, 1)  # callgrind dumps its counters before this function (--dump-before)
        newest = max(glob.glob(self.prefix + ".*"), key=lambda name: int(name.rsplit(".", 1)[1]))
        with open(newest, encoding="utf-8") as dump:
            for line in dump:
                if line.startswith(("summary:", "totals:")):
                    os.remove(newest)
                    return int(line.split()[1])
        raise RuntimeError(f"no total in {newest}")


@dataclass
class Worst:
    """The costliest examples seen, and how many broke the bound."""

    steps_per_word: float = 0.0
    growth: float = 0.0
    example: str = ""
    failures: int = 0
    examples: int = 0

    def measure(self, count: StepCounter, source: str, motif: list[str]) -> tuple[float, float]:
        """One pattern on its motif repeated to 250 and 1,000 words: (steps per word, growth)."""
        compiled = compile_pattern(source, {})
        compiled.regex, compiled.lowered  # noqa: B018 - compiled before anything is counted
        long_text, short_text = sentence(motif, LONG), sentence(motif, SHORT)
        steps_long = search_steps(count, compiled, long_text)
        steps_short = max(search_steps(count, compiled, short_text), 1)
        per_word, growth = steps_long / LONG, steps_long / steps_short
        self.examples += 1
        if growth > LINEAR_GROWTH:
            self.failures += 1
            print(f"faster than linear: {source!r} on {' '.join(motif)!r}: x{growth:.2f} from {SHORT} to {LONG} words")
        if per_word > self.steps_per_word:
            self.steps_per_word, self.example = per_word, f"{source!r} on {' '.join(motif)!r} repeated"
        self.growth = max(self.growth, growth)
        return per_word, growth


#: Known costly shapes, always measured: the most gap placements allowed, the first words everywhere,
#: the last word nowhere, and hyphenated and apostrophised words to tempt backtracking.
KNOWN_COSTLY = (
    ("alpha ..8 beta ..8 gamma", ["alpha", "beta", "cross-border", "o'neill's", "beta-alpha"]),
    ("alpha ..8 (beta|delta)? ..3 gamma", ["alpha", "beta", "delta", "alpha-beta"]),
    ("^ alpha ..8 beta ..8 gamma", ["alpha", "beta", "o'alpha's"]),
    ("alpha * * beta", ["alpha", "alpha-alpha", "beta"]),
)


def search_steps(count: StepCounter, compiled: CompiledPattern, text: str) -> int:
    """Steps of one pattern over one sentence, as the matcher runs it and as the plain expression does."""
    count()
    compiled.search(text, text.lower())
    compiled.regex.search(text)
    return count()


def fuzz(examples: int, count: StepCounter) -> Worst:
    """The known costly shapes, then hypothesis's patterns and sentences, steered to the costliest."""
    worst = Worst()
    for source, motif in KNOWN_COSTLY:
        worst.measure(count, source, motif)

    @settings(
        max_examples=examples,
        deadline=None,
        database=None,
        derandomize=True,
        suppress_health_check=list(HealthCheck),
    )
    @given(source=patterns(), data=st.data())
    def one(source: str, data: st.DataObject) -> None:
        try:
            compile_pattern(source, {})
        except RuleError:
            return  # the language refused it: nothing to match
        per_word, growth = worst.measure(count, source, data.draw(motifs(source), label="motif"))
        target(per_word, label="steps per word")
        target(growth, label="growth 250 -> 1,000 words")

    one()
    return worst


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--examples", type=int, default=300, help="patterns and sentences to try (default 300)")
    parser.add_argument("--timeout", type=int, default=1800, help="seconds before a run is called unbounded")
    args = parser.parse_args()
    prefix = os.environ.get(_OUT_ENV)
    if prefix is None:  # run this script again under callgrind, counting only the regex engine's search
        if shutil.which("valgrind") is None:
            sys.exit("rule_fuzz: needs valgrind (Debian: apt-get install valgrind)")
        with tempfile.TemporaryDirectory() as folder:
            prefix = str(Path(folder) / "counts")
            command = [
                "valgrind", "--tool=callgrind", "--quiet", f"--callgrind-out-file={prefix}",
                "--toggle-collect=_sre_SRE_Pattern_search*", "--dump-before=math_gcd",
                sys.executable, *sys.argv,
            ]  # fmt: skip
            try:
                run = subprocess.run(command, env={**os.environ, _OUT_ENV: prefix}, check=False, timeout=args.timeout)
            except subprocess.TimeoutExpired:
                # a search that backtracks without bound never returns to be counted
                sys.exit(f"rule_fuzz: no result after {args.timeout} s: some search does not end (unbounded matching)")
            sys.exit(run.returncode)
    worst = fuzz(args.examples, StepCounter(prefix))
    print(f"{worst.examples} patterns the language accepts, each on sentences of {SHORT:,} and of {LONG:,} words")
    print(f"costliest: {worst.steps_per_word:,.0f} steps per word: {worst.example}")
    print(f"fastest growth from {SHORT:,} to {LONG:,} words: x{worst.growth:.2f} (linear: x4)")
    if worst.failures:
        print(f"{worst.failures} examples broke the bound")
        sys.exit(1)


if __name__ == "__main__":
    main()
