"""Promises of the command line that had no test: the exit codes for a bug and for Ctrl-C, training
refusing bad data, user rules, the progress bar, and a model refused when the place list changed."""

from __future__ import annotations

import io
import json
import tracemalloc

import pytest
from typer.testing import CliRunner

from classifier import ClaimClassifier, ModelError
from classifier.cli import app
from classifier.cli import label as label_command
from classifier.text import places, streaming
from classifier.textmodel.folder import load_model

runner = CliRunner()

SLUICE_RULE = """
[[rule]]
id = "demand.open_the_sluices"
label = "demand"
weight = 2
description = "A call to open the sluices (a rule a user adds for their own domain)."
patterns = ["open~ the sluice~"]
match = ["Open the sluices now."]
not_match = ["The sluices were opened in May."]
"""


def invoke(*args: str):
    return runner.invoke(app, list(args))


def _raise(exc: BaseException):
    def raiser(*_args: object, **_kwargs: object):
        raise exc

    return raiser


@pytest.mark.parametrize(
    ("exc", "exit_code", "message"),
    [
        (RuntimeError("boom"), 1, "internal error (RuntimeError: boom); please report it"),
        (KeyboardInterrupt(), 130, "interrupted"),
    ],
)
def test_a_bug_and_an_interrupt_get_their_documented_exit_codes(monkeypatch, exc, exit_code, message):
    """docs/reliability.md: 1 is an internal error, 130 an interrupt; one line, never a traceback."""
    monkeypatch.setattr(ClaimClassifier, "load", _raise(exc))
    result = invoke("label", "--text", "We warn them.")
    assert result.exit_code == exit_code
    assert result.stderr.strip() == f"claims: error: {message}"
    assert result.stdout == ""


def test_train_with_bad_data_exits_4_naming_the_row_and_writes_nothing(tmp_path):
    """Validation runs before anything is fitted: a conflicting duplicate stops training with exit 4."""
    bad = tmp_path / "mine.jsonl"
    rows = [{"text": f"We demand that the crossing {i} be opened.", "label": "demand"} for i in range(5)]
    rows.insert(2, {"text": rows[1]["text"], "label": "warning"})  # the same sentence under two labels
    bad.write_text("".join(json.dumps(row) + "\n" for row in rows), encoding="utf-8")
    out = tmp_path / "model"
    result = invoke("train", "--data", str(bad), "--out", str(out))
    assert result.exit_code == 4, result.output
    assert "mine.jsonl:row 2, mine.jsonl:row 3" in result.stderr
    assert "Traceback" not in result.output
    assert not out.exists() and sorted(p.name for p in tmp_path.iterdir()) == ["mine.jsonl"]


def test_rules_option_adds_and_disables_rules_on_the_command_line(tmp_path):
    sentence = "Open the sluices at Tarbela before the monsoon."
    extra = tmp_path / "domain.toml"
    extra.write_text(SLUICE_RULE, encoding="utf-8")

    def rule_ids(*rule_args: str) -> list[str]:
        result = invoke("label", "--text", sentence, "--mode", "rules", "--format", "jsonl", *rule_args)
        assert result.exit_code == 0, result.output
        return [hit["rule"] for hit in json.loads(result.stdout)["evidence"]]

    assert "demand.open_the_sluices" not in rule_ids()
    assert "demand.open_the_sluices" in rule_ids("--rules", str(extra))
    disabled = tmp_path / "off.toml"
    disabled.write_text('[[rule]]\nid = "demand.open_the_sluices"\nenabled = false\n', encoding="utf-8")
    assert "demand.open_the_sluices" not in rule_ids("--rules", str(extra), "--rules", str(disabled))


class _Terminal(io.StringIO):
    """Standard error as if it were a terminal, so the progress bar is drawn."""

    def isatty(self) -> bool:
        return True


