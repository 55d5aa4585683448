"""The `claims` command line, driven through typer's CliRunner."""

from __future__ import annotations

import csv
import io
import json
import re

import numpy as np
import pytest
from typer.testing import CliRunner

from classifier import __version__
from classifier.cli import app
from classifier.labels import NONE_LABEL, OUTCOMES
from classifier.training.data import load_labelled_file
from tests.conftest import DEVTEST, SEED_GOLD, SEED_TEXT, read_jsonl, refuse_imports

runner = CliRunner()


def invoke(*args: str, input: str | bytes | None = None):
    return runner.invoke(app, list(args), input=input)


def test_label_seed_as_jsonl_gives_19_records_that_slice_the_text_and_match_the_gold():
    result = invoke("label", str(SEED_TEXT), "--format", "jsonl")
    assert result.exit_code == 0, result.output
    records = [json.loads(line) for line in result.stdout.splitlines()]
    text = SEED_TEXT.read_text(encoding="utf-8")
    assert len(records) == 19
    assert [r["index"] for r in records] == list(range(19))
    assert all(text[r["start"] : r["end"]] == r["text"] for r in records)
    assert set(records[0]) == {
        "doc",
        "index",
        "start",
        "end",
        "text",
        "label",
        "confidence",
        "scores",
        "source",
        "evidence",
    }
    from classifier import ClaimClassifier

    api_labels = [p.label for p in ClaimClassifier.load().label_text(text)]
    assert [r["label"] for r in records] == api_labels  # the CLI adds nothing and loses nothing
    gold = read_jsonl(SEED_GOLD)
    assert [(r["start"], r["end"], r["text"]) for r in records] == [(g["start"], g["end"], g["text"]) for g in gold]
    agree = sum(r["label"] == g["label"] for r, g in zip(records, gold, strict=True))
    assert agree >= 17, [(g["label"], r["label"]) for r, g in zip(records, gold, strict=True)]


def test_text_option_and_modes():
    for mode in ("hybrid", "rules", "model"):
        result = invoke(
            "label", "--text", "We call upon both sides to cease fire.", "--mode", mode, "--format", "jsonl"
        )
        record = json.loads(result.stdout)
        assert result.exit_code == 0 and record["label"] == "demand" and record["source"] == mode


def test_json_and_csv_formats():
    text = "The ministry warned of grave consequences. The talks ended on Monday."
    result = invoke("label", "--text", text, "--format", "json")
    rows = json.loads(result.stdout)
    assert [r["label"] for r in rows] == ["warning", None]
    result = invoke("label", "--text", text, "--format", "csv")
    table = list(csv.DictReader(io.StringIO(result.stdout)))
    assert [r["label"] for r in table] == ["warning", ""] and "score_none" in table[0]


@pytest.mark.parametrize(
    ("text", "label", "shown"),
    [("We warn them of grave consequences.", "warning", "warning"), ("The talks ended on Monday.", None, "(none)")],
)
def test_table_format_shows_labels_and_a_summary(text, label, shown):
    """The row shows the sentence's own label, and the summary counts it once and every other label zero."""
    result = invoke("label", "--text", text, "--format", "table")
    assert result.exit_code == 0
    rows = re.findall(r"^│ (\d+) │ (\S+) +│", result.stdout, flags=re.MULTILINE)
    assert rows == [("0", shown)]
    counts = dict(re.findall(r"^ *([a-z][a-z ]*?) +█* *(\d+)$", result.stdout, flags=re.MULTILINE))
    display = {outcome: outcome.replace("_", " ") for outcome in OUTCOMES}
    assert counts == {display[o]: ("1" if o == (label or NONE_LABEL) else "0") for o in OUTCOMES}


def test_stdin_and_force_label_and_min_confidence():
    result = invoke("label", "-", "--format", "jsonl", "--force-label", input="The meeting ended at noon.")
    assert json.loads(result.stdout)["label"] is not None
    result = invoke("label", "-", "--format", "jsonl", "--min-confidence", "1.0", input="We warn them.")
    assert json.loads(result.stdout)["label"] is None


