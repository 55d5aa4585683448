"""Cross-validation grouped by statement (or by source file): every fold retrains, so it needs scikit-learn."""

from __future__ import annotations

from collections.abc import Iterator, Sequence
from dataclasses import dataclass

import numpy as np

from ..api import ClaimClassifier
from ..errors import DataError
from ..rulebook.book import RuleBook
from ..rulebook.matcher import RuleMatcher
from ..scoring import MODES
from .data import Example
from .evaluate import predict_by_mode
from .fit import fit_model, stopping_workers
from .metrics import Figures, score
from .progress import TrainingProgress
from .settings import TrainSettings


@dataclass(frozen=True)
class Folds:
    """One cross-validation plan: what is split, how many ways, and what every training fold adds.

    ``group_by`` is "doc" (no statement on both sides of a split) or "source"
    (a whole file held out at a time). ``extra_training`` joins every training
    fold and is never tested: how much a batch of new examples adds, measured
    on the same sentences.
    """

    examples: Sequence[Example]
    rulebook: RuleBook
    settings: TrainSettings
    folds: int
    group_by: str = "doc"
    extra_training: Sequence[Example] = ()


def out_of_fold_classifiers(
    plan: Folds, progress: TrainingProgress | None = None
) -> Iterator[tuple[list[int], ClaimClassifier]]:
    """For each fold: the tested rows, and a classifier trained on the other folds plus ``extra_training``."""
    from sklearn.model_selection import GroupKFold

    progress = progress or TrainingProgress()
    examples, settings, folds = plan.examples, plan.settings, plan.folds
    matcher = RuleMatcher(plan.rulebook)
    groups = [e.source if plan.group_by == "source" else e.doc for e in examples]
    if len(set(groups)) < folds:
        kind = "source files" if plan.group_by == "source" else "statements"
        raise DataError(f"{folds}-fold cross-validation needs at least {folds} {kind}; the data has {len(set(groups))}")
    splitter = GroupKFold(n_splits=folds, shuffle=True, random_state=settings.seed)
    with stopping_workers():
        for fold, (train_index, test_index) in enumerate(splitter.split(examples, groups=groups), start=1):
            progress.stage(
                f"fold {fold}/{folds}: training on {len(train_index)} sentences, testing on {len(test_index)}"
            )
            training = [*(examples[i] for i in train_index), *plan.extra_training]
            model = fit_model(training, matcher, settings, progress)
            yield [int(i) for i in test_index], ClaimClassifier(model, plan.rulebook)


def cross_validate(plan: Folds, progress: TrainingProgress | None = None) -> dict[str, Figures]:
    """Figures for each mode with every sentence predicted by a model that never saw its group, pooled over folds."""
    examples = plan.examples
    predicted: dict[str, list[str]] = {mode: [""] * len(examples) for mode in MODES}
    confidence: dict[str, np.ndarray] = {mode: np.zeros(len(examples)) for mode in MODES}
    for test_index, classifier in out_of_fold_classifiers(plan, progress):
        by_mode = predict_by_mode(classifier, [examples[i].text for i in test_index])
        for mode, (outcomes, confidences) in by_mode.items():
            for position, index in enumerate(test_index):
                predicted[mode][index] = outcomes[position]
                confidence[mode][index] = confidences[position]
    gold = [e.label for e in examples]
    also = [e.also for e in examples]
    return {mode: score(gold, predicted[mode], confidences=confidence[mode], also=also) for mode in MODES}
