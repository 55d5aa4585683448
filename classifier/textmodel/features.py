"""TF-IDF features computed with numpy alone, equal to scikit-learn's.

The labelling path must not import scikit-learn (it costs more than a second
of start-up). This module reproduces ``TfidfVectorizer`` for the settings we
train with (word n-grams with the default token pattern, or ``char_wb``
character n-grams; lowercase, smooth idf, optional sublinear tf, l2 norm,
optionally place names masked first, see ``places.py``) and a
``FeatureUnion`` of such blocks; ``tests/test_model_equivalence.py`` proves
the numbers match scikit-learn's on the whole corpus.
"""

from __future__ import annotations

import re
from collections import Counter
from collections.abc import Iterator, Mapping, Sequence
from dataclasses import dataclass
from functools import cached_property
from itertools import chain, compress, repeat
from typing import Any

import numpy as np

from ..errors import ModelError
from ..text.places import mask_places, places_digest

_WORD_CACHE_LIMIT = 200_000
#: Longer words are analysed each time they occur rather than remembered: no real word is this long,
#: and a remembered freak (a file that is one 8 MB word) would hold its columns for the process's life.
_LONGEST_REMEMBERED_WORD = 100
#: scikit-learn's default ``token_pattern``.
TOKEN_PATTERN = r"(?u)\b\w\w+\b"


@dataclass(frozen=True)
class SparseRows:
    """A batch of sparse feature rows in CSR form (no scipy needed)."""

    indptr: np.ndarray
    indices: np.ndarray
    data: np.ndarray

    @property
    def n_rows(self) -> int:
        return len(self.indptr) - 1

    def row_ids(self) -> np.ndarray:
        return np.repeat(np.arange(self.n_rows), np.diff(self.indptr))


ANALYZERS = ("word", "char_wb")


