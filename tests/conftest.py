"""Shared fixtures: the repository's files and one loaded classifier per session."""

from __future__ import annotations

import json
import os
import signal
from pathlib import Path

import pytest

from classifier import ClaimClassifier

REPO = Path(__file__).resolve().parent.parent
FIXTURES = REPO / "fixtures"
SEED_TEXT = FIXTURES / "rejoinder.txt"
SEED_GOLD = FIXTURES / "rejoinder.gold.jsonl"
CORPUS_DIR = REPO / "training" / "data"
DEVTEST = REPO / "training" / "devtest" / "devtest.jsonl"
FIRST_PERSON = REPO / "training" / "devtest" / "first_person.jsonl"
TOPIC_SHIFT = REPO / "training" / "devtest" / "topic_shift.jsonl"


def ctrl_c_reaches_it() -> None:
    """``preexec_fn`` of a command a test interrupts as a terminal's Ctrl-C would: a test run started in
    the background of a script inherits SIGINT ignored, and a command started so rightly keeps ignoring it."""
    signal.signal(signal.SIGINT, signal.SIG_DFL)


def read_jsonl(path: Path) -> list[dict]:
    return [json.loads(line) for line in path.read_text(encoding="utf-8").splitlines() if line.strip()]


@pytest.fixture(scope="session")
def classifier() -> ClaimClassifier:
    """The shipped model, or the folder named by CLAIMS_TEST_MODEL (to run the suite's floors on a candidate)."""
    return ClaimClassifier.load(os.environ.get("CLAIMS_TEST_MODEL") or None)


@pytest.fixture(scope="session")
def seed_text() -> str:
    return SEED_TEXT.read_text(encoding="utf-8")


@pytest.fixture(scope="session")
def seed_gold() -> list[dict]:
    return read_jsonl(SEED_GOLD)


@pytest.fixture(scope="session")
def corpus_rows() -> list[dict]:
    return [row for path in sorted(CORPUS_DIR.glob("*.jsonl")) for row in read_jsonl(path)]


@pytest.fixture(scope="session")
def seed_cli_records() -> list[dict]:
    """The records of `claims label fixtures/rejoinder.txt --format jsonl`: what each integration must equal."""
    from tests.test_cli import invoke

    result = invoke("label", str(SEED_TEXT), "--format", "jsonl")
    assert result.exit_code == 0, result.output
    return [json.loads(line) for line in result.stdout.splitlines()]


def refuse_imports(monkeypatch: pytest.MonkeyPatch, *packages: str, forget: tuple[str, ...] = ()) -> None:
    """Importing ``packages`` (or their submodules) fails as it does where an extra is not installed;
    they, and modules whose names start with one of ``forget``, are dropped from ``sys.modules`` so a
    fresh import is attempted."""
    import builtins
    import sys

    real_import = builtins.__import__

    def refuse(name: str, *args: object, **kwargs: object) -> object:
        if name.split(".")[0] in packages:
            raise ModuleNotFoundError(f"No module named '{name}'", name=name)
        return real_import(name, *args, **kwargs)

    for module in [m for m in sys.modules if m.split(".")[0] in packages or m.startswith(forget)]:
        monkeypatch.delitem(sys.modules, module)
    monkeypatch.setattr(builtins, "__import__", refuse)
