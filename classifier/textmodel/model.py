"""The text model as a type: its feature blocks and arrays, and the arithmetic that scores with them.

A ``TextModel`` is what a training run produces and a model folder holds
(``folder.py`` writes and reads it; nothing here touches a file). It scores in
two layers: TF-IDF rows times the logistic-regression coefficients give the
text model's probabilities; the stacked combiner then weighs the model's
log-probabilities against the rules' summed weight per label (and, for models
trained with ``rule_indicators``, one indicator per rule). A model trained
with an encoder block (``encoder.py``) adds each sentence's scaled embedding
as dense columns after the TF-IDF columns of the same logistic regression.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass, field
from typing import TYPE_CHECKING, Any

import numpy as np

from ..labels import CLAIM_LABELS, OUTCOMES
from .features import FeatureUnion, SparseRows

if TYPE_CHECKING:  # onnxruntime is imported only when a model with an encoder block is loaded
    from .encoder import SentenceEncoder

#: Model probabilities are floored here before the log, so one rare class cannot dominate.
LOG_PROBABILITY_FLOOR = 1e-6
#: Sentences vectorised at once: large enough for numpy to pay off, small enough to bound memory (scoring
#: holds six floats per stored feature value: labelling 100,000 sentences in batches of 10,000 peaked at
#: 180 MB with 2,048 and 102 MB with 512, at the same speed).
CHUNK = 512


@dataclass(frozen=True)
class ModelScores:
    """What the model computes for a batch: its probabilities, and the combiner's inputs and output if asked."""

    probabilities: np.ndarray  # (n_sentences, len(OUTCOMES))
    combiner_inputs: np.ndarray | None = None
    combined: np.ndarray | None = None
    rows: SparseRows | None = None  # the TF-IDF rows, kept for explanations
    dense: np.ndarray | None = None  # the scaled encoder columns, kept for explanations (encoder models)


@dataclass(frozen=True)
class TextModel:
    """Everything numeric a trained model needs to label sentences; immutable, so safe to share."""

    features: FeatureUnion
    text_coef: np.ndarray  # (n_outcomes, n_terms + encoder dimension)
    text_intercept: np.ndarray  # (n_outcomes,)
    combiner_coef: np.ndarray  # (n_outcomes, len(combiner_feature_names()))
    combiner_intercept: np.ndarray  # (n_outcomes,)
    combiner_rules: tuple[str, ...]  # rule ids with a column of their own in the combiner
    metadata: dict[str, Any]
    #: The sentence encoder of a model trained with an encoder block; None for TF-IDF alone.
    encoder: SentenceEncoder | None = None
    #: Names of the combiner's input columns, in order (derived from ``combiner_rules``).
    combiner_names: tuple[str, ...] = field(init=False, repr=False, compare=False)

    def __post_init__(self) -> None:
        object.__setattr__(self, "combiner_names", tuple(combiner_feature_names(self.combiner_rules)))
        # Stored column by column, so each term's weights for all outcomes are adjacent: scoring
        # gathers one short row per feature (``linear_scores``) instead of one value per outcome.
        object.__setattr__(self, "text_coef", np.asfortranarray(self.text_coef))

    def score(
        self,
        sentences: Sequence[str],
        evidence: np.ndarray,
        fired: np.ndarray,
        *,
        combine: bool,
        keep_rows: bool = False,
    ) -> ModelScores:
        """The model's share of scoring a batch, in one call: probabilities, then the combiner if ``combine``."""
        rows = dense = None
        if keep_rows:  # explanations read the rows side by side; the scores are the blocks' as always
            blocks, dense = self.features.block_rows(sentences), self.dense_columns(sentences)
            rows = self.features.side_by_side(sentences, [block for block, _start, _stop in blocks])
            probabilities = self._probabilities_of(len(sentences), blocks, dense)
        else:
            probabilities = self.probabilities(sentences)
        if not combine:
            return ModelScores(probabilities, rows=rows, dense=dense)
        inputs = combiner_inputs(probabilities, evidence, fired)
        combined = softmax(inputs @ self.combiner_coef.T + self.combiner_intercept)
        return ModelScores(probabilities, inputs, combined, rows, dense)

    def probabilities(self, sentences: Sequence[str]) -> np.ndarray:
        """The text model's distribution over OUTCOMES, in chunks so memory stays bounded for big batches.

        Each feature block is scored with its own share of the coefficients and the shares
        added: the same sum as scoring the blocks' rows side by side, without building them.
        """
        parts = []
        for i in range(0, len(sentences), CHUNK):
            chunk = sentences[i : i + CHUNK]
            parts.append(self._probabilities_of(len(chunk), self.features.block_rows(chunk), self.dense_columns(chunk)))
        return np.vstack(parts) if parts else np.zeros((0, len(OUTCOMES)))

    def _probabilities_of(
        self, n_rows: int, blocks: Sequence[tuple[SparseRows, int, int]], dense: np.ndarray | None
    ) -> np.ndarray:
        """The distribution over OUTCOMES from each block's rows (with its span of columns) and the
        encoder's columns: each block scored with its own share of the coefficients, shares added."""
        scores = np.tile(self.text_intercept, (n_rows, 1))
        for rows, start, stop in blocks:
            scores += linear_scores(rows, self.text_coef[:, start:stop])
        if dense is not None:
            scores += dense @ self.text_coef[:, self.n_sparse :].T
        return softmax(scores)

    def dense_columns(self, sentences: Sequence[str]) -> np.ndarray | None:
        """The encoder block's columns (embedding times its scale), or None for a TF-IDF-only model."""
        if self.encoder is None:
            return None
        return self.encoder.encode(sentences) * self.encoder.spec.scale

    @property
    def n_sparse(self) -> int:
        """Number of TF-IDF columns; the encoder's columns, if any, follow them."""
        return len(self.features)

    def shape_problems(self) -> list[str]:
        """Arrays whose shapes do not fit the vocabulary and the outcomes (empty for a sound model)."""
        n_out = len(OUTCOMES)
        n_terms = len(self.features) + (self.encoder.spec.dimension if self.encoder is not None else 0)
        expected = {
            "text_coef": (self.text_coef.shape, (n_out, n_terms)),
            "text_intercept": (self.text_intercept.shape, (n_out,)),
            "combiner_coef": (self.combiner_coef.shape, (n_out, len(self.combiner_names))),
            "combiner_intercept": (self.combiner_intercept.shape, (n_out,)),
        }
        return [
            f"array {name} has shape {shape}, expected {want}"
            for name, (shape, want) in expected.items()
            if shape != want
        ]


