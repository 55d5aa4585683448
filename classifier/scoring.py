"""The one scoring path: sentences in; rule hits, rule weight, model probabilities and each mode's scores out.

Labelling, ``explain``, ``suggest`` and evaluation all read from
``Scorer.score``, so a sentence is matched against the rules and scored by
the text model once, whichever modes are asked for. Three modes, each usable
and measurable alone:

* ``rules``: the summed rule weights per label are logits next to a fixed
  logit for "none" (``RULES_NONE_LOGIT``): no hit means no claim, and the
  label with most rule weight wins otherwise.
* ``model``: the TF-IDF + logistic-regression probabilities.
* ``hybrid``: a stacked combiner, a multinomial logistic regression over the
  model's log-probabilities and the rules' summed weight per label (and, if
  a model was trained with ``rule_indicators``, one indicator per rule),
  fitted on out-of-fold model predictions (grouped by statement) so it
  learns how far to trust the model and the rules. Rules added after
  training (user rules) count through the per-label sums. Its output is a
  calibrated distribution over the six outcomes; it was chosen by
  measurement over rules as extra columns of one logistic regression
  (docs/how-it-works.md, "How the hybrid decides").
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass

import numpy as np

from .errors import ClassifierError
from .labels import CLAIM_LABELS, NONE_LABEL, OUTCOMES
from .result import RuleHit
from .rulebook.matcher import RuleMatcher
from .textmodel.features import SparseRows
from .textmodel.model import TextModel, softmax

MODES = ("hybrid", "rules", "model")
#: In rules mode, the logit of "none": rule weight a label needs to outvote it.
RULES_NONE_LOGIT = 1.0
_NONE_INDEX = OUTCOMES.index(NONE_LABEL)


@dataclass(frozen=True)
class BatchScores:
    """Everything computed for one batch: what each mode's decision and each explanation is read from."""

    #: Rule hits per sentence; empty when only ``model`` mode was asked for (it runs no rules).
    hits: list[tuple[RuleHit, ...]]
    #: Summed rule weight per claim label (rows: sentences, columns: CLAIM_LABELS).
    evidence: np.ndarray
    #: 1.0 where a sentence has a hit of a rule with its own combiner column.
    fired: np.ndarray
    #: The text model's distribution over OUTCOMES; None when only ``rules`` mode was asked for.
    model_probabilities: np.ndarray | None
    #: Each asked-for mode's distribution over OUTCOMES.
    by_mode: dict[str, np.ndarray]
    #: The hybrid combiner's input columns; None unless ``hybrid`` mode was asked for.
    combiner_inputs: np.ndarray | None = None
    #: The TF-IDF rows of the batch, kept only when asked for (explanations read their features).
    rows: SparseRows | None = None
    #: The encoder block's columns (encoder models only), kept with the rows.
    dense: np.ndarray | None = None


@dataclass(frozen=True)
class Decision:
    """Labels (None for no claim) and confidences for a batch of score rows."""

    labels: list[str | None]
    confidences: np.ndarray


class Scorer:
    """A model and a rule matcher scoring batches together; immutable, so thread-safe and picklable."""

    def __init__(self, model: TextModel, matcher: RuleMatcher) -> None:
        self.model = model
        self.matcher = matcher

    def score(self, sentences: Sequence[str], modes: Sequence[str] = MODES, *, keep_rows: bool = False) -> BatchScores:
        """Score a batch in the given modes: the rules run once, the text model once (when a mode needs it)."""
        for mode in modes:
            check_mode(mode)
        sentences = list(sentences)
        rules = self.matcher.match_batch(
            sentences, self.model.combiner_rules, run=any(mode != "model" for mode in modes)
        )
        model = None
        if keep_rows or any(mode != "rules" for mode in modes):
            model = self.model.score(
                sentences, rules.evidence, rules.fired, combine="hybrid" in modes, keep_rows=keep_rows
            )
        by_mode: dict[str, np.ndarray] = {}
        for mode in modes:
            if mode == "rules":
                by_mode[mode] = rules_scores(rules.evidence)
            elif model is not None:
                by_mode[mode] = model.combined if mode == "hybrid" else model.probabilities
        return BatchScores(
            hits=rules.hits,
            evidence=rules.evidence,
            fired=rules.fired,
            model_probabilities=model.probabilities if model else None,
            by_mode=by_mode,
            combiner_inputs=model.combiner_inputs if model else None,
            rows=model.rows if model else None,
            dense=model.dense if model else None,
        )

    def decided(
        self,
        sentences: Sequence[str],
        mode: str,
        *,
        also: Sequence[str] = (),
        keep_rows: bool = False,
        min_confidence: float = 0.0,
        force_label: bool = False,
    ) -> tuple[BatchScores, Decision]:
        """A batch scored in ``mode`` (and the modes in ``also``), with ``mode``'s decision: what labelling reads.

        An empty batch decides nothing, so its options are not checked.
        """
        batch = self.score(sentences, (check_mode(mode), *[m for m in also if m != mode]), keep_rows=keep_rows)
        if not len(batch.hits):
            return batch, Decision([], np.zeros(0))
        return batch, decide(batch.by_mode[mode], min_confidence=min_confidence, force_label=force_label)


def check_mode(mode: str) -> str:
    if mode not in MODES:
        raise ClassifierError(f"unknown mode {mode!r}: choose one of {', '.join(MODES)}")
    return mode


def rules_scores(evidence: np.ndarray) -> np.ndarray:
    """Distribution over OUTCOMES from rule evidence alone."""
    none_column = np.full((evidence.shape[0], 1), RULES_NONE_LOGIT)
    return softmax(np.hstack([evidence, none_column]))


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
