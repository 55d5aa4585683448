"""The built wheel carries the rules, the model and the corpus, and works away from the repository."""

from __future__ import annotations

import json
import os
import subprocess
import sys
import zipfile
from pathlib import Path

import pytest

from tests.conftest import REPO, SEED_TEXT


@pytest.fixture(scope="module")
def installed_wheel(tmp_path_factory) -> Path:
    work = tmp_path_factory.mktemp("wheel")
    subprocess.run(
        [sys.executable, "-m", "pip", "wheel", "--quiet", "--no-deps", "-w", str(work / "dist"), str(REPO)],
        check=True,
    )
    (wheel,) = (work / "dist").glob("claim_classifier-*.whl")
    names = zipfile.ZipFile(wheel).namelist()
    for expected in (
        "classifier/_rules/demand.toml",
        "classifier/models/default/arrays.npz",
        "classifier/_corpus/corpus-1.jsonl",
        "classifier/_devtest/devtest.jsonl",
        "classifier/py.typed",
    ):
        assert expected in names
    subprocess.run(
        [sys.executable, "-m", "pip", "install", "--quiet", "--no-deps", "--target", str(work / "site"), str(wheel)],
        check=True,
    )
    return work


@pytest.mark.slow
def test_installed_wheel_labels_from_another_directory(installed_wheel):
    outside = installed_wheel / "elsewhere"
    outside.mkdir()
    (outside / "statement.txt").write_text(SEED_TEXT.read_text(encoding="utf-8"), encoding="utf-8")
    env = {**os.environ, "PYTHONPATH": str(installed_wheel / "site")}
    probe = subprocess.run(
        [sys.executable, "-P", "-c", "import classifier; print(classifier.__file__)"],
        cwd=outside,
        env=env,
        capture_output=True,
        text=True,
        check=True,
    )
    assert probe.stdout.startswith(str(installed_wheel / "site"))
    result = subprocess.run(
        [sys.executable, "-P", "-m", "classifier", "label", "statement.txt", "--format", "jsonl"],
        cwd=outside,
        env=env,
        capture_output=True,
        text=True,
        check=True,
    )
    records = [json.loads(line) for line in result.stdout.splitlines()]
    assert len(records) == 19 and all(r["label"] for r in records)
