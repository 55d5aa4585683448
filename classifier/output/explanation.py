"""The terminal view of an explanation: rule hits, model features, the hybrid's arithmetic."""

from __future__ import annotations

from collections.abc import Sequence
from typing import Any

from rich.console import Console
from rich.markup import escape
from rich.table import Table
from rich.text import Text

from ..explain import Contribution, Explanation
from ..labels import DISPLAY_NAMES
from .palette import LABEL_COLOURS
from .visible import visible


def print_explanation(explanation: Explanation, console: Any = None) -> None:
    console = console or Console()
    shown = explanation.label or "none"
    sentence = Text(visible(explanation.sentence))
    for hit in explanation.rule_hits:
        sentence.stylize(f"bold underline {LABEL_COLOURS[hit.label]}", hit.start, hit.end)
    console.print(sentence)
    console.print(
        Text("label: ").append(DISPLAY_NAMES[shown], style=f"bold {LABEL_COLOURS[shown]}")
        + Text(f"  confidence {explanation.confidence:.3f}  runner-up {DISPLAY_NAMES[explanation.runner_up]}")
    )
    hits = Table(title="rules that fired", title_justify="left")
    for column in ("rule", "label", "weight", "matched"):
        hits.add_column(column)
    for hit in explanation.rule_hits:
        where = escape(f"{visible(hit.text)!r} [{hit.start}:{hit.end}]")
        hits.add_row(escape(hit.rule_id), hit.label, f"{hit.weight:g}", where)
    for guard, start, end in explanation.guards:
        where = escape(f"{visible(explanation.sentence[start:end])!r} [{start}:{end}]")
        hits.add_row(escape(guard), "(guard)", "", where)
    console.print(hits if explanation.rule_hits or explanation.guards else "no rule fired")
    for label, features in explanation.model_features.items():
        console.print(_contributions(f"model features for {DISPLAY_NAMES[label]}", features))
    if any("encoder" in parts for parts in explanation.model_blocks.values()):
        console.print(_blocks(explanation.model_blocks))
    scores = Table(title="scores by source", title_justify="left")
    scores.add_column("")
    for label in explanation.scores:
        scores.add_column(DISPLAY_NAMES[label][:8], justify="right")
    for name, row in (
        ("rules", explanation.rules_scores),
        ("model", explanation.model_scores),
        ("hybrid", explanation.scores),
    ):
        scores.add_row(name, *[f"{row[label]:.3f}" for label in explanation.scores])
    console.print(scores)
    for label, terms in explanation.combiner.items():
        title = f"hybrid logit for {DISPLAY_NAMES[label]} (intercept {explanation.combiner_intercepts[label]:+.3f})"
        console.print(_contributions(title, terms))


def _contributions(title: str, items: Sequence[Contribution]) -> Table:
    table = Table(title=title, title_justify="left")
    for column in ("input", "value", "weight", "value x weight"):
        table.add_column(column, justify="left" if column == "input" else "right")
    for item in items:
        # names such as "log_p_model[demand]" or n-grams with brackets are text, not rich markup
        table.add_row(escape(item.name), f"{item.value:.3f}", f"{item.weight:+.3f}", f"{item.contribution:+.3f}")
    return table


def _blocks(shares: dict[str, dict[str, float]]) -> Table:
    """The text model's logit per outcome, split into its TF-IDF and encoder blocks (encoder models)."""
    table = Table(title="model logit by feature block", title_justify="left")
    table.add_column("")
    for label in shares:
        table.add_column(DISPLAY_NAMES[label][:8], justify="right")
    for block in ("tfidf", "encoder", "intercept"):
        table.add_row(block, *[f"{shares[label][block]:+.3f}" for label in shares])
    return table
