"""The rule pattern language: readable cue phrases compiled to regular expressions.

A pattern is a sequence of space-separated tokens, matched case-insensitively
on word boundaries, with any run of non-word characters between two tokens:

=================  ==========================================================
``warn``           the word itself
``warn~``          its inflections: warn, warns, warned, warning (irregular
                   verbs such as ``pay~`` -> paid come from ``[irregular]``)
``(urge|call on)`` alternatives; each may be several tokens, may use ``~``
``(warn|caution)~`` the inflections of each single-word alternative
``any?``           an optional token (also ``(a|the)?``)
``*``              exactly one word
``#``              a number: 51, 2(4), 1514, 2.3, or a roman numeral (XV)
``*ing``           any word ending in the given letters (at least two)
``^ ...``          (first token only) the pattern must start the sentence
``..3``            a gap of zero to three words (``...`` is ``..4``)
=================  ==========================================================

Matching cost is bounded by construction: a word inside a gap is matched
whole (possessively: the engine never retries it at a shorter length), and a
pattern may leave at most ``MAX_PLACEMENTS`` ways to place its gaps and
optional tokens (two ``..8`` gaps: 9 x 9 = 81), so a search costs at most
that many attempts at each position of the sentence: linear in its length.

Every pattern also yields its *required words*: for each required literal
token, the words one of which any match of it contains (for an alternative,
the most selective word of each choice: "the council" needs "council"). A
sentence can only match if it holds one word of every such set, so the
matcher indexes patterns by the most selective set (the *trigger words*) and
runs a pattern's expression only on sentences that pass all the sets, which
keeps rule matching cheap as rules grow.
"""

from __future__ import annotations

import re
from collections.abc import Mapping
from dataclasses import dataclass
from functools import cached_property

from ..errors import RuleError

_GAP = re.compile(r"^\.\.(\d+)$")
_WORD = re.compile(r"^\w[\w'\u2019.\-]*$")
_SEPARATOR = r"[\W_]+"
_ANY_WORD = r"[^\W_]+(?:['\u2019\-][^\W_]+)*"
#: A word inside a gap: each letter run matched whole (possessive), so a failed match backtracks
#: only over how many hyphen or apostrophe pieces the word takes, never over its letters.
_GAP_WORD = r"[^\W_]++(?:['\u2019\-][^\W_]++)*"
#: The most ways a pattern may leave to place its gaps and optional tokens: the product over gaps
#: of (size + 1), times 2 per optional token. The shipped rules need at most 20.
MAX_PLACEMENTS = 81
_NUMBER = r"(?:\d+(?:[.,/-]\d+)*(?:\(\w{1,4}\))?|[ivxlcdm]{1,7})"
_SUFFIX = re.compile(r"^[a-z]{2,}$")
# The start of a sentence, allowing opening quotes and brackets before the first word.
_SENTENCE_START = r"^[\s\"'\u201c\u2018(\[]*"
_MAX_GAP = 8
_WORD_CHARACTER = re.compile(r"\w")


@dataclass(frozen=True)
class CompiledPattern:
    """A pattern's source, its regular expressions, and the words a match needs.

    The expressions are compiled on first use: the word prefilter keeps most
    patterns from ever running on a short input, and compiling all of them
    took most of a one-sentence call's start-up.
    """

    source: str
    #: Case-insensitive, word boundaries on both sides: the definition of a match (``regex``).
    expression: str
    triggers: frozenset[str] | None  # None: no required literal token, always run
    #: One set per required literal token: a matching sentence has a word of each.
    required: tuple[frozenset[str], ...] = ()
    #: The same pattern for lowercased text, without the leading boundary check (``lowered``).
    lowered_expression: str | None = None

    @cached_property
    def regex(self) -> re.Pattern[str]:
        return re.compile(self.expression, re.IGNORECASE)

    @cached_property
    def lowered(self) -> re.Pattern[str] | None:
        """``regex`` for lowercased text: Python's regex engine can then skip ahead to its first
        letters, which makes a search about ten times faster; ``search`` checks the boundary itself."""
        return None if self.lowered_expression is None else re.compile(self.lowered_expression)

    def search(self, text: str, lowered: str | None = None) -> re.Match[str] | None:
        """The first match in ``text``, as ``regex.search(text)`` finds it.

        Pass ``lowered`` = ``text.lower()`` when several patterns run on one
        text; the match's offsets then index ``text`` (its ``group()`` is
        lowercased). Where lowercasing changes the length, ``regex`` is used.
        """
        if self.lowered is None or lowered is None or len(lowered) != len(text):
            return self.regex.search(text)
        position = 0
        while (match := self.lowered.search(lowered, position)) is not None:
            start = match.start()
            if start == 0 or not _WORD_CHARACTER.match(lowered, start - 1):
                return match
            position = start + 1
        return None


