"""The sentence splitter: offsets, the seed rejoinder, and diplomatic prose's traps."""

from __future__ import annotations

import re

import pytest

from classifier.text import segment
from classifier.text.segment import split_sentences


def sentences(text: str) -> list[str]:
    return [text[s.start : s.end] for s in split_sentences(text)]


def test_seed_rejoinder_splits_into_its_19_gold_sentences(seed_text, seed_gold):
    spans = split_sentences(seed_text)
    assert [(s.start, s.end) for s in spans] == [(g["start"], g["end"]) for g in seed_gold]
    assert all(seed_text[g["start"] : g["end"]] == g["text"] for g in seed_gold)


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        ("The U.N. envoy arrived. She met Mr. Khan.", ["The U.N. envoy arrived.", "She met Mr. Khan."]),
        ("They cited Art. 51 of the Charter. Talks resume.", ["They cited Art. 51 of the Charter.", "Talks resume."]),
        ("See resolution No. 3 on page 2. Nothing more.", ["See resolution No. 3 on page 2.", "Nothing more."]),
        ("Dr. Osei and Mrs. Lim spoke. Then they left.", ["Dr. Osei and Mrs. Lim spoke.", "Then they left."]),
        ("Prices rose 3.5 per cent. Exports fell.", ["Prices rose 3.5 per cent.", "Exports fell."]),
        (
            "\u201cWe will not yield!\u201d the minister said. Applause followed.",
            ["\u201cWe will not yield!\u201d the minister said.", "Applause followed."],
        ),
        (
            '"Enough is enough," she said. "We leave now." He agreed.',
            ['"Enough is enough," she said.', '"We leave now."', "He agreed."],
        ),
        (
            "The talks (held in Geneva.) ended. Both sides left.",
            ["The talks (held in Geneva.) ended.", "Both sides left."],
        ),
        (
            "The resolution was\nadopted by consensus. It binds all.",
            ["The resolution was\nadopted by consensus.", "It binds all."],
        ),
        ("First paragraph without stop\n\nSecond paragraph.", ["First paragraph without stop", "Second paragraph."]),
        ("Aid went to the U.S. The E.U. objected.", ["Aid went to the U.S.", "The E.U. objected."]),
        ("Aid from the U.S. Government arrived.", ["Aid from the U.S. Government arrived."]),
        ("PRESS RELEASE\nThe ministry regrets the decision.", ["PRESS RELEASE", "The ministry regrets the decision."]),
        (
            "- lift the siege\n- release the detainees\nThe list ends here.",
            ["- lift the siege", "- release the detainees", "The list ends here."],
        ),
        ("Why now? Nobody knows. Wait...Then silence.", ["Why now?", "Nobody knows.", "Wait...Then silence."]),
    ],
)
def test_tricky_cases(text, expected):
    assert sentences(text) == expected


def test_offsets_slice_the_original_text_with_crlf_and_tabs():
    text = "  First one.\r\n\r\n\tSecond one!  Third?\r\n"
    spans = split_sentences(text)
    assert [text[s.start : s.end] for s in spans] == ["First one.", "Second one!", "Third?"]


def test_empty_and_whitespace_give_no_sentences():
    assert split_sentences("") == []
    assert split_sentences(" \n\t\r\n ") == []


def test_long_text_without_punctuation_is_one_sentence():
    text = "word " * 200_000
    spans = split_sentences(text)
    assert len(spans) == 1 and spans[0].start == 0 and spans[0].end == len(text) - 1


class _CountingPattern:
    """A compiled expression that adds up the characters each call may look at."""

    def __init__(self, pattern: re.Pattern[str]) -> None:
        self.pattern, self.chars = pattern, 0

    def match(self, text: str, pos: int, endpos: int) -> re.Match[str] | None:
        found = self.pattern.match(text, pos, endpos)
        self.chars += (found.end() if found else pos) - pos + 1
        return found

    def search(self, text: str, pos: int, endpos: int) -> re.Match[str] | None:
        self.chars += endpos - pos
        return self.pattern.search(text, pos, endpos)


def _work(monkeypatch: pytest.MonkeyPatch, text: str) -> int:
    """Characters the splitter's per-boundary checks look at (the block and terminal scans are single
    passes of the regex engine over the text)."""
    following = _CountingPattern(segment._NEXT_TOKEN)
    before = _CountingPattern(segment._WORD_BEFORE)
    monkeypatch.setattr(segment, "_NEXT_TOKEN", following)
    monkeypatch.setattr(segment, "_WORD_BEFORE", before)
    split_sentences(text)
    return following.chars + before.chars


@pytest.mark.parametrize(
    "unit",
    ["The envoy spoke. ", "Mr. Smith arrived at 5 p.m. Talks ended. ", "See Art. 51. It applies. ", "a. " * 3 + "\n"],
)
def test_splitting_work_grows_linearly_with_the_text(monkeypatch, unit):
    """Doubling the text doubles the characters examined around each candidate boundary: nothing
    looks back or ahead further than one token, so time is linear in the length of the text."""
    small, large = _work(monkeypatch, unit * 2_000), _work(monkeypatch, unit * 4_000)
    assert small > 0 and 1.9 <= large / small <= 2.1, (small, large)
