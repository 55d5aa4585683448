"""Running a rule book over sentences: which rules fire, where, and what they vote.

All patterns are compiled once. A word index maps each trigger word to the
patterns that need it, so a sentence only runs the expressions of rules whose
words it contains; matching cost grows with the sentence, not the rule book.
"""

from __future__ import annotations

import re
from collections import defaultdict
from collections.abc import Sequence

import numpy as np

from .labels import CLAIM_LABELS
from .result import RuleHit
from .rulebook import Guard, Rule, RuleBook

_WORDS = re.compile(r"[^\W_]+")
# A guard's reach ends at the next clause break after its frame.
_CLAUSE_BREAK = re.compile(r"[,;:\u2013\u2014()]|\s-\s")


class RuleMatcher:
    """Finds rule hits in sentences; immutable after construction, so thread-safe."""

    def __init__(self, rulebook: RuleBook) -> None:
        self.rulebook = rulebook
        self._label_index = {label: i for i, label in enumerate(CLAIM_LABELS)}
        self._always: list[tuple[Rule | Guard, re.Pattern[str]]] = []
        self._by_word: dict[str, list[tuple[Rule | Guard, re.Pattern[str]]]] = defaultdict(list)
        for item in (*rulebook.rules, *rulebook.guards):
            for pattern in item.patterns:
                entry = (item, pattern.regex)
                if pattern.triggers is None:
                    self._always.append(entry)
                else:
                    for word in pattern.triggers:
                        self._by_word[word].append(entry)

    def hits(self, sentence: str) -> tuple[RuleHit, ...]:
        """Rule hits in one sentence, in text order; one hit per rule (its first match)."""
        words = set(_WORDS.findall(sentence.lower()))
        candidates: dict[int, tuple[Rule | Guard, re.Pattern[str]]] = {}
        for word in words:
            for entry in self._by_word.get(word, ()):
                candidates[id(entry)] = entry
        for entry in self._always:
            candidates[id(entry)] = entry
        found: dict[str, RuleHit] = {}
        guard_spans: list[tuple[int, int, frozenset[str]]] = []
        for item, regex in candidates.values():
            match = regex.search(sentence)
            if match is None:
                continue
            if isinstance(item, Guard):
                end = _guard_reach(item, sentence, match)
                if end is not None:
                    guard_spans.append((match.start(), end, item.applies_to))
                continue
            previous = found.get(item.id)
            if previous is None or match.start() < previous.start:
                found[item.id] = RuleHit(item.id, item.label, item.weight, match.start(), match.end(), match.group())
        kept = [hit for hit in found.values() if not _guarded(hit, guard_spans)]
        return tuple(sorted(kept, key=lambda h: (h.start, h.rule_id)))

    def guard_hits(self, sentence: str) -> list[tuple[str, int, int]]:
        """The guards whose frames occur in a sentence (id, start, end), for explanations."""
        spans = []
        for guard in self.rulebook.guards:
            for pattern in guard.patterns:
                match = pattern.regex.search(sentence)
                if match and _guard_reach(guard, sentence, match) is not None:
                    spans.append((guard.id, match.start(), match.end()))
                    break
        return spans

    def evidence_matrix(self, all_hits: Sequence[Sequence[RuleHit]]) -> np.ndarray:
        """Evidence rows for a batch of sentences' hits."""
        matrix = np.zeros((len(all_hits), len(CLAIM_LABELS)))
        for row, hits in enumerate(all_hits):
            for hit in hits:
                matrix[row, self._label_index[hit.label]] += hit.weight
        return matrix


def fired_matrix(all_hits: Sequence[Sequence[RuleHit]], rule_ids: Sequence[str]) -> np.ndarray:
    """1.0 where a sentence (row) has a hit of a rule (column, in ``rule_ids`` order)."""
    column = {rule_id: i for i, rule_id in enumerate(rule_ids)}
    matrix = np.zeros((len(all_hits), len(rule_ids)))
    for row, hits in enumerate(all_hits):
        for hit in hits:
            index = column.get(hit.rule_id)
            if index is not None:
                matrix[row, index] = 1.0
    return matrix


def _guard_reach(guard: Guard, sentence: str, match: re.Match[str]) -> int | None:
    """Where a guard's reach ends: the next clause break, or the sentence end.

    None when a "closed_clause" guard has no break closing it: then the frame
    is the main clause itself and cancels nothing.
    """
    brk = _CLAUSE_BREAK.search(sentence, match.end())
    if brk is None:
        return None if guard.scope == "closed_clause" else len(sentence)
    return brk.start()


def _guarded(hit: RuleHit, guard_spans: list[tuple[int, int, frozenset[str]]]) -> bool:
    return any(start <= hit.start < end and hit.label in labels for start, end, labels in guard_spans)
