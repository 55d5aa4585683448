"""Writing labelled sentences as JSON Lines, JSON, CSV or a terminal table."""

from __future__ import annotations

import csv
import io
import json
from collections import Counter
from collections.abc import Iterable, Sequence
from typing import IO, Any

from ..labels import DISPLAY_NAMES, OUTCOMES
from ..result import Prediction

FORMATS = ("table", "jsonl", "json", "csv")
#: Okabe-Ito colours: distinguishable with the common colour-vision deficiencies.
LABEL_COLOURS = {
    "accusation": "#D55E00",
    "legal_claim": "#0072B2",
    "assurance": "#009E73",
    "demand": "#E69F00",
    "warning": "#CC79A7",
    "none": "#999999",
}
#: The fields of one labelled-sentence record, in order (JSONL, JSON and label-dataset output).
RECORD_FIELDS = ("doc", "index", "start", "end", "text", "label", "confidence", "scores", "source", "evidence")
_CSV_FIELDS = (
    "doc",
    "index",
    "start",
    "end",
    "text",
    "label",
    "confidence",
    "source",
    "rules",
    *[f"score_{o}" for o in OUTCOMES],
)


def record(doc: str, index: int, prediction: Prediction) -> dict[str, Any]:
    """One JSON-ready record: doc, index, then the prediction's fields (RECORD_FIELDS order)."""
    return {"doc": doc, "index": index, **prediction.to_dict()}


def records(doc: str, predictions: Sequence[Prediction]) -> list[dict[str, Any]]:
    """The records of a document's sentences, in order."""
    return [record(doc, index, prediction) for index, prediction in enumerate(predictions)]


def write_jsonl(rows: Iterable[dict[str, Any]], stream: IO[str]) -> None:
    for row in rows:
        stream.write(json.dumps(row, ensure_ascii=False) + "\n")


def write_csv(rows: Iterable[dict[str, Any]], stream: IO[str], *, header: bool = True) -> None:
    buffer = io.StringIO()
    writer = csv.DictWriter(buffer, fieldnames=_CSV_FIELDS, lineterminator="\n")
    if header:
        writer.writeheader()
    for row in rows:
        flat = {key: row[key] for key in ("doc", "index", "start", "end", "text", "confidence", "source")}
        flat["label"] = row["label"] or ""
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


def print_table(doc: str, predictions: Sequence[Prediction], *, console: Any = None) -> None:
    """A readable table: label in its colour, confidence with a bar, cue words highlighted."""
    from rich.console import Console
    from rich.table import Table
    from rich.text import Text

    console = console or Console()
    table = Table(title=doc, show_lines=False, expand=True, title_justify="left")
    table.add_column("#", justify="right", style="dim", no_wrap=True)
    table.add_column("label", no_wrap=True)
    table.add_column("conf", no_wrap=True)
    table.add_column("sentence", ratio=1)
    for index, prediction in enumerate(predictions):
        name = prediction.label or "none"
        colour = LABEL_COLOURS[name]
        label_text = Text(DISPLAY_NAMES[name] if prediction.label else "(none)", style=f"bold {colour}")
        bar = "\u2588" * round(prediction.confidence * 5)
        confidence = Text(f"{prediction.confidence:.2f} ", style="bold").append(bar.ljust(5), style=colour)
        sentence = Text(prediction.text)
        for hit in prediction.evidence:
            sentence.stylize(f"underline {LABEL_COLOURS[hit.label]}", hit.start, hit.end)
        table.add_row(str(index), label_text, confidence, sentence)
    console.print(table)
    print_summary(predictions, console=console)


def print_summary(predictions: Sequence[Prediction], *, console: Any) -> None:
    """Counts per label as a horizontal bar chart."""
    from rich.text import Text

    counts = Counter(p.label or "none" for p in predictions)
    widest = max(counts.values(), default=0)
    for label in OUTCOMES:
        count = counts.get(label, 0)
        width = round(30 * count / widest) if widest else 0
        line = Text(f"{DISPLAY_NAMES[label]:>12} ", style="bold")
        line.append("\u2588" * width, style=LABEL_COLOURS[label]).append(f" {count}")
        console.print(line)
