"""Reading the statements a user asks to label: files, standard input, text."""

from __future__ import annotations

import sys
import warnings
from collections.abc import Iterator
from contextlib import contextmanager
from dataclasses import dataclass
from pathlib import Path
from typing import BinaryIO

from .errors import InputError

STDIN = "-"
_BINARY_SNIFF = 8192


@dataclass(frozen=True)
class Document:
    """A text to label and the name its records carry in the ``doc`` field."""

    name: str
    text: str


class DecodingWarning(UserWarning):
    """The input was not valid UTF-8; undecodable bytes were replaced with U+FFFD."""


def read_document(location: str, *, strict: bool = False) -> Document:
    """Read one file (or ``-`` for standard input) as text.

    Decoding is UTF-8 (a BOM is dropped). Invalid bytes are replaced with
    U+FFFD and a DecodingWarning is issued, or refused with ``strict``.
    Binary files (with NUL bytes) and folders are refused.
    """
    with open_input(location) as (name, stream, _size):
        return Document(name, decode(stream.read(), name, strict=strict))


@contextmanager
def open_input(location: str) -> Iterator[tuple[str, BinaryIO, int | None]]:
    """Open a file (or ``-``) for reading bytes: (name, stream, size in bytes if known)."""
    if location == STDIN:
        yield "<stdin>", sys.stdin.buffer, None
        return
    path = Path(location)
    if path.is_dir():
        raise InputError(f"{location}: is a directory; give the statement files inside it")
    try:
        handle = path.open("rb")
    except FileNotFoundError as exc:
        raise InputError(f"{location}: no such file") from exc
    except PermissionError as exc:
        raise InputError(f"{location}: permission denied") from exc
    except OSError as exc:
        raise InputError(f"{location}: cannot read ({exc.strerror})") from exc
    with handle:
        yield location, handle, path.stat().st_size


def decode(data: bytes, name: str, *, strict: bool = False) -> str:
    """Bytes to text by the rules of ``read_document``."""
    if b"\x00" in data[:_BINARY_SNIFF]:
        raise InputError(f"{name}: looks like a binary file (NUL bytes); give a plain-text statement")
    try:
        return data.decode("utf-8-sig")
    except UnicodeDecodeError as exc:
        if strict:
            raise InputError(
                f"{name}: not valid UTF-8 at byte {exc.start}; convert it to UTF-8 (or drop --strict)"
            ) from exc
        warnings.warn(
            f"{name}: not valid UTF-8 (first bad byte at {exc.start}); undecodable bytes replaced with U+FFFD",
            DecodingWarning,
            stacklevel=2,
        )
        return data.decode("utf-8-sig", errors="replace")
