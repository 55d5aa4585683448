"""The real-text temperature: it finds a known temperature, and it moves confidences, never labels."""

from __future__ import annotations

from dataclasses import replace

import numpy as np
import pytest

from classifier import ClaimClassifier
from classifier.rulebook.book import load_rulebook
from classifier.rulebook.matcher import RuleMatcher
from classifier.training.calibration import TEMPERATURE_BOUNDS, fit_temperature, log_loss_at
from classifier.training.data import load_corpus
from classifier.training.fit import TrainSettings, fit_model

pytest.importorskip("sklearn")


def _sampled(temperature: float, n: int = 20_000, seed: int = 3) -> tuple[np.ndarray, np.ndarray]:
    """Scores, and outcomes drawn from softmax(scores / temperature): that temperature is the true one."""
    rng = np.random.default_rng(seed)
    scores = rng.normal(0.0, 3.0, (n, 6))
    z = scores / temperature
    probs = np.exp(z - z.max(axis=1, keepdims=True))
    probs /= probs.sum(axis=1, keepdims=True)
    gold = np.array([rng.choice(6, p=row) for row in probs])
    return scores, gold


@pytest.mark.parametrize("true_temperature", [0.8, 2.5])
def test_the_fitted_temperature_is_the_one_the_outcomes_were_drawn_with(true_temperature):
    scores, gold = _sampled(true_temperature)
    fitted = fit_temperature(scores, gold)
    assert abs(fitted - true_temperature) < 0.1 * true_temperature
    assert log_loss_at(fitted, scores, gold) < log_loss_at(1.0, scores, gold)


def test_the_temperature_stays_inside_its_bounds_and_needs_sentences():
    scores, gold = _sampled(50.0, n=2_000)
    assert TEMPERATURE_BOUNDS[0] <= fit_temperature(scores, gold) <= TEMPERATURE_BOUNDS[1]
    with pytest.raises(ValueError, match="no sentences"):
        fit_temperature(np.zeros((0, 6)), np.zeros(0, dtype=int))


@pytest.fixture(scope="module")
def mixed_corpus():
    """A small corpus with synthetic and real statements, both kinds present."""
    examples = load_corpus()
    synthetic = sorted({e.doc for e in examples if e.synthetic})[::12]
    real = sorted({e.doc for e in examples if not e.synthetic})[::8]
    kept = set(synthetic) | set(real)
    return [e for e in examples if e.doc in kept]


def test_calibrating_on_real_text_moves_confidences_and_never_labels(mixed_corpus):
    rulebook = load_rulebook()
    matcher = RuleMatcher(rulebook)
    plain = fit_model(mixed_corpus, matcher, TrainSettings())
    calibrated = fit_model(mixed_corpus, matcher, replace(TrainSettings(), calibrate_on_real=True))
    temperature = calibrated.metadata["combiner_temperature"]
    assert temperature != pytest.approx(1.0, abs=1e-3)
    np.testing.assert_allclose(calibrated.combiner_coef * temperature, plain.combiner_coef, rtol=1e-12)
    np.testing.assert_array_equal(calibrated.text_coef, plain.text_coef)
    texts = [e.text for e in mixed_corpus[:400]]
    before = ClaimClassifier(plain, rulebook).label_sentences(texts)
    after = ClaimClassifier(calibrated, rulebook).label_sentences(texts)
    assert [p.label for p in after] == [p.label for p in before]
    moved = [a.confidence - b.confidence for a, b in zip(after, before, strict=True)]
    assert all(d < 0 for d in moved) if temperature > 1 else all(d > 0 for d in moved)


def test_the_setting_is_recorded_only_when_on():
    assert "calibrate_on_real" not in TrainSettings().record()
    assert replace(TrainSettings(), calibrate_on_real=True).record()["calibrate_on_real"] is True
