"""A self-contained HTML report: each statement with its claims marked, and their balance.

One file, no network, no external assets: inline CSS, inline SVG, no
JavaScript. Every piece of statement text goes through ``html.escape``, so a
statement containing markup shows as text. Details of a sentence (label,
confidence, rule hits) appear on hover and on keyboard focus (each sentence
is focusable), via CSS alone.
"""

from __future__ import annotations

import html
from collections import Counter
from collections.abc import Sequence
from dataclasses import dataclass

from ..labels import DEFINITIONS, DISPLAY_NAMES, OUTCOMES
from ..result import Prediction
from .palette import LABEL_COLOURS
from .visible import visible

#: Text colour on each label's background, chosen for a contrast ratio of at least 4.5:1.
_TEXT_ON = {
    "accusation": "#000",
    "legal_claim": "#fff",
    "assurance": "#000",
    "demand": "#000",
    "warning": "#000",
    "none": "#000",
}
_LIGHT = {  # tints for sentence backgrounds, so long passages stay readable
    "accusation": "#F6D5BF",
    "legal_claim": "#BFDCEE",
    "assurance": "#BFE7DB",
    "demand": "#F9E6BF",
    "warning": "#F2DDE9",
    "none": "#FFFFFF",
}


@dataclass(frozen=True)
class LabelledDocument:
    """A statement and the predictions for its sentences, in order."""

    name: str
    text: str
    predictions: Sequence[Prediction]


def render_report(documents: Sequence[LabelledDocument], *, title: str = "Claims report") -> str:
    """The whole report as one HTML string."""
    sections = [document_section(number, document) for number, document in enumerate(documents, start=1)]
    combined = Counter(p.label or "none" for d in documents for p in d.predictions)
    combined_chart = ""
    if len(documents) > 1:
        combined_chart = (
            f'<section aria-labelledby="all"><h2 id="all">All statements</h2>{_chart(combined, "all")}</section>'
        )
    return _PAGE.format(
        title=html.escape(title),
        style=report_css(),
        legend=legend(),
        sections="\n".join(sections),
        combined=combined_chart,
    )


def report_css() -> str:
    """The report's style sheet (also served as a file by ``claims serve``, whose pages allow no inline style)."""
    return _STYLE + _label_styles()


def document_section(number: int, document: LabelledDocument) -> str:
    """One statement as a section: its text with every sentence shaded and focusable, and its chart."""
    counts = Counter(p.label or "none" for p in document.predictions)
    pieces, cursor = [], 0
    for index, prediction in enumerate(document.predictions):
        pieces.append(html.escape(visible(document.text[cursor : prediction.start])))
        pieces.append(_sentence(number, index, prediction))
        cursor = prediction.end
    pieces.append(html.escape(visible(document.text[cursor:])))
    body = "".join(pieces).strip()
    heading = f"doc-{number}"
    name = html.escape(visible(document.name))
    return (
        f'<section class="doc" aria-labelledby="{heading}"><h2 id="{heading}">{name}</h2>'
        f'<div class="statement">{body}</div>{_chart(counts, heading)}</section>'
    )


def _sentence(number: int, index: int, prediction: Prediction) -> str:
    name = prediction.label or "none"
    shown = DISPLAY_NAMES[name] if prediction.label else "no claim"
    hits = "".join(
        f"<li><code>{html.escape(hit.rule_id)}</code> matched \u201c{html.escape(visible(hit.text))}\u201d</li>"
        for hit in prediction.evidence
    )
    evidence = f"<ul>{hits}</ul>" if hits else "<p>no rule fired</p>"
    tip_id = f"tip-{number}-{index}"
    return (
        f'<span class="s l-{name}" tabindex="0" data-label="{name}" data-index="{index}" aria-describedby="{tip_id}">'
        f"{html.escape(visible(prediction.text))}"
        f'<span class="tip" role="tooltip" id="{tip_id}"><strong>{shown}</strong> '
        f"confidence {prediction.confidence:.2f} ({html.escape(prediction.source)}){evidence}</span></span>"
    )


