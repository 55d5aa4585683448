"""Writing files so that a reader never sees half of one: temporary file, then rename."""

from __future__ import annotations

import os
import tempfile
from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path

from .errors import ClassifierError, InputError


@contextmanager
def atomic_path(out: Path, *, force: bool = False) -> Iterator[Path]:
    """Yield a temporary path beside ``out``; on success it replaces ``out`` in one rename.

    An existing ``out`` is kept unless ``force``; on any error the temporary
    file is removed and ``out`` is untouched.
    """
    refuse_to_replace(out, force=force)
    out.parent.mkdir(parents=True, exist_ok=True)
    handle, name = tempfile.mkstemp(prefix=f".{out.name}.", dir=out.parent)
    os.close(handle)
    temporary = Path(name)
    temporary.chmod(0o666 & ~current_umask())  # mkstemp makes it private; the result is an ordinary file
    try:
        yield temporary
        os.replace(temporary, out)
    finally:
        temporary.unlink(missing_ok=True)


def current_umask() -> int:
    """The process's file-creation mask (read by setting and restoring it)."""
    mask = os.umask(0)
    os.umask(mask)
    return mask


def write_text_atomically(out: Path, text: str, *, force: bool = False) -> None:
    with atomic_path(out, force=force) as temporary:
        temporary.write_text(text, encoding="utf-8")


def refuse_to_replace(
    out: Path, *, force: bool, error: type[ClassifierError] = InputError, advice: str = "pass --force to replace it"
) -> None:
    """The one check that an output is not overwritten without ``--force``; the error type sets the exit code."""
    if out.exists() and not force:
        raise error(f"{out}: already exists; {advice}")