def test_version_and_help():
    assert invoke("--version").stdout.strip() == f"claims {__version__}"
    result = invoke("label", "--help")
    assert result.exit_code == 0 and "--min-confidence" in result.stdout


@pytest.mark.parametrize(
    ("make_input", "exit_code", "message"),
    [
        (lambda d: [str(d / "absent.txt")], 3, "no such file"),
        (lambda d: [str(d)], 3, "is a directory"),
        (lambda d: [_write(d / "bin.dat", b"\x00\x01\x02binary")], 3, "binary"),
        (lambda d: [_write(d / "latin1.txt", "Caf\xe9 talks.".encode("latin-1")), "--strict"], 3, "not valid UTF-8"),
        (lambda d: ["--text", "x", "--mode", "vote"], 2, "vote"),
        (lambda d: [], 2, "FILE"),
        (lambda d: ["--model", str(d / "nomodel"), "--text", "x"], 6, "no such model directory"),
        (lambda d: ["--rules", str(d / "norules.toml"), "--text", "x"], 5, "no such rule file"),
    ],
)
def test_bad_input_gets_one_line_and_a_documented_exit_code(tmp_path, make_input, exit_code, message):
    result = invoke("label", *make_input(tmp_path))
    assert result.exit_code == exit_code
    assert message in result.output
    assert "Traceback" not in result.output
    if exit_code != 2:  # usage errors keep click's usage lines; every other error is one line
        assert result.stderr.strip().count("\n") == 0 and result.stderr.startswith("claims: error: ")


def test_invalid_utf8_is_replaced_with_a_warning(tmp_path):
    path = _write(tmp_path / "latin1.txt", "Caf\xe9 talks were held. We warn them.".encode("latin-1"))
    result = invoke("label", path, "--format", "jsonl")
    assert result.exit_code == 0
    assert "not valid UTF-8" in result.stderr
    assert "\ufffd" in json.loads(result.stdout.splitlines()[0])["text"]


def test_bom_and_crlf_and_empty_input(tmp_path):
    path = _write(tmp_path / "bom.txt", "\ufeffWe warn them.\r\nWe urge calm.\r\n".encode())
    records = [json.loads(x) for x in invoke("label", path, "--format", "jsonl").stdout.splitlines()]
    assert [r["text"] for r in records] == ["We warn them.", "We urge calm."]
    result = invoke("label", _write(tmp_path / "empty.txt", b"  \n"), "--format", "jsonl")
    assert result.exit_code == 0 and result.stdout == "" and "no sentences" in result.stderr


@pytest.mark.parametrize(
    "text",
    [
        "First line.\rSecond line after a lone CR.\rThird.",
        "Control\x07 characters\x1b[31m inside. Still labelled.",
        "\u0627\u0644\u0648\u0632\u0627\u0631\u0629 \u062a\u062d\u0630\u0631. \u05e9\u05dc\u05d5\u05dd. "
        "We warn them \U0001f6a8.",
        "\u200f\u202eRight-to-left override. \U0001f1fa\U0001f1f3 flags and \u00e9mojis \U0001f600 too.",
    ],
)
def test_odd_but_valid_text_is_labelled_with_offsets_that_slice(tmp_path, text):
    path = _write(tmp_path / "odd.txt", text.encode("utf-8"))
    result = invoke("label", path, "--format", "jsonl")
    assert result.exit_code == 0 and "Traceback" not in result.output
    records = [json.loads(line) for line in result.stdout.splitlines()]
    assert records and all(text[r["start"] : r["end"]] == r["text"] for r in records)


def test_table_without_a_terminal_has_no_colour_codes():
    result = invoke("label", "--text", "We warn them of grave consequences.", "--format", "table")
    assert result.exit_code == 0 and "\x1b[" not in result.stdout


