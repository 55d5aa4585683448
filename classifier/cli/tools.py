"""The analyst's and rule author's commands: explain, rules list/check/stats, suggest, corpus."""

from __future__ import annotations

import json
import sys
from pathlib import Path
from typing import Annotated, Any

import typer

from ..errors import InputError, RuleError
from .common import Mode, ModelOption, ReportFormat, RulesOption, handles_errors

rules_app = typer.Typer(help="List, check and measure the keyword rules.", no_args_is_help=True)


def register(app: typer.Typer) -> None:
    """Add these commands to the main ``claims`` app."""
    app.command()(explain)
    app.command()(suggest)
    app.command()(corpus)
    app.command()(report)
    app.command("label-dataset")(label_dataset)
    app.add_typer(rules_app, name="rules")


@handles_errors
def explain(
    text: Annotated[str, typer.Option("--text", "-t", help="The sentence to explain.")],
    model: ModelOption = None,
    rules: RulesOption = None,
    output_format: Annotated[ReportFormat, typer.Option("--format", "-f", help="table or json.")] = ReportFormat.table,
) -> None:
    """Show why a sentence got its label.

    The rules that fired (matched words highlighted), the model's strongest
    features for the label and the runner-up (value x weight), how the hybrid
    combined model and rules, and the final label and confidence.
    Example: claims explain --text "The ministry warned of grave consequences."
    """
    from ..api import ClaimClassifier
    from ..output.explanation import print_explanation

    explanation = ClaimClassifier.load(model, rules=rules or []).explain(text)
    if output_format is ReportFormat.json:
        print(json.dumps(explanation.to_dict(), indent=2, ensure_ascii=False))
    else:
        print_explanation(explanation)


@rules_app.command("list")
@handles_errors
def rules_list(
    label: Annotated[str | None, typer.Option(help="Only rules for this label.")] = None,
    rules: RulesOption = None,
) -> None:
    """List every rule: id, label, weight, description."""
    from rich.console import Console
    from rich.markup import escape
    from rich.table import Table

    from ..labels import normalise_label
    from ..rulebook.book import load_rulebook

    wanted = normalise_label(label) if label else None
    table = Table(title="rules", title_justify="left")
    for column in ("id", "label", "weight", "description"):
        table.add_column(column)
    for rule in load_rulebook(rules or []).rules:
        if wanted is None or rule.label == wanted:
            table.add_row(escape(rule.id), rule.label, f"{rule.weight:g}", escape(rule.description))
    Console().print(table)


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
    output_format: Annotated[ReportFormat, typer.Option("--format", "-f", help="table or json.")] = ReportFormat.table,
) -> None:
    """Measure each rule on labelled data: coverage, precision, overlaps, conflicts."""
    from ..rulebook.book import load_rulebook
    from ..rulebook.matcher import RuleMatcher
    from ..rulebook.stats import rule_stats
    from ..training.data import load_corpus, load_user_data

    examples = load_user_data(data) if data else load_corpus()
    stats = rule_stats(RuleMatcher(load_rulebook(rules or [])), [e.text for e in examples], [e.label for e in examples])
    if output_format is ReportFormat.json:
        print(json.dumps([s.to_dict() for s in stats], indent=2, ensure_ascii=False))
        return
    from ..output.rule_stats import print_rule_stats

    print_rule_stats(stats, min_precision=min_precision, show_errors=show_errors, data_size=len(examples))


@handles_errors
def suggest(
    files: Annotated[list[str], typer.Argument(help="Statement files (or labelled .jsonl) to draw sentences from.")],
    out: Annotated[Path, typer.Option("--out", "-o", help="JSONL file to write the ranked sentences to.")],
    limit: Annotated[int, typer.Option(min=1, help="How many sentences to suggest.")] = 50,
    model: ModelOption = None,
    rules: RulesOption = None,
    force: Annotated[bool, typer.Option("--force", help="Replace --out if it exists.")] = False,
) -> None:
    """Rank the sentences that most deserve a human label.

    Sentences where rules and model disagree, confidence is low or the two
    best labels are close come first. The output is JSONL with an empty
    'label' to fill in and 'suggested_label' as a hint; once labelled it is
    ready for 'claims train --data'.
    """
    from ..api import ClaimClassifier
    from ..atomic import write_text_atomically
    from ..suggest import suggest as rank
    from ..text.inputs import read_document
    from ..text.segment import split_sentences
    from ..training.data import read_jsonl

    pairs: list[tuple[str, str]] = []
    for location in files:
        if location.endswith(".jsonl"):
            if not Path(location).is_file():
                raise InputError(f"{location}: no such file")
            rows = read_jsonl(Path(location))  # a malformed line is a DataError naming it
            pairs.extend((str(row.get("doc", location)), str(row["text"])) for row in rows if row.get("text"))
        else:
            document = read_document(location)
            pairs.extend((document.name, document.text[s.start : s.end]) for s in split_sentences(document.text))
    suggestions = rank(ClaimClassifier.load(model, rules=rules or []).scorer, pairs, limit)
    lines = "".join(json.dumps(s.to_record(), ensure_ascii=False) + "\n" for s in suggestions)
    write_text_atomically(out, lines, force=force)
    print(f"wrote {len(suggestions)} suggestions to {out}", file=sys.stderr)


