"""Large inputs: piecewise reading gives the same sentences, memory stays bounded, pipes close cleanly."""

from __future__ import annotations

import io
import json
import os
import subprocess
import sys

import pytest

from classifier import InputError
from classifier.text import streaming
from classifier.text.segment import split_sentences
from tests.conftest import SEED_TEXT


def spans_by_pieces(data: bytes) -> list[tuple[int, int]]:
    spans = []
    for offset, piece in streaming.iter_pieces(io.BytesIO(data), "test"):
        spans.extend((offset + s.start, offset + s.end) for s in split_sentences(piece))
    return spans


def test_pieces_give_the_same_sentences_as_the_whole_text(monkeypatch):
    monkeypatch.setattr(streaming, "PIECE_CHARS", 500)
    monkeypatch.setattr(streaming, "_READ_BYTES", 300)
    seed = SEED_TEXT.read_text(encoding="utf-8")
    text = "\n\n".join([seed] * 5) + "\n- a bullet\n- another\nLast line. The end."
    whole = [(s.start, s.end) for s in split_sentences(text)]
    assert spans_by_pieces(text.encode("utf-8")) == whole


def test_text_without_paragraph_breaks_is_cut_between_sentences(monkeypatch):
    monkeypatch.setattr(streaming, "PIECE_CHARS", 200)
    monkeypatch.setattr(streaming, "_READ_BYTES", 128)
    text = " ".join(f"Sentence number {i} says \u00e9t\u00e9 happened." for i in range(300))
    assert spans_by_pieces(text.encode("utf-8")) == [(s.start, s.end) for s in split_sentences(text)]


@pytest.mark.parametrize("unit", ["word ", "Word word. ", "Word word.\n\n"])
def test_reading_work_grows_linearly_with_the_input(monkeypatch, unit):
    """Where to cut a piece is looked for in the buffer after each read; the characters looked at
    must double, not quadruple, when the input doubles, also when no sentence ends (the buffer is
    then cut at HARD_LIMIT rather than rescanned for ever)."""
    monkeypatch.setattr(streaming, "PIECE_CHARS", 2000)
    monkeypatch.setattr(streaming, "_READ_BYTES", 1000)
    monkeypatch.setattr(streaming, "HARD_LIMIT", 8000)
    scanned = []
    cut_point = streaming._cut_point

    def counting(buffer: str) -> int | None:
        scanned.append(len(buffer))
        return cut_point(buffer)

    monkeypatch.setattr(streaming, "_cut_point", counting)
    work = []
    for repeats in (20_000, 40_000):
        scanned.clear()
        pieces = list(streaming.iter_pieces(io.BytesIO((unit * repeats).encode()), "test"))
        assert "".join(piece for _, piece in pieces) == unit * repeats
        assert max(len(piece) for _, piece in pieces) <= 8000 + 1000
        work.append(sum(scanned))
    assert work[0] > 0 and 1.9 <= work[1] / work[0] <= 2.1, work


def test_one_megabyte_sentence_without_punctuation(tmp_path):
    path = tmp_path / "long.txt"
    path.write_text("word " * 210_000, encoding="utf-8")
    result = subprocess.run(
        [sys.executable, "-m", "classifier", "label", str(path), "--format", "jsonl"], capture_output=True, text=True
    )
    assert result.returncode == 0, result.stderr
    records = [json.loads(line) for line in result.stdout.splitlines()]
    assert records[0]["start"] == 0 and records[-1]["end"] == len("word " * 210_000) - 1


def test_invalid_utf8_across_reads_is_replaced_and_reported_once(monkeypatch):
    monkeypatch.setattr(streaming, "_READ_BYTES", 7)
    data = "Caf\u00e9 talks. ".encode() * 3 + b"\xff\xfe bad. " + "\u00e9t\u00e9.".encode()  # 3 x 13 bytes first
    with pytest.warns(UserWarning, match="first bad byte at 39"):
        text = "".join(piece for _offset, piece in streaming.iter_pieces(io.BytesIO(data), "x"))
    assert text.count("\ufffd") == 2 and text.startswith("Caf\u00e9")


def test_strict_refuses_invalid_utf8():
    with pytest.raises(InputError, match="not valid UTF-8 at byte 4"):
        list(streaming.iter_pieces(io.BytesIO(b"abcd\xff"), "x", strict=True))


@pytest.mark.slow
def test_broken_pipe_into_head_is_quiet(tmp_path):
    path = tmp_path / "many.txt"
    path.write_text(SEED_TEXT.read_text(encoding="utf-8") * 200, encoding="utf-8")
    command = f"{sys.executable} -m classifier label {path} --format jsonl | head -n 1"
    result = subprocess.run(
        ["bash", "-c", "set -o pipefail; " + command], capture_output=True, text=True, env={**os.environ}
    )
    assert len(result.stdout.splitlines()) == 1
    assert "Traceback" not in result.stderr and "Broken pipe" not in result.stderr


@pytest.mark.parametrize("read_bytes", [1, 2, 3, 5, 1 << 20])
def test_bad_byte_positions_are_exact_with_a_bom_and_across_reads(monkeypatch, read_bytes):
    monkeypatch.setattr(streaming, "_READ_BYTES", read_bytes)
    data = b"\xef\xbb\xbf" + "\u00e9t\u00e9 ok. ".encode() + b"\xc3" + b" then more."  # BOM 3 + 10 bytes: bad at 13
    with pytest.raises(InputError, match="at byte 13"):
        list(streaming.iter_pieces(io.BytesIO(data), "x", strict=True))
    with pytest.warns(UserWarning, match="first bad byte at 13"):
        text = "".join(piece for _offset, piece in streaming.iter_pieces(io.BytesIO(data), "x"))
    assert text == "\u00e9t\u00e9 ok. \ufffd then more."


def test_a_genuine_replacement_character_is_not_reported(recwarn):
    data = "Already \ufffd here.".encode()
    text = "".join(piece for _offset, piece in streaming.iter_pieces(io.BytesIO(data), "x"))
    assert text == "Already \ufffd here." and not recwarn.list
