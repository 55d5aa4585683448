"""Labelled-sentence records and their writers: JSON Lines, JSON and CSV, streamed as they come."""

from __future__ import annotations

import csv
import io
import json
from collections.abc import Iterable
from typing import IO, Any

from ..labels import OUTCOMES
from ..result import Prediction

#: The fields of one labelled-sentence record, in order (JSONL, JSON and label-dataset output).
RECORD_FIELDS = ("doc", "index", "start", "end", "text", "label", "confidence", "scores", "source", "evidence")
#: CSV keeps the plain fields as they are, flattens the nested ones into ``rules`` and one column per
#: outcome's score, in the same order, so every format is read off RECORD_FIELDS.
_NESTED = ("scores", "evidence")
_CSV_PLAIN = tuple(field for field in RECORD_FIELDS if field not in _NESTED)
_CSV_FIELDS = (*_CSV_PLAIN, "rules", *[f"score_{o}" for o in OUTCOMES])


def record(doc: str, index: int, prediction: Prediction) -> dict[str, Any]:
    """One JSON-ready record: doc, index, then the prediction's fields (RECORD_FIELDS order)."""
    return {"doc": doc, "index": index, **prediction.to_dict()}


def write_jsonl(rows: Iterable[dict[str, Any]], stream: IO[str]) -> None:
    for row in rows:
        stream.write(json.dumps(row, ensure_ascii=False) + "\n")


def write_csv(rows: Iterable[dict[str, Any]], stream: IO[str], *, header: bool = True) -> None:
    buffer = io.StringIO()
    writer = csv.DictWriter(buffer, fieldnames=_CSV_FIELDS, lineterminator="\n")
    if header:
        writer.writeheader()
    for row in rows:
        flat = {key: row[key] for key in _CSV_PLAIN}
        flat["label"] = row["label"] or ""  # no claim is an empty cell, not "None"
        flat["rules"] = ";".join(hit["rule"] for hit in row["evidence"])
        flat.update({f"score_{o}": row["scores"][o] for o in OUTCOMES})
        writer.writerow(flat)
    stream.write(buffer.getvalue())


class RecordWriter:
    """Writes records as they come (JSONL, CSV, or one JSON array), so output can stream."""

    def __init__(self, output_format: str, stream: IO[str]) -> None:
        self.format, self.stream, self.count = output_format, stream, 0

    def write(self, doc: str, index: int, prediction: Prediction) -> None:
        row = record(doc, index, prediction)
        if self.format == "jsonl":
            write_jsonl([row], self.stream)
        elif self.format == "csv":
            write_csv([row], self.stream, header=self.count == 0)
        else:
            self.stream.write("[\n" if self.count == 0 else ",\n")
            self.stream.write(json.dumps(row, ensure_ascii=False, indent=2))
        self.count += 1

    def close(self) -> None:
        if self.format == "json":
            self.stream.write("[]\n" if self.count == 0 else "\n]\n")
        self.stream.flush()
