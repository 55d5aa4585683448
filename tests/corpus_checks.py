"""Corpus hygiene: normalised duplicates and near-duplicates by word 3-gram overlap."""

from __future__ import annotations

import re
from collections import defaultdict
from collections.abc import Sequence

_NON_WORD = re.compile(r"[^\w]+")


def normalise(text: str) -> str:
    """Lowercase, punctuation dropped, white space folded: what 'the same sentence' means."""
    return " ".join(_NON_WORD.sub(" ", text.casefold()).split())


def shingles(text: str, n: int = 3) -> frozenset[tuple[str, ...]]:
    words = normalise(text).split()
    return frozenset(tuple(words[i : i + n]) for i in range(max(1, len(words) - n + 1)))


def near_duplicates(texts: Sequence[str], threshold: float = 0.6) -> list[tuple[int, int, float]]:
    """Pairs of texts whose word 3-gram Jaccard similarity is at least ``threshold``.

    Candidates come from an inverted index of 3-grams, so only pairs that
    share a 3-gram are compared.
    """
    sets = [shingles(t) for t in texts]
    index: dict[tuple[str, ...], list[int]] = defaultdict(list)
    for i, grams in enumerate(sets):
        for gram in grams:
            index[gram].append(i)
    shared: dict[tuple[int, int], int] = defaultdict(int)
    for members in index.values():
        if len(members) > 200:  # a stock phrase shared by hundreds says nothing about a pair
            continue
        for a_pos, a in enumerate(members):
            for b in members[a_pos + 1 :]:
                shared[(a, b)] += 1
    pairs = []
    for (a, b), common in shared.items():
        union = len(sets[a]) + len(sets[b]) - common
        similarity = common / union if union else 1.0
        if similarity >= threshold:
            pairs.append((a, b, similarity))
    return sorted(pairs)
