"""Tables on narrow terminals: every figure and every rule id whole, no line wider than the console.

An 80-column terminal used to show F1 as ``0.8…`` in ``evaluate`` and ``train``,
and every rule id cut (``accusation.sponsors_arme…``) in ``rules list`` and
``rules stats``. Each view is rendered here at 80 columns and narrower, through
the command line (rich reads ``COLUMNS``; a pipe with no ``COLUMNS`` is 80), and
its figures and ids are taken from the same command's JSON (or from the data
the test itself builds), never from the table under test.
"""

from __future__ import annotations

import io
import json
import os
import re
import subprocess
import sys
from collections.abc import Iterable

import pytest
from rich.cells import cell_len
from rich.console import Console
from typer.testing import CliRunner

from classifier.cli import app
from classifier.labels import DISPLAY_NAMES, OUTCOMES
from classifier.rulebook.book import load_rulebook
from tests.conftest import DEVTEST, REPO, SEED_TEXT

runner = CliRunner()

#: Fires rules with long ids of several labels, so conflicts and the matched column are filled.
SENTENCE = (
    "The ministry warned of grave consequences if the Council fails to act under Article 51 of the Charter, "
    "and accused the militias, sponsored and armed from abroad, of attacks on civilians."
)


@pytest.fixture(autouse=True)
def rich_reads_the_current_environment(monkeypatch):
    """rich's Console reads ``COLUMNS`` from the ``os.environ`` it saw on import; ``datasets.map`` with
    ``num_proc`` (``label-dataset --num-proc``, tests/test_bulk.py) replaces ``os.environ`` with a copy, so a
    later ``COLUMNS`` set in the same process would go unseen. Each command run by a user is its own process."""
    monkeypatch.setattr(Console, "_environ", os.environ)


def run(width: int, *args: str) -> str:
    result = runner.invoke(app, list(args), env={"COLUMNS": str(width)})
    assert result.exit_code == 0, result.output
    return result.stdout


def assert_fits_and_whole(output: str, width: int, items: Iterable[str]) -> None:
    """No line wider than ``width``, no ellipsis, and each item shown whole (not as part of a longer token)."""
    too_wide = [line for line in output.splitlines() if cell_len(line) > width]
    assert not too_wide, f"{len(too_wide)} lines wider than {width}: {too_wide[:3]}"
    assert "\u2026" not in output, "something was cut with an ellipsis"
    missing = sorted({item for item in items if not re.search(rf"(?<![\w.]){re.escape(item)}(?![\w.%])", output)})
    assert not missing, f"not shown whole at width {width}: {missing[:10]}"


def figures_of(payload: dict) -> set[str]:
    """Every figure the evaluate table prints, formatted as it prints them, from ``--format json``."""
    shown: set[str] = set()
    for figures in payload.values():
        for label in OUTCOMES:
            per_label = figures["per_label"][label]
            shown |= {f"{per_label[key]:.3f}" for key in ("precision", "recall", "f1")}
        shown |= {f"{figures[key]:.3f}" for key in ("macro_f1", "accuracy", "lenient_accuracy", "calibration_error")}
        for row in figures["by_confidence"]:
            shown.add(f"{row['coverage']:.1%}")
            if row["accuracy"] is not None:
                shown.add(f"{row['accuracy']:.3f}")
    return shown


@pytest.fixture(scope="module")
def evaluation() -> dict:
    return json.loads(run(200, "evaluate", "--format", "json"))


@pytest.mark.parametrize("width", [80, 60, 40])
def test_evaluate_shows_every_figure_and_label_whole(evaluation, width):
    output = run(width, "evaluate")
    hybrid = evaluation["hybrid"]
    labels = [DISPLAY_NAMES[label] for label in OUTCOMES]
    supports = [f"{DISPLAY_NAMES[label]} ({hybrid['per_label'][label]['support']})" for label in OUTCOMES]
    assert_fits_and_whole(output, width, figures_of(evaluation) | set(labels) | set(supports))
    # the confusion matrix: each gold label's counts, in the order of the predicted labels
    matrix = output[output.index("confusion matrix") :].splitlines()
    for label, row in zip(OUTCOMES, hybrid["confusion"]["rows_gold_columns_predicted"], strict=True):
        name = DISPLAY_NAMES[label]
        if width >= 80:  # a table: one line per gold label
            line = next(line for line in matrix if line.startswith(f"\u2502 {name} "))
            assert re.findall(r"\d+", line[len(name) + 2 :]) == [str(n) for n in row]
        else:  # blocks: the gold label as a heading, then "predicted: count" pairs
            block = []
            for line in matrix[matrix.index(name) + 1 :]:
                if not line.startswith("  "):
                    break
                block.append(line)
            pairs = dict(re.findall(r"([a-z][a-z ]*): (\d+)", " ".join(block)))
            assert pairs == {DISPLAY_NAMES[p]: str(n) for p, n in zip(OUTCOMES, row, strict=True)}


