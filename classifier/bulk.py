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

import shutil
import tempfile
from dataclasses import replace
from pathlib import Path
from typing import TYPE_CHECKING, Any

from .atomic import atomic_path, refuse_to_replace
from .errors import InputError
from .output.records import RECORD_FIELDS, record
from .tables import load_table
from .text.segment import split_sentences

if TYPE_CHECKING:
    from .api import ClaimClassifier

OUTPUT_FORMATS = {".parquet": "parquet", ".pq": "parquet", ".jsonl": "jsonl"}


class BatchLabeller:
    """The ``map`` function: a picklable callable that labels one batch of rows."""

    def __init__(
        self,
        classifier: ClaimClassifier,
        *,
        text_column: str,
        doc_column: str | None,
        sentences: bool,
        options: dict[str, Any],
    ) -> None:
        self.classifier, self.text_column, self.doc_column = classifier, text_column, doc_column
        self.sentences, self.options = sentences, options

    def __call__(self, batch: dict[str, list[Any]], indices: list[int]) -> dict[str, list[Any]]:
        texts = ["" if t is None else str(t) for t in batch[self.text_column]]
        docs = [str(d) for d in batch[self.doc_column]] if self.doc_column else [str(i) for i in indices]
        if self.sentences:
            units = [(doc, 0, 0, len(text), text) for doc, text in zip(docs, texts, strict=True)]
        else:
            units = []
            for doc, text in zip(docs, texts, strict=True):
                for number, span in enumerate(split_sentences(text)):
                    units.append((doc, number, span.start, span.end, text[span.start : span.end]))
        predictions = self.classifier.label_sentences([u[4] for u in units], **self.options)
        rows = [
            record(doc, number, replace(prediction, start=start, end=end))
            for (doc, number, start, end, _text), prediction in zip(units, predictions, strict=True)
        ]
        return {field: [row[field] for row in rows] for field in RECORD_FIELDS}


def label_dataset(
    classifier: ClaimClassifier,
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
) -> int:
    """Label a corpus file or ``save_to_disk`` folder into ``out``; return the number of output rows."""
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
        if doc_column is None and "doc" in dataset.column_names:
            doc_column = "doc"
        labeller = BatchLabeller(
            classifier, text_column=text_column, doc_column=doc_column, sentences=sentences, options=options or {}
        )
        labelled = dataset.map(
            labeller,
            batched=True,
            batch_size=batch_size,
            with_indices=True,
            num_proc=num_proc if num_proc and num_proc > 1 else None,
            remove_columns=dataset.column_names,
            cache_file_name=str(scratch / "labelled.arrow"),
            new_fingerprint=f"claims-{classifier.model.metadata.get('files', {}).get('arrays.npz', 'model')[:16]}",
            desc="labelling",
        )
        labelled = labelled.select_columns(list(RECORD_FIELDS))
        with atomic_path(out, force=force) as temporary:
            if output_format == "parquet":
                labelled.to_parquet(str(temporary), batch_size=batch_size)
            else:
                labelled.to_json(str(temporary), lines=True, batch_size=batch_size, force_ascii=False)
        return len(labelled)
    finally:
        shutil.rmtree(scratch, ignore_errors=True)


def _load(source: str, scratch: Path) -> Any:
    return load_table(
        source,
        error=InputError,
        unknown_format="unknown format {suffix}; use .jsonl, .json, .csv, .parquet or a folder",
        cache_dir=scratch / "cache",
    )