def combiner_feature_names(rule_ids: Sequence[str]) -> list[str]:
    """Names of the combiner's input columns for a given list of indicator rules, in order."""
    return (
        [f"log_p_model[{o}]" for o in OUTCOMES]
        + [f"rule_weight_sum[{c}]" for c in CLAIM_LABELS]
        + [f"rule[{rule_id}]" for rule_id in rule_ids]
    )


def combiner_inputs(model_probabilities: np.ndarray, evidence: np.ndarray, fired: np.ndarray) -> np.ndarray:
    """The combiner's input columns: model log-probabilities, per-label rule weight, any rule indicators.

    Training builds the same columns from out-of-fold probabilities, so the
    combiner is fitted on exactly what it is later given.
    """
    logs = np.log(np.clip(model_probabilities, LOG_PROBABILITY_FLOOR, 1.0))
    return np.hstack([logs, evidence, fired])


def linear_scores(rows: SparseRows, coef: np.ndarray) -> np.ndarray:
    """``rows @ coef.T`` for sparse rows, shape (n_rows, n_classes).

    Each stored value picks up its column's weights for every class at once
    (one row of ``coef.T``, contiguous when ``coef`` is column-major as a
    ``TextModel`` keeps it), and each row's products are summed with
    ``reduceat``: measured faster than one weighted ``bincount`` per class.
    """
    products = np.take(coef.T, rows.indices, axis=0)  # take: several times faster than [] here
    products *= rows.data[:, None]
    scores = np.zeros((rows.n_rows, coef.shape[0]))
    filled = np.flatnonzero(np.diff(rows.indptr))  # reduceat cannot sum an empty row
    if len(filled):
        scores[filled] = np.add.reduceat(products, rows.indptr[filled], axis=0)
    return scores


def softmax(scores: np.ndarray) -> np.ndarray:
    """Row-wise softmax, stable for large scores."""
    shifted = scores - scores.max(axis=1, keepdims=True)
    exp = np.exp(shifted)
    return exp / exp.sum(axis=1, keepdims=True)
