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
from pathlib import Path
from typing import TYPE_CHECKING, Any

from .atomic import atomic_path
from .errors import InputError
from .labels import OUTCOMES
from .output.records import RECORD_FIELDS
from .text.segment import split_sentences

if TYPE_CHECKING:
    from .api import ClaimClassifier

_INPUT_FORMATS = {".jsonl": "json", ".json": "json", ".csv": "csv", ".parquet": "parquet", ".pq": "parquet"}
OUTPUT_FORMATS = {".parquet": "parquet", ".pq": "parquet", ".jsonl": "jsonl"}
#: The output columns: the same fields as ``claims label`` records.
_COLUMNS = RECORD_FIELDS


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
        columns: dict[str, list[Any]] = {
            k: []
            for k in ("doc", "index", "start", "end", "text", "label", "confidence", "scores", "source", "evidence")
        }
        for (doc, number, start, end, text), prediction in zip(units, predictions, strict=True):
            columns["doc"].append(doc)
            columns["index"].append(number)
            columns["start"].append(start)
            columns["end"].append(end)
            columns["text"].append(text)
            columns["label"].append(prediction.label)
            columns["confidence"].append(prediction.confidence)
            columns["scores"].append({o: prediction.scores[o] for o in OUTCOMES})
            columns["source"].append(prediction.source)
            columns["evidence"].append([hit.to_dict() for hit in prediction.evidence])
        return columns


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
    if out.exists() and not force:
        raise InputError(f"{out}: already exists; pass --force to replace it")
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
        labelled = labelled.select_columns(list(_COLUMNS))
        with atomic_path(out, force=force) as temporary:
            if output_format == "parquet":
                labelled.to_parquet(str(temporary), batch_size=batch_size)
            else:
                labelled.to_json(str(temporary), lines=True, batch_size=batch_size, force_ascii=False)
        return len(labelled)
    finally:
        shutil.rmtree(scratch, ignore_errors=True)


def _load(source: str, scratch: Path) -> Any:
    import datasets

    path = Path(source)
    try:
        if path.is_dir():
            return datasets.load_from_disk(str(path))
        kind = _INPUT_FORMATS.get(path.suffix.lower())
        if not path.is_file():
            raise InputError(f"{source}: no such file or folder")
        if kind is None:
            raise InputError(f"{source}: unknown format {path.suffix!r}; use .jsonl, .json, .csv, .parquet or a folder")
        return datasets.load_dataset(kind, data_files=str(path), split="train", cache_dir=str(scratch / "cache"))
    except InputError:
        raise
    except Exception as exc:  # datasets raises many types; the user needs one clear line
        raise InputError(f"{source}: cannot be read ({type(exc).__name__}: {exc})") from exc