def test_evaluate_cross_validation_on_a_small_file(tmp_path):
    from classifier.training.data import load_corpus

    examples = [e for e in load_corpus() if e.doc.startswith(("c1-00", "c2-00", "c3-00"))]
    data = tmp_path / "small.jsonl"
    data.write_text("".join(json.dumps({"text": e.text, "label": e.label, "doc": e.doc}) + "\n" for e in examples))
    result = invoke("evaluate", "--data", str(data), "--cv", "3", "--format", "json")
    assert result.exit_code == 0, result.output
    figures = json.loads(result.stdout)
    assert set(figures) == {"hybrid", "rules", "model"}
    assert figures["hybrid"]["support"] == len(examples)


def test_evaluate_cross_validation_by_source_holds_out_whole_files(tmp_path):
    from classifier.training.data import load_corpus

    paths = []
    total = 0
    for part in ("c1-00", "c2-00", "c3-00"):
        examples = [e for e in load_corpus() if e.doc.startswith(part)]
        path = tmp_path / f"{part}.jsonl"
        path.write_text("".join(json.dumps({"text": e.text, "label": e.label, "doc": e.doc}) + "\n" for e in examples))
        paths += ["--data", str(path)]
        total += len(examples)
    result = invoke("evaluate", *paths, "--cv", "3", "--by-source", "--format", "json")
    assert result.exit_code == 0, result.output
    assert json.loads(result.stdout)["hybrid"]["support"] == total
    too_few = invoke("evaluate", *paths[:2], "--cv", "3", "--by-source")
    assert too_few.exit_code == 4
    assert "needs at least 3 source files; the data has 1" in too_few.output


def test_by_source_without_cv_is_a_usage_error():
    result = invoke("evaluate", "--by-source")
    assert result.exit_code == 2 and "--by-source goes with --cv" in result.output


def _write(path, data: bytes) -> str:
    path.write_bytes(data)
    return str(path)


def test_evaluate_prints_all_three_modes_as_json():
    result = invoke("evaluate", "--format", "json")
    assert result.exit_code == 0, result.output
    figures = json.loads(result.stdout)
    assert set(figures) == {"hybrid", "rules", "model"}
    assert 0.0 <= figures["hybrid"]["macro_f1"] <= 1.0


def test_evaluate_reports_coverage_and_accuracy_by_confidence(classifier):
    """The share kept at each threshold is the share of sentences labelled at least that confidently."""
    from classifier.training.data import load_labelled_file

    rows = json.loads(invoke("evaluate", "--format", "json").stdout)["hybrid"]["by_confidence"]
    assert [row["threshold"] for row in rows] == [0.5, 0.6, 0.7, 0.8, 0.9]
    coverages = [row["coverage"] for row in rows]
    assert coverages == sorted(coverages, reverse=True)
    texts = [e.text for e in load_labelled_file(DEVTEST)]
    confidences = [p.confidence for p in classifier.label_sentences(texts)]
    assert rows[2]["coverage"] == pytest.approx(sum(c >= 0.7 for c in confidences) / len(texts))
    assert "keeping only labels at or above a confidence" in invoke("evaluate").stdout


def test_export_writes_a_joblib_pipeline_that_predicts_as_the_model_does(tmp_path, classifier):
    """The exported pipeline is the text model: same probabilities as the API's model mode."""
    import joblib

    out = tmp_path / "pipe.joblib"
    result = invoke("export", "--format", "joblib", "--out", str(out))
    assert result.exit_code == 0 and out.is_file()
    assert invoke("export", "--out", str(out)).exit_code == 3  # exists, no --force
    pipeline = joblib.load(out)
    texts = [e.text for e in load_labelled_file(DEVTEST)[:60]]
    expected = [[p.scores[o] for o in OUTCOMES] for p in classifier.label_sentences(texts, mode="model")]
    assert list(pipeline.classes_) == list(OUTCOMES)
    assert pipeline.predict_proba(texts) == pytest.approx(np.array(expected), abs=1e-9)
    api_labels = [p.label or NONE_LABEL for p in classifier.label_sentences(texts, mode="model")]
    assert list(pipeline.predict(texts)) == api_labels


def test_a_missing_optional_extra_is_named_not_a_traceback(monkeypatch):
    refuse_imports(monkeypatch, "sklearn", forget=("classifier.textmodel.sklearn_bridge",))
    result = invoke("export", "--out", "unused.joblib")
    assert result.exit_code == 7 and "claim-classifier[train]" in result.output and "Traceback" not in result.output


