"""TF-IDF features computed with numpy alone, equal to scikit-learn's.

The labelling path must not import scikit-learn (it costs more than a second
of start-up). This module reproduces ``TfidfVectorizer`` for the settings we
train with (word n-grams, the default token pattern, lowercase, smooth idf,
optional sublinear tf, l2 norm); ``tests/test_model_equivalence.py`` proves
the numbers match scikit-learn's on the whole corpus.
"""

from __future__ import annotations

import re
from collections import Counter
from collections.abc import Mapping, Sequence
from dataclasses import dataclass
from typing import Any

import numpy as np

from .errors import ModelError

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


class TfidfFeatures:
    """A fitted vocabulary and idf vector that turn sentences into l2-normalised rows."""

    def __init__(self, terms: Sequence[str], idf: np.ndarray, settings: Mapping[str, Any]) -> None:
        if settings.get("analyzer", "word") != "word" or settings.get("token_pattern", TOKEN_PATTERN) != TOKEN_PATTERN:
            raise ModelError("this model uses feature settings this version cannot compute; retrain it")
        if len(terms) != len(idf):
            raise ModelError("the model's vocabulary and idf vector differ in length; the model is corrupted")
        self.terms = list(terms)
        self.index = {term: i for i, term in enumerate(self.terms)}
        self.idf = np.asarray(idf, dtype=np.float64)
        low, high = settings.get("ngram_range", (1, 1))
        self.ngram_range = (int(low), int(high))
        self.lowercase = bool(settings.get("lowercase", True))
        self.sublinear_tf = bool(settings.get("sublinear_tf", False))
        self._token = re.compile(TOKEN_PATTERN)

    def __len__(self) -> int:
        return len(self.terms)

    def analyze(self, text: str) -> list[str]:
        """The n-grams of a text, as scikit-learn's word analyzer makes them."""
        tokens = self._token.findall(text.lower() if self.lowercase else text)
        low, high = self.ngram_range
        grams = list(tokens) if low == 1 else []
        for n in range(max(low, 2), min(high, len(tokens)) + 1):
            grams.extend(" ".join(tokens[i : i + n]) for i in range(len(tokens) - n + 1))
        return grams

    def transform(self, texts: Sequence[str]) -> SparseRows:
        """TF-IDF rows for a batch, in one pass over the texts."""
        indptr = [0]
        indices: list[int] = []
        counts: list[float] = []
        index = self.index
        for text in texts:
            row = Counter(i for i in map(index.get, self.analyze(text)) if i is not None)
            for column in sorted(row):
                indices.append(column)
                counts.append(row[column])
            indptr.append(len(indices))
        data = np.asarray(counts, dtype=np.float64)
        if self.sublinear_tf and len(data):
            data = np.log(data) + 1.0
        columns = np.asarray(indices, dtype=np.int64)
        data = data * self.idf[columns]
        pointers = np.asarray(indptr, dtype=np.int64)
        row_ids = np.repeat(np.arange(len(texts)), np.diff(pointers))
        norms = np.sqrt(np.bincount(row_ids, weights=data * data, minlength=len(texts)))
        norms[norms == 0.0] = 1.0
        return SparseRows(pointers, columns, data / norms[row_ids])

    def terms_of(self, rows: SparseRows, row: int) -> list[tuple[str, float]]:
        """The (term, value) pairs of one row, for explanations."""
        lo, hi = rows.indptr[row], rows.indptr[row + 1]
        return [(self.terms[c], float(v)) for c, v in zip(rows.indices[lo:hi], rows.data[lo:hi], strict=True)]


def linear_scores(rows: SparseRows, coef: np.ndarray, intercept: np.ndarray) -> np.ndarray:
    """``rows @ coef.T + intercept`` for sparse rows, shape (n_rows, n_classes)."""
    row_ids = rows.row_ids()
    scores = np.empty((rows.n_rows, coef.shape[0]))
    for k in range(coef.shape[0]):
        scores[:, k] = np.bincount(row_ids, weights=rows.data * coef[k, rows.indices], minlength=rows.n_rows)
    return scores + intercept


def softmax(scores: np.ndarray) -> np.ndarray:
    """Row-wise softmax, stable for large scores."""
    shifted = scores - scores.max(axis=1, keepdims=True)
    exp = np.exp(shifted)
    return exp / exp.sum(axis=1, keepdims=True)