@dataclass(frozen=True)
class _Token:
    regex: str
    optional: bool
    #: A match of the token contains one of these words (as the matcher's word index
    #: sees them); None for wildcards, gaps and alternatives with a wildcard choice.
    words: frozenset[str] | None
    is_gap: bool = False
    #: Ways this token can be placed: a gap ..k has k + 1, an optional token 2, any other 1.
    placements: int = 1


def compile_pattern(source: str, irregular: Mapping[str, list[str]]) -> CompiledPattern:
    """Compile one pattern; raise RuleError with the reason if it is malformed."""
    stripped = source.strip()
    anchored = stripped.startswith("^ ")
    tokens = _parse_sequence(stripped[2:] if anchored else stripped, irregular, source)
    if not tokens or all(t.optional or t.is_gap for t in tokens):
        raise RuleError(f"pattern {source!r} has no required word")
    if tokens[0].is_gap or tokens[-1].is_gap or tokens[0].optional:
        raise RuleError(f"pattern {source!r} may not start with an optional token or start or end with a gap")
    placements = 1
    for token in tokens:
        placements *= token.placements * (2 if token.optional else 1)
    if placements > MAX_PLACEMENTS:
        raise RuleError(
            f"pattern {source!r}: its gaps and optional tokens leave {placements} ways to place them, more than "
            f"{MAX_PLACEMENTS} (two ..8 gaps); use fewer or shorter gaps, or split it into two patterns"
        )
    body = _join(tokens) + r"(?![\w])"
    start = _SENTENCE_START if anchored else r"(?<![\w])"
    required = _required_words(tokens)
    return CompiledPattern(
        source, start + body, _most_selective(required), required, (_SENTENCE_START if anchored else "") + body
    )


def inflections(word: str, irregular: Mapping[str, list[str]]) -> list[str]:
    """The regular inflections of a verb or noun, plus any irregular forms."""
    forms = {word}
    if word.endswith("e"):
        forms |= {word + "s", word + "d", word[:-1] + "ing"}
    elif word.endswith("y") and len(word) > 2 and word[-2] not in "aeiou":
        forms |= {word[:-1] + "ies", word[:-1] + "ied", word + "ing"}
    elif word.endswith(("s", "x", "z", "ch", "sh")):
        forms |= {word + "es", word + "ed", word + "ing"}
    else:
        forms |= {word + "s", word + "ed", word + "ing"}
        if _ends_consonant_vowel_consonant(word):
            forms |= {word + word[-1] + "ed", word + word[-1] + "ing"}
    forms.update(irregular.get(word, []))
    return sorted(forms)


def _ends_consonant_vowel_consonant(word: str) -> bool:
    vowels = "aeiou"
    return len(word) >= 3 and word[-1] not in vowels + "wxy" and word[-2] in vowels and word[-3] not in vowels


def _parse_sequence(text: str, irregular: Mapping[str, list[str]], source: str) -> list[_Token]:
    tokens: list[_Token] = []
    for raw in _split_top_level(text, " ", source):
        if raw:
            tokens.append(_parse_token(raw, irregular, source))
    return tokens


def _split_top_level(text: str, separator: str, source: str) -> list[str]:
    """Split on ``separator`` outside parentheses; reject unbalanced ones."""
    if "(" not in text and ")" not in text:  # most tokens and sequences: no nesting to track
        return text.split(separator)
    parts, depth, current = [], 0, []
    for char in text:
        if char == "(":
            depth += 1
        elif char == ")":
            depth -= 1
            if depth < 0:
                raise RuleError(f"pattern {source!r} has an unmatched ')'")
        if char == separator and depth == 0:
            parts.append("".join(current))
            current = []
        else:
            current.append(char)
    if depth != 0:
        raise RuleError(f"pattern {source!r} has an unmatched '('")
    parts.append("".join(current))
    return parts