class TfidfFeatures:
    """A fitted vocabulary and idf vector that turn sentences into l2-normalised rows."""

    def __init__(self, terms: Sequence[str], idf: np.ndarray, settings: Mapping[str, Any]) -> None:
        #: The block's settings as a model's metadata stores them; the scikit-learn bridge builds from them.
        self.settings = dict(settings)
        self.analyzer = settings.get("analyzer", "word")
        if self.analyzer not in ANALYZERS or settings.get("token_pattern", TOKEN_PATTERN) != TOKEN_PATTERN:
            raise ModelError("this model uses feature settings this version cannot compute; retrain it")
        if len(terms) != len(idf):
            raise ModelError("the model's vocabulary and idf vector differ in length; the model is corrupted")
        self.terms = list(terms)
        self.idf = np.asarray(idf, dtype=np.float64)
        low, high = settings.get("ngram_range", (1, 1))
        self.ngram_range = (int(low), int(high))
        self.lowercase = bool(settings.get("lowercase", True))
        self.sublinear_tf = bool(settings.get("sublinear_tf", False))
        self.mask_places = bool(settings.get("mask_places", False))
        if self.mask_places and settings.get("places_sha256") != places_digest():
            raise ModelError("this model was trained with a different list of place names (places.txt); retrain it")
        self._token = re.compile(TOKEN_PATTERN)
        # Column indices of each word's character n-grams: words repeat across sentences, so
        # this memo makes char_wb scoring several times faster. Bounded; safe to share between
        # threads (dict reads and writes are atomic, and a racing write stores the same value).
        self._word_columns: dict[str, tuple[int, ...]] = {}
        self._ngrams_as_numbers: _NgramTable | None = None

    def __len__(self) -> int:
        return len(self.terms)

    @cached_property
    def index(self) -> dict[str, int]:
        """Each term's column; built on first use (a word block looks its n-grams up by number instead)."""
        return {term: i for i, term in enumerate(self.terms)}

    def analyze(self, text: str) -> list[str]:
        """The n-grams of a text, as scikit-learn's analyzer makes them."""
        return self._ngrams(mask_places(text) if self.mask_places else text)

    def _ngrams(self, text: str) -> list[str]:
        """The n-grams of a text whose place names are already masked if this block masks them."""
        if self.lowercase:
            text = text.lower()
        if self.analyzer == "char_wb":
            return list(self._char_wb_ngrams(text))
        tokens = self._token.findall(text)
        low, high = self.ngram_range
        grams = list(tokens) if low == 1 else []
        for n in range(max(low, 2), min(high, len(tokens)) + 1):
            grams.extend(" ".join(tokens[i : i + n]) for i in range(len(tokens) - n + 1))
        return grams

    def _char_wb_ngrams(self, text: str) -> Iterator[str]:
        """Character n-grams inside words padded with one space, as ``char_wb`` makes them; one at a
        time, so a word of millions of characters costs its distinct n-grams, not all of them at once."""
        low, high = self.ngram_range
        for word in text.split():
            padded = f" {word} "
            length = len(padded)
            for n in range(low, high + 1):
                if length <= n:  # a short word counts once, whole
                    yield padded
                    break
                yield from (padded[i : i + n] for i in range(length - n + 1))

    def transform(self, texts: Sequence[str]) -> SparseRows:
        """TF-IDF rows for a batch of sentences as they were written."""
        return self.transform_masked([mask_places(t) for t in texts] if self.mask_places else texts)

    def transform_masked(self, texts: Sequence[str]) -> SparseRows:
        """TF-IDF rows for a batch whose place names are already masked if this block masks them."""
        if self.analyzer == "char_wb":
            rows, columns, times = self._char_wb_columns(texts)
        else:
            rows, columns, times = self._word_ngram_columns(texts)
        return self._weigh(rows, columns, times, len(texts))

    def _weigh(self, rows: np.ndarray, columns: np.ndarray, times: np.ndarray | None, n_rows: int) -> SparseRows:
        """Rows from the vocabulary columns each text holds (one entry per occurrence, or per distinct
        column with its count in ``times``): counted, tf-idf weighted and l2-normalised, columns in
        ascending order within each row as scikit-learn's are.

        Counting sorts one key (row, column) per entry: 32-bit keys when the batch allows, and a
        stable sort, which is quickest on keys that arrive grouped by row.
        """
        width = len(self)
        key_type = np.int32 if n_rows * width < 2**31 else np.int64
        keys = rows.astype(key_type) * key_type(width)
        keys += columns.astype(key_type, copy=False)
        if times is None:  # each entry is one occurrence: the common, faster case
            keys.sort(kind="stable")
        else:
            order = np.argsort(keys, kind="stable")
            keys, times = keys[order], times[order]
        first = np.ones(len(keys), dtype=bool)
        np.not_equal(keys[1:], keys[:-1], out=first[1:])
        starts = np.flatnonzero(first)
        if times is None:
            data = np.diff(starts, append=len(keys)).astype(np.float64)
        else:
            data = np.add.reduceat(times, starts) if len(starts) else np.zeros(0)
        row_ids, column_ids = np.divmod(keys[starts], key_type(width))
        if self.sublinear_tf and len(data):
            data = np.log(data) + 1.0
        data *= self.idf[column_ids]
        norms = np.sqrt(np.bincount(row_ids, weights=data * data, minlength=n_rows))
        norms[norms == 0.0] = 1.0
        data /= norms[row_ids]
        indptr = np.zeros(n_rows + 1, dtype=np.int64)
        np.cumsum(np.bincount(row_ids, minlength=n_rows), out=indptr[1:])
        return SparseRows(indptr, column_ids.astype(np.int64, copy=False), data)

    def _word_ngram_columns(self, texts: Sequence[str]) -> tuple[np.ndarray, np.ndarray, None]:
        """The text (row) and vocabulary column of each word n-gram occurrence (so no counts).

        Each token becomes a number (one dict lookup per token); an n-gram is then the number
        its tokens' numbers spell, found in a sorted table of the vocabulary's n-grams with
        numpy, so no n-gram string is ever joined.
        """
        ngrams = self._ngram_table()
        token_lists = [self._token.findall(text.lower() if self.lowercase else text) for text in texts]
        tokens_per_text = np.fromiter(map(len, token_lists), dtype=np.int64, count=len(texts))
        get = ngrams.token_ids.get
        every_token = chain.from_iterable(token_lists)
        ids = np.fromiter((get(t, -1) for t in every_token), dtype=np.int64, count=int(tokens_per_text.sum()))
        text_of_token = np.repeat(np.arange(len(texts)), tokens_per_text)
        # tokens left in the token's text from it onwards: an n-gram starts where at least n are left
        left = np.repeat(np.cumsum(tokens_per_text), tokens_per_text) - np.arange(len(ids))
        rows, columns = [], []
        low, high = self.ngram_range
        code = np.zeros(len(ids), dtype=np.int64)
        known = np.ones(len(ids), dtype=bool)
        for n in range(1, high + 1):
            # extend each position's code by its (n-1)th following token
            shifted = np.full(len(ids), -1, dtype=np.int64)
            reach = max(len(ids) - n + 1, 0)
            shifted[:reach] = ids[n - 1 : n - 1 + reach]
            known &= shifted >= 0
            code = code * ngrams.radix + shifted
            if n < low:
                continue
            starts = np.flatnonzero(known & (left >= n))
            found = ngrams.lookup(n, code[starts])
            hit = found >= 0
            rows.append(text_of_token[starts[hit]])
            columns.append(found[hit])
        if not rows:
            return np.zeros(0, dtype=np.int64), np.zeros(0, dtype=np.int64), None
        return np.concatenate(rows), np.concatenate(columns), None

    def _ngram_table(self) -> _NgramTable:
        """The vocabulary's word n-grams as numbers, built on first use (a labelling call that runs
        in rules mode never needs it)."""
        table = self._ngrams_as_numbers
        if table is None:
            table = self._ngrams_as_numbers = _NgramTable.build(self.terms, self.ngram_range[1])
        return table

    def _char_wb_columns(self, texts: Sequence[str]) -> tuple[np.ndarray, np.ndarray, np.ndarray | None]:
        """The text (row) and vocabulary column of each character n-gram entry, and how many times
        each occurs (None when every entry is one occurrence, as it is unless a very long word is
        counted).

        char_wb n-grams never cross a word, so a text's columns are its words'
        columns in order. Each distinct word of the batch is analysed once (and
        remembered across batches); numpy then gathers the columns of every
        word occurrence, so per-occurrence work in Python is one dict lookup.
        """
        distinct: dict[str, int] = {}
        occurrences: list[int] = []
        words_per_text = np.empty(len(texts), dtype=np.int64)
        for row, text in enumerate(texts):
            words = (text.lower() if self.lowercase else text).split()
            words_per_text[row] = len(words)
            occurrences.extend([distinct.setdefault(word, len(distinct)) for word in words])
        cache = self._word_columns
        per_word: list[tuple[int, ...]] = []
        counts_of_long_words: dict[int, tuple[int, ...]] = {}  # position in per_word -> counts
        for word in distinct:
            columns = cache.get(word)
            if columns is None:
                columns, counts = self._analyse_word(word)
                if counts is not None:
                    counts_of_long_words[len(per_word)] = counts
            per_word.append(columns)
        word_lengths = np.fromiter(map(len, per_word), dtype=np.int64, count=len(per_word))
        word_flat = np.fromiter(chain.from_iterable(per_word), dtype=np.int64, count=int(word_lengths.sum()))
        word_starts = np.cumsum(word_lengths) - word_lengths
        word_times = None
        if counts_of_long_words:
            word_times = np.ones(len(word_flat))
            for position, counts in counts_of_long_words.items():
                word_times[word_starts[position] : word_starts[position] + len(counts)] = counts
        word_ids = np.asarray(occurrences, dtype=np.int64)
        lengths = word_lengths[word_ids]
        position_in_word = np.arange(int(lengths.sum())) - np.repeat(np.cumsum(lengths) - lengths, lengths)
        gather = np.repeat(word_starts[word_ids], lengths) + position_in_word
        text_of_entry = np.repeat(np.repeat(np.arange(len(texts)), words_per_text), lengths)
        return text_of_entry, word_flat[gather], None if word_times is None else word_times[gather]

    def _analyse_word(self, word: str) -> tuple[tuple[int, ...], tuple[int, ...] | None]:
        """One (lowercased) word's char_wb columns: with repeats for a word of ordinary length,
        remembered (counts None); as distinct columns and their counts for a very long one, which
        is analysed each time rather than held (a file that is one 8 MB word)."""
        index = self.index
        columns = (i for i in map(index.get, self._char_wb_ngrams(word)) if i is not None)
        if len(word) > _LONGEST_REMEMBERED_WORD:
            counted = Counter(columns)
            return tuple(counted), tuple(counted.values())
        known = tuple(sorted(columns))  # sorted runs make the batch's stable sort quicker
        if len(self._word_columns) >= _WORD_CACHE_LIMIT:
            self._word_columns.clear()
        self._word_columns[word] = known
        return known, None

    def __getstate__(self) -> dict[str, Any]:
        state = dict(self.__dict__)
        state["_word_columns"] = {}  # caches, not state: rebuilt on demand
        state["_ngrams_as_numbers"] = None
        state.pop("index", None)
        return state


