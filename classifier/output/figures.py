"""Evaluation figures and training results as terminal tables (for people) and JSON (for programs)."""

from __future__ import annotations

import json
from collections.abc import Callable
from typing import TYPE_CHECKING, Any

from ..labels import DISPLAY_NAMES, OUTCOMES
from ..training.metrics import Figures
from .columns import FittedTable

if TYPE_CHECKING:  # the training run needs scikit-learn; printing its figures does not
    from ..training.run import TrainResult


def figures_json(by_mode: dict[str, Figures], groups: dict[str, dict[str, Figures]] | None = None) -> str:
    """Each mode's figures; with ``groups``, also under ``"groups"`` each group's figures by mode."""
    payload: dict[str, Any] = {mode: figures.to_dict() for mode, figures in by_mode.items()}
    if groups:
        payload["groups"] = {
            name: {mode: figures.to_dict() for mode, figures in group.items()} for name, group in groups.items()
        }
    return json.dumps(payload, indent=2)


def print_group_figures(groups: dict[str, dict[str, Figures]], *, field: str, console: Any = None) -> None:
    """One row per group: its size, and each mode's macro-F1 and accuracy (per-label figures: --format json)."""
    from rich.console import Console

    console = console or Console()
    modes = list(next(iter(groups.values())))

    def build(shown: list[str]) -> FittedTable:
        title = f"by {field}" if shown == modes else f"by {field}: {shown[0]}"
        table = FittedTable(title)
        table.id_column(field)
        table.figure_column("sentences")
        for mode in shown:
            table.figure_column(f"{mode} macro-F1")
        for mode in shown:
            table.figure_column(f"{mode} accuracy")
        for name, by_mode in groups.items():
            table.add_row(
                name,
                str(next(iter(by_mode.values())).support),
                *[f"{by_mode[m].macro_f1:.3f}" for m in shown],
                *[f"{by_mode[m].accuracy:.3f}" for m in shown],
            )
        return table

    _print_side_by_side(console, build, modes)


def print_figures(by_mode: dict[str, Figures], *, title: str, console: Any = None) -> None:
    """Per-label F1 and the summary figures of each mode side by side, then the hybrid confusion matrix.

    On a console too narrow for the modes side by side, such as 80 columns, each mode gets its own table.
    """
    from rich.console import Console

    console = console or Console()
    modes = list(by_mode)
    _print_side_by_side(console, lambda shown: _figures_table(by_mode, shown, title, modes), modes)
    if all(by_mode[m].by_confidence for m in modes):
        _print_side_by_side(console, lambda shown: _confidence_table(by_mode, shown, modes), modes)
    main_mode = "hybrid" if "hybrid" in by_mode else modes[0]
    confusion = FittedTable(f"{main_mode} confusion matrix (rows: gold, columns: predicted)")
    confusion.id_column("")
    for label in OUTCOMES:
        confusion.figure_column(DISPLAY_NAMES[label])
    for label, row in zip(OUTCOMES, by_mode[main_mode].confusion, strict=True):
        confusion.add_row(DISPLAY_NAMES[label], *map(str, row))
    confusion.print(console)


def _print_side_by_side(console: Any, build: Callable[[list[str]], FittedTable], modes: list[str]) -> None:
    """One table with every mode's columns if it fits the console, else one table per mode."""
    together = build(modes)
    if together.fits(console.width) or len(modes) == 1:
        together.print(console)
        return
    for mode in modes:
        build([mode]).print(console)


def _figures_table(by_mode: dict[str, Figures], shown: list[str], title: str, modes: list[str]) -> FittedTable:
    """Precision, recall and F1 per label, then the summary figures, of the modes in ``shown``."""
    table = FittedTable(title if shown == modes else f"{title}: {shown[0]}")
    table.text_column("")
    for mode in shown:
        table.figure_column(f"{mode} P")
        table.figure_column(f"{mode} R")
        table.figure_column(f"{mode} F1")
    for label in OUTCOMES:
        cells = []
        for mode in shown:
            figures = by_mode[mode].per_label[label]
            cells += [f"{figures['precision']:.3f}", f"{figures['recall']:.3f}", f"{figures['f1']:.3f}"]
        table.add_row(f"{DISPLAY_NAMES[label]} ({by_mode[modes[0]].per_label[label]['support']})", *cells)
    table.add_section()
    summaries = [
        ("macro-F1", lambda f: f.macro_f1),
        ("accuracy", lambda f: f.accuracy),
        ("lenient accuracy", lambda f: f.lenient_accuracy),
        ("calibration error", lambda f: f.calibration_error),
    ]
    for name, figure in summaries:
        if all(figure(by_mode[m]) is not None for m in modes):
            table.add_row(name, *[c for m in shown for c in ("", "", f"{figure(by_mode[m]):.3f}")])
    return table


def print_training_result(result: TrainResult, console: Any) -> None:
    """Held-out figures, then the comparison with the replaced model on the dev-test set."""
    print_figures(result.holdout, title="held-out statements (grouped split, never trained on)", console=console)
    if result.devtest:
        line = f"dev-test set, hybrid macro-F1: new model {result.devtest['hybrid'].macro_f1:.3f}"
        if result.baseline_devtest:
            old = result.baseline_devtest["hybrid"].macro_f1
            change = result.devtest["hybrid"].macro_f1 - old
            line += f", replaced model {old:.3f} ({change:+.3f})"
        console.print(line)
    if result.realtest:
        figures = ", ".join(f"{mode} {f.macro_f1:.3f}" for mode, f in result.realtest.items())
        console.print(f"real-text test set ({result.realtest['hybrid'].support} sentences), macro-F1: {figures}")
    if result.directory is not None:
        console.print(f"model written to {result.directory}")


def _confidence_table(by_mode: dict[str, Figures], shown: list[str], modes: list[str]) -> FittedTable:
    """Coverage and accuracy of the labels at or above each confidence: what ``--min-confidence`` buys."""
    title = "keeping only labels at or above a confidence"
    table = FittedTable(title if shown == modes else f"{title}: {shown[0]}")
    table.id_column("confidence")
    for mode in shown:
        table.figure_column(f"{mode} kept")
        table.figure_column(f"{mode} accuracy")
    for row_index, first in enumerate(by_mode[modes[0]].by_confidence):
        cells = []
        for mode in shown:
            row = by_mode[mode].by_confidence[row_index]
            accuracy = "-" if row["accuracy"] is None else f"{row['accuracy']:.3f}"
            cells += [f"{row['coverage']:.1%}", accuracy]
        table.add_row(f">= {first['threshold']:.1f}", *cells)
    return table
