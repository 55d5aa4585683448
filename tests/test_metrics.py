"""Evaluation figures against a small case computed by hand."""

from __future__ import annotations

import pytest

from classifier.training.metrics import expected_calibration_error, score


def test_scores_match_a_hand_computed_case():
    gold = ["demand", "demand", "warning", "none", "accusation", "accusation"]
    pred = ["demand", "warning", "warning", "none", "none", "accusation"]
    report = score(gold, pred, also=[(), ("warning",), (), (), (), ()])
    # demand: P 1/1, R 1/2, F1 2/3. warning: P 1/2, R 1/1, F1 2/3. none: P 1/2, R 1/1, F1 2/3.
    # accusation: P 1/1, R 1/2, F1 2/3. legal_claim and assurance: no support, F1 0.
    assert report.per_label["demand"] == pytest.approx({"precision": 1.0, "recall": 0.5, "f1": 2 / 3, "support": 2})
    assert report.per_label["warning"]["precision"] == pytest.approx(0.5)
    assert report.per_label["none"]["f1"] == pytest.approx(2 / 3)
    assert report.per_label["legal_claim"]["f1"] == 0.0
    assert report.macro_f1 == pytest.approx((4 * 2 / 3) / 6)
    assert report.accuracy == pytest.approx(4 / 6)
    assert report.lenient_accuracy == pytest.approx(5 / 6)  # demand->warning is accepted as 'also'
    assert report.confusion[3][4] == 1  # gold demand (row 3), predicted warning (column 4)
    assert report.confusion[0][5] == 1  # gold accusation, predicted none


def test_calibration_error_by_hand():
    import numpy as np

    confidences = np.array([0.9, 0.9, 0.3, 0.3])
    correct = np.array([True, False, False, False])
    # bin 0.8-0.9: accuracy 0.5 vs 0.9 -> 0.4; bin 0.2-0.3: accuracy 0 vs 0.3 -> 0.3; weights 1/2 each
    assert expected_calibration_error(confidences, correct) == pytest.approx(0.35)


def test_accuracy_by_confidence_by_hand():
    gold = ["demand", "warning", "none", "accusation"]
    pred = ["demand", "demand", "none", "none"]
    report = score(gold, pred, confidences=[0.95, 0.65, 0.75, 0.4])
    rows = {row["threshold"]: row for row in report.by_confidence}
    # >= 0.5: three kept (0.95 right, 0.65 wrong, 0.75 right); >= 0.7: two kept, both right; >= 0.9: one
    assert rows[0.5]["coverage"] == pytest.approx(3 / 4) and rows[0.5]["accuracy"] == pytest.approx(2 / 3)
    assert rows[0.7]["coverage"] == pytest.approx(2 / 4) and rows[0.7]["accuracy"] == pytest.approx(1.0)
    assert rows[0.9]["coverage"] == pytest.approx(1 / 4) and rows[0.9]["accuracy"] == pytest.approx(1.0)
    nothing_kept = score(["demand"], ["demand"], confidences=[0.3]).by_confidence
    assert nothing_kept[0] == {"threshold": 0.5, "coverage": 0.0, "accuracy": None}
    assert score(gold, pred).by_confidence == []  # no confidences, no rows
