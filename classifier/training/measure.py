"""What ``claims evaluate`` measures: the data it chooses, and held-out figures or cross-validation.

Scoring a trained model needs only the runtime install; only ``--cv``, which
retrains every fold, imports scikit-learn (through ``crossval.py``).
"""

from __future__ import annotations

from collections.abc import Sequence
from pathlib import Path

from ..api import ClaimClassifier
from ..rulebook.book import load_rulebook
from .data import Example, load_corpus, load_labelled_file, load_user_data, shipped_devtest_file, validate
from .evaluate import evaluate, evaluate_by
from .metrics import Figures
from .settings import TrainSettings


def measure(
    data: Sequence[str],
    *,
    model: str | Path | None = None,
    rules: Sequence[str | Path] = (),
    cv: int | None = None,
    by_source: bool = False,
    by: str | None = None,
    seed: int = 13,
    text_column: str = "text",
    label_column: str = "label",
) -> tuple[str, dict[str, Figures], dict[str, dict[str, Figures]]]:
    """A title saying what was measured, the figures of each mode, and (with ``by``) the figures
    within each value of that example field.

    The data is ``data`` when given, else the corpus for cross-validation and
    the dev-test set for a trained model.
    """
    rulebook = load_rulebook(list(rules))
    examples = _examples(data, cv, text_column, label_column)
    if cv:
        from .crossval import Folds, cross_validate  # retrains each fold: needs scikit-learn

        validate(examples)
        group_by = "source" if by_source else "doc"
        by_mode = cross_validate(Folds(examples, rulebook, TrainSettings(seed=seed), cv, group_by))
        unit = "source file" if by_source else "statement"
        return f"{cv}-fold cross-validation grouped by {unit}, {len(examples)} sentences", by_mode, {}
    classifier = ClaimClassifier.load(model, rules=list(rules))
    if by:
        return f"{len(examples)} sentences", *evaluate_by(classifier, examples, by)
    return f"{len(examples)} sentences", evaluate(classifier, examples), {}


def _examples(data: Sequence[str], cv: int | None, text_column: str, label_column: str) -> list[Example]:
    if data:
        return [e for d in data for e in load_user_data(d, text_column=text_column, label_column=label_column)]
    if cv:
        return load_corpus()
    return load_labelled_file(shipped_devtest_file())
