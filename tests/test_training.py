"""Retraining: deterministic, atomic, comparable, and usable straight away."""

from __future__ import annotations

import json
import os
from dataclasses import replace
from pathlib import Path

import numpy as np
import pytest

from classifier import ClaimClassifier
from classifier.rulebook.book import load_rulebook
from classifier.rulebook.matcher import RuleMatcher
from classifier.textmodel.folder import load_model
from classifier.training import run as training_run
from classifier.training.data import load_corpus, pointer_source_files, shipped_corpus_files
from classifier.training.fit import TrainSettings, fit_model, grouped_holdout
from classifier.training.progress import TrainingProgress
from tests.conftest import FIXTURES

pytest.importorskip("sklearn")


@pytest.fixture(scope="module")
def small_corpus():
    examples = load_corpus()
    docs = sorted({e.doc for e in examples})[::6]
    return [e for e in examples if e.doc in set(docs)]


def test_same_seed_same_model(small_corpus):
    matcher = RuleMatcher(load_rulebook())
    settings = TrainSettings(folds=3)
    first = fit_model(small_corpus, matcher, settings)
    second = fit_model(small_corpus, matcher, settings)
    assert first.features.terms == second.features.terms
    np.testing.assert_array_equal(first.text_coef, second.text_coef)
    np.testing.assert_array_equal(first.combiner_coef, second.combiner_coef)
    other = fit_model(small_corpus, matcher, replace(settings, seed=7))
    assert not np.array_equal(first.combiner_coef, other.combiner_coef)  # the seed is really used


@pytest.mark.slow
def test_training_with_the_default_seed_rebuilds_the_shipped_model(tmp_path):
    """What training/build_default_model.py trains on: the shipped corpus and the pointer-only real sources."""
    from classifier.training.run import train

    rebuilt_sources, missing = pointer_source_files()
    if missing:
        pytest.skip(f"pointer-only sources not rebuilt here (training/real/rebuild.py): {', '.join(missing)}")
    examples = load_corpus([*shipped_corpus_files(), *rebuilt_sources])
    result = train(examples, load_rulebook(), TrainSettings(), out=tmp_path / "rebuilt")
    shipped, rebuilt = load_model(), load_model(result.directory)
    assert rebuilt.features.terms == shipped.features.terms
    np.testing.assert_allclose(rebuilt.text_coef, shipped.text_coef, rtol=0, atol=1e-10)
    np.testing.assert_allclose(rebuilt.combiner_coef, shipped.combiner_coef, rtol=0, atol=1e-10)
    texts = [e.text for e in examples[:300]]
    shipped_labels = [p.label for p in ClaimClassifier(shipped, load_rulebook()).label_sentences(texts)]
    rebuilt_labels = [p.label for p in ClaimClassifier(rebuilt, load_rulebook()).label_sentences(texts)]
    assert shipped_labels == rebuilt_labels


@pytest.mark.slow
def test_twenty_new_examples_retrain_in_one_command_and_the_model_is_usable(tmp_path):
    from typer.testing import CliRunner

    from classifier.cli import app

    out = tmp_path / "mine"
    runner = CliRunner()
    result = runner.invoke(app, ["train", "--data", str(FIXTURES / "user_examples.jsonl"), "--out", str(out)])
    assert result.exit_code == 0, result.output
    assert "held-out statements" in result.output and "replaced model" in result.output
    metadata = json.loads((out / "metadata.json").read_text())
    assert metadata["training_examples"] == len(load_corpus()) + 20
    assert ClaimClassifier.load(out).label_sentences(["We urge calm."])[0].label == "demand"
    labelled = runner.invoke(
        app, ["label", "--model", str(out), "--text", "They shelled the town.", "--format", "jsonl"]
    )
    assert labelled.exit_code == 0 and json.loads(labelled.output)["doc"] == "<text>"
    again = runner.invoke(app, ["train", "--data", str(FIXTURES / "user_examples.jsonl"), "--out", str(out)])
    assert again.exit_code == 6 and "already exists" in again.output


class _Recorder(TrainingProgress):
    """Everything a training run reports, kept."""

    def __init__(self) -> None:
        self.plan: tuple[int, int] | None = None
        self.stages: list[str] = []
        self.units = 0

    def planned(self, stages: int, units: int) -> None:
        self.plan = (stages, units)

    def stage(self, description: str) -> None:
        self.stages.append(description)

    def done(self, units: int) -> None:
        self.units += units


def _loky_workers() -> list[str]:
    """This process's joblib worker processes, by their command lines."""
    pid = os.getpid()
    children = Path(f"/proc/{pid}/task/{pid}/children").read_text().split()
    lines = []
    for child in children:
        try:
            lines.append(Path(f"/proc/{child}/cmdline").read_bytes().decode(errors="replace"))
        except OSError:  # ended meanwhile
            continue
    return [line for line in lines if "LokyProcess" in line]


@pytest.mark.skipif(not Path("/proc/self/task").is_dir(), reason="reads worker processes from /proc")
def test_training_reports_its_stages_and_fits_and_leaves_no_worker_behind(small_corpus, tmp_path, monkeypatch):
    """The bar of ``claims train`` is fed by these calls: as many stages as announced, and fits adding
    up to the announced units, which are the trial fit's and the final fit's sentences, each fitted
    once whole and once in every out-of-fold model but its own. joblib keeps idle workers for reuse;
    the run stops them before it returns."""
    monkeypatch.setattr(training_run, "realtest_files", list)  # not what is tested here; saves its scoring
    settings = TrainSettings()
    recorder = _Recorder()
    training_run.train(small_corpus, load_rulebook(), settings, out=tmp_path / "model", progress=recorder)
    trial, _held_out = grouped_holdout(small_corpus, settings.holdout, settings.seed)
    assert recorder.plan == (5, settings.folds * (len(trial) + len(small_corpus)))
    assert len(recorder.stages) == 5 and recorder.units == recorder.plan[1]
    assert recorder.stages[-1].endswith(str(tmp_path / "model"))
    assert _loky_workers() == []
