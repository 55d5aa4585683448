"""Running a rule book over sentences: which rules fire, where, and what they vote.

All patterns are compiled once. A word index maps each trigger word to the
patterns that need it, and a candidate's expression runs only when the
sentence also holds a word of each of its other required tokens; so matching
cost grows with the sentence, not the rule book (on the corpus, 8.4 candidate
patterns per sentence, of which 3.5 are run).
"""

from __future__ import annotations

import re
from collections import defaultdict
from collections.abc import Sequence
from dataclasses import dataclass

import numpy as np

from ..labels import CLAIM_LABELS
from ..result import RuleHit
from .book import Guard, Rule, RuleBook
from .patterns import CompiledPattern

#: The words the rule index sees: runs of letters and digits of the lowercased sentence.
WORDS = re.compile(r"[^\W_]+")
# A guard's reach ends at the next clause break after its frame.
_CLAUSE_BREAK = re.compile(r"[,;:\u2013\u2014()]|\s-\s")


@dataclass(frozen=True)
class BatchHits:
    """A batch's rule evidence: hits per sentence, summed weight per label, and indicator columns."""

    hits: list[tuple[RuleHit, ...]]
    evidence: np.ndarray  # (n_sentences, len(CLAIM_LABELS))
    fired: np.ndarray  # (n_sentences, len(indicator_rules))


@dataclass(frozen=True)
class _Entry:
    """One pattern of a rule or guard, with the word sets it needs beyond its trigger words as bits
    (one bit per distinct word set of the rule book): it may match only if a sentence has them all."""

    item: Rule | Guard
    pattern: CompiledPattern
    needs: int


class RuleMatcher:
    """Finds rule hits in sentences; immutable after construction, so thread-safe."""

    def __init__(self, rulebook: RuleBook) -> None:
        self.rulebook = rulebook
        self._label_index = {label: i for i, label in enumerate(CLAIM_LABELS)}
        self._entries: list[_Entry] = []
        always: list[int] = []
        by_word: dict[str, list[int]] = defaultdict(list)
        bit_of_set: dict[frozenset[str], int] = {}
        for item in (*rulebook.rules, *rulebook.guards):
            for pattern in item.patterns:
                needs = 0
                for words in pattern.required:
                    if words != pattern.triggers:
                        needs |= bit_of_set.setdefault(words, 1 << len(bit_of_set))
                index = len(self._entries)
                self._entries.append(_Entry(item, pattern, needs))
                if pattern.triggers is None:
                    always.append(index)
                for word in pattern.triggers or ():
                    by_word[word].append(index)
        self._always = frozenset(always)
        self._by_word = {word: tuple(indices) for word, indices in by_word.items()}
        self._trigger_words = frozenset(self._by_word)
        # Each word's bits: the word sets it belongs to.
        word_bits: dict[str, int] = defaultdict(int)
        for words, bit in bit_of_set.items():
            for word in words:
                word_bits[word] |= bit
        self._word_bits = dict(word_bits)
        self._needed_words = frozenset(word_bits)

    def hits(self, sentence: str) -> tuple[RuleHit, ...]:
        """Rule hits in one sentence, in text order; one hit per rule (its first match)."""
        lowered = sentence.lower()
        words = set(WORDS.findall(lowered))
        candidates = set(self._always)
        for word in words & self._trigger_words:
            candidates.update(self._by_word[word])
        present = 0  # the bits of the word sets this sentence has a word of
        for word in words & self._needed_words:
            present |= self._word_bits[word]
        found: dict[str, RuleHit] = {}
        guard_spans: list[tuple[int, int, frozenset[str]]] = []
        for index in sorted(candidates):  # rule-book order, so ties resolve the same way every time
            entry = self._entries[index]
            if entry.needs & present != entry.needs:
                continue
            match = entry.pattern.search(sentence, lowered)
            if match is None:
                continue
            item = entry.item
            if isinstance(item, Guard):
                end = _guard_reach(item, sentence, match)
                if end is not None:
                    guard_spans.append((match.start(), end, item.applies_to))
                continue
            previous = found.get(item.id)
            if previous is None or match.start() < previous.start:
                start, stop = match.span()
                found[item.id] = RuleHit(item.id, item.label, item.weight, start, stop, sentence[start:stop])
        kept = [hit for hit in found.values() if not _guarded(hit, guard_spans)]
        return tuple(sorted(kept, key=lambda h: (h.start, h.rule_id)))

    def match_batch(self, sentences: Sequence[str], indicator_rules: Sequence[str], *, run: bool = True) -> BatchHits:
        """Everything the scorer needs from the rules for a batch, in one call.

        With ``run=False`` (model mode) no rule runs: no hits, zero evidence.
        """
        hits = [self.hits(s) for s in sentences] if run else [()] * len(sentences)
        return BatchHits(hits, self.evidence_matrix(hits), fired_matrix(hits, indicator_rules))

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
    is the main clause itself and cancels nothing. A "frame" guard reaches
    only to the end of its own match.
    """
    if guard.scope == "frame":
        return match.end()
    brk = _CLAUSE_BREAK.search(sentence, match.end())
    if brk is None:
        return None if guard.scope == "closed_clause" else len(sentence)
    return brk.start()


def _guarded(hit: RuleHit, guard_spans: list[tuple[int, int, frozenset[str]]]) -> bool:
    return any(start <= hit.start < end and hit.label in labels for start, end, labels in guard_spans)
