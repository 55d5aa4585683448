"""Control characters in input are shown, never obeyed, in every human-facing view."""

from __future__ import annotations

import io

from rich.console import Console

from classifier.output.explanation import print_explanation
from classifier.output.html import LabelledDocument, render_report
from classifier.output.table import print_table
from classifier.output.visible import visible

#: Clear the screen, move home, turn red: what a hostile statement file held.
HOSTILE = "They warned \x1b[2J\x1b[H\x1b[31mof consequences.\x07 Next\x9b line\x7f end."


def terminal() -> tuple[Console, io.StringIO]:
    out = io.StringIO()
    return Console(file=out, force_terminal=True, width=120, color_system="truecolor"), out


def test_visible_keeps_length_tab_and_newline_and_shows_everything_else():
    shown = visible(HOSTILE + "\ttab\nnewline")
    assert len(shown) == len(HOSTILE) + len("\ttab\nnewline")  # offsets of rule hits still line up
    assert "\x1b" not in shown and "\x07" not in shown and "\x7f" not in shown and "\x9b" not in shown
    assert "\u241b[2J" in shown  # ESC shown as its control picture
    assert shown.endswith("\ttab\nnewline")
    assert visible("Plain text, “quoted” and café.") == "Plain text, “quoted” and café."


def test_the_table_does_not_pass_input_escape_sequences_to_the_terminal(classifier):
    console, out = terminal()
    print_table("file.txt", classifier.label_text(HOSTILE), console=console)
    written = out.getvalue()
    assert "\x1b[2J" not in written and "\x1b[H" not in written and "\x07" not in written
    assert "\u241b[2J" in written


def test_explain_shows_control_characters(classifier):
    console, out = terminal()
    print_explanation(classifier.explain(HOSTILE), console=console)
    assert "\x1b[2J" not in out.getvalue() and "\u241b" in out.getvalue()


def test_the_report_shows_control_characters(classifier):
    page = render_report([LabelledDocument("evil\x1b[31m.txt", HOSTILE, classifier.label_text(HOSTILE))])
    assert not any(ch in page for ch in "\x1b\x07\x7f\x9b")
    assert "\u241b[2J" in page and "evil\u241b[31m.txt" in page


def test_a_sentence_below_min_confidence_is_shown_unsure_not_as_a_confident_no_claim(classifier):
    """It used to show as "(none) 0.77", like a sentence the model is sure carries no claim."""
    text = "The talks were held in Geneva on Monday. We urge the parties to talk."
    predictions = classifier.label_text(text, min_confidence=1.0)  # nothing reaches certainty
    assert [p.label for p in predictions] == [None, None]
    assert max(predictions[0].scores, key=predictions[0].scores.get) == "none"
    assert max(predictions[1].scores, key=predictions[1].scores.get) == "demand"
    out = io.StringIO()
    print_table("t", predictions, console=Console(file=out, width=120))
    rows = [line for line in out.getvalue().splitlines() if "Geneva" in line or "urge" in line]
    assert "(none)" in rows[0] and "(unsure)" in rows[1]
    assert out.getvalue().rstrip().splitlines()[-1].split() == ["(unsure)", "\u2588" * 30, "1"]
