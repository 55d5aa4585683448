"""The rule pattern language: inflections, alternatives, optional words, gaps, errors."""

from __future__ import annotations

import re

import pytest

from classifier.errors import RuleError
from classifier.rulebook.patterns import compile_pattern, inflections

IRREGULAR = {"pay": ["paid"], "hold": ["held"]}


def matches(pattern: str, text: str) -> bool:
    return compile_pattern(pattern, IRREGULAR).regex.search(text) is not None


@pytest.mark.parametrize(
    ("word", "forms"),
    [
        ("warn", {"warn", "warns", "warned", "warning"}),
        ("urge", {"urge", "urges", "urged", "urging"}),
        ("deny", {"deny", "denies", "denied", "denying"}),
        ("commit", {"commit", "commits", "committed", "committing"}),
        ("harbour", {"harbour", "harbours", "harboured", "harbouring"}),
        ("pay", {"pay", "pays", "paid", "payed", "paying"}),
    ],
)
def test_inflections(word, forms):
    assert forms <= set(inflections(word, IRREGULAR))


@pytest.mark.parametrize(
    ("pattern", "text", "expected"),
    [
        ("warn~", "The ministry WARNED that", True),
        ("warn~", "a forewarning", False),  # word boundaries
        ("(call~ upon|urge~)", "It called upon all sides", True),
        ("(call~ upon|urge~)", "It is urging restraint", True),
        ("(call~ upon|urge~)", "A call was made", False),
        ("reject~ (the|any)? claim~ that", "rejected claims that", True),
        ("reject~ (the|any)? claim~ that", "rejects any claim that", True),
        ("will ..2 pay~ the price", "will continue to pay the price", True),
        ("will ..2 pay~ the price", "will one day surely have paid the price", False),  # gap too long
        ("cross border", "cross-border raids", True),  # hyphen is a separator
        ("pakistan's", "Pakistan\u2019s", True),  # straight apostrophe matches curly
        ("art. 51", "under Art. 51", True),
        ("hold~ * accountable", "held them accountable", True),
        ("article #", "under Article 2(4) of the Charter", True),
        ("resolution #", "General Assembly resolution 1514 (XV)", True),
        ("resolution #", "the resolution adopted today", False),
        ("^ *ing", "\u201cRecalling its pledge, we act.", True),
        ("^ *ing", "We are recalling its pledge.", False),
        ("^ *ing", "King of the north", False),  # a suffix needs letters before it
    ],
)
def test_matching(pattern, text, expected):
    assert matches(pattern, text) is expected


@pytest.mark.parametrize(
    "pattern",
    [
        "(warn",
        "warn)",
        "..3 warn",
        "warn ..3",
        "warn ..9 now",
        "any? warn",
        "(a|)",
        "<script>",
        "(a b|c)~",
        "*i",
        "x ^ y",
    ],
)
def test_malformed_patterns_are_refused(pattern):
    with pytest.raises(RuleError):
        compile_pattern(pattern, IRREGULAR)


def test_triggers_pick_a_selective_required_word():
    compiled = compile_pattern("will ..2 pay~ the price", IRREGULAR)
    assert compiled.triggers == {"price"}


def test_gaps_compile_to_bounded_repeats_of_disjoint_classes():
    """Why matching cannot backtrack catastrophically: a gap of up to n words is one repeat bounded
    by n, and each word in it alternates non-word and word characters, which cannot overlap.
    (Python's regex engine counts no steps, so the guarantee is checked on the compiled expression,
    and a pathological input is searched once to show it ends without a match.)"""
    compiled = compile_pattern("(a|b) ..8 c", IRREGULAR)
    gaps = re.findall(r"\(\?:\[\\W_\]\+\[\^\\W_\]\+.*?\)\{0,(\d+)\}", compiled.regex.pattern)
    assert gaps == ["8"], compiled.regex.pattern
    assert compiled.regex.search("a " * 50_000) is None


def test_gaps_are_bounded_by_construction():
    """Ten ..8 gaps ran past 60 s on one 125-word sentence and passed `rules check`: a pattern may now
    leave at most MAX_PLACEMENTS ways to place its gaps and optional tokens (two ..8 gaps)."""
    from classifier.rulebook.patterns import MAX_PLACEMENTS

    assert MAX_PLACEMENTS == 9 * 9
    compile_pattern("alpha ..8 beta ..8 gamma", {})  # 81: allowed
    compile_pattern("alpha ..4 beta? ..3 gamma", {})  # 5 x 2 x 4 = 40: allowed
    for costly, ways in (("a ..8 b ..8 c ..8 d", 729), ("alpha ..8 beta? ..8 gamma", 162)):
        with pytest.raises(RuleError, match=f"leave {ways} ways"):
            compile_pattern(costly, {})


def test_a_gap_still_skips_hyphenated_and_apostrophised_words_whole():
    pattern = compile_pattern("warned ..2 consequences", {})
    assert pattern.regex.search("They warned of far-reaching consequences.")
    assert pattern.regex.search("They warned o'brien's consequences.")
    assert not pattern.regex.search("They warned of grave and lasting consequences.")  # three words
