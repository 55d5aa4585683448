"""The immutable result types the API returns."""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import Any


@dataclass(frozen=True, slots=True)
class RuleHit:
    """One rule that fired: which, for what label, where in the sentence."""

    rule_id: str
    label: str
    weight: float
    start: int  # offsets into the sentence text
    end: int
    text: str

    def to_dict(self) -> dict[str, Any]:
        return {
            "rule": self.rule_id,
            "label": self.label,
            "weight": self.weight,
            "start": self.start,
            "end": self.end,
            "text": self.text,
        }


@dataclass(frozen=True, slots=True)
class Prediction:
    """The label of one sentence and the evidence behind it.

    ``start``/``end`` are offsets into the text the sentence came from
    (``label_text``) or into the sentence itself (``label_sentences``), so
    ``source_text[start:end] == text`` always holds. ``label`` is ``None``
    when the sentence carries no claim or the confidence is below
    ``min_confidence``; ``scores`` still shows every outcome. ``evidence``
    lists the rule hits (empty in ``model`` mode, which runs no rules).
    """

    text: str
    start: int
    end: int
    label: str | None
    confidence: float
    scores: dict[str, float]
    source: str
    evidence: tuple[RuleHit, ...] = field(default_factory=tuple)

    def to_dict(self) -> dict[str, Any]:
        return {
            "start": self.start,
            "end": self.end,
            "text": self.text,
            "label": self.label,
            "confidence": self.confidence,
            "scores": dict(self.scores),
            "source": self.source,
            "evidence": [hit.to_dict() for hit in self.evidence],
        }