@pytest.mark.parametrize(
    "command",
    [
        ["report", "{text}", "-o", "{blocked}/report.html"],
        ["suggest", "{text}", "-o", "{blocked}/to_label.jsonl"],
        ["export", "--format", "joblib", "--out", "{blocked}/model.joblib"],
    ],
    ids=["report", "suggest", "export"],
)
def test_a_write_the_system_refuses_is_an_io_error_naming_the_path(tmp_path, command):
    """An output under a path the system will not write (here: below a file) used to be an 'internal error'."""
    pytest.importorskip("sklearn")
    text = tmp_path / "statement.txt"
    text.write_text("We urge both sides to talk. They shelled the town.")
    blocked = tmp_path / "a-file"
    blocked.write_text("not a folder")
    args = [a.format(text=text, blocked=blocked) for a in command]
    result = invoke(*args)
    assert result.exit_code == 8, result.output
    assert result.stderr.startswith("claims: error: cannot read or write ") and str(blocked) in result.stderr
    assert "internal error" not in result.stderr and "Traceback" not in result.output
    assert blocked.read_text() == "not a folder"


def test_serve_without_its_extra_names_the_extra(monkeypatch):
    refuse_imports(monkeypatch, "uvicorn")
    result = invoke("serve")
    assert result.exit_code == 7, result.output
    assert result.stderr.strip() == "claims: error: this command needs uvicorn: pip install 'claim-classifier[serve]'"


#: Libraries the labelling path must never load: training's, tabular and NLP ones, the web server's, the neural
#: ones (pydantic is not listed: typer itself requires and loads it).
NOT_ON_THE_LABELLING_PATH = (
    "sklearn", "datasets", "pandas", "pyarrow", "polars", "scipy", "spacy", "onnxruntime", "tokenizers", "torch",
    "fastapi", "starlette", "uvicorn", "anyio", "multipart", "python_multipart", "httpx", "flask",
)  # fmt: skip


def test_claims_label_and_label_sentences_import_no_heavy_library(tmp_path):
    """In a fresh interpreter: the API's labelling, then the whole `claims label` command (all commands
    registered, `serve` among them) run to its exit; the DataFrame and spaCy bridges stay unloaded too,
    and so does the encoder runtime where its extra is installed (CI runs this file in that venv)."""
    import subprocess
    import sys

    code = (
        "import atexit, sys\n"
        f"names = {NOT_ON_THE_LABELLING_PATH!r}\n"
        "atexit.register(lambda: sys.stderr.write('LOADED:' + ','.join(m for m in names if m in sys.modules)))\n"
        "from classifier import ClaimClassifier\n"
        "ClaimClassifier.load().label_sentences(['We warn them.', 'We urge restraint.'])\n"
        f"sys.argv = ['claims', 'label', {str(SEED_TEXT)!r}, '--format', 'jsonl']\n"
        "from classifier.cli import main\n"
        "main()\n"
    )
    result = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, cwd=tmp_path)
    assert result.returncode == 0, result.stderr
    assert len(result.stdout.splitlines()) == 19
    assert result.stderr.strip().endswith("LOADED:"), result.stderr


def test_a_full_disk_on_standard_output_is_an_io_error():
    import os
    import subprocess
    import sys

    if not os.path.exists("/dev/full"):
        pytest.skip("needs /dev/full")
    with open("/dev/full", "w") as full:
        result = subprocess.run(
            [sys.executable, "-m", "classifier", "label", "--text", "We urge calm.", "--format", "json"],
            stdout=full,
            stderr=subprocess.PIPE,
            text=True,
        )
    assert result.returncode == 8, result.stderr
    assert result.stderr.strip() == "claims: error: input/output error: No space left on device"