@pytest.mark.parametrize("width", [80, 60])
def test_evaluate_by_group_shows_every_group_and_figure_whole(width):
    payload = json.loads(run(200, "evaluate", "--by", "source", "--format", "json"))
    groups = payload.pop("groups")
    shown = set(groups)
    for by_mode in groups.values():
        shown |= {f"{f['macro_f1']:.3f}" for f in by_mode.values()} | {f"{f['accuracy']:.3f}" for f in by_mode.values()}
        shown.add(str(next(iter(by_mode.values()))["support"]))
    assert_fits_and_whole(run(width, "evaluate", "--by", "source"), width, shown)


def test_training_results_use_the_same_fitted_tables(evaluation):
    """``claims train`` prints its held-out figures with print_figures: checked here without training."""
    from classifier.output.figures import print_training_result
    from classifier.training.measure import measure

    _, by_mode, _ = measure([])
    result = type("Result", (), {"holdout": by_mode, "devtest": None, "realtest": None, "directory": None})()
    out = io.StringIO()
    print_training_result(result, Console(file=out, width=80))
    assert_fits_and_whole(out.getvalue(), 80, figures_of(evaluation))


@pytest.mark.parametrize("width", [80, 60])
def test_rules_stats_shows_every_rule_id_and_figure_whole(width):
    args = ("rules", "stats", "--data", str(DEVTEST))
    stats = json.loads(run(200, *args, "--format", "json"))
    shown = {entry["rule"] for entry in stats} | {str(entry["fired"]) for entry in stats}
    shown |= {f"{entry['coverage']:.1%}" for entry in stats}
    shown |= {f"{entry['precision']:.2f}" for entry in stats if entry["precision"] is not None}
    conflicts = {rule for entry in stats for rule, _ in sorted(entry["conflicts"].items(), key=lambda kv: -kv[1])[:1]}
    assert conflicts, "the data should make rules of different labels fire together"
    assert max(map(len, shown)) > 30  # long ids are what 80 columns used to cut
    assert_fits_and_whole(run(width, *args), width, shown | conflicts)


@pytest.mark.parametrize("width", [80, 60])
def test_rules_list_shows_every_rule_id_whole(width):
    rules = load_rulebook([]).rules
    shown = {rule.id for rule in rules} | {f"{rule.weight:g}" for rule in rules}
    assert_fits_and_whole(run(width, "rules", "list"), width, shown)


@pytest.mark.parametrize("width", [80, 60])
def test_explain_shows_every_rule_id_and_score_whole(width):
    payload = json.loads(run(200, "explain", "--text", SENTENCE, "--format", "json"))
    assert len(payload["rule_hits"]) >= 4
    shown = {hit["rule"] for hit in payload["rule_hits"]}
    for key in ("scores", "rules_scores", "model_scores"):
        shown |= {f"{value:.3f}" for value in payload[key].values()}
    assert_fits_and_whole(run(width, "explain", "--text", SENTENCE), width, shown)


@pytest.mark.parametrize("width", [80, 60, 45, 30])
def test_the_label_table_shows_every_label_and_confidence_whole(width):
    records = json.loads(run(200, "label", str(SEED_TEXT), "--format", "json"))
    shown = {f"{record['confidence']:.2f}" for record in records}
    shown |= {DISPLAY_NAMES[record["label"]] for record in records if record["label"]}
    output = run(width, "label", str(SEED_TEXT), "--format", "table")
    assert_fits_and_whole(output, width, shown)
    assert all(re.search(rf"(?<!\d){index}(?!\d)", output) for index in range(len(records)))


@pytest.mark.parametrize("command", [["rules", "list"], ["evaluate"]], ids=["rules-list", "evaluate"])
def test_a_pipe_without_columns_gets_tables_that_fit_80_columns(command):
    environment = {key: value for key, value in os.environ.items() if key not in ("COLUMNS", "LINES")}
    process = subprocess.run(
        [sys.executable, "-m", "classifier", *command], capture_output=True, text=True, cwd=REPO, env=environment
    )
    assert process.returncode == 0, process.stderr
    ids = {rule.id for rule in load_rulebook([]).rules} if command[0] == "rules" else set()
    assert_fits_and_whole(process.stdout, 80, ids)


def test_fitted_table_keeps_ids_and_figures_whole_as_a_table_or_in_blocks():
    from classifier.output.columns import FittedTable

    ids = [f"label_{n}.a_rather_long_rule_identifier_{n}" for n in range(3)]
    figures = ["0.123456", "12.5%", "-3.25"]

    def build() -> FittedTable:
        table = FittedTable("t")
        table.id_column("rule")
        for name in ("precision", "coverage", "change"):
            table.figure_column(name)
        table.text_column("note")
        for rule in ids:
            table.add_row(rule, *figures, "a sentence of words " * 4)
        return table

    # the id, the widest of each figure column's header and figures, the note's longest word ("sentence"),
    # then three characters per column (padding either side and a rule) and the left edge
    assert build().min_width() == len(ids[0]) + len("precision") + len("coverage") + len("change") + 8 + 5 * 3 + 1
    for width, layout in [(120, "table"), (86, "table"), (85, "blocks"), (50, "blocks")]:
        out = io.StringIO()
        build().print(Console(file=out, width=width))
        text = out.getvalue()
        assert ("\u2503" in text) == (layout == "table"), (width, text)
        assert_fits_and_whole(text, width, [*ids, *figures])