def _chart(counts: Counter[str], key: str) -> str:
    """A horizontal bar chart of label counts as inline SVG."""
    bar_height, gap, label_width, width = 22, 6, 110, 320
    widest = max(counts.values(), default=0) or 1
    rows = []
    for row, label in enumerate(OUTCOMES):
        y = row * (bar_height + gap)
        count = counts.get(label, 0)
        length = round(width * count / widest)
        rows.append(
            f'<text x="{label_width - 8}" y="{y + 16}" text-anchor="end">{DISPLAY_NAMES[label]}</text>'
            f'<rect class="bar" data-label="{label}" x="{label_width}" y="{y}" width="{length}" height="{bar_height}" '
            f'fill="{LABEL_COLOURS[label]}"><title>{DISPLAY_NAMES[label]}: {count}</title></rect>'
            f'<text x="{label_width + length + 6}" y="{y + 16}">{count}</text>'
        )
    height = len(OUTCOMES) * (bar_height + gap)
    return (
        f'<figure><svg class="chart" id="chart-{key}" role="img" aria-label="label counts" '
        f'viewBox="0 0 {label_width + width + 40} {height}" width="{label_width + width + 40}" height="{height}">'
        f"{''.join(rows)}</svg><figcaption>Sentences per label</figcaption></figure>"
    )


def legend() -> str:
    """The legend: each label's swatch, name and definition from the annotation guide."""
    items = "".join(
        f'<li><span class="swatch l-{label}"></span><strong>{DISPLAY_NAMES[label]}</strong>: '
        f"{html.escape(DEFINITIONS[label])}</li>"
        for label in OUTCOMES
    )
    return f'<aside aria-label="legend"><h2>Labels</h2><ul class="legend">{items}</ul></aside>'


def _label_styles() -> str:
    rules = []
    for label in OUTCOMES:
        rules.append(
            f".l-{label}{{background:{_LIGHT[label]};border-bottom:3px solid {LABEL_COLOURS[label]}}}"
            f".swatch.l-{label}{{background:{LABEL_COLOURS[label]}}}"
            f".l-{label} .tip strong{{background:{LABEL_COLOURS[label]};color:{_TEXT_ON[label]}}}"
        )
    return "".join(rules)


_STYLE = """
body{font:16px/1.6 system-ui,-apple-system,'Segoe UI',sans-serif;color:#111;background:#fafafa;margin:0}
main{max-width:60rem;margin:0 auto;padding:1.5rem}
h1{font-size:1.6rem}h2{font-size:1.2rem;margin-top:2rem}
.statement{background:#fff;padding:1rem 1.25rem;border:1px solid #ddd;border-radius:6px;white-space:pre-wrap}
.s{position:relative;padding:1px 0;cursor:help;color:#111}
.s:focus{outline:3px solid #000;outline-offset:2px}
.tip{display:none;position:absolute;left:0;top:1.8em;z-index:10;min-width:18rem;max-width:28rem;
 background:#fff;color:#111;border:1px solid #333;border-radius:4px;padding:.5rem .75rem;
 font-size:.9rem;line-height:1.4;white-space:normal;box-shadow:0 2px 8px rgba(0,0,0,.25)}
.tip strong{padding:0 .3rem;border-radius:3px}
.tip ul{margin:.3rem 0 0 1rem;padding:0}.tip p{margin:.3rem 0 0}
.s:hover .tip,.s:focus .tip,.s:focus-within .tip{display:block}
.legend{list-style:none;padding:0}.legend li{margin:.2rem 0}
.swatch{display:inline-block;width:1rem;height:1rem;margin-right:.4rem;vertical-align:middle;border:none}
figure{margin:1rem 0}figcaption{font-size:.85rem;color:#444}
.chart text{font-size:13px;fill:#111}
"""

_PAGE = """<!DOCTYPE html>
<html lang="en">
<head>
<meta charset="utf-8">
<meta name="viewport" content="width=device-width, initial-scale=1">
<title>{title}</title>
<style>{style}</style>
</head>
<body>
<main>
<h1>{title}</h1>
<p>Each sentence is shaded by its claim type; hover over it or move to it with the Tab key to see its
label, confidence and the rules that fired.</p>
{legend}
{sections}
{combined}
</main>
</body>
</html>
"""