@pytest.mark.parametrize(
    ("out", "extra", "message"),
    [
        ("{blocked}/model", [], "is a file"),
        ("{existing}", [], "already exists"),
        ("{fresh}", ["--compare-with", "{absent}"], "no such model directory (--compare-with)"),
    ],
    ids=["below-a-file", "exists", "missing-baseline"],
)
def test_train_checks_its_destination_and_baseline_before_reading_or_fitting(tmp_path, out, extra, message):
    """These were found only after the data was read and the model fitted, or (a missing --compare-with)
    silently ignored."""
    pytest.importorskip("sklearn")
    (tmp_path / "a-file").write_text("x")
    (tmp_path / "existing").mkdir()
    places = {"blocked": tmp_path / "a-file", "existing": tmp_path / "existing", "fresh": tmp_path / "new"}
    places["absent"] = tmp_path / "absent"
    args = [a.format(**places) for a in ["--out", out, *extra]]
    result = invoke("train", "--data", str(tmp_path / "no-such-data.jsonl"), *args)
    assert result.exit_code == 6, result.output
    assert message in result.stderr and "labelled sentences" not in result.stderr  # nothing was read
    assert not (tmp_path / "new").exists()


@pytest.mark.parametrize("encoding", ["utf-16", "utf-16-le-bom", "utf-16-be-bom"])
def test_utf16_with_a_byte_order_mark_is_decoded(tmp_path, encoding):
    """A UTF-16 file used to be refused as 'binary (NUL bytes)'."""
    text = "We urge both sides to talk. They shelled the town.\n"
    boms = {"utf-16-le-bom": ("\ufeff", "utf-16-le"), "utf-16-be-bom": ("\ufeff", "utf-16-be")}
    prefix, codec = boms.get(encoding, ("", encoding))
    path = tmp_path / "statement.txt"
    path.write_bytes((prefix + text).encode(codec))
    result = invoke("label", str(path), "--format", "jsonl")
    assert result.exit_code == 0, result.output
    records = [json.loads(line) for line in result.stdout.splitlines()]
    assert [r["text"] for r in records] == ["We urge both sides to talk.", "They shelled the town."]
    assert [text[r["start"] : r["end"]] for r in records] == [r["text"] for r in records]


def test_utf16_without_a_byte_order_mark_is_named_as_such(tmp_path):
    path = tmp_path / "statement.txt"
    path.write_bytes("We urge both sides to talk.\n".encode("utf-16-le"))
    result = invoke("label", str(path))
    assert result.exit_code == 3
    assert "UTF-16 without a byte-order mark" in result.stderr and "binary" not in result.stderr


def test_a_missing_later_file_is_refused_before_any_output(tmp_path):
    """`--format json` used to leave an unterminated array when a later input file was missing."""
    good = tmp_path / "good.txt"
    good.write_text("We urge calm.")
    result = invoke("label", str(good), str(tmp_path / "absent.txt"), "--format", "json")
    assert result.exit_code == 3 and "absent.txt: no such file" in result.stderr
    assert result.stdout == ""


def test_json_output_stays_well_formed_when_a_later_file_fails(tmp_path):
    good = tmp_path / "good.txt"
    good.write_text("We urge calm. They shelled the town.")
    binary = tmp_path / "later.dat"
    binary.write_bytes(b"\x00\x01binary")
    result = invoke("label", str(good), str(binary), "--format", "json")
    assert result.exit_code == 3 and "binary" in result.stderr
    assert [r["doc"] for r in json.loads(result.stdout)] == [str(good), str(good)]


@pytest.mark.parametrize(
    "command",
    [
        ["explain", "--text", "We urge calm."],
        ["evaluate"],
        ["label", "fixtures/rejoinder.txt", "--format", "table"],
    ],
    ids=["explain", "evaluate", "table"],
)
def test_a_reader_that_stops_early_ends_the_command_quietly(command):
    """`claims explain ... | head -1` used to exit 1: rich's own broken-pipe handling exits with 1."""
    import os
    import subprocess
    import sys

    from tests.conftest import REPO

    read, write = os.pipe()
    os.close(read)  # the reader is gone before the first line
    process = subprocess.run(
        [sys.executable, "-m", "classifier", *command], stdout=write, stderr=subprocess.PIPE, text=True, cwd=REPO
    )
    os.close(write)
    assert process.returncode == 0, process.stderr
    assert process.stderr == ""
