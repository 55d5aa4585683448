"""``claims rules list``, ``check`` and ``stats``: the rule author's commands."""

from __future__ import annotations

import json
from pathlib import Path
from typing import Annotated

import typer

from ..errors import RuleError
from .common import RulesOption, ViewFormat, handles_errors

rules_app = typer.Typer(help="List, check and measure the keyword rules.", no_args_is_help=True)


def register(app: typer.Typer) -> None:
    """Add the ``rules`` command group to the main ``claims`` app."""
    app.add_typer(rules_app, name="rules")


@rules_app.command("list")
@handles_errors
def rules_list(
    label: Annotated[str | None, typer.Option(help="Only rules for this label.")] = None,
    rules: RulesOption = None,
) -> None:
    """List every rule: id, label, weight, description."""
    from rich.console import Console

    from ..labels import normalise_label
    from ..output.columns import FittedTable
    from ..rulebook.book import load_rulebook

    wanted = normalise_label(label) if label else None
    table = FittedTable("rules")
    table.id_column("id")
    table.id_column("label")
    table.figure_column("weight")
    table.text_column("description")
    for rule in load_rulebook(rules or []).rules:
        if wanted is None or rule.label == wanted:
            table.add_row(rule.id, rule.label, f"{rule.weight:g}", rule.description)
    table.print(Console())


@rules_app.command("check")
@handles_errors
def rules_check(
    rules: Annotated[
        list[Path] | None, typer.Option("--rules", help="Rule files or folders to check (default: the shipped rules).")
    ] = None,
) -> None:
    """Validate rule files and run every rule's own examples.

    Checks the schema, that patterns compile, unique ids, known labels and
    weights in range, then that each must-match sentence matches and each
    must-not-match sentence does not. Exit code 5 on any failure.
    """
    from ..rulebook.book import load_rulebook
    from ..rulebook.check import check_examples

    book = load_rulebook(rules or [], include_shipped=not rules)
    failures = check_examples(book)
    for failure in failures:
        print(f"FAIL {failure}")
    examples = sum(len(r.must_match) + len(r.must_not_match) for r in (*book.rules, *book.guards))
    summary = f"{len(book.rules)} rules, {len(book.guards)} guards, {examples} examples: {len(failures)} failed"
    print(summary)
    if failures:
        raise RuleError(f"{len(failures)} rule example(s) failed")


@rules_app.command("stats")
@handles_errors
def rules_stats(
    data: Annotated[
        str | None, typer.Option("--data", "-d", help="Labelled data (default: the shipped corpus).")
    ] = None,
    rules: RulesOption = None,
    min_precision: Annotated[float, typer.Option(help="Flag rules whose precision is below this.")] = 0.5,
    show_errors: Annotated[
        bool, typer.Option("--show-errors", help="List the sentences where a rule fired wrongly.")
    ] = False,
    output_format: Annotated[ViewFormat, typer.Option("--format", "-f", help="table or json.")] = ViewFormat.table,
) -> None:
    """Measure each rule on labelled data: coverage, precision, overlaps, conflicts."""
    from ..rulebook.book import load_rulebook
    from ..rulebook.matcher import RuleMatcher
    from ..rulebook.stats import rule_stats
    from ..training.data import load_corpus, load_user_data

    examples = load_user_data(data) if data else load_corpus()
    stats = rule_stats(RuleMatcher(load_rulebook(rules or [])), [e.text for e in examples], [e.label for e in examples])
    if output_format is ViewFormat.json:
        print(json.dumps([s.to_dict() for s in stats], indent=2, ensure_ascii=False))
        return
    from ..output.rule_stats import print_rule_stats

    print_rule_stats(stats, min_precision=min_precision, show_errors=show_errors, data_size=len(examples))
