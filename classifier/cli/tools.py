"""The analyst's commands: explain, suggest, corpus, report and label-dataset."""

from __future__ import annotations

import json
import sys
from enum import StrEnum
from pathlib import Path
from typing import Annotated, Any

import typer

from .common import Mode, ModelOption, RulesOption, ViewFormat, handles_errors


class SuggestFormat(StrEnum):
    jsonl = "jsonl"
    label_studio = "label-studio"


def register(app: typer.Typer) -> None:
    """Add these commands to the main ``claims`` app."""
    app.command()(explain)
    app.command()(suggest)
    app.command()(corpus)
    app.command()(report)
    app.command("label-dataset")(label_dataset)


@handles_errors
def explain(
    text: Annotated[str, typer.Option("--text", "-t", help="The sentence to explain.")],
    model: ModelOption = None,
    rules: RulesOption = None,
    output_format: Annotated[ViewFormat, typer.Option("--format", "-f", help="table or json.")] = ViewFormat.table,
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
    if output_format is ViewFormat.json:
        print(json.dumps(explanation.to_dict(), indent=2, ensure_ascii=False))
    else:
        print_explanation(explanation)


@handles_errors
def suggest(
    files: Annotated[list[str], typer.Argument(help="Statement files (or labelled .jsonl) to draw sentences from.")],
    out: Annotated[Path, typer.Option("--out", "-o", help="File to write the ranked sentences to.")],
    limit: Annotated[int, typer.Option(min=1, help="How many sentences to suggest.")] = 50,
    model: ModelOption = None,
    rules: RulesOption = None,
    force: Annotated[bool, typer.Option("--force", help="Replace --out if it exists.")] = False,
    output_format: Annotated[
        SuggestFormat,
        typer.Option("--format", "-f", help="jsonl (fill in 'label'), or label-studio (tasks to import)."),
    ] = SuggestFormat.jsonl,
) -> None:
    """Rank the sentences that most deserve a human label.

    Sentences where rules and model disagree, confidence is low or the two
    best labels are close come first. The output is JSONL with an empty
    'label' to fill in and 'suggested_label' as a hint; once labelled it is
    ready for 'claims train --data'. With --format label-studio it is a JSON
    list of Label Studio tasks, pre-annotated with the classifier's label,
    confidence and rule hits (interface: 'claims label-studio config'); the
    project's export goes straight to 'claims train --data'.
    """
    from ..api import ClaimClassifier
    from ..atomic import write_text_atomically
    from ..suggest import sentences_to_rank
    from ..suggest import suggest as rank

    pairs = sentences_to_rank(files)
    classifier = ClaimClassifier.load(model, rules=rules or [])
    suggestions = rank(classifier.scorer, pairs, limit)
    if output_format is SuggestFormat.label_studio:
        from ..integrations import label_studio

        predictions = classifier.label_sentences([s.text for s in suggestions])
        version = label_studio.model_version(classifier.metadata)
        tasks = label_studio.tasks(suggestions, predictions, version)
        lines = json.dumps(tasks, ensure_ascii=False, indent=1) + "\n"
    else:
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
    num_proc: Annotated[
        int | None,
        typer.Option(
            min=1,
            help="Worker processes for datasets.map (default: every available core from 20,000 rows, else 1).",
        ),
    ] = None,
    batch_size: Annotated[int, typer.Option(min=1, help="Rows per batch.")] = 1000,
    mode: Annotated[Mode, typer.Option(help="hybrid, rules or model.")] = Mode.hybrid,
    model: ModelOption = None,
    rules: RulesOption = None,
    force: Annotated[bool, typer.Option("--force", help="Replace --out if it exists.")] = False,
    keep_column: Annotated[
        list[str] | None,
        typer.Option("--keep-column", help="Copy this input column onto each of its row's records (repeatable)."),
    ] = None,
) -> None:
    """Label a large corpus with datasets.map (batched, multi-process), in flat memory.

    Writes one row per sentence with the same fields as 'claims label', plus
    'row', the input row it came from, to join the output back to the input.
    Rows with empty or missing text give no sentence and are reported. The
    output file appears only when complete. Needs the 'train' extra (datasets).
    Example: claims label-dataset archive.parquet -o labelled.parquet
    """
    from ..api import ClaimClassifier
    from ..bulk import label_dataset as run

    classifier = ClaimClassifier.load(model, rules=rules or [])
    result = run(
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
        keep_columns=tuple(keep_column or ()),
    )
    print(f"wrote {result.records} labelled sentences from {result.rows} rows to {out}", file=sys.stderr)
    if result.rows_without_sentences_count:
        shown = ", ".join(map(str, result.rows_without_sentences))
        more = ", ..." if result.rows_without_sentences_count > len(result.rows_without_sentences) else ""
        print(
            f"claims: {result.rows_without_sentences_count} row(s) had no text to label and have no record: "
            f"row {shown}{more}",
            file=sys.stderr,
        )


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
