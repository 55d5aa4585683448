"""The ``claims`` command line.

Commands import what they need when they run, so ``claims label`` starts
without scikit-learn, datasets, pandas or pyarrow.

Exit codes: 0 success; 1 internal error; 2 usage error; 3 unreadable input;
4 bad labelled data; 5 bad rule files; 6 bad model directory; 130 interrupted.
"""

from __future__ import annotations

import sys
from pathlib import Path
from typing import Annotated, Any

import typer

from . import __version__
from .cli_common import Mode, ModelOption, OutputFormat, ReportFormat, RulesOption, handles_errors

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
    from .api import ClaimClassifier
    from .inputs import Document, read_document

    if text is None and not files:
        raise typer.BadParameter("give FILE arguments, '-' for standard input, or --text", param_hint="FILES")
    if text is not None and files:
        raise typer.BadParameter("give either FILE arguments or --text, not both", param_hint="--text")
    documents = (
        [Document("<text>", text)] if text is not None else [read_document(f, strict=strict) for f in files or []]
    )
    classifier = ClaimClassifier.load(model, rules=rules or [])
    chosen = output_format or (OutputFormat.table if sys.stdout.isatty() else OutputFormat.jsonl)
    _write_labels(classifier, documents, chosen, mode.value, min_confidence, force_label)


def _write_labels(
    classifier: Any, documents: list[Any], chosen: OutputFormat, mode: str, min_confidence: float, force: bool
) -> None:
    from .output import print_table, records, write_csv, write_json, write_jsonl

    options = {"mode": mode, "min_confidence": min_confidence, "force_label": force}
    all_rows: list[dict[str, Any]] = []
    for number, document in enumerate(documents):
        predictions = classifier.label_text(document.text, **options)
        if not predictions:
            print(f"claims: {document.name}: no sentences (empty input)", file=sys.stderr)
        if chosen is OutputFormat.table:
            print_table(document.name, predictions)
        elif chosen is OutputFormat.jsonl:
            write_jsonl(records(document.name, predictions), sys.stdout)
        elif chosen is OutputFormat.csv:
            write_csv(records(document.name, predictions), sys.stdout, header=number == 0)
        else:
            all_rows.extend(records(document.name, predictions))
    if chosen is OutputFormat.json:
        write_json(all_rows, sys.stdout)
    sys.stdout.flush()


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

    from .rulebook import load_rulebook
    from .training.fit import TrainSettings
    from .training.run import gather_examples, load_baseline
    from .training.run import train as run_training
    from .training_report import print_training_result

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
    seed: Annotated[int, typer.Option(help="Seed for --cv folds and training.")] = 13,
    text_column: Annotated[str, typer.Option(help="Column holding the sentence text.")] = "text",
    label_column: Annotated[str, typer.Option(help="Column holding the label.")] = "label",
) -> None:
    """Score rules, model and hybrid side by side on labelled data.

    Per-label precision, recall and F1, macro-F1, accuracy and the confusion
    matrix. Example: claims evaluate --data training/devtest/devtest.jsonl
    """
    from .api import ClaimClassifier
    from .rulebook import load_rulebook
    from .training.data import load_corpus, load_labelled_file, load_user_data, shipped_devtest_file, validate
    from .training.evaluate import cross_validate
    from .training.evaluate import evaluate as evaluate_modes
    from .training.fit import TrainSettings
    from .training_report import print_reports, reports_json

    rulebook = load_rulebook(rules or [])
    if data:
        examples = [e for d in data for e in load_user_data(d, text_column=text_column, label_column=label_column)]
    elif cv:
        examples = load_corpus()
    else:
        examples = load_labelled_file(shipped_devtest_file())
    if cv:
        validate(examples)
        reports = cross_validate(examples, rulebook, TrainSettings(seed=seed), folds=cv)
        title = f"{cv}-fold cross-validation grouped by statement, {len(examples)} sentences"
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
    from .api import ClaimClassifier
    from .sklearn_bridge import dump_joblib

    if export_format != "joblib":
        raise typer.BadParameter("only 'joblib' is supported", param_hint="--format")
    dump_joblib(ClaimClassifier.load(model).to_sklearn(), out, force=force)
    print(f"wrote {out}", file=sys.stderr)


from .cli_tools import register  # noqa: E402  (the tools add commands to this app)

register(app)


def main() -> None:
    """Console-script entry point."""
    app()
