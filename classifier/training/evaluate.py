"""Evaluating a classifier on labelled data: rules, model and hybrid side by side, without scikit-learn.

``claims evaluate`` on a trained model needs only the runtime install; the
fitting needed by cross-validation lives in ``crossval.py``.
"""

from __future__ import annotations

from collections.abc import Sequence
from typing import Any

from ..api import ClaimClassifier
from ..labels import NONE_LABEL
from ..scoring import MODES, decide
from .data import Example
from .metrics import Figures, score


def predict_by_mode(classifier: ClaimClassifier, texts: Sequence[str]) -> dict[str, tuple[list[str], list[float]]]:
    """Each mode's predicted outcome ids ("none" for no claim) and confidences, from one scored batch."""
    batch = classifier.scorer.score(list(texts))
    predicted = {}
    for mode in MODES:
        decision = decide(batch.by_mode[mode])
        predicted[mode] = ([label or NONE_LABEL for label in decision.labels], [float(c) for c in decision.confidences])
    return predicted


def evaluate(classifier: ClaimClassifier, examples: Sequence[Example]) -> dict[str, Figures]:
    """Figures for each mode on labelled examples."""
    gold = [e.label for e in examples]
    also = [e.also for e in examples]
    predicted = predict_by_mode(classifier, [e.text for e in examples])
    return {
        mode: score(gold, outcomes, confidences=confidences, also=also)
        for mode, (outcomes, confidences) in predicted.items()
    }


def figures_to_dict(by_mode: dict[str, Figures]) -> dict[str, Any]:
    return {mode: figures.to_dict() for mode, figures in by_mode.items()}