@handles_errors
def report(
    files: Annotated[list[str], typer.Argument(help="Statement files to include, one section each.")],
    out: Annotated[Path, typer.Option("--out", "-o", help="HTML file to write.")],
    title: Annotated[str, typer.Option(help="Title of the report.")] = "Claims report",
    model: ModelOption = None,
    rules: RulesOption = None,
    force: Annotated[bool, typer.Option("--force", help="Replace --out if it exists.")] = False,
) -> None:
    """Write one self-contained HTML page: each statement with its claims marked.

    Sentences are shaded by label (colour-blind-safe palette); hover or Tab to
    a sentence for its label, confidence and rule hits. Includes a legend and a
    bar chart of labels per statement (and for all statements together).
    Works opened from disk, with no network. Example:
    claims report fixtures/rejoinder.txt -o report.html
    """
    from ..api import ClaimClassifier
    from ..atomic import write_text_atomically
    from ..output.html import LabelledDocument, render_report
    from ..text.inputs import read_document

    classifier = ClaimClassifier.load(model, rules=rules or [])
    documents = []
    for location in files:
        document = read_document(location)
        documents.append(LabelledDocument(document.name, document.text, classifier.label_text(document.text)))
    write_text_atomically(out, render_report(documents, title=title), force=force)
    print(f"wrote {out}", file=sys.stderr)


@handles_errors
def label_dataset(
    source: Annotated[str, typer.Argument(help="A .jsonl, .csv, .parquet file or a datasets save_to_disk folder.")],
    out: Annotated[Path, typer.Option("--out", "-o", help="Output file: .parquet or .jsonl.")],
    text_column: Annotated[str, typer.Option(help="Column holding the text.")] = "text",
    doc_column: Annotated[
        str | None, typer.Option(help="Column naming each row's document (default: 'doc' or the row number).")
    ] = None,
    sentences: Annotated[
        bool, typer.Option("--sentences", help="Each row is already one sentence: do not split.")
    ] = False,
    num_proc: Annotated[int, typer.Option(min=1, help="Worker processes for datasets.map.")] = 1,
    batch_size: Annotated[int, typer.Option(min=1, help="Rows per batch.")] = 1000,
    mode: Annotated[Mode, typer.Option(help="hybrid, rules or model.")] = Mode.hybrid,
    model: ModelOption = None,
    rules: RulesOption = None,
    force: Annotated[bool, typer.Option("--force", help="Replace --out if it exists.")] = False,
) -> None:
    """Label a large corpus with datasets.map (batched, multi-process), in flat memory.

    Writes one row per sentence with the same fields as 'claims label'. The
    output file appears only when complete. Needs the 'train' extra (datasets).
    Example: claims label-dataset archive.parquet -o labelled.parquet --num-proc 2
    """
    from ..api import ClaimClassifier
    from ..bulk import label_dataset as run

    classifier = ClaimClassifier.load(model, rules=rules or [])
    rows = run(
        classifier,
        source,
        out,
        text_column=text_column,
        doc_column=doc_column,
        sentences=sentences,
        num_proc=num_proc,
        batch_size=batch_size,
        force=force,
        options={"mode": mode.value},
    )
    print(f"wrote {rows} labelled sentences to {out}", file=sys.stderr)


@handles_errors
def corpus(
    by: Annotated[str, typer.Option(help="Count by label, party, topic or doc.")] = "label",
    data: Annotated[
        str | None, typer.Option("--data", "-d", help="Labelled data (default: the shipped corpus).")
    ] = None,
) -> None:
    """Print the shipped corpus's counts per label, party, topic or statement."""
    from collections import Counter

    from ..training.data import load_corpus, load_user_data

    if by not in {"label", "party", "topic", "doc"}:
        raise typer.BadParameter("choose label, party, topic or doc", param_hint="--by")
    examples = load_user_data(data) if data else load_corpus()
    counts: Counter[Any] = Counter(getattr(e, by) for e in examples)
    print(
        f"{len(examples)} sentences, {len({e.doc for e in examples})} statements, "
        f"{len({e.party for e in examples})} parties, {len({e.topic for e in examples})} topics"
    )
    for key, count in counts.most_common():
        print(f"{count:6}  {key}")
