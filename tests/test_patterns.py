"""The rule pattern language: inflections, alternatives, optional words, gaps, errors."""

from __future__ import annotations

import re

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

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


def _repeats(parsed, inside_bounded: int = 1):
    """Every repeat of a parsed expression: (op, min, max, body, product of enclosing bounds)."""
    from re import _constants as c

    for op, argument in parsed:
        if op in (c.MAX_REPEAT, c.MIN_REPEAT, c.POSSESSIVE_REPEAT):
            low, high, body = argument
            yield op, low, high, body, inside_bounded
            yield from _repeats(body, inside_bounded * (high + 1 if high != c.MAXREPEAT else 1))
        elif op in (c.SUBPATTERN, c.ATOMIC_GROUP, c.ASSERT, c.ASSERT_NOT):
            yield from _repeats(argument[-1], inside_bounded)
        elif op == c.BRANCH:
            for branch in argument[1]:
                yield from _repeats(branch, inside_bounded)


def _one_way_to_split(body) -> bool:
    """One character class; or one delimiter character then a run of one class: its iterations
    cannot be regrouped, so the engine never retries them at other lengths."""
    from re import _constants as c

    kinds = [op for op, _ in body]
    if kinds in ([c.IN], [c.LITERAL]):
        return True
    if len(kinds) != 2 or kinds[0] not in (c.IN, c.LITERAL) or kinds[1] not in (c.MAX_REPEAT, c.POSSESSIVE_REPEAT):
        return False
    return [op for op, _ in body[1][1][2]] == [c.IN]


_TOKENS = (
    ["alpha", "beta~", "pay~", "gamma?", "(delta|the delta)", "(a|b)?", "*", "#", "*ing"]
    + [f"..{k}" for k in range(1, 10)]
    + ["...", "^", "(x ..2 y)", "(a|*)"]
)


@settings(max_examples=300, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(st.lists(st.sampled_from(_TOKENS), min_size=1, max_size=9))
def test_every_pattern_the_language_accepts_compiles_to_an_expression_that_cannot_backtrack_widely(tokens):
    """The matching bound by construction, over any pattern the language accepts (hypothesis): no
    repeat without an upper bound iterates over more than one character class, or one delimiter then
    a run of letters (so a string splits into its iterations one way only); repeats that
    hold other repeats are bounded, and their bounds multiply to at most MAX_PLACEMENTS per pattern.
    benchmarks/rule_fuzz.py counts the regex engine's steps on 1,000-word adversarial sentences."""
    from re import _constants as c
    from re import _parser

    from classifier.rulebook.patterns import MAX_PLACEMENTS

    try:
        compiled = compile_pattern(" ".join(tokens), IRREGULAR)
    except RuleError:
        return
    for expression in (compiled.regex, compiled.lowered):
        nested_bounds = 1
        for op, _low, high, body, enclosing in _repeats(_parser.parse(expression.pattern, expression.flags)):
            if high == c.MAXREPEAT and op != c.POSSESSIVE_REPEAT:
                assert _one_way_to_split(body), expression.pattern
            if high != c.MAXREPEAT and any(k in (c.MAX_REPEAT, c.MIN_REPEAT) for k, *_ in _repeats(body)):
                nested_bounds = max(nested_bounds, enclosing * (high + 1))
        assert nested_bounds <= MAX_PLACEMENTS + 1, expression.pattern