def _parse_token(raw: str, irregular: Mapping[str, list[str]], source: str) -> _Token:
    optional = raw.endswith("?")
    if optional:
        raw = raw[:-1]
    if raw == "...":
        raw = "..4"
    gap = _GAP.match(raw)
    if gap:
        size = int(gap.group(1))
        if not 1 <= size <= _MAX_GAP:
            raise RuleError(f"pattern {source!r}: gaps are ..1 to ..{_MAX_GAP}")
        return _Token(f"(?:{_SEPARATOR}{_GAP_WORD}){{0,{size}}}", False, None, is_gap=True, placements=size + 1)
    if raw == "*":
        return _Token(_ANY_WORD, optional, None)
    if raw == "#":
        return _Token(_NUMBER, optional, None)
    if raw.startswith("*") and _SUFFIX.match(raw[1:]):
        return _Token(rf"[^\W_]{{2,}}{re.escape(raw[1:].lower())}", optional, None)
    if raw.startswith("(") and raw.endswith(")~"):
        words = _split_top_level(raw[1:-2], "|", source)
        if not all(_WORD.match(w.strip()) for w in words):
            raise RuleError(f"pattern {source!r}: '(...)~' takes single words only")
        return _alternatives("|".join(w.strip() + "~" for w in words), optional, irregular, source)
    if raw.startswith("(") and raw.endswith(")"):
        return _alternatives(raw[1:-1], optional, irregular, source)
    return _word(raw, optional, irregular, source)


def _alternatives(inner: str, optional: bool, irregular: Mapping[str, list[str]], source: str) -> _Token:
    choices = [c.strip() for c in _split_top_level(inner, "|", source)]
    if not all(choices):
        raise RuleError(f"pattern {source!r} has an empty alternative")
    regexes: list[str] = []
    choice_words: list[frozenset[str] | None] = []
    for choice in choices:
        sequence = _parse_sequence(choice, irregular, source)
        if any(t.is_gap for t in sequence):
            raise RuleError(f"pattern {source!r}: no gaps inside alternatives")
        regexes.append(_join(sequence))
        if sequence[0].optional:
            raise RuleError(f"pattern {source!r}: an alternative may not start with an optional token")
        choice_words.append(_most_selective(_required_words(sequence)))
    known = all(words is not None for words in choice_words)
    words = frozenset().union(*choice_words) if known else None  # type: ignore[arg-type]
    return _Token("(?:" + "|".join(regexes) + ")", optional, words)


def _word(raw: str, optional: bool, irregular: Mapping[str, list[str]], source: str) -> _Token:
    inflect = raw.endswith("~")
    word = raw[:-1] if inflect else raw
    if not _WORD.match(word):
        raise RuleError(f"pattern {source!r}: {raw!r} is not a word token")
    word = word.lower()
    forms = inflections(word, irregular) if inflect else [word]
    alternation = "|".join(_apostrophe_tolerant(f) for f in sorted(forms, key=len, reverse=True))
    return _Token(f"(?:{alternation})", optional, frozenset(_index_word(form) for form in forms))


def _apostrophe_tolerant(form: str) -> str:
    """Escape a word form, letting a straight apostrophe also match a curly one."""
    escaped = re.escape(form)
    return re.sub("['\u2019]", "['\u2019]", escaped) if "'" in form or "\u2019" in form else escaped


def _join(tokens: list[_Token]) -> str:
    parts = []
    for index, token in enumerate(tokens):
        separator = "" if index == 0 else _SEPARATOR
        if token.is_gap:
            parts.append(token.regex)
        elif token.optional:
            parts.append(f"(?:{separator}{token.regex})?")
        else:
            parts.append(separator + token.regex)
    return "".join(parts)


def _required_words(tokens: list[_Token]) -> tuple[frozenset[str], ...]:
    """The word sets of a sequence's required literal tokens: a match has a word of each."""
    return tuple(t.words for t in tokens if not (t.is_gap or t.optional) and t.words)


def _most_selective(required: tuple[frozenset[str], ...]) -> frozenset[str] | None:
    """The set whose shortest word is longest: "will ..2 pay~ the price" is found by "price", not "will"."""
    return max(required, key=lambda words: min(map(len, words))) if required else None


def _index_word(form: str) -> str:
    """The first plain word of a form, as the matcher's word index sees it."""
    if form.isalnum():  # one plain word already (no underscore, space or apostrophe)
        return form
    first = re.split(r"[\W_]+", form.replace("\u2019", "'"))
    return next((part for part in first if part), form)
