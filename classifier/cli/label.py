"""``claims label``: the statements given, labelled sentence by sentence, as a table or streamed records."""

from __future__ import annotations

import sys
from collections.abc import Iterator
from contextlib import contextmanager
from typing import Annotated, Any

import typer

from .common import Mode, ModelOption, OutputFormat, RulesOption, handles_errors


def register(app: typer.Typer) -> None:
    """Add the command to the main ``claims`` app."""
    app.command()(label)


@handles_errors
def label(
    files: Annotated[
        list[str] | None, typer.Argument(help="Statement files to label; '-' reads standard input.")
    ] = None,
    text: Annotated[str | None, typer.Option("--text", "-t", help="Label this text instead of files.")] = None,
    output_format: Annotated[
        OutputFormat | None,
        typer.Option("--format", "-f", help="Output format (default: table on a terminal, jsonl otherwise)."),
    ] = None,
    mode: Annotated[Mode, typer.Option(help="hybrid (rules + model), rules alone, or model alone.")] = Mode.hybrid,
    model: ModelOption = None,
    rules: RulesOption = None,
    min_confidence: Annotated[
        float, typer.Option(min=0.0, max=1.0, help="Below this confidence a sentence is left unlabelled.")
    ] = 0.0,
    force_label: Annotated[
        bool, typer.Option("--force-label", help="Always give the best of the five labels, never 'none'.")
    ] = False,
    strict: Annotated[
        bool, typer.Option("--strict", help="Refuse input that is not valid UTF-8 instead of replacing bad bytes.")
    ] = False,
    num_proc: Annotated[
        int | None,
        typer.Option(
            min=1,
            help="Worker processes for each file in jsonl/csv/json output (default: every available core"
            " for files of 4 MB or more, else 1).",
        ),
    ] = None,
) -> None:
    """Label every sentence of one or more statements.

    Each sentence gets a label (accusation, legal_claim, assurance, demand,
    warning, or none), a confidence, the scores of all six outcomes and the
    rule hits behind it. Example: claims label fixtures/rejoinder.txt
    """
    from ..api import ClaimClassifier

    if text is None and not files:
        raise typer.BadParameter("give FILE arguments, '-' for standard input, or --text", param_hint="FILES")
    if text is not None and files:
        raise typer.BadParameter("give either FILE arguments or --text, not both", param_hint="--text")
    classifier = ClaimClassifier.load(model, rules=rules or [])
    chosen = output_format or (OutputFormat.table if sys.stdout.isatty() else OutputFormat.jsonl)
    options = {"mode": mode.value, "min_confidence": min_confidence, "force_label": force_label}
    if chosen is OutputFormat.table:
        _print_tables(classifier, files or [], text, strict, options)
    else:
        _stream_records(classifier, files or [], text, strict, options, chosen.value, num_proc)


def _print_tables(classifier: Any, files: list[str], text: str | None, strict: bool, options: dict[str, Any]) -> None:
    """The table view: whole documents, for reading."""
    from ..output.table import print_table
    from ..text.inputs import Document, read_document

    documents = [Document("<text>", text)] if text is not None else [read_document(f, strict=strict) for f in files]
    for document in documents:
        predictions = classifier.label_text(document.text, **options)
        if not predictions:
            print(f"claims: {document.name}: no sentences (empty input)", file=sys.stderr)
        print_table(document.name, predictions)


def _stream_records(
    classifier: Any,
    files: list[str],
    text: str | None,
    strict: bool,
    options: dict[str, Any],
    output_format: str,
    num_proc: int | None = None,
) -> None:
    """Machine formats: read and label each document piece by piece, writing as we go (large files:
    the pieces labelled by worker processes, written in reading order)."""
    from dataclasses import replace

    from ..errors import ClassifierError
    from ..output.records import RecordWriter
    from ..pieces import labelled_pieces, piece_workers
    from ..text.inputs import STDIN, open_input

    for location in files:  # a missing or unreadable later file is refused before any output is written
        if location != STDIN:
            with open_input(location):
                pass
    writer = RecordWriter(output_format, sys.stdout)
    try:
        forkable = classifier.model.encoder is None  # an encoder's runtime holds threads a fork would not copy
        for name, size, pieces in _document_pieces(files, text, strict):
            index = 0
            workers = piece_workers(num_proc, size, forkable=forkable)
            for offset, predictions in labelled_pieces(classifier, pieces, options, workers):
                for prediction in predictions:
                    shifted = replace(prediction, start=prediction.start + offset, end=prediction.end + offset)
                    writer.write(name, index, shifted)
                    index += 1
            if index == 0:
                print(f"claims: {name}: no sentences (empty input)", file=sys.stderr)
    except ClassifierError:
        writer.close()  # what was written stays well-formed (a closed JSON array); the exit code says it failed
        raise
    writer.close()


def _document_pieces(files: list[str], text: str | None, strict: bool) -> Any:
    """(name, size in bytes or None, pieces) for each input; pieces are (offset, text) in reading order."""
    from ..text.inputs import open_input
    from ..text.streaming import iter_pieces

    if text is not None:
        yield "<text>", None, iter([(0, text)])
        return
    for location in files:
        with open_input(location) as (name, stream, size), _progress(name, size) as advance:
            yield name, size, iter_pieces(stream, name, strict=strict, on_bytes=advance)


#: Inputs larger than this show a progress bar when standard error is a terminal.
PROGRESS_BYTES = 5 << 20


@contextmanager
def _progress(name: str, size: int | None) -> Iterator[Any]:
    """A byte-counting progress bar on a terminal for large files; a no-op otherwise."""
    if size is None or size < PROGRESS_BYTES or not sys.stderr.isatty():
        yield lambda _n: None
        return
    from rich.console import Console
    from rich.progress import BarColumn, DownloadColumn, Progress, TimeRemainingColumn

    with Progress(
        f"labelling {name}", BarColumn(), DownloadColumn(), TimeRemainingColumn(), console=Console(stderr=True)
    ) as bar:
        task = bar.add_task(name, total=size)
        yield lambda n: bar.advance(task, n)
