"""Evaluation figures over the six outcomes, computed in plain numpy.

Written out rather than borrowed so each number is easy to check by hand
(``tests/test_metrics.py`` does): per-label precision, recall and F1, their
macro average, accuracy, the confusion matrix, the expected calibration
error of the confidences, and how accurate the labels are when only those
at or above a confidence threshold are kept (what ``min_confidence`` buys).
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass, field
from typing import Any

import numpy as np

from ..labels import OUTCOMES

#: Thresholds at which ``accuracy_by_confidence`` reports coverage and accuracy.
CONFIDENCE_THRESHOLDS = (0.5, 0.6, 0.7, 0.8, 0.9)


@dataclass(frozen=True)
class Figures:
    """Figures for one system on one data set."""

    per_label: dict[str, dict[str, float]]
    macro_f1: float
    accuracy: float
    confusion: list[list[int]]  # rows: gold, columns: predicted, in OUTCOMES order
    support: int
    lenient_accuracy: float | None = None
    calibration_error: float | None = None
    #: One row per threshold: the share of sentences whose confidence reaches it, and their accuracy.
    by_confidence: list[dict[str, float | None]] = field(default_factory=list)

    def to_dict(self) -> dict[str, Any]:
        return {
            "macro_f1": self.macro_f1,
            "accuracy": self.accuracy,
            "lenient_accuracy": self.lenient_accuracy,
            "calibration_error": self.calibration_error,
            "by_confidence": self.by_confidence,
            "support": self.support,
            "per_label": self.per_label,
            "confusion": {"labels": list(OUTCOMES), "rows_gold_columns_predicted": self.confusion},
        }


def score(
    gold: Sequence[str],
    predicted: Sequence[str],
    *,
    confidences: Sequence[float] | None = None,
    also: Sequence[Sequence[str]] | None = None,
) -> Figures:
    """Compare predicted outcomes with gold ones ("none" for no claim)."""
    if len(gold) != len(predicted):
        raise ValueError("gold and predicted differ in length")
    index = {label: i for i, label in enumerate(OUTCOMES)}
    confusion = np.zeros((len(OUTCOMES), len(OUTCOMES)), dtype=int)
    for g, p in zip(gold, predicted, strict=True):
        confusion[index[g], index[p]] += 1
    per_label = {}
    f1s = []
    for i, label in enumerate(OUTCOMES):
        tp = confusion[i, i]
        predicted_count = confusion[:, i].sum()
        gold_count = confusion[i, :].sum()
        precision = tp / predicted_count if predicted_count else 0.0
        recall = tp / gold_count if gold_count else 0.0
        f1 = 2 * precision * recall / (precision + recall) if precision + recall else 0.0
        per_label[label] = {
            "precision": float(precision),
            "recall": float(recall),
            "f1": float(f1),
            "support": int(gold_count),
        }
        f1s.append(f1)
    total = int(confusion.sum())
    accuracy = float(np.trace(confusion) / total) if total else 0.0
    lenient = None
    if also is not None:
        hits = sum(p == g or p in extra for g, p, extra in zip(gold, predicted, also, strict=True))
        lenient = hits / total if total else 0.0
    calibration = None
    by_confidence: list[dict[str, float | None]] = []
    if confidences is not None:
        correct = np.array([g == p for g, p in zip(gold, predicted, strict=True)], dtype=bool)
        confidence_array = np.asarray(confidences, dtype=float)
        calibration = expected_calibration_error(confidence_array, correct)
        by_confidence = accuracy_by_confidence(confidence_array, correct)
    return Figures(
        per_label, float(np.mean(f1s)), accuracy, confusion.tolist(), total, lenient, calibration, by_confidence
    )


def accuracy_by_confidence(
    confidences: np.ndarray, correct: np.ndarray, thresholds: Sequence[float] = CONFIDENCE_THRESHOLDS
) -> list[dict[str, float | None]]:
    """For each threshold: the share of sentences at or above it (coverage) and the accuracy among them.

    The accuracy is None when no sentence reaches the threshold.
    """
    rows = []
    for threshold in thresholds:
        kept = confidences >= threshold
        coverage = float(kept.mean()) if len(kept) else 0.0
        accuracy = float(correct[kept].mean()) if kept.any() else None
        rows.append({"threshold": threshold, "coverage": coverage, "accuracy": accuracy})
    return rows


def expected_calibration_error(confidences: np.ndarray, correct: np.ndarray, bins: int = 10) -> float:
    """Mean |accuracy - confidence| over equal-width confidence bins, weighted by bin size."""
    if len(confidences) == 0:
        return 0.0
    edges = np.linspace(0.0, 1.0, bins + 1)
    which = np.clip(np.digitize(confidences, edges[1:-1], right=True), 0, bins - 1)
    error = 0.0
    for b in range(bins):
        mask = which == b
        if mask.any():
            error += mask.mean() * abs(correct[mask].mean() - confidences[mask].mean())
    return float(error)