@dataclass(frozen=True)
class _NgramTable:
    """A word block's vocabulary as numbers: a token's number is its column as a one-word term (tokens
    that only occur inside longer terms are numbered after the last column), and an n-gram is the
    number its tokens spell in base ``radix``; per length of two tokens or more, the n-grams' numbers
    sorted, with their columns."""

    token_ids: Mapping[str, int]
    n_terms: int
    radix: int
    codes: tuple[np.ndarray, ...]  # index n - 2: sorted numbers of the vocabulary's n-grams of n tokens
    columns: tuple[np.ndarray, ...]  # index n - 2: their vocabulary columns

    @classmethod
    def build(cls, terms: Sequence[str], longest: int) -> _NgramTable:
        """Built with C-level string and dict calls and numpy: it runs when the first sentence is labelled."""
        lengths = np.fromiter(map(str.count, terms, repeat(" ")), dtype=np.int64, count=len(terms)) + 1
        one_word = lengths == 1
        index: dict[str, int] = dict(
            zip(compress(terms, one_word.tolist()), np.flatnonzero(one_word).tolist(), strict=True)
        )
        longer = np.flatnonzero(~one_word)
        tokens = " ".join(terms[column] for column in longer.tolist()).split(" ") if len(longer) else []
        inner_only = dict.fromkeys(token for token in tokens if token not in index)  # none for min_df models
        token_ids = index | dict(zip(inner_only, range(len(terms), len(terms) + len(inner_only)), strict=True))
        radix = max(len(terms) + len(inner_only), 1)
        if radix**longest >= 2**63:
            raise ModelError(f"word n-grams of {longest} tokens over {radix:,} terms are too many to number")
        ids = np.fromiter(map(token_ids.__getitem__, tokens), dtype=np.int64, count=len(tokens))
        first_token = np.cumsum(lengths[longer]) - lengths[longer]
        codes, columns = [], []
        for n in range(2, longest + 1):
            of_length = np.flatnonzero(lengths[longer] == n)
            code = np.zeros(len(of_length), dtype=np.int64)
            for j in range(n):
                code = code * radix + ids[first_token[of_length] + j]
            order = np.argsort(code, kind="stable")
            codes.append(code[order])
            columns.append(longer[of_length[order]])
        return cls(token_ids, len(terms), radix, tuple(codes), tuple(columns))

    def lookup(self, length: int, codes: np.ndarray) -> np.ndarray:
        """The column of each n-gram number of the given length, -1 where it is not in the vocabulary."""
        if length == 1:  # a token's number is its column, unless it only occurs inside longer terms
            return np.where(codes < self.n_terms, codes, -1)
        table = self.codes[length - 2]
        if not len(table):
            return np.full(len(codes), -1, dtype=np.int64)
        at = np.minimum(np.searchsorted(table, codes), len(table) - 1)
        return np.where(table[at] == codes, self.columns[length - 2][at], -1)


