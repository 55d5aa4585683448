"""The terminal view of labelled statements: a table per document and a bar chart of labels."""

from __future__ import annotations

from collections import Counter
from collections.abc import Sequence
from typing import Any

from ..labels import DISPLAY_NAMES, NONE_LABEL, OUTCOMES
from ..result import Prediction
from .palette import LABEL_COLOURS
from .visible import visible


def print_table(doc: str, predictions: Sequence[Prediction], *, console: Any = None) -> None:
    """A readable table: label in its colour, confidence with a bar, cue words highlighted."""
    from rich.console import Console
    from rich.text import Text

    from .columns import FittedTable

    console = console or Console()
    table = FittedTable(visible(doc))
    table.figure_column("#")
    table.id_column("label")
    table.id_column("conf")  # the figure and its bar, kept on one line
    table.text_column("sentence", fill=True)
    for index, prediction in enumerate(predictions):
        name = prediction.label or "none"
        colour = LABEL_COLOURS[name]
        if abstained(prediction):
            label_text = Text("(unsure)", style="dim italic")
        else:
            label_text = Text(DISPLAY_NAMES[name] if prediction.label else "(none)", style=f"bold {colour}")
        bar = "\u2588" * round(prediction.confidence * 5)
        confidence = Text(f"{prediction.confidence:.2f} ", style="bold").append(bar.ljust(5), style=colour)
        sentence = Text(visible(prediction.text))
        for hit in prediction.evidence:
            sentence.stylize(f"underline {LABEL_COLOURS[hit.label]}", hit.start, hit.end)
        table.add_row(Text(str(index), style="dim"), label_text, confidence, sentence)
    table.print(console)
    print_summary(predictions, console=console)


def print_summary(predictions: Sequence[Prediction], *, console: Any) -> None:
    """Counts per label as a horizontal bar chart."""
    from rich.text import Text

    counts = Counter("unsure" if abstained(p) else p.label or "none" for p in predictions)
    widest = max(counts.values(), default=0)
    rows = [(DISPLAY_NAMES[label], LABEL_COLOURS[label], counts.get(label, 0)) for label in OUTCOMES]
    if counts.get("unsure"):
        rows.append(("(unsure)", "dim", counts["unsure"]))
    # 30 characters for the longest bar, fewer on a console too narrow for name, bar and count on one line
    longest = max(1, min(30, console.width - 13 - 1 - len(str(widest))))
    for name, colour, count in rows:
        width = round(longest * count / widest) if widest else 0
        line = Text(f"{name:>12} ", style="bold")
        line.append("\u2588" * width, style=colour).append(f" {count}")
        console.print(line)


def abstained(prediction: Prediction) -> bool:
    """Left unlabelled because its best claim label fell below --min-confidence, not because the
    best outcome was "no claim": a reader should decide it, and it must not look like a confident none."""
    return prediction.label is None and max(prediction.scores, key=prediction.scores.__getitem__) != NONE_LABEL
