"""The terminal view of an explanation: rule hits, model features, the hybrid's arithmetic."""

from __future__ import annotations

from collections.abc import Sequence
from typing import Any

from rich.console import Console
from rich.text import Text

from ..explain import Contribution, Explanation
from ..labels import DISPLAY_NAMES
from .columns import FittedTable
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
    hits = FittedTable("rules that fired")
    hits.id_column("rule")
    hits.id_column("label")
    hits.figure_column("weight")
    hits.text_column("matched")
    for hit in explanation.rule_hits:
        hits.add_row(hit.rule_id, hit.label, f"{hit.weight:g}", f"{visible(hit.text)!r} [{hit.start}:{hit.end}]")
    for guard, start, end in explanation.guards:
        hits.add_row(guard, "(guard)", "", f"{visible(explanation.sentence[start:end])!r} [{start}:{end}]")
    if explanation.rule_hits or explanation.guards:
        hits.print(console)
    else:
        console.print("no rule fired")
    for label, features in explanation.model_features.items():
        _contributions(f"model features for {DISPLAY_NAMES[label]}", features).print(console)
    if any("encoder" in parts for parts in explanation.model_blocks.values()):
        _blocks(explanation.model_blocks).print(console)
    scores = FittedTable("scores by source")
    scores.id_column("")
    for label in explanation.scores:
        scores.figure_column(DISPLAY_NAMES[label])
    for name, row in (
        ("rules", explanation.rules_scores),
        ("model", explanation.model_scores),
        ("hybrid", explanation.scores),
    ):
        scores.add_row(name, *[f"{row[label]:.3f}" for label in explanation.scores])
    scores.print(console)
    for label, terms in explanation.combiner.items():
        title = f"hybrid logit for {DISPLAY_NAMES[label]} (intercept {explanation.combiner_intercepts[label]:+.3f})"
        _contributions(title, terms).print(console)


def _contributions(title: str, items: Sequence[Contribution]) -> FittedTable:
    table = FittedTable(title)
    # names such as "log_p_model[demand]" or an n-gram: wrapped between its words, never inside one
    table.text_column("input", fold_over=None)
    for column in ("value", "weight", "value x weight"):
        table.figure_column(column)
    for item in items:
        table.add_row(item.name, f"{item.value:.3f}", f"{item.weight:+.3f}", f"{item.contribution:+.3f}")
    return table


def _blocks(shares: dict[str, dict[str, float]]) -> FittedTable:
    """The text model's logit per outcome, split into its TF-IDF and encoder blocks (encoder models)."""
    table = FittedTable("model logit by feature block")
    table.id_column("")
    for label in shares:
        table.figure_column(DISPLAY_NAMES[label])
    for block in ("tfidf", "encoder", "intercept"):
        table.add_row(block, *[f"{shares[label][block]:+.3f}" for label in shares])
    return table
