"""How rule evidence and model probabilities become one decision per sentence.

Three modes, each usable and measurable alone:

* ``rules``: the summed rule weights per label are logits next to a fixed
  logit for "none" (``RULES_NONE_LOGIT``): no hit means no claim, and the
  label with most rule weight wins otherwise.
* ``model``: the TF-IDF + logistic-regression probabilities.
* ``hybrid``: a stacked combiner, a multinomial logistic regression over the
  model's log-probabilities and the rules' summed weight per label (and, if
  a model was trained with ``rule_indicators``, one indicator per rule),
  fitted on out-of-fold model predictions (grouped by statement) so it
  learns how far to trust the model and the rules. Rules added after
  training (user rules) count through the per-label sums. Its
  output is a calibrated distribution over the six outcomes; it was chosen
  by measurement over rules as extra columns of one logistic regression
  (README, "How the hybrid decides").
"""

from __future__ import annotations

from dataclasses import dataclass

import numpy as np

from .errors import ClassifierError
from .labels import CLAIM_LABELS, NONE_LABEL, OUTCOMES
from .textmodel.features import SparseRows, linear_scores, softmax
from .textmodel.folder import ModelArrays

MODES = ("hybrid", "rules", "model")
#: In rules mode, the logit of "none": rule weight a label needs to outvote it.
RULES_NONE_LOGIT = 1.0
#: Model probabilities are floored here before the log, so one rare class cannot dominate.
LOG_PROBABILITY_FLOOR = 1e-6
_NONE_INDEX = OUTCOMES.index(NONE_LABEL)


@dataclass(frozen=True)
class Decision:
    """Labels (None for no claim) and confidences for a batch of score rows."""

    labels: list[str | None]
    confidences: np.ndarray


def check_mode(mode: str) -> str:
    if mode not in MODES:
        raise ClassifierError(f"unknown mode {mode!r}: choose one of {', '.join(MODES)}")
    return mode


def rules_scores(evidence: np.ndarray) -> np.ndarray:
    """Distribution over OUTCOMES from rule evidence alone."""
    none_column = np.full((evidence.shape[0], 1), RULES_NONE_LOGIT)
    return softmax(np.hstack([evidence, none_column]))


def model_scores(model: ModelArrays, rows: SparseRows) -> np.ndarray:
    """Distribution over OUTCOMES from the text model alone."""
    return softmax(linear_scores(rows, model.text_coef, model.text_intercept))


def combiner_inputs(model_probabilities: np.ndarray, evidence: np.ndarray, fired: np.ndarray) -> np.ndarray:
    """The combiner's input columns: model log-probabilities, per-label rule weight, any rule indicators."""
    logs = np.log(np.clip(model_probabilities, LOG_PROBABILITY_FLOOR, 1.0))
    return np.hstack([logs, evidence, fired])


def hybrid_scores(
    model: ModelArrays, model_probabilities: np.ndarray, evidence: np.ndarray, fired: np.ndarray
) -> np.ndarray:
    """Distribution over OUTCOMES from the stacked combiner."""
    inputs = combiner_inputs(model_probabilities, evidence, fired)
    return softmax(inputs @ model.combiner_coef.T + model.combiner_intercept)


def decide(scores: np.ndarray, *, min_confidence: float = 0.0, force_label: bool = False) -> Decision:
    """Pick each row's outcome; "none" and low confidence become None.

    With ``force_label`` the best of the five claim labels is returned even
    when "none" scores higher, and ``min_confidence`` is not applied.
    """
    if not 0.0 <= min_confidence <= 1.0:
        raise ClassifierError(f"min_confidence must be between 0 and 1, got {min_confidence}")
    if force_label:
        best = scores[:, : len(CLAIM_LABELS)].argmax(axis=1)
        return Decision([CLAIM_LABELS[i] for i in best], scores[np.arange(len(best)), best])
    best = scores.argmax(axis=1)
    confidences = scores[np.arange(len(best)), best]
    labels: list[str | None] = []
    for index, confidence in zip(best, confidences, strict=True):
        keep = index != _NONE_INDEX and confidence >= min_confidence
        labels.append(OUTCOMES[index] if keep else None)
    return Decision(labels, confidences)
