"""The page at ``/``: a form to paste or upload a statement, and the statement shaded as the HTML
report shows it, with a form to correct labels and download the corrections.

Everything works as plain form posts, without JavaScript; ``/static/app.js`` only adds conveniences
(relabel when the mode or threshold changes, reshade a corrected sentence, count corrections). All
text from the user goes through ``html.escape``; the page loads nothing but this server's own files.
"""

from __future__ import annotations

import html
from dataclasses import dataclass

from ..labels import DISPLAY_NAMES, OUTCOMES
from ..output.html import LabelledDocument, document_section, legend
from ..output.visible import visible
from .labelling import LabelledText, text_digest


@dataclass(frozen=True)
class FormState:
    """What the labelling form shows: the last statement and options, so switching keeps the text."""

    text: str = ""
    name: str = ""
    mode: str = "hybrid"
    min_confidence: float = 0.0
    force_label: bool = False


def render_page(form: FormState, result: LabelledText | None = None, *, error: str = "", doc: str = "") -> str:
    """The whole page: the form, then an error or the labelled statement and its corrections form."""
    body = [_form(form)]
    if error:
        body.append(f'<p class="error" role="alert" id="error">{html.escape(error)}</p>')
    if result is not None:
        body.append(_result(result, doc))
    return _PAGE.format(body="\n".join(body))


def _form(form: FormState) -> str:
    modes = "".join(
        f'<option value="{m}"{" selected" if m == form.mode else ""}>{m}</option>' for m in ("hybrid", "rules", "model")
    )
    checked = " checked" if form.force_label else ""
    return f"""<form id="label-form" method="post" action="/" enctype="multipart/form-data">
<p><label for="text">Statement</label><br>
<textarea id="text" name="text" rows="10" cols="90">{html.escape(form.text)}</textarea></p>
<p><label for="file">or upload a text file</label> <input id="file" name="file" type="file" accept=".txt,text/plain">
<input type="hidden" name="name" value="{html.escape(form.name)}">
<input type="hidden" name="name_of" value="{text_digest(form.text) if form.name else ""}"></p>
<fieldset><legend>Options</legend>
<label for="mode">Mode</label> <select id="mode" name="mode" class="relabel">{modes}</select>
<label for="min_confidence">Confidence threshold</label>
<input id="min_confidence" name="min_confidence" class="relabel" type="number" min="0" max="1" step="0.05"
 value="{form.min_confidence:g}">
<label><input id="force_label" name="force_label" class="relabel" type="checkbox" value="1"{checked}>
 always give one of the five labels</label>
</fieldset>
<p><button type="submit" id="label-button">Label</button></p>
</form>"""


def _result(result: LabelledText, doc: str) -> str:
    shown = LabelledDocument(name=result.doc, text=result.text, predictions=result.predictions)
    rows = "".join(_correction_row(index, p.text, p.label) for index, p in enumerate(result.predictions))
    count = len(result.predictions)
    return f"""<p id="summary">{count} sentence{"" if count == 1 else "s"} labelled.</p>
{legend()}
{document_section(1, shown)}
<section aria-labelledby="corrections-heading">
<h2 id="corrections-heading">Correct the labels</h2>
<p>Choose the right label for any sentence the classifier got wrong, then download the corrections:
a JSON Lines file that <code>claims train --data</code> reads.</p>
<form id="corrections-form" method="post" action="/corrections.jsonl">
<input type="hidden" name="doc" value="{html.escape(doc)}">
<table class="corrections"><thead><tr><th scope="col">#</th><th scope="col">sentence</th>
<th scope="col">label</th></tr></thead><tbody>{rows}</tbody></table>
<p><label><input type="checkbox" name="include_unchanged" value="1"> also include the sentences I left as labelled
</label></p>
<p><button type="submit" id="download">Download corrections (JSONL)</button> <span id="correction-count"
 aria-live="polite"></span></p>
</form>
</section>"""


def _correction_row(index: int, text: str, label: str | None) -> str:
    predicted = label or ""
    unsure = '<option value="" selected>(unsure)</option>' if label is None else ""
    options = "".join(
        f'<option value="{o}"{" selected" if o == label else ""}>{DISPLAY_NAMES[o]}</option>' for o in OUTCOMES
    )
    return (
        f'<tr><td>{index}</td><td><label for="label-{index}">{html.escape(visible(text))}</label>'
        f'<input type="hidden" name="text" value="{html.escape(text)}">'
        f'<input type="hidden" name="predicted" value="{predicted}"></td>'
        f'<td><select id="label-{index}" name="label" data-index="{index}" data-predicted="{predicted}">'
        f"{unsure}{options}</select></td></tr>"
    )


_PAGE = """<!DOCTYPE html>
<html lang="en">
<head>
<meta charset="utf-8">
<meta name="viewport" content="width=device-width, initial-scale=1">
<title>Claims: label a statement</title>
<link rel="stylesheet" href="/static/report.css">
<link rel="stylesheet" href="/static/page.css">
<script src="/static/app.js" defer></script>
</head>
<body>
<main>
<h1>Label a statement</h1>
<p>Paste a statement or upload a text file and press Label. Each sentence is shaded by its claim type; hover
over it or move to it with the Tab key to see its label, confidence and the rules that fired.
<a href="/docs">JSON API</a></p>
{body}
</main>
</body>
</html>
"""
