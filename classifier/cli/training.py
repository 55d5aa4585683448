"""``claims train``, ``evaluate`` and ``export``: making, measuring and handing on models."""

from __future__ import annotations

import sys
from collections.abc import Iterator
from contextlib import contextmanager
from enum import StrEnum
from pathlib import Path
from typing import TYPE_CHECKING, Annotated

import typer

from .common import ModelOption, RulesOption, ViewFormat, handles_errors

if TYPE_CHECKING:  # the CLI module loads without rich's console or the training code
    from rich.console import Console

    from ..training.progress import TrainingProgress


class GroupField(StrEnum):
    """What ``claims evaluate --by`` can group on (the fields of ``training.evaluate.GROUP_FIELDS``)."""

    source = "source"
    party = "party"
    doc = "doc"


def register(app: typer.Typer) -> None:
    """Add the commands to the main ``claims`` app, in the order ``claims --help`` lists them."""
    app.command()(train)
    app.command()(evaluate)
    app.command()(export)


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

    from ..errors import ModelError
    from ..output.figures import print_training_result
    from ..rulebook.book import load_rulebook
    from ..textmodel.folder import check_destination
    from ..training.run import gather_examples, load_baseline
    from ..training.run import train as run_training
    from ..training.settings import TrainSettings

    if no_base and not data:
        raise typer.BadParameter("--no-base needs at least one --data file", param_hint="--no-base")
    check_destination(out, force=force)  # before minutes of fitting, not after
    if compare_with is not None and not compare_with.is_dir():
        raise ModelError(f"{compare_with}: no such model directory (--compare-with)")
    console = Console(stderr=True)
    rulebook = load_rulebook(rules or [])
    with console.status("reading and validating labelled data"):
        examples = gather_examples(
            data or [], include_base=not no_base, text_column=text_column, label_column=label_column
        )
    console.print(f"{len(examples)} labelled sentences in {len({e.doc for e in examples})} statements")
    baseline = load_baseline(str(compare_with) if compare_with else None, rulebook)
    with _training_progress(console) as progress:
        result = run_training(
            examples, rulebook, TrainSettings(seed=seed), out=out, force=force, baseline=baseline, progress=progress
        )
    print_training_result(result, Console())


@contextmanager
def _training_progress(console: Console) -> Iterator[TrainingProgress]:
    """A bar with the stage, the fits done and the time left on a terminal; one line per stage otherwise
    (a log keeps them)."""
    from ..training.progress import MessageProgress

    if not console.is_terminal:
        yield MessageProgress(console.print)
        return
    from ..output.training_bar import TrainingBar

    with TrainingBar(console) as bar:
        yield bar


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
    output_format: Annotated[ViewFormat, typer.Option("--format", "-f", help="table or json.")] = ViewFormat.table,
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
    by: Annotated[
        GroupField | None,
        typer.Option(
            "--by",
            help="Also give the figures within each value of this column: source (a real sentence's source,"
            " else its file), party or doc.",
        ),
    ] = None,
    seed: Annotated[int, typer.Option(help="Seed for --cv folds and training.")] = 13,
    text_column: Annotated[str, typer.Option(help="Column holding the sentence text.")] = "text",
    label_column: Annotated[str, typer.Option(help="Column holding the label.")] = "label",
) -> None:
    """Score rules, model and hybrid side by side on labelled data.

    Per-label precision, recall and F1, macro-F1, accuracy and the confusion
    matrix. Example: claims evaluate --data training/devtest/devtest.jsonl
    """
    from ..output.figures import figures_json, print_figures, print_group_figures
    from ..training.measure import measure

    if by_source and not cv:
        raise typer.BadParameter("--by-source goes with --cv", param_hint="--by-source")
    if by and cv:
        raise typer.BadParameter("--by goes with a trained model's figures, not with --cv", param_hint="--by")
    title, by_mode, groups = measure(
        data or [],
        model=model,
        rules=rules or [],
        cv=cv,
        by_source=by_source,
        by=by.value if by else None,
        seed=seed,
        text_column=text_column,
        label_column=label_column,
    )
    if output_format is ViewFormat.json:
        print(figures_json(by_mode, groups))
    else:
        print_figures(by_mode, title=title)
        if groups:
            print_group_figures(groups, field=by.value if by else "")


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
