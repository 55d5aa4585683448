"""The decision rule: none, thresholds, forced labels and how the three modes score."""

from __future__ import annotations

import numpy as np
import pytest

from classifier.errors import ClassifierError
from classifier.labels import CLAIM_LABELS, OUTCOMES
from classifier.scoring import RULES_NONE_LOGIT, decide, rules_scores


def row(**scores: float) -> np.ndarray:
    return np.array([[scores.get(label, 0.0) for label in OUTCOMES]])


def test_none_wins_gives_no_label():
    decision = decide(row(none=0.6, demand=0.4))
    assert decision.labels == [None] and decision.confidences[0] == pytest.approx(0.6)


def test_force_label_returns_the_best_of_the_five():
    decision = decide(row(none=0.6, demand=0.3, warning=0.1), force_label=True)
    assert decision.labels == ["demand"] and decision.confidences[0] == pytest.approx(0.3)


def test_min_confidence_leaves_weak_labels_unlabelled():
    scores = np.vstack([row(demand=0.55, warning=0.45), row(demand=0.9, none=0.1)])
    assert decide(scores, min_confidence=0.6).labels == [None, "demand"]
    with pytest.raises(ClassifierError):
        decide(scores, min_confidence=1.5)


def test_rules_mode_no_hit_is_none_and_enough_weight_outvotes_it():
    evidence = np.array([[0, 0, 0, 0, 0], [0, 0, 0, RULES_NONE_LOGIT + 1.0, 0], [0.5, 0, 0, 0, 0]], dtype=float)
    scores = rules_scores(evidence)
    np.testing.assert_allclose(scores.sum(axis=1), 1.0)
    assert decide(scores).labels == [None, "demand", None]


def test_hybrid_combines_rule_evidence_with_the_model(classifier):
    sentence = "The ministry warned that the dam would be closed."
    model = classifier.scores([sentence], mode="model")[0]
    hybrid = classifier.scores([sentence], mode="hybrid")[0]
    warning = OUTCOMES.index("warning")
    assert hybrid.sum() == pytest.approx(1.0)
    # the performative 'warned' raises the warning score above the model's own estimate
    assert hybrid[warning] > model[warning]


@pytest.mark.parametrize("mode", ["hybrid", "rules", "model"])
def test_every_mode_gives_distributions(classifier, mode):
    scores = classifier.scores(["We call on all parties to cease fire.", "Thank you."], mode=mode)
    assert scores.shape == (2, len(CLAIM_LABELS) + 1)
    np.testing.assert_allclose(scores.sum(axis=1), 1.0)
    assert ((scores >= 0) & (scores <= 1)).all()


def test_scores_by_mode_equals_each_mode_scored_alone(classifier):
    sentences = ["We call on all parties to cease fire.", "They shelled the border town.", "Thank you."]
    together = classifier.scores_by_mode(sentences)
    for mode in ("hybrid", "rules", "model"):
        np.testing.assert_array_equal(together[mode], classifier.scores(sentences, mode=mode))
