"""claims label on large files: pieces labelled by worker processes come back complete and in order,
errors and early stops leave no worker behind, and small inputs never start any."""

from __future__ import annotations

import os
from pathlib import Path

import pytest
from typer.testing import CliRunner

from classifier import pieces as pieces_module
from classifier.cli import app
from classifier.pieces import BYTES_WORTH_A_POOL, labelled_pieces, piece_workers
from classifier.text import streaming
from tests.conftest import SEED_TEXT, ctrl_c_reaches_it

needs_fork = pytest.mark.skipif(
    not Path(f"/proc/{os.getpid()}/task").is_dir() or piece_workers(2, None) != 2,
    reason="forked workers, counted from /proc",
)


def _children() -> list[int]:
    pid = os.getpid()
    return [int(child) for child in Path(f"/proc/{pid}/task/{pid}/children").read_text().split()]


@needs_fork
def test_workers_write_exactly_what_one_process_writes(monkeypatch, tmp_path):
    """A statement cut into many small pieces (more than the workers hold at once), labelled by two
    workers: the same records, offsets and per-document numbering as one process, in every format."""
    monkeypatch.setattr(streaming, "PIECE_CHARS", 400)
    monkeypatch.setattr(streaming, "_READ_BYTES", 300)
    seed = SEED_TEXT.read_text(encoding="utf-8")
    path = tmp_path / "long.txt"
    path.write_text("\n\n".join([seed] * 6), encoding="utf-8")
    runner = CliRunner()
    for output_format in ("jsonl", "csv", "json"):
        outputs = []
        for workers in ("1", "2"):
            result = runner.invoke(
                app, ["label", str(path), str(path), "--format", output_format, "--num-proc", workers]
            )
            assert result.exit_code == 0, result.output
            outputs.append(result.stdout)
        assert outputs[0] == outputs[1]
    assert outputs[0].count('"index": 0,') == 2  # two documents, each numbered from 0


def test_large_files_get_every_core_by_default_and_small_inputs_none():
    cores = len(os.sched_getaffinity(0)) if hasattr(os, "sched_getaffinity") else os.cpu_count()
    fork = piece_workers(2, None) == 2
    assert piece_workers(None, BYTES_WORTH_A_POOL) == (cores if fork else 1)
    assert piece_workers(None, BYTES_WORTH_A_POOL - 1) == 1
    assert piece_workers(None, None) == 1  # standard input: size unknown
    assert piece_workers(3, 10, forkable=False) == 1  # an encoder model is never forked


class _FailsOnThirdPiece:
    """Labels a piece as one sentence; the third piece fails, as a bug in labelling would."""

    def label_text(self, text: str, **_options: object) -> list[str]:
        if text == "piece 2":
            raise ValueError("cannot label piece 2")
        return [text]


@needs_fork
def test_an_error_in_a_worker_reaches_the_caller_and_stops_every_worker():
    before = set(_children())  # other tests may have left helpers of their own (a resource tracker)
    pieces = ((i, f"piece {i}") for i in range(20))
    labelled = labelled_pieces(_FailsOnThirdPiece(), pieces, {}, 2)
    assert next(labelled) == (0, ["piece 0"]) and next(labelled) == (1, ["piece 1"])
    assert len(set(_children()) - before) == 2  # the two workers
    with pytest.raises(ValueError, match="cannot label piece 2"):
        next(labelled)
    assert set(_children()) <= before
    assert pieces_module._LABELLER is None


@needs_fork
def test_a_reader_that_stops_early_leaves_no_worker_behind():
    before = set(_children())
    labelled = labelled_pieces(_FailsOnThirdPiece(), ((i, f"piece {i}") for i in (0, 1, 5, 6, 7)), {}, 2)
    assert next(labelled) == (0, ["piece 0"])
    assert len(set(_children()) - before) == 2
    labelled.close()  # as when the output pipe closes
    assert set(_children()) <= before


@needs_fork
@pytest.mark.slow
def test_ctrl_c_while_workers_label_stops_with_one_line_and_no_worker_left(tmp_path):
    """Ctrl-C reaches the whole process group of the terminal: the workers ignore it, the command
    stops them, says "interrupted" in one line and exits 130."""
    import signal
    import subprocess
    import sys
    import time

    path = tmp_path / "big.txt"
    path.write_text("\n\n".join([SEED_TEXT.read_text(encoding="utf-8")] * 2_000), encoding="utf-8")  # ~9 MB
    command = [sys.executable, "-m", "classifier", "label", str(path), "--format", "jsonl", "--num-proc", "2"]
    process = subprocess.Popen(
        command,
        start_new_session=True,
        preexec_fn=ctrl_c_reaches_it,
        stdout=subprocess.DEVNULL,
        stderr=subprocess.PIPE,
        text=True,
    )
    try:
        deadline = time.monotonic() + 60
        workers: list[str] = []
        while len(workers) < 2 and time.monotonic() < deadline and process.poll() is None:
            time.sleep(0.2)
            workers = Path(f"/proc/{process.pid}/task/{process.pid}/children").read_text().split()
        assert len(workers) == 2, "the workers never started"
        os.killpg(process.pid, signal.SIGINT)
        _, stderr = process.communicate(timeout=60)
    finally:
        if process.poll() is None:
            process.kill()
    assert process.returncode == 130
    assert stderr.strip() == "claims: error: interrupted"
    assert not [worker for worker in workers if Path(f"/proc/{worker}").exists()]
