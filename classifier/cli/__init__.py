"""The ``claims`` command line.

Commands import what they need when they run, so ``claims label`` starts
without scikit-learn, datasets, pandas or pyarrow.

Exit codes: 0 success; 1 internal error; 2 usage error; 3 unreadable input;
4 bad labelled data; 5 bad rule files; 6 bad model directory; 7 the command
needs the 'train' extra; 130 interrupted.
"""

from __future__ import annotations

import sys
from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path
from typing import Annotated, Any

import typer

from .. import __version__
from .common import Mode, ModelOption, OutputFormat, ReportFormat, RulesOption, handles_errors

app = typer.Typer(
    name="claims",
    help=(
        "Label each sentence of an official statement as an accusation, legal claim, assurance, "
        "demand or warning (or no claim), with the rule hits and model scores behind each label."
    ),
    no_args_is_help=True,
    add_completion=False,
    pretty_exceptions_enable=False,
    rich_markup_mode=None,
)


def _version(value: bool) -> None:
    if value:
        print(f"claims {__version__}")
        raise typer.Exit()


@app.callback()
def main_options(
    version: Annotated[
        bool, typer.Option("--version", callback=_version, is_eager=True, help="Show the version and exit.")
    ] = False,
) -> None:
    """Label claims in official statements."""


@app.command()
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
        _stream_records(classifier, files or [], text, strict, options, chosen.value)


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
    classifier: Any, files: list[str], text: str | None, strict: bool, options: dict[str, Any], output_format: str
) -> None:
    """Machine formats: read and label each document piece by piece, writing as we go."""
    from dataclasses import replace

    from ..output.records import RecordWriter

    writer = RecordWriter(output_format, sys.stdout)
    for name, pieces in _document_pieces(files, text, strict):
        index = 0
        for offset, piece in pieces:
            for prediction in classifier.label_text(piece, **options):
                shifted = replace(prediction, start=prediction.start + offset, end=prediction.end + offset)
                writer.write(name, index, shifted)
                index += 1
        if index == 0:
            print(f"claims: {name}: no sentences (empty input)", file=sys.stderr)
    writer.close()


def _document_pieces(files: list[str], text: str | None, strict: bool) -> Any:
    """(name, pieces) for each input; pieces are (offset, text) in reading order."""
    from ..text.inputs import open_input
    from ..text.streaming import iter_pieces

    if text is not None:
        yield "<text>", iter([(0, text)])
        return
    for location in files:
        with open_input(location) as (name, stream, size), _progress(name, size) as advance:
            yield name, iter_pieces(stream, name, strict=strict, on_bytes=advance)


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


@app.command()
@handles_errors
def train(
    out: Annotated[Path, typer.Option("--out", "-o", help="Folder to write the new model to (must not exist).")],
    data: Annotated[
        list[str] | None,
        typer.Option(
            "--data",
            "-d",
            help="Labelled data: .jsonl/.csv/.json/.parquet, a save_to_disk folder or a Hub name (repeatable).",
        ),
    ] = None,
    no_base: Annotated[
        bool, typer.Option("--no-base", help="Train on your data alone, without the shipped corpus.")
    ] = False,
    seed: Annotated[int, typer.Option(help="Random seed: the same seed and data give the same model.")] = 13,
    text_column: Annotated[str, typer.Option(help="Column holding the sentence text.")] = "text",
    label_column: Annotated[str, typer.Option(help="Column holding the label.")] = "label",
    rules: RulesOption = None,
    force: Annotated[bool, typer.Option("--force", help="Replace --out if it already exists.")] = False,
    compare_with: Annotated[
        Path | None, typer.Option("--compare-with", help="Model to compare against (default: the shipped model).")
    ] = None,
) -> None:
    """Retrain the model on the shipped corpus plus your labelled examples.

    Validates all data first, holds out 20% of the statements to measure the
    new model, fits it on everything, compares it with the model it replaces
    on the independent dev-test set, and writes the model folder atomically.
    Example: claims train --data my_examples.jsonl --out models/mine
    """
    from rich.console import Console

    from ..output.figures import print_training_result
    from ..rulebook.book import load_rulebook
    from ..training.run import gather_examples, load_baseline
    from ..training.run import train as run_training
    from ..training.settings import TrainSettings

    if no_base and not data:
        raise typer.BadParameter("--no-base needs at least one --data file", param_hint="--no-base")
    console = Console(stderr=True)
    rulebook = load_rulebook(rules or [])
    with console.status("reading and validating labelled data"):
        examples = gather_examples(
            data or [], include_base=not no_base, text_column=text_column, label_column=label_column
        )
    console.print(f"{len(examples)} labelled sentences in {len({e.doc for e in examples})} statements")
    baseline = load_baseline(str(compare_with) if compare_with else None, rulebook)
    with console.status("training") as status:
        result = run_training(
            examples,
            rulebook,
            TrainSettings(seed=seed),
            out=out,
            force=force,
            baseline=baseline,
            progress=lambda message: status.update(message),
        )
    print_training_result(result, Console())


