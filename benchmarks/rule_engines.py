"""Compare ways of running the rule book over sentences: which engine the matcher should use.

Run: pip install pyahocorasick google-re2 && python benchmarks/rule_engines.py [--quick]

All variants run the shipped rules' patterns over the corpus sentences and
report sentences per second on one core, and how many (sentence, pattern)
matches each finds against the plain case-insensitive expressions (the
definition of a match). Variants:

  plain        every pattern's case-insensitive expression on every sentence
  alternation  one compiled alternation of all patterns, scanned once per sentence
               (finds at most one pattern per position, so it can only prefilter)
  aho-corasick an Aho-Corasick automaton (pyahocorasick) over the trigger words
               picks candidate patterns, then their expressions run
  word index   the same candidates from a set of the sentence's words (what the
               matcher does first), then the same expressions
  re2          google-re2, every pattern on every sentence (RE2 has no look-around,
               so the word-boundary checks become \\b, and its \\w is ASCII: close to,
               not exactly, our matches)
  matcher      the shipped RuleMatcher: word index, then only patterns whose every
               required word is present, searched in the lowercased sentence

The matcher also applies guards and keeps one hit per rule, so its count is
of hits, not pattern matches (a test checks that its shortcuts never change
a match); the others only search, so they are given the easier job.
"""

from __future__ import annotations

import argparse
import re
import time
from collections.abc import Callable

from classifier.rulebook.book import load_rulebook
from classifier.rulebook.matcher import WORDS, RuleMatcher
from classifier.rulebook.patterns import CompiledPattern
from classifier.training.data import load_corpus


def timed(name: str, sentences: list[str], run: Callable[[str], int]) -> tuple[str, float, int]:
    began = time.perf_counter()
    found = sum(run(sentence) for sentence in sentences)
    return name, len(sentences) / (time.perf_counter() - began), found


def plain(patterns: list[CompiledPattern]) -> Callable[[str], int]:
    return lambda sentence: sum(p.regex.search(sentence) is not None for p in patterns)


def alternation(patterns: list[CompiledPattern]) -> Callable[[str], int]:
    combined = re.compile("|".join(f"(?:{p.regex.pattern})" for p in patterns), re.IGNORECASE)
    return lambda sentence: sum(1 for _ in combined.finditer(sentence))


def trigger_index(patterns: list[CompiledPattern]) -> tuple[list[int], dict[str, list[int]]]:
    """Patterns that always run, and the patterns each trigger word calls for (both prefilters share it)."""
    by_word: dict[str, list[int]] = {}
    for index, pattern in enumerate(patterns):
        for word in pattern.triggers or ():
            by_word.setdefault(word, []).append(index)
    return [i for i, p in enumerate(patterns) if p.triggers is None], by_word


def aho_corasick(patterns: list[CompiledPattern]) -> Callable[[str], int] | None:
    try:
        import ahocorasick
    except ImportError:
        return None
    automaton = ahocorasick.Automaton()
    always, by_word = trigger_index(patterns)
    for word, indices in by_word.items():
        automaton.add_word(word, (len(word), indices))
    automaton.make_automaton()

    def run(sentence: str) -> int:
        lowered = sentence.lower()
        candidates = set(always)
        for end, (length, indices) in automaton.iter(lowered):
            start = end - length + 1
            before_ok = start == 0 or not lowered[start - 1].isalnum()
            after_ok = end + 1 == len(lowered) or not lowered[end + 1].isalnum()
            if before_ok and after_ok:
                candidates.update(indices)
        return sum(patterns[i].regex.search(sentence) is not None for i in candidates)

    return run


def word_index(patterns: list[CompiledPattern]) -> Callable[[str], int]:
    always, by_word = trigger_index(patterns)
    trigger_words = frozenset(by_word)

    def run(sentence: str) -> int:
        candidates = set(always)
        for word in set(WORDS.findall(sentence.lower())) & trigger_words:
            candidates.update(by_word[word])
        return sum(patterns[i].regex.search(sentence) is not None for i in candidates)

    return run


def google_re2(patterns: list[CompiledPattern]) -> Callable[[str], int] | None:
    try:
        import re2
    except ImportError:
        return None
    compiled = []
    for pattern in patterns:
        source = pattern.regex.pattern.replace(r"(?<![\w])", r"\b").replace(r"(?![\w])", r"\b")
        source = re.sub(r"\\u([0-9a-fA-F]{4})", lambda m: chr(int(m.group(1), 16)), source)  # RE2 has no \uXXXX
        compiled.append(re2.compile("(?i)" + source))
    return lambda sentence: sum(p.search(sentence) is not None for p in compiled)


def matcher_run(matcher: RuleMatcher) -> Callable[[str], int]:
    return lambda sentence: len(matcher.hits(sentence))


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--quick", action="store_true", help="one pass over the corpus instead of three")
    args = parser.parse_args()
    rulebook = load_rulebook()
    patterns = [p for item in (*rulebook.rules, *rulebook.guards) for p in item.patterns]
    sentences = [e.text for e in load_corpus()] * (1 if args.quick else 3)
    print(f"{len(patterns)} patterns, {len(sentences):,} sentences")
    results = [timed("plain", sentences, plain(patterns)), timed("alternation", sentences, alternation(patterns))]
    for name, factory in (("aho-corasick", aho_corasick), ("re2", google_re2)):
        run = factory(patterns)
        results.append(timed(name, sentences, run) if run else (f"{name} (not installed)", 0.0, 0))
        if name == "aho-corasick":
            results.append(timed("word index", sentences, word_index(patterns)))
    results.append(timed("matcher", sentences, matcher_run(RuleMatcher(rulebook))))
    baseline = results[0][2]
    print(f"{'engine':26} {'sentences/s':>12} {'matches':>9}  (plain: {baseline:,})")
    for name, rate, found in results:
        print(f"{name:26} {rate:12,.0f} {found:9,}")
    words = sum(len(WORDS.findall(s.lower())) for s in sentences) / len(sentences)
    print(f"mean words per sentence: {words:.1f}")


if __name__ == "__main__":
    main()
