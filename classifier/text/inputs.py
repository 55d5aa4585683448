"""Reading the statements a user asks to label: files, standard input, text."""

from __future__ import annotations

import sys
from collections.abc import Iterator
from contextlib import contextmanager
from dataclasses import dataclass
from pathlib import Path
from typing import BinaryIO

from ..errors import InputError
from .streaming import iter_pieces

STDIN = "-"


@dataclass(frozen=True)
class Document:
    """A text to label and the name its records carry in the ``doc`` field."""

    name: str
    text: str


def read_document(location: str, *, strict: bool = False) -> Document:
    """Read one file (or ``-`` for standard input) as text.

    Decoding is UTF-8 (a BOM is dropped). Invalid bytes are replaced with
    U+FFFD and a DecodingWarning is issued, or refused with ``strict``.
    Binary files (with NUL bytes) and folders are refused.
    """
    with open_input(location) as (name, stream, _size):
        return Document(name, "".join(piece for _offset, piece in iter_pieces(stream, name, strict=strict)))


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
