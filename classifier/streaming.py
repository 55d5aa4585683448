"""Reading large statements in pieces, so labelling memory stays bounded.

A file is decoded incrementally and handed out in pieces that end at a
paragraph break (a blank line), where the sentence splitter always cuts
anyway, so labelling piece by piece gives the same sentences and offsets as
labelling the whole text. A piece without a blank line is cut before its last
sentence instead, and a single enormous "sentence" at the last white space
once it exceeds ``HARD_LIMIT`` characters.
"""

from __future__ import annotations

import codecs
import re
import warnings
from collections.abc import Callable, Iterator
from typing import BinaryIO

from .errors import InputError
from .inputs import DecodingWarning
from .segment import split_sentences

PIECE_CHARS = 1 << 20
HARD_LIMIT = 8 * PIECE_CHARS
_READ_BYTES = 1 << 20
_PARAGRAPH_BREAK = re.compile(r"\n[ \t\r\f\v]*\n")


class _ReplacementCounter:
    """A codec error handler that replaces bad bytes and remembers where the first was."""

    def __init__(self, name: str, strict: bool) -> None:
        self.name, self.strict = name, strict
        self.first_bad: int | None = None
        self.consumed = 0  # bytes handed to the decoder before the current call

    def __call__(self, error: UnicodeError) -> tuple[str, int]:
        assert isinstance(error, UnicodeDecodeError)
        if self.strict:
            position = self.consumed + error.start
            raise InputError(f"{self.name}: not valid UTF-8 at byte {position}; convert it to UTF-8 (or drop --strict)")
        if self.first_bad is None:
            self.first_bad = self.consumed + error.start
        return "\ufffd", error.end


def iter_pieces(
    stream: BinaryIO, name: str, *, strict: bool = False, on_bytes: Callable[[int], None] | None = None
) -> Iterator[tuple[int, str]]:
    """Yield (character offset, text) pieces of a UTF-8 byte stream (a BOM is dropped)."""
    handler = _ReplacementCounter(name, strict)
    handler_name = f"claims-replace-{id(handler)}"
    codecs.register_error(handler_name, handler)
    decoder = codecs.getincrementaldecoder("utf-8-sig")(errors=handler_name)
    buffer, offset, first = "", 0, True
    while True:
        data = stream.read(_READ_BYTES)
        if first and b"\x00" in data[:8192]:
            raise InputError(f"{name}: looks like a binary file (NUL bytes); give a plain-text statement")
        first = False
        buffer += decoder.decode(data, final=not data)
        handler.consumed += len(data)
        if on_bytes is not None:
            on_bytes(len(data))
        if not data:
            break
        while len(buffer) >= PIECE_CHARS:
            cut = _cut_point(buffer)
            if cut is None:
                break
            yield offset, buffer[:cut]
            offset += cut
            buffer = buffer[cut:]
    if handler.first_bad is not None:
        warnings.warn(
            f"{name}: not valid UTF-8 (first bad byte at {handler.first_bad}); undecodable bytes replaced with U+FFFD",
            DecodingWarning,
            stacklevel=2,
        )
    if buffer:
        yield offset, buffer


def _cut_point(buffer: str) -> int | None:
    """Where to end a piece: after the last paragraph break, else before the last sentence."""
    last_break = None
    for match in _PARAGRAPH_BREAK.finditer(buffer):
        last_break = match
    if last_break is not None:
        return last_break.start() + 1  # the piece keeps one newline; the next starts with the other
    spans = split_sentences(buffer)
    if len(spans) > 1:
        return spans[-1].start
    if len(buffer) >= HARD_LIMIT:
        space = buffer.rfind(" ", 0, len(buffer) - 1)
        return space + 1 if space > 0 else len(buffer)
    return None
