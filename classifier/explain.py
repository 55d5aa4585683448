"""Why a sentence got its label: rule hits, the model's strongest features, the combination.

Everything here is read off the same arrays that score the sentence, so an
explanation is exact, not an approximation: a linear model's logit is the
sum of (feature value x weight) over features plus the intercept, and the
hybrid combiner's logit is the same over its inputs.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any

import numpy as np

from .labels import OUTCOMES
from .result import RuleHit
from .scoring import Scorer
from .textmodel.features import SparseRows
from .textmodel.model import TextModel

TOP_FEATURES = 8


@dataclass(frozen=True)
class Contribution:
    """One input's share of a label's logit: value x weight."""

    name: str
    value: float
    weight: float

    @property
    def contribution(self) -> float:
        return self.value * self.weight

    def to_dict(self) -> dict[str, Any]:
        return {"name": self.name, "value": self.value, "weight": self.weight, "contribution": self.contribution}


@dataclass(frozen=True)
class Explanation:
    """The evidence behind one sentence's label, in the three layers of the decision."""

    sentence: str
    label: str | None
    confidence: float
    runner_up: str
    scores: dict[str, float]
    rule_hits: tuple[RuleHit, ...]
    guards: tuple[tuple[str, int, int], ...]
    rules_scores: dict[str, float]
    model_scores: dict[str, float]
    model_features: dict[str, list[Contribution]]  # for the chosen outcome and the runner-up
    #: Each outcome's text-model logit split by feature block: "tfidf", "encoder" (encoder models
    #: only) and "intercept"; the three add up to the logit.
    model_blocks: dict[str, dict[str, float]]
    combiner: dict[str, list[Contribution]]  # the hybrid's inputs, for both outcomes
    combiner_intercepts: dict[str, float]

    def to_dict(self) -> dict[str, Any]:
        return {
            "sentence": self.sentence,
            "label": self.label,
            "confidence": self.confidence,
            "runner_up": self.runner_up,
            "scores": self.scores,
            "rule_hits": [hit.to_dict() for hit in self.rule_hits],
            "guards": [{"guard": g, "start": s, "end": e} for g, s, e in self.guards],
            "rules_scores": self.rules_scores,
            "model_scores": self.model_scores,
            "model_features": {k: [c.to_dict() for c in v] for k, v in self.model_features.items()},
            "model_blocks": self.model_blocks,
            "combiner": {k: [c.to_dict() for c in v] for k, v in self.combiner.items()},
            "combiner_intercepts": self.combiner_intercepts,
        }


def explain(scorer: Scorer, sentence: str) -> Explanation:
    """Explain the hybrid label of one sentence, from the same batch scores that label it."""
    model = scorer.model
    batch, decision = scorer.decided([sentence], "hybrid", also=("rules", "model"), keep_rows=True)
    assert batch.rows is not None and batch.model_probabilities is not None and batch.combiner_inputs is not None
    scores = batch.by_mode["hybrid"][0]
    order = np.argsort(-scores)
    best, second = OUTCOMES[order[0]], OUTCOMES[order[1]]
    inputs = batch.combiner_inputs[0]
    names = list(model.combiner_names)
    return Explanation(
        sentence=sentence,
        label=decision.labels[0],
        confidence=float(decision.confidences[0]),
        runner_up=second,
        scores=_as_dict(scores),
        rule_hits=batch.hits[0],
        guards=tuple(scorer.matcher.guard_hits(sentence)),
        rules_scores=_as_dict(batch.by_mode["rules"][0]),
        model_scores=_as_dict(batch.model_probabilities[0]),
        model_features={label: _top_features(model, batch.rows, OUTCOMES.index(label)) for label in (best, second)},
        model_blocks=_block_shares(model, batch.rows, batch.dense),
        combiner={
            label: _combiner_terms(inputs, names, model.combiner_coef[OUTCOMES.index(label)])
            for label in (best, second)
        },
        combiner_intercepts={label: float(model.combiner_intercept[OUTCOMES.index(label)]) for label in (best, second)},
    )


def _as_dict(row: np.ndarray) -> dict[str, float]:
    return {label: float(value) for label, value in zip(OUTCOMES, row, strict=True)}


def _top_features(model: TextModel, rows: SparseRows, outcome: int) -> list[Contribution]:
    names = model.features.terms
    weights = model.text_coef[outcome]
    terms = [Contribution(names[j], float(v), float(weights[j])) for j, v in zip(rows.indices, rows.data, strict=True)]
    return sorted(terms, key=lambda c: -abs(c.contribution))[:TOP_FEATURES]


def _block_shares(model: TextModel, rows: SparseRows, dense: np.ndarray | None) -> dict[str, dict[str, float]]:
    """How much the TF-IDF block and the encoder block (if any) add to each outcome's text-model logit."""
    n = model.n_sparse
    shares = {}
    for k, label in enumerate(OUTCOMES):
        parts = {"tfidf": float(np.dot(rows.data, model.text_coef[k, rows.indices])) if n else 0.0}
        if dense is not None:
            parts["encoder"] = float(dense[0] @ model.text_coef[k, n:])
        parts["intercept"] = float(model.text_intercept[k])
        shares[label] = parts
    return shares


def _combiner_terms(inputs: np.ndarray, names: list[str], weights: np.ndarray) -> list[Contribution]:
    terms = [Contribution(n, float(v), float(w)) for n, v, w in zip(names, inputs, weights, strict=True) if v != 0.0]
    return sorted(terms, key=lambda c: -abs(c.contribution))
