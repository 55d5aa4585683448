"""Labelling corpora: label-dataset with datasets.map, and the classifier inside Dask."""

from __future__ import annotations

import json
import os
import re
import shutil
import signal
import subprocess
import sys
import threading
import time
from pathlib import Path

import pytest
from typer.testing import CliRunner

from classifier.cli import app
from tests.conftest import ctrl_c_reaches_it

pytest.importorskip("datasets")

STATEMENTS = [
    {"doc": "a", "text": "We call upon both parties to cease fire. The talks were held in Geneva."},
    {"doc": "b", "text": "The ministry warned of grave consequences. We remain committed to dialogue."},
    {"doc": "c", "text": ""},
]


def write_jsonl(path, rows):
    path.write_text("".join(json.dumps(r) + "\n" for r in rows), encoding="utf-8")
    return path


def test_label_dataset_splits_rows_into_sentences_like_claims_label(tmp_path, classifier):
    source = write_jsonl(tmp_path / "in.jsonl", STATEMENTS)
    out = tmp_path / "out.jsonl"
    result = CliRunner().invoke(
        app, ["label-dataset", str(source), "-o", str(out), "--num-proc", "2", "--batch-size", "1"]
    )
    assert result.exit_code == 0, result.output
    rows = [json.loads(line) for line in out.read_text(encoding="utf-8").splitlines()]
    expected = [(s["doc"], p.text, p.label) for s in STATEMENTS for p in classifier.label_text(s["text"])]
    assert [(r["doc"], r["text"], r["label"]) for r in rows] == expected
    assert set(rows[0]) == {
        "row",
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
    assert sorted(p.name for p in tmp_path.iterdir()) == ["in.jsonl", "out.jsonl"]  # scratch folder removed


def test_label_dataset_parquet_with_sentences_and_a_text_column(tmp_path, classifier):
    import pyarrow.parquet as pq

    sentences = ["We urge restraint.", "The ministry accused the rebels of shelling the town. Twice."]
    source = write_jsonl(tmp_path / "in.jsonl", [{"sentence": s} for s in sentences])
    out = tmp_path / "out.parquet"
    args = ["label-dataset", str(source), "-o", str(out), "--text-column", "sentence", "--sentences"]
    result = CliRunner().invoke(app, args)
    assert result.exit_code == 0, result.output
    table = pq.read_table(out).to_pylist()
    expected = [p.label for p in classifier.label_sentences(sentences)]  # rows are not split with --sentences
    assert [(r["doc"], r["text"], r["label"]) for r in table] == [
        ("0", sentences[0], expected[0]),
        ("1", sentences[1], expected[1]),
    ]


@pytest.mark.parametrize("split", [True, False], ids=["split", "sentences"])
def test_every_input_row_is_joined_back_or_reported(tmp_path, split):
    """Rows sharing a doc used to repeat (doc, index), other columns were dropped, and rows with no text
    vanished without a word: each record now names its input row, keeps columns on request, and rows
    that give no sentence are reported."""
    rows = [
        {"doc": "a", "text": "We urge calm. They shelled the town." if split else "We urge calm.", "topic": "t0"},
        {"doc": "a", "text": "", "topic": "t1"},
        {"doc": "a", "text": None, "topic": "t2"},
        {"doc": "a", "text": "We remain committed to dialogue.", "topic": "t3"},
    ]
    source = write_jsonl(tmp_path / "in.jsonl", rows)
    out = tmp_path / "out.jsonl"
    args = ["label-dataset", str(source), "-o", str(out), "--keep-column", "topic", "--batch-size", "2"]
    result = CliRunner().invoke(app, args + ([] if split else ["--sentences"]))
    assert result.exit_code == 0, result.output
    records = [json.loads(line) for line in out.read_text(encoding="utf-8").splitlines()]
    expected_rows = [0, 0, 3] if split else [0, 3]
    assert [r["row"] for r in records] == expected_rows
    assert [r["topic"] for r in records] == [rows[i]["topic"] for i in expected_rows]
    assert len({(r["row"], r["index"]) for r in records}) == len(records)
    assert all(r["text"] in rows[r["row"]]["text"] for r in records)
    assert "2 row(s) had no text to label and have no record: row 1, 2" in result.stderr


def test_a_kept_column_must_exist_and_not_clash(tmp_path):
    source = write_jsonl(tmp_path / "in.jsonl", [{"text": "We urge calm.", "label": "demand"}])
    for column, problem in (("nope", "no column(s) ['nope']"), ("label", "clash with output fields")):
        args = ["label-dataset", str(source), "-o", str(tmp_path / "o.jsonl"), "--keep-column", column]
        result = CliRunner().invoke(app, args)
        assert result.exit_code == 3 and problem in result.stderr, result.output


def test_a_failed_run_leaves_no_output(tmp_path):
    source = write_jsonl(tmp_path / "in.jsonl", [{"body": "We urge restraint."}])
    out = tmp_path / "out.jsonl"
    result = CliRunner().invoke(app, ["label-dataset", str(source), "-o", str(out)])
    assert result.exit_code == 3 and "--text-column" in result.output
    assert sorted(p.name for p in tmp_path.iterdir()) == ["in.jsonl"]


@pytest.mark.slow
@pytest.mark.skipif(not sys.platform.startswith("linux"), reason="reads child processes from /proc")
def test_ctrl_c_during_multiprocess_labelling_stops_quietly_with_no_output(tmp_path):
    """Ctrl-C from a terminal reaches the whole process group, workers included: exit 130, one line on
    stderr, no traceback from any process, no output file and no scratch folder left behind."""
    statement = "We demand that the shelling stop at once. The ministry will hold a briefing on Monday."
    source = write_jsonl(tmp_path / "in.jsonl", [{"doc": f"d{i}", "text": statement} for i in range(60_000)])
    out = tmp_path / "out" / "labelled.jsonl"
    claims = [sys.executable, "-m", "classifier"] if not shutil.which("claims") else [shutil.which("claims")]
    process = subprocess.Popen(
        [*claims, "label-dataset", str(source), "-o", str(out), "--num-proc", "2", "--batch-size", "100"],
        stdout=subprocess.PIPE,
        stderr=subprocess.PIPE,
        text=True,
        start_new_session=True,  # its own process group, as a terminal's foreground job has
        preexec_fn=ctrl_c_reaches_it,
    )
    stderr: list[str] = []
    labelling = threading.Event()

    def read_stderr() -> None:
        for line in iter(lambda: process.stderr.read(64), ""):
            stderr.append(line)
            progress = re.findall(r"(\d+)/60000", "".join(stderr[-3:]))
            if progress and int(progress[-1]) > 0:  # the workers have labelled a batch and are at work
                labelling.set()

    reader = threading.Thread(target=read_stderr, daemon=True)
    reader.start()
    try:
        assert labelling.wait(timeout=120), "".join(stderr)
        workers = _children(process.pid)
        os.killpg(process.pid, signal.SIGINT)
        process.wait(timeout=60)
    finally:
        if process.poll() is None:
            os.killpg(process.pid, signal.SIGKILL)
    reader.join(timeout=10)
    text = "".join(stderr)
    assert process.returncode == 130, text
    assert "Traceback" not in text, text
    assert text.rstrip().splitlines()[-1] == "claims: error: interrupted"
    assert not out.exists()
    assert list(out.parent.iterdir()) == []
    assert workers and not [pid for pid in workers if _running(pid)], "worker processes outlived the command"


def _children(pid: int) -> list[int]:
    return [int(child) for child in Path(f"/proc/{pid}/task/{pid}/children").read_text().split()]


def _running(pid: int) -> bool:
    """Alive and not a zombie waiting for a parent that is gone, after a moment's grace."""
    for _ in range(50):
        try:
            state = Path(f"/proc/{pid}/stat").read_text().rsplit(")", 1)[1].split()[0]
        except FileNotFoundError:
            return False
        if state == "Z":
            return False
        time.sleep(0.1)
    return True


@pytest.mark.slow
@pytest.mark.dask
def test_label_sentences_as_a_dask_map_partitions_function_on_two_workers(classifier):
    pytest.importorskip("distributed")
    import dask.bag as db
    from distributed import Client, LocalCluster

    sentences = [
        "We urge restraint.",
        "They shelled the town.",
        "The talks ended.",
        "We warn of grave consequences.",
    ] * 10
    with (
        LocalCluster(n_workers=2, threads_per_worker=1, processes=True, dashboard_address=None) as cluster,
        Client(cluster),
    ):
        bag = db.from_sequence(sentences, npartitions=4)
        labelled = bag.map_partitions(lambda part: [p.label for p in classifier.label_sentences(list(part))]).compute()
    assert labelled == [p.label for p in classifier.label_sentences(sentences)]


def test_workers_default_to_every_available_core_for_a_large_corpus_only(monkeypatch):
    """label-dataset uses both cores unless told otherwise (300,000 sentences: 45.4 s with one process,
    24.1 s with two, docs/speed.md); a small corpus stays in one process, where starting workers would
    cost more than it saves; an explicit --num-proc always wins."""
    from classifier.bulk import ROWS_WORTH_A_POOL, worker_count

    monkeypatch.setattr(os, "sched_getaffinity", lambda pid: {0, 1, 2}, raising=False)
    assert worker_count(None, ROWS_WORTH_A_POOL) == 3
    assert worker_count(None, ROWS_WORTH_A_POOL - 1) == 1
    assert worker_count(1, 10 * ROWS_WORTH_A_POOL) == 1
    assert worker_count(2, 10) == 2


def test_label_dataset_without_num_proc_uses_the_default_worker_count(tmp_path, monkeypatch):
    import classifier.bulk as bulk

    asked = []
    monkeypatch.setattr(bulk, "worker_count", lambda requested, rows: asked.append((requested, rows)) or 1)
    source = tmp_path / "in.jsonl"
    source.write_text("".join(json.dumps({"text": f"We urge talks {i}."}) + "\n" for i in range(5)), encoding="utf-8")
    result = CliRunner().invoke(app, ["label-dataset", str(source), "-o", str(tmp_path / "out.jsonl"), "--sentences"])
    assert result.exit_code == 0, result.output
    assert asked == [(None, 5)]
