"""Reading tables with Hugging Face ``datasets``: one format table and one loader for every caller.

Labelled data (``claims train``, ``claims evaluate``, ``rules stats``) and
corpora to label (``claims label-dataset``) come in the same formats: JSONL,
JSON, CSV, Parquet or a ``save_to_disk`` folder; labelled data may also name
a Hub dataset. ``datasets`` is imported only here, only when a table is read.
"""

from __future__ import annotations

from pathlib import Path
from typing import Any

from .errors import ClassifierError

#: File endings and the ``datasets`` builder that reads each.
FORMATS = {".jsonl": "json", ".json": "json", ".csv": "csv", ".parquet": "parquet", ".pq": "parquet"}


def load_table(
    location: str,
    *,
    error: type[ClassifierError],
    unknown_format: str,
    unreadable: str = "cannot be read",
    hub: bool = False,
    quiet: bool = False,
    cache_dir: Path | None = None,
) -> Any:
    """A ``datasets.Dataset`` from a file, a ``save_to_disk`` folder or (with ``hub``) a Hub name.

    Every failure is one ``error`` naming ``location``: the caller's type sets
    the exit code, ``unknown_format`` what to say of an unknown file ending
    (``{suffix}`` is filled in) and ``unreadable`` how a read failure begins;
    ``quiet`` turns off the progress bars of ``datasets``.
    """
    import datasets  # heavy: imported only when a table is read

    if quiet:  # labelled data is read before a status line; a corpus to label keeps its progress bars
        datasets.disable_progress_bars()
    path = Path(location)
    try:
        if path.is_dir():
            loaded = datasets.load_from_disk(str(path))
            if isinstance(loaded, datasets.DatasetDict):
                return datasets.concatenate_datasets(list(loaded.values()))
            return loaded
        if path.is_file():
            kind = FORMATS.get(path.suffix.lower())
            if kind is None:
                raise error(f"{location}: " + unknown_format.format(suffix=repr(path.suffix)))
            if path.stat().st_size == 0:  # datasets would fail with a bare StopIteration
                raise error(f"{location}: is empty")
            cache = str(cache_dir) if cache_dir is not None else None
            return datasets.load_dataset(kind, data_files=str(path), split="train", cache_dir=cache)
        if not hub or path.suffix or location.startswith((".", "/")):
            raise error(f"{location}: no such file or folder")
        return datasets.load_dataset(location, split="train")  # a Hub dataset name; needs the network
    except ClassifierError:
        raise
    except Exception as exc:  # datasets raises many types; the user needs one clear line
        raise error(f"{location}: {unreadable} ({type(exc).__name__}: {exc})") from exc
