"""Evaluating a classifier on labelled data: rules, model and hybrid side by side, without scikit-learn.

``claims evaluate`` on a trained model needs only the runtime install; the
fitting needed by cross-validation lives in ``crossval.py``.
"""

from __future__ import annotations

from collections.abc import Sequence
from typing import Any, TypeVar

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


K = TypeVar("K")

#: Example fields that ``claims evaluate --by`` can group on.
GROUP_FIELDS = ("source", "party", "doc")


def evaluate(classifier: ClaimClassifier, examples: Sequence[Example]) -> dict[str, Figures]:
    """Figures for each mode on labelled examples."""
    predicted = predict_by_mode(classifier, [e.text for e in examples])
    return _figures(examples, predicted, range(len(examples)))


def evaluate_by(
    classifier: ClaimClassifier, examples: Sequence[Example], field: str
) -> tuple[dict[str, Figures], dict[str, dict[str, Figures]]]:
    """Figures for each mode on all examples, and within each value of ``field`` (one of GROUP_FIELDS),
    from one scored batch."""
    if field not in GROUP_FIELDS:
        raise ValueError(f"cannot group by {field!r}; choose one of {', '.join(GROUP_FIELDS)}")
    groups: dict[str, list[int]] = {}
    for index, example in enumerate(examples):
        groups.setdefault(getattr(example, field), []).append(index)
    figures = evaluate_rows(classifier, examples, {"": range(len(examples)), **dict(sorted(groups.items()))})
    overall = figures.pop("")
    return overall, figures


def evaluate_rows(
    classifier: ClaimClassifier, examples: Sequence[Example], row_sets: dict[K, Sequence[int]]
) -> dict[K, dict[str, Figures]]:
    """Figures for each mode within each named set of rows, all from one scored batch of ``examples``."""
    predicted = predict_by_mode(classifier, [e.text for e in examples])
    return {name: _figures(examples, predicted, rows) for name, rows in row_sets.items()}


def _figures(
    examples: Sequence[Example], predicted: dict[str, tuple[list[str], list[float]]], rows: Sequence[int]
) -> dict[str, Figures]:
    gold = [examples[i].label for i in rows]
    also = [examples[i].also for i in rows]
    return {
        mode: score(gold, [outcomes[i] for i in rows], confidences=[confidences[i] for i in rows], also=also)
        for mode, (outcomes, confidences) in predicted.items()
    }


def figures_to_dict(by_mode: dict[str, Figures]) -> dict[str, Any]:
    return {mode: figures.to_dict() for mode, figures in by_mode.items()}
