"""Labelling whole corpora with ``datasets``: batched, multi-process, flat in memory.

The input is memory-mapped Arrow (``datasets`` converts JSONL, CSV and Parquet
once into a scratch folder), ``Dataset.map(batched=True, num_proc=N)`` labels
it batch by batch into Arrow files on disk, and the result is written in
batches to Parquet or JSONL. Memory therefore depends on the batch size, not
on the corpus. Scratch files live in a temporary folder beside the output and
are removed afterwards; the output appears only when complete (a temporary
file, then a rename).
"""

from __future__ import annotations

import gc
import os
import shutil
import signal
import sys
import tempfile
import threading
import traceback
from collections.abc import Iterator
from contextlib import contextmanager
from dataclasses import dataclass, replace
from pathlib import Path
from typing import Any, Protocol

from .atomic import atomic_path, refuse_to_replace
from .cores import available_cores
from .errors import InputError
from .output.records import RECORD_FIELDS, record
from .result import Prediction
from .tables import load_table
from .text.segment import split_sentences


class SentenceLabeller(Protocol):
    """What labelling a batch needs of ``ClaimClassifier`` (named here, not imported: the API's
    ``label_frame`` uses this module, so importing the API back would make a cycle)."""

    def label_sentences(self, sentences: list[str], **options: Any) -> list[Prediction]: ...


OUTPUT_FORMATS = {".parquet": "parquet", ".pq": "parquet", ".jsonl": "jsonl"}
#: The input row a record came from (0-based): with ``index`` it identifies the record, and it joins
#: the output back to the input even when rows share a ``doc``.
ROW_FIELD = "row"


@dataclass(frozen=True)
class LabelledCorpus:
    """What a label-dataset run wrote: records, the input rows read, and rows that gave no sentence."""

    records: int
    rows: int
    #: Rows whose text was empty or missing, so no record names them (the first few, and how many).
    rows_without_sentences: tuple[int, ...]
    rows_without_sentences_count: int


class BatchLabeller:
    """The ``map`` function: a picklable callable that labels one batch of rows."""

    def __init__(
        self,
        classifier: SentenceLabeller,
        *,
        text_column: str,
        doc_column: str | None,
        sentences: bool,
        options: dict[str, Any],
        keep_columns: tuple[str, ...] = (),
    ) -> None:
        self.classifier, self.text_column, self.doc_column = classifier, text_column, doc_column
        self.sentences, self.options, self.keep_columns = sentences, options, keep_columns

    def __call__(self, batch: dict[str, list[Any]], indices: list[int]) -> dict[str, list[Any]]:
        texts = ["" if t is None else str(t) for t in batch[self.text_column]]
        docs = [str(d) for d in batch[self.doc_column]] if self.doc_column else [str(i) for i in indices]
        units = []  # (position in the batch, doc, sentence number, start, end, sentence)
        for position, (doc, text) in enumerate(zip(docs, texts, strict=True)):
            if self.sentences:
                if text.strip():
                    units.append((position, doc, 0, 0, len(text), text))
                continue
            for number, span in enumerate(split_sentences(text)):
                units.append((position, doc, number, span.start, span.end, text[span.start : span.end]))
        predictions = self.classifier.label_sentences([u[5] for u in units], **self.options)
        rows = [
            record(doc, number, replace(prediction, start=start, end=end))
            for (_position, doc, number, start, end, _text), prediction in zip(units, predictions, strict=True)
        ]
        columns = {field: [row[field] for row in rows] for field in RECORD_FIELDS}
        columns[ROW_FIELD] = [indices[u[0]] for u in units]
        for name in self.keep_columns:
            columns[name] = [batch[name][u[0]] for u in units]
        return columns


