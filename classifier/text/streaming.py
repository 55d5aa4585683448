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

from ..errors import DecodingWarning, InputError
from .segment import split_sentences

PIECE_CHARS = 1 << 20
HARD_LIMIT = 8 * PIECE_CHARS
_READ_BYTES = 1 << 20
_ENCODED_REPLACEMENT = "\ufffd".encode()
_PARAGRAPH_BREAK = re.compile(r"\n[ \t\r\f\v]*\n")


def _nul_bytes_reason(head: bytes) -> str:
    """Why a start with NUL bytes is refused: UTF-16 without a byte-order mark, or binary."""
    if len(head) >= 4 and (head[1::2].count(0) > 0.8 * len(head[1::2]) or head[0::2].count(0) > 0.8 * len(head[0::2])):
        return "looks like UTF-16 without a byte-order mark; save it as UTF-8 (or UTF-16 with a BOM)"
    return "looks like a binary file (NUL bytes); give a plain-text statement"


def iter_pieces(
    stream: BinaryIO, name: str, *, strict: bool = False, on_bytes: Callable[[int], None] | None = None
) -> Iterator[tuple[int, str]]:
    """Yield (character offset, text) pieces of a UTF-8 byte stream (a BOM is dropped), or of a UTF-16
    one that starts with its byte-order mark.

    Invalid bytes become U+FFFD with one DecodingWarning naming the first bad
    byte, or an InputError with ``strict``. A NUL byte near the start marks a
    binary file, which is refused.
    """
    errors = "strict" if strict else "replace"
    decoder = codecs.getincrementaldecoder("utf-8-sig")(errors=errors)
    encoding = "UTF-8"
    buffer, offset, consumed, first_bad = "", 0, 0, None
    while True:
        data = stream.read(_READ_BYTES)
        if consumed == 0 and data.startswith((codecs.BOM_UTF16_LE, codecs.BOM_UTF16_BE)):
            decoder, encoding = codecs.getincrementaldecoder("utf-16")(errors=errors), "UTF-16"
        elif consumed == 0 and b"\x00" in data[:8192]:
            raise InputError(f"{name}: {_nul_bytes_reason(data[:8192])}")
        pending = decoder.getstate()[0]
        try:
            text = decoder.decode(data, final=not data)
        except UnicodeDecodeError:
            position = _first_bad_byte(pending + data, consumed - len(pending))
            raise InputError(
                f"{name}: not valid {encoding} at byte {position}; convert it to UTF-8 (or drop --strict)"
            ) from None
        if first_bad is None and text.count("\ufffd") > (pending + data).count(_ENCODED_REPLACEMENT):
            first_bad = _first_bad_byte(pending + data, consumed - len(pending))
        buffer += text
        consumed += len(data)
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
    if first_bad is not None:
        warnings.warn(
            f"{name}: not valid UTF-8 (first bad byte at {first_bad}); undecodable bytes replaced with U+FFFD",
            DecodingWarning,
            stacklevel=2,
        )
    if buffer:
        yield offset, buffer


def _first_bad_byte(raw: bytes, base: int) -> int:
    """Stream position of the first invalid byte in ``raw``, which starts at ``base``."""
    try:
        codecs.utf_8_decode(raw, "strict", True)
    except UnicodeDecodeError as error:
        return base + error.start
    return base + len(raw)


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
