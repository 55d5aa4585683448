"""Retraining: deterministic, atomic, comparable, and usable straight away."""

from __future__ import annotations

import json
from dataclasses import replace

import numpy as np
import pytest

from classifier import ClaimClassifier
from classifier.rulebook.book import load_rulebook
from classifier.rulebook.matcher import RuleMatcher
from classifier.textmodel.folder import load_model
from classifier.training.data import load_corpus, pointer_source_files, shipped_corpus_files
from classifier.training.fit import TrainSettings, fit_model
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