@app.command()
@handles_errors
def evaluate(
    data: Annotated[
        list[str] | None,
        typer.Option(
            "--data", "-d", help="Labelled data to score on (default: the dev-test set; with --cv: the corpus)."
        ),
    ] = None,
    model: ModelOption = None,
    rules: RulesOption = None,
    output_format: Annotated[ReportFormat, typer.Option("--format", "-f", help="table or json.")] = ReportFormat.table,
    cv: Annotated[
        int | None,
        typer.Option("--cv", min=2, help="K-fold cross-validation grouped by statement, retraining each fold."),
    ] = None,
    by_source: Annotated[
        bool,
        typer.Option(
            "--by-source",
            help="With --cv: hold out whole files (each corpus part, or each --data file) instead of statements,"
            " to see how the classifier does on a source it has never seen.",
        ),
    ] = False,
    seed: Annotated[int, typer.Option(help="Seed for --cv folds and training.")] = 13,
    text_column: Annotated[str, typer.Option(help="Column holding the sentence text.")] = "text",
    label_column: Annotated[str, typer.Option(help="Column holding the label.")] = "label",
) -> None:
    """Score rules, model and hybrid side by side on labelled data.

    Per-label precision, recall and F1, macro-F1, accuracy and the confusion
    matrix. Example: claims evaluate --data training/devtest/devtest.jsonl
    """
    from ..api import ClaimClassifier
    from ..output.figures import print_reports, reports_json
    from ..rulebook.book import load_rulebook
    from ..training.crossval import Folds, cross_validate
    from ..training.data import load_corpus, load_labelled_file, load_user_data, shipped_devtest_file, validate
    from ..training.evaluate import evaluate as evaluate_modes
    from ..training.settings import TrainSettings

    if by_source and not cv:
        raise typer.BadParameter("--by-source goes with --cv", param_hint="--by-source")
    rulebook = load_rulebook(rules or [])
    if data:
        examples = [e for d in data for e in load_user_data(d, text_column=text_column, label_column=label_column)]
    elif cv:
        examples = load_corpus()
    else:
        examples = load_labelled_file(shipped_devtest_file())
    if cv:
        validate(examples)
        group_by = "source" if by_source else "doc"
        reports = cross_validate(Folds(examples, rulebook, TrainSettings(seed=seed), cv, group_by))
        unit = "source file" if by_source else "statement"
        title = f"{cv}-fold cross-validation grouped by {unit}, {len(examples)} sentences"
    else:
        reports = evaluate_modes(ClaimClassifier.load(model, rules=rules or []), examples)
        title = f"{len(examples)} sentences"
    if output_format is ReportFormat.json:
        print(reports_json(reports))
    else:
        print_reports(reports, title=title)


@app.command()
@handles_errors
def export(
    out: Annotated[Path, typer.Option("--out", "-o", help="File to write.")],
    export_format: Annotated[
        str, typer.Option("--format", help="Only 'joblib' (a fitted scikit-learn Pipeline).")
    ] = "joblib",
    model: ModelOption = None,
    force: Annotated[bool, typer.Option("--force", help="Replace --out if it exists.")] = False,
) -> None:
    """Write the text model as a fitted scikit-learn pipeline, for scikit-learn tooling.

    Example: claims export --format joblib --out model.joblib
    """
    from ..api import ClaimClassifier
    from ..textmodel.sklearn_bridge import dump_joblib

    if export_format != "joblib":
        raise typer.BadParameter("only 'joblib' is supported", param_hint="--format")
    dump_joblib(ClaimClassifier.load(model).to_sklearn(), out, force=force)
    print(f"wrote {out}", file=sys.stderr)


from .tools import register  # noqa: E402  (the tools add commands to this app)

register(app)


def main() -> None:
    """Console-script entry point."""
    app()