def label_dataset(
    classifier: SentenceLabeller,
    source: str,
    out: Path,
    *,
    text_column: str = "text",
    doc_column: str | None = None,
    sentences: bool = False,
    num_proc: int | None = None,
    batch_size: int = 1000,
    force: bool = False,
    options: dict[str, Any] | None = None,
    keep_columns: tuple[str, ...] = (),
) -> LabelledCorpus:
    """Label a corpus file or ``save_to_disk`` folder into ``out``: one record per sentence, each with
    the input ``row`` it came from (and the ``keep_columns`` of that row). ``num_proc`` None: see
    ``worker_count``."""
    output_format = OUTPUT_FORMATS.get(out.suffix.lower())
    if output_format is None:
        raise InputError(f"{out}: write .parquet or .jsonl")
    refuse_to_replace(out, force=force)
    out.parent.mkdir(parents=True, exist_ok=True)
    scratch = Path(tempfile.mkdtemp(prefix=f".{out.name}.scratch.", dir=out.parent))
    try:
        dataset = _load(source, scratch)
        if text_column not in dataset.column_names:
            raise InputError(
                f"{source}: no column {text_column!r}; columns are {dataset.column_names} (use --text-column)"
            )
        missing = [name for name in keep_columns if name not in dataset.column_names]
        clashing = [name for name in keep_columns if name in (ROW_FIELD, *RECORD_FIELDS)]
        if missing or clashing:
            problem = f"no column(s) {missing}" if missing else f"column(s) {clashing} clash with output fields"
            raise InputError(f"{source}: --keep-column: {problem}; columns are {dataset.column_names}")
        if doc_column is None and "doc" in dataset.column_names:
            doc_column = "doc"
        labeller = BatchLabeller(
            classifier,
            text_column=text_column,
            doc_column=doc_column,
            sentences=sentences,
            options=options or {},
            keep_columns=tuple(keep_columns),
        )
        workers = worker_count(num_proc, len(dataset))
        with _interrupts_stop_the_parent_only():
            labelled = dataset.map(
                labeller,
                batched=True,
                batch_size=batch_size,
                with_indices=True,
                num_proc=workers if workers > 1 else None,
                remove_columns=dataset.column_names,
                cache_file_name=str(scratch / "labelled.arrow"),
                new_fingerprint=f"claims-{classifier.model.metadata.get('files', {}).get('arrays.npz', 'model')[:16]}",
                desc="labelling",
            )
        labelled = labelled.select_columns([ROW_FIELD, *RECORD_FIELDS, *keep_columns])
        without = _rows_without_sentences(labelled, len(dataset))
        with atomic_path(out, force=force) as temporary:
            if output_format == "parquet":
                labelled.to_parquet(str(temporary), batch_size=batch_size)
            else:
                labelled.to_json(str(temporary), lines=True, batch_size=batch_size, force_ascii=False)
        return LabelledCorpus(len(labelled), len(dataset), tuple(without[:10]), len(without))
    finally:
        shutil.rmtree(scratch, ignore_errors=True)


#: Below this many rows one process is as fast: starting workers and joining their shards costs seconds.
ROWS_WORTH_A_POOL = 20_000


def worker_count(requested: int | None, rows: int) -> int:
    """Worker processes for ``datasets.map``: as requested; by default every core this process may
    use, once the corpus is large enough to pay for starting them (each holds its own classifier)."""
    if requested is not None:
        return requested
    if rows < ROWS_WORTH_A_POOL:
        return 1
    return available_cores()


@contextmanager
def _interrupts_stop_the_parent_only() -> Iterator[None]:
    """Ctrl-C reaches every process of the terminal's group: worker processes forked inside this block
    inherit a handler that ignores it, so only this process stops and the pool's exit terminates the
    workers. ``datasets`` then fails its own clean-up (a ``TimeoutError`` from waiting on those
    workers, raised or reported as "Exception ignored" while the frames unwind): once interrupted,
    such reports are dropped and the error becomes the ``KeyboardInterrupt`` it stands for.
    Outside the main thread signals can't be handled: no change."""
    if threading.current_thread() is not threading.main_thread():
        yield
        return
    parent = os.getpid()
    interrupted = False
    unraisable_hook = sys.unraisablehook

    def on_interrupt(signum: int, frame: object) -> None:
        nonlocal interrupted
        if os.getpid() != parent:
            return
        interrupted = True
        sys.unraisablehook = lambda _unraisable: None
        raise KeyboardInterrupt

    previous = signal.signal(signal.SIGINT, on_interrupt)
    try:
        yield
    except BaseException as error:
        if not interrupted:
            raise
        traceback.clear_frames(error.__traceback__)  # generators the frames still hold finish now, quietly
        gc.collect()
        raise KeyboardInterrupt from None
    finally:
        signal.signal(signal.SIGINT, previous)
        sys.unraisablehook = unraisable_hook


def _rows_without_sentences(labelled: Any, rows: int) -> list[int]:
    """Input rows no record names, from the row column as one Arrow array (not a Python list per row)."""
    import numpy as np
    import pyarrow.compute as pc

    seen = pc.unique(labelled.data.column(ROW_FIELD)).to_numpy()
    return [int(r) for r in np.setdiff1d(np.arange(rows), seen)]


def _load(source: str, scratch: Path) -> Any:
    return load_table(
        source,
        error=InputError,
        unknown_format="unknown format {suffix}; use .jsonl, .json, .csv, .parquet or a folder",
        cache_dir=scratch / "cache",
    )