def test_large_files_on_a_terminal_get_a_progress_bar_fed_every_byte(monkeypatch, tmp_path):
    """Large inputs show a byte-counting bar on a terminal; the reader reports every byte it reads,
    so the bar ends at the file's size. Small files and non-terminals get none."""
    path = tmp_path / "big.txt"
    path.write_bytes(("The envoy warned of grave consequences. " * 2_000).encode("utf-8"))
    size = path.stat().st_size
    monkeypatch.setattr(label_command, "PROGRESS_BYTES", size)
    monkeypatch.setattr(streaming, "_READ_BYTES", 4096)
    terminal = _Terminal()
    monkeypatch.setattr(label_command.sys, "stderr", terminal)
    advanced = []
    with label_command._progress("big.txt", size) as advance, path.open("rb") as stream:

        def counting(n: int) -> None:
            advanced.append(n)
            advance(n)

        pieces = list(streaming.iter_pieces(stream, "big.txt", on_bytes=counting))
    assert sum(advanced) == size and len(advanced) > size // 4096
    assert "".join(piece for _, piece in pieces) == path.read_text(encoding="utf-8")
    drawn = terminal.getvalue()
    assert "labelling big.txt" in drawn and f"{size / 1000:.1f}/{size / 1000:.1f} kB" in drawn

    for smaller, stderr in ((size - 1, _Terminal()), (size, io.StringIO())):  # a small file; not a terminal
        monkeypatch.setattr(label_command.sys, "stderr", stderr)
        with label_command._progress("big.txt", smaller) as advance:
            advance(size)
        assert stderr.getvalue() == ""


def test_a_model_is_refused_when_the_place_list_has_changed(monkeypatch):
    """The shipped model masks the place names of the list it was trained with; with another list its
    features would silently mean something else, so loading it fails, naming the place names."""
    changed = places.places_text() + "Atlantis\n"
    monkeypatch.setattr(places, "places_text", lambda: changed)
    places.places_digest.cache_clear()
    try:
        with pytest.raises(ModelError, match="place names"):
            load_model()
        result = invoke("label", "--text", "We warn them.")
        assert result.exit_code == 6 and "place names" in result.stderr
    finally:
        monkeypatch.undo()
        places.places_digest.cache_clear()
    assert load_model().metadata["features"]["blocks"][0]["places_sha256"] == places.places_digest()


class _CountingSink(io.TextIOBase):
    """Standard output that counts the records written and keeps none of them."""

    def __init__(self) -> None:
        self.lines = 0

    def write(self, text: str) -> int:
        self.lines += text.count("\n")
        return len(text)


def test_labelling_a_large_file_holds_a_piece_at_a_time(monkeypatch, tmp_path, classifier, seed_text):
    """Memory stays bounded: labelling an input four times larger allocates no more at its peak
    (counted with tracemalloc), because the file is read, labelled and written piece by piece."""
    monkeypatch.setattr(streaming, "PIECE_CHARS", 8000)
    monkeypatch.setattr(streaming, "_READ_BYTES", 4000)
    monkeypatch.setattr(streaming, "HARD_LIMIT", 64000)
    options = {"mode": "hybrid", "min_confidence": 0.0, "force_label": False}
    peaks = []
    for copies in (2, 20, 80):  # the first only warms up lazy imports and caches
        path = tmp_path / f"statements-{copies}.txt"
        path.write_text("\n\n".join([seed_text] * copies), encoding="utf-8")
        sink = _CountingSink()
        monkeypatch.setattr(label_command.sys, "stdout", sink)
        tracemalloc.start()
        try:
            label_command._stream_records(classifier, [str(path)], None, False, options, "jsonl")
            peaks.append(tracemalloc.get_traced_memory()[1])
        finally:
            tracemalloc.stop()
        assert sink.lines == 19 * copies
    assert peaks[2] <= 1.2 * peaks[1], peaks


def test_training_on_a_terminal_draws_stages_and_a_bar_elsewhere_one_line_per_stage():
    """``claims train`` shows the stage, the share of its fits done and the time elapsed and left on a
    terminal; in a log (not a terminal) each stage is one numbered line."""
    from rich.console import Console

    from classifier.cli.training import _training_progress

    terminal = Console(file=_Terminal(), force_terminal=True, width=150)
    with _training_progress(terminal) as progress:
        progress.planned(2, 1_000)
        progress.stage("fitting on 800 sentences")
        progress.done(400)
        progress.stage("writing the model folder")
        progress.done(600)
    drawn = terminal.file.getvalue()
    assert "[2/2] writing the model folder" in drawn and "100%" in drawn and "left" in drawn

    log = Console(file=io.StringIO(), width=150)
    with _training_progress(log) as progress:
        progress.planned(2, 1_000)
        progress.stage("fitting on 800 sentences")
        progress.done(1_000)
        progress.stage("writing the model folder")
    assert log.file.getvalue().splitlines() == ["[1/2] fitting on 800 sentences", "[2/2] writing the model folder"]
