"""The terminal view of rule statistics: coverage, precision and conflicts per rule."""

from __future__ import annotations

from collections.abc import Sequence

from rich.console import Console
from rich.text import Text

from ..rulebook.stats import RuleStats
from .columns import FittedTable
from .visible import visible


def print_rule_stats(stats: Sequence[RuleStats], *, min_precision: float, show_errors: bool, data_size: int) -> None:
    console = Console()
    table = FittedTable(f"rules on {data_size} labelled sentences")
    table.id_column("rule")
    table.id_column("label")
    for column in ("fired", "coverage", "precision"):
        table.figure_column(column)
    table.text_column("conflicts with", fold_over=None)  # rule ids: wrapped between them, never inside one
    table.text_column("flag")
    for entry in stats:
        precision = entry.precision
        flag = (
            "LOW PRECISION"
            if precision is not None and precision < min_precision
            else ("never fired" if not entry.fired else "")
        )
        conflicts = ", ".join(f"{rule} ({n})" for rule, n in entry.conflicts.most_common(3))
        table.add_row(
            entry.rule_id,
            entry.label,
            str(entry.fired),
            f"{entry.coverage:.1%}",
            "-" if precision is None else f"{precision:.2f}",
            conflicts,
            flag,
        )
    table.print(console)
    flagged = [e.rule_id for e in stats if e.precision is not None and e.precision < min_precision]
    if flagged:
        console.print(f"LOW PRECISION (below {min_precision:g}): {', '.join(flagged)}")
    if show_errors:
        for entry in stats:
            for gold, text in entry.errors:
                console.print(Text(f"{entry.rule_id} fired on a {gold} sentence: ", style="bold") + Text(visible(text)))
