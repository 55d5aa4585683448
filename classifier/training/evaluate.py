"""Evaluating classifiers: held-out figures for rules, model and hybrid side by side."""

from __future__ import annotations

from collections.abc import Iterator, Sequence
from typing import Any

import numpy as np

from ..api import ClaimClassifier
from ..errors import DataError
from ..labels import NONE_LABEL
from ..rulebook.book import RuleBook
from ..rulebook.matcher import RuleMatcher
from ..scoring import MODES
from .data import Example
from .fit import Progress, TrainSettings, fit_model
from .metrics import Report, score


def predict_outcomes(classifier: ClaimClassifier, texts: Sequence[str], mode: str) -> tuple[list[str], list[float]]:
    """Predicted outcome ids ("none" for no claim) and confidences for each text."""
    predictions = classifier.label_sentences(list(texts), mode=mode)
    return [p.label or NONE_LABEL for p in predictions], [p.confidence for p in predictions]


def evaluate(classifier: ClaimClassifier, examples: Sequence[Example]) -> dict[str, Report]:
    """Figures for each mode on labelled examples."""
    texts = [e.text for e in examples]
    gold = [e.label for e in examples]
    also = [e.also for e in examples]
    reports = {}
    for mode in MODES:
        predicted, confidences = predict_outcomes(classifier, texts, mode)
        reports[mode] = score(gold, predicted, confidences=confidences, also=also)
    return reports


def out_of_fold_classifiers(
    examples: Sequence[Example],
    rulebook: RuleBook,
    settings: TrainSettings,
    folds: int,
    progress: Progress | None = None,
    group_by: str = "doc",
    extra_training: Sequence[Example] = (),
) -> Iterator[tuple[list[int], ClaimClassifier]]:
    """For each fold grouped by statement (or by source file): the tested rows, and a classifier
    trained on the other folds plus ``extra_training`` (which joins every training fold and is never tested)."""
    from sklearn.model_selection import GroupKFold

    say = progress or (lambda _message: None)
    matcher = RuleMatcher(rulebook)
    groups = [e.source if group_by == "source" else e.doc for e in examples]
    if len(set(groups)) < folds:
        kind = "source files" if group_by == "source" else "statements"
        raise DataError(f"{folds}-fold cross-validation needs at least {folds} {kind}; the data has {len(set(groups))}")
    splitter = GroupKFold(n_splits=folds, shuffle=True, random_state=settings.seed)
    for fold, (train_index, test_index) in enumerate(splitter.split(examples, groups=groups), start=1):
        say(f"fold {fold}/{folds}: training on {len(train_index)} sentences, testing on {len(test_index)}")
        model = fit_model([*(examples[i] for i in train_index), *extra_training], matcher, settings)
        yield [int(i) for i in test_index], ClaimClassifier(model, rulebook)


def cross_validate(
    examples: Sequence[Example],
    rulebook: RuleBook,
    settings: TrainSettings,
    folds: int,
    progress: Progress | None = None,
    group_by: str = "doc",
    extra_training: Sequence[Example] = (),
) -> dict[str, Report]:
    """K-fold cross-validation grouped by statement (or by source file), predictions pooled over folds.

    ``extra_training`` joins every training fold and is never tested: how much a
    batch of new examples adds, measured on the same sentences.
    """
    predicted: dict[str, list[str]] = {mode: [""] * len(examples) for mode in MODES}
    confidence: dict[str, np.ndarray] = {mode: np.zeros(len(examples)) for mode in MODES}
    fitted = out_of_fold_classifiers(examples, rulebook, settings, folds, progress, group_by, extra_training)
    for test_index, classifier in fitted:
        texts = [examples[i].text for i in test_index]
        for mode in MODES:
            outcomes, confidences = predict_outcomes(classifier, texts, mode)
            for position, index in enumerate(test_index):
                predicted[mode][index] = outcomes[position]
                confidence[mode][index] = confidences[position]
    gold = [e.label for e in examples]
    also = [e.also for e in examples]
    return {mode: score(gold, predicted[mode], confidences=confidence[mode], also=also) for mode in MODES}


def reports_to_dict(reports: dict[str, Report]) -> dict[str, Any]:
    return {mode: report.to_dict() for mode, report in reports.items()}
