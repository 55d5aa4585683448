"""Evaluation figures and training results as terminal tables (for people) and JSON (for programs)."""

from __future__ import annotations

import json
from typing import TYPE_CHECKING, Any

from ..labels import DISPLAY_NAMES, OUTCOMES
from ..training.metrics import Figures

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
    from rich.table import Table

    console = console or Console()
    modes = list(next(iter(groups.values())))
    table = Table(title=f"by {field}", title_justify="left")
    table.add_column(field)
    table.add_column("sentences", justify="right")
    for mode in modes:
        table.add_column(f"{mode} macro-F1", justify="right")
    for mode in modes:
        table.add_column(f"{mode} accuracy", justify="right")
    for name, by_mode in groups.items():
        table.add_row(
            name,
            str(next(iter(by_mode.values())).support),
            *[f"{by_mode[m].macro_f1:.3f}" for m in modes],
            *[f"{by_mode[m].accuracy:.3f}" for m in modes],
        )
    console.print(table)


def print_figures(by_mode: dict[str, Figures], *, title: str, console: Any = None) -> None:
    """Per-label F1 and the summary figures of each mode side by side, then the hybrid confusion matrix."""
    from rich.console import Console
    from rich.table import Table

    console = console or Console()
    modes = list(by_mode)
    table = Table(title=title, title_justify="left")
    table.add_column("")
    for mode in modes:
        table.add_column(f"{mode} P", justify="right")
        table.add_column(f"{mode} R", justify="right")
        table.add_column(f"{mode} F1", justify="right")
    for label in OUTCOMES:
        cells = []
        for mode in modes:
            figures = by_mode[mode].per_label[label]
            cells += [f"{figures['precision']:.3f}", f"{figures['recall']:.3f}", f"{figures['f1']:.3f}"]
        table.add_row(f"{DISPLAY_NAMES[label]} ({by_mode[modes[0]].per_label[label]['support']})", *cells)
    table.add_section()
    table.add_row("macro-F1", *[c for m in modes for c in ("", "", f"{by_mode[m].macro_f1:.3f}")])
    table.add_row("accuracy", *[c for m in modes for c in ("", "", f"{by_mode[m].accuracy:.3f}")])
    if all(by_mode[m].lenient_accuracy is not None for m in modes):
        table.add_row("lenient accuracy", *[c for m in modes for c in ("", "", f"{by_mode[m].lenient_accuracy:.3f}")])
    if all(by_mode[m].calibration_error is not None for m in modes):
        table.add_row("calibration error", *[c for m in modes for c in ("", "", f"{by_mode[m].calibration_error:.3f}")])
    console.print(table)
    if all(by_mode[m].by_confidence for m in modes):
        console.print(_confidence_table(by_mode, modes))
    main_mode = "hybrid" if "hybrid" in by_mode else modes[0]
    confusion = Table(title=f"{main_mode} confusion matrix (rows: gold, columns: predicted)", title_justify="left")
    confusion.add_column("")
    for label in OUTCOMES:
        confusion.add_column(DISPLAY_NAMES[label][:8], justify="right")
    for label, row in zip(OUTCOMES, by_mode[main_mode].confusion, strict=True):
        confusion.add_row(DISPLAY_NAMES[label], *map(str, row))
    console.print(confusion)


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


def _confidence_table(by_mode: dict[str, Figures], modes: list[str]) -> Any:
    """Coverage and accuracy of the labels at or above each confidence: what ``--min-confidence`` buys."""
    from rich.table import Table

    table = Table(title="keeping only labels at or above a confidence", title_justify="left")
    table.add_column("confidence")
    for mode in modes:
        table.add_column(f"{mode} kept", justify="right")
        table.add_column(f"{mode} accuracy", justify="right")
    for row_index, first in enumerate(by_mode[modes[0]].by_confidence):
        cells = []
        for mode in modes:
            row = by_mode[mode].by_confidence[row_index]
            accuracy = "-" if row["accuracy"] is None else f"{row['accuracy']:.3f}"
            cells += [f"{row['coverage']:.1%}", accuracy]
        table.add_row(f">= {first['threshold']:.1f}", *cells)
    return table
