"""The terminal view of rule statistics: coverage, precision and conflicts per rule."""

from __future__ import annotations

from collections.abc import Sequence

from rich.console import Console
from rich.markup import escape
from rich.table import Table
from rich.text import Text

from ..rulebook.stats import RuleStats
from .visible import visible


def print_rule_stats(stats: Sequence[RuleStats], *, min_precision: float, show_errors: bool, data_size: int) -> None:
    console = Console()
    table = Table(title=f"rules on {data_size} labelled sentences", title_justify="left")
    for column in ("rule", "label", "fired", "coverage", "precision", "conflicts with", "flag"):
        table.add_column(column)
    for entry in stats:
        precision = entry.precision
        flag = (
            "LOW PRECISION"
            if precision is not None and precision < min_precision
            else ("never fired" if not entry.fired else "")
        )
        conflicts = ", ".join(f"{rule} ({n})" for rule, n in entry.conflicts.most_common(3))
        table.add_row(
            escape(entry.rule_id),
            entry.label,
            str(entry.fired),
            f"{entry.coverage:.1%}",
            "-" if precision is None else f"{precision:.2f}",
            escape(conflicts),
            flag,
        )
    console.print(table)
    flagged = [e.rule_id for e in stats if e.precision is not None and e.precision < min_precision]
    if flagged:
        console.print(f"LOW PRECISION (below {min_precision:g}): {', '.join(flagged)}")
    if show_errors:
        for entry in stats:
            for gold, text in entry.errors:
                console.print(Text(f"{entry.rule_id} fired on a {gold} sentence: ", style="bold") + Text(visible(text)))
