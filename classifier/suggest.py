"""Which sentences most deserve a human label: uncertain, contested, near the boundary."""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import numpy as np

from .errors import InputError
from .labels import OUTCOMES
from .scoring import Scorer
from .text.inputs import read_document
from .text.segment import split_sentences


@dataclass(frozen=True)
class Suggestion:
    """A sentence to label, why it was chosen, and the classifier's guesses."""

    doc: str
    text: str
    priority: float
    reasons: tuple[str, ...]
    hybrid: str
    rules: str
    model: str
    margin: float

    def to_record(self) -> dict[str, Any]:
        """A row for ``claims train --data``: fill in ``label`` (left empty on purpose)."""
        return {
            "text": self.text,
            "label": "",
            "doc": self.doc,
            "suggested_label": self.hybrid,
            "priority": round(self.priority, 4),
            "reasons": list(self.reasons),
            "rules_label": self.rules,
            "model_label": self.model,
        }


def suggest(scorer: Scorer, sentences: Sequence[tuple[str, str]], limit: int | None = None) -> list[Suggestion]:
    """Rank (doc, sentence) pairs by how much a human label would teach the model.

    Priority = 1 - margin between the hybrid's two best outcomes, plus 0.5 when
    rules and model disagree (each only counted when the rules fired at all).
    """
    texts = [text for _doc, text in sentences]
    if not texts:
        return []
    by_mode = scorer.score(texts).by_mode
    hybrid, rules, model = by_mode["hybrid"], by_mode["rules"], by_mode["model"]
    top_two = np.sort(hybrid, axis=1)[:, -2:]
    margins = top_two[:, 1] - top_two[:, 0]
    suggestions = []
    for i, (doc, text) in enumerate(sentences):
        rules_label, model_label = OUTCOMES[rules[i].argmax()], OUTCOMES[model[i].argmax()]
        reasons = []
        priority = 1.0 - float(margins[i])
        if margins[i] < 0.2:
            reasons.append("near the decision boundary")
        if hybrid[i].max() < 0.5:
            reasons.append("low confidence")
        if rules_label != "none" and rules_label != model_label:
            reasons.append("rules and model disagree")
            priority += 0.5
        suggestions.append(
            Suggestion(
                doc,
                text,
                priority,
                tuple(reasons),
                OUTCOMES[hybrid[i].argmax()],
                rules_label,
                model_label,
                float(margins[i]),
            )
        )
    suggestions.sort(key=lambda s: -s.priority)
    return suggestions[:limit] if limit else suggestions


def sentences_to_rank(files: Sequence[str]) -> list[tuple[str, str]]:
    """(doc, sentence) pairs from statement files (split into sentences) or labelled JSONL rows."""
    from .training.data import read_jsonl  # the JSONL reader of labelled data, with its row-naming errors

    pairs: list[tuple[str, str]] = []
    for location in files:
        if location.endswith(".jsonl"):
            if not Path(location).is_file():
                raise InputError(f"{location}: no such file")
            rows = read_jsonl(Path(location))  # a malformed line is a DataError naming it
            pairs.extend((str(row.get("doc", location)), str(row["text"])) for row in rows if row.get("text"))
        else:
            document = read_document(location)
            pairs.extend((document.name, document.text[s.start : s.end]) for s in split_sentences(document.text))
    return pairs
