"""How each rule behaves on labelled data: coverage, precision, overlaps, conflicts, errors."""

from __future__ import annotations

from collections import Counter, defaultdict
from collections.abc import Sequence
from dataclasses import dataclass, field
from typing import Any

from .matcher import RuleMatcher


@dataclass
class RuleStats:
    """Figures for one rule over a labelled data set."""

    rule_id: str
    label: str
    fired: int = 0
    correct: int = 0
    coverage: float = 0.0
    overlaps: Counter[str] = field(default_factory=Counter)  # other rules of the same label firing with it
    conflicts: Counter[str] = field(default_factory=Counter)  # rules of other labels firing with it
    errors: list[tuple[str, str]] = field(default_factory=list)  # (gold label, sentence) where it fired wrongly

    @property
    def precision(self) -> float | None:
        return self.correct / self.fired if self.fired else None

    def to_dict(self) -> dict[str, Any]:
        return {
            "rule": self.rule_id,
            "label": self.label,
            "fired": self.fired,
            "coverage": self.coverage,
            "precision": self.precision,
            "overlaps": dict(self.overlaps),
            "conflicts": dict(self.conflicts),
            "errors": [{"gold": gold, "text": text} for gold, text in self.errors],
        }


def rule_stats(matcher: RuleMatcher, texts: Sequence[str], gold: Sequence[str]) -> list[RuleStats]:
    """Per-rule figures; precision counts a hit correct when its label is the gold label."""
    stats = {rule.id: RuleStats(rule.id, rule.label) for rule in matcher.rulebook.rules}
    by_rule_label = {rule.id: rule.label for rule in matcher.rulebook.rules}
    co_fired: dict[str, Counter[str]] = defaultdict(Counter)
    for text, label in zip(texts, gold, strict=True):
        fired = sorted({hit.rule_id for hit in matcher.hits(text)})
        for rule_id in fired:
            entry = stats[rule_id]
            entry.fired += 1
            if entry.label == label:
                entry.correct += 1
            else:
                entry.errors.append((label, text))
            for other in fired:
                if other != rule_id:
                    co_fired[rule_id][other] += 1
    for rule_id, entry in stats.items():
        entry.coverage = entry.fired / len(texts) if texts else 0.0
        for other, count in co_fired[rule_id].items():
            target = entry.overlaps if by_rule_label[other] == entry.label else entry.conflicts
            target[other] = count
    return list(stats.values())