class FeatureUnion:
    """Blocks of TF-IDF features side by side, like scikit-learn's ``FeatureUnion``."""

    def __init__(self, blocks: Sequence[TfidfFeatures]) -> None:
        # No blocks: a model that reads an encoder's embeddings alone (checked where the model is built).
        self.blocks = list(blocks)
        self.offsets = np.cumsum([0, *[len(b) for b in self.blocks]])

    def __len__(self) -> int:
        return int(self.offsets[-1])

    @property
    def terms(self) -> list[str]:
        """Every column's name, prefixed by its block's analyzer (word: / char_wb:)."""
        return [f"{b.analyzer}:{t}" for b in self.blocks for t in b.terms]

    def block_rows(self, texts: Sequence[str]) -> list[tuple[SparseRows, int, int]]:
        """Each block's rows, with the span of union columns the block occupies.

        Place names are masked once for all the blocks that mask them.
        """
        masked = [mask_places(t) for t in texts] if any(b.mask_places for b in self.blocks) else texts
        return [
            (block.transform_masked(masked if block.mask_places else texts), int(start), int(stop))
            for block, start, stop in zip(self.blocks, self.offsets[:-1], self.offsets[1:], strict=True)
        ]

    def transform(self, texts: Sequence[str]) -> SparseRows:
        """Each block's rows side by side: a row's columns are block 1's, then block 2's, ..."""
        return self.side_by_side(texts, [rows for rows, _, _ in self.block_rows(texts)])

    def side_by_side(self, texts: Sequence[str], parts: Sequence[SparseRows]) -> SparseRows:
        """The rows of ``texts`` from each block's rows (``block_rows``), joined column-wise."""
        if not parts:
            return SparseRows(np.zeros(len(texts) + 1, dtype=np.int64), np.zeros(0, dtype=np.int64), np.zeros(0))
        if len(parts) == 1:
            return parts[0]
        per_row = [np.diff(part.indptr) for part in parts]
        indptr = np.concatenate([[0], np.cumsum(np.sum(per_row, axis=0))])
        indices = np.empty(int(indptr[-1]), dtype=np.int64)
        data = np.empty(int(indptr[-1]))
        row_fill = indptr[:-1].copy()  # where each row's next block starts in the output
        for part, counts, offset in zip(parts, per_row, self.offsets, strict=False):
            # element k of row r goes to row_fill[r] + (k - part.indptr[r]); no sort needed
            target = np.repeat(row_fill - part.indptr[:-1], counts) + np.arange(len(part.indices))
            indices[target] = part.indices + offset
            data[target] = part.data
            row_fill += counts
        return SparseRows(indptr, indices, data)
