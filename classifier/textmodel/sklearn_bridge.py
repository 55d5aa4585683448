"""The scikit-learn side of the text model: the vectorizer a block's settings make, and a model as a fitted pipeline."""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from pathlib import Path
from typing import Any

import numpy as np
from sklearn.feature_extraction.text import TfidfVectorizer
from sklearn.linear_model import LogisticRegression
from sklearn.pipeline import FeatureUnion, Pipeline

from ..atomic import atomic_path
from ..errors import ModelError
from ..labels import OUTCOMES
from ..text.places import masked_lowercase
from .model import TextModel


def tfidf_vectorizer(block: Mapping[str, Any], vocabulary: Sequence[str] | None = None) -> TfidfVectorizer:
    """scikit-learn's vectorizer for one feature block's settings, as a model's metadata stores them.

    Training fits it (no ``vocabulary``); the bridge fixes it to a model's
    terms. Built in this one place, so the two cannot drift apart.
    """
    return TfidfVectorizer(
        analyzer=block["analyzer"],
        ngram_range=tuple(block["ngram_range"]),
        lowercase=block.get("lowercase", True),
        sublinear_tf=block.get("sublinear_tf", False),
        min_df=block.get("min_df", 1),
        preprocessor=masked_lowercase if block.get("mask_places") else None,
        vocabulary=None if vocabulary is None else {term: i for i, term in enumerate(vocabulary)},
        dtype=np.float64,
    )


def to_sklearn_pipeline(model: TextModel) -> Pipeline:
    """A fitted ``FeatureUnion(TfidfVectorizer, ...) -> LogisticRegression`` equal to the text model.

    Its ``predict_proba`` columns are in ``classes_`` order, which is OUTCOMES.
    A model with an encoder block has no such equivalent and is refused.
    """
    if model.encoder is not None:
        raise ModelError("a model with an encoder block has no scikit-learn equivalent; export the default model")
    vectorizers = []
    for block in model.features.blocks:
        vectorizer = tfidf_vectorizer(block.settings, block.terms)
        vectorizer.idf_ = block.idf
        vectorizers.append((block.analyzer, vectorizer))
    classifier = LogisticRegression()
    classifier.classes_ = np.array(OUTCOMES)
    classifier.coef_ = model.text_coef.copy()
    classifier.intercept_ = model.text_intercept.copy()
    classifier.n_features_in_ = len(model.features)
    classifier.n_iter_ = np.array([0])
    return Pipeline([("features", FeatureUnion(vectorizers)), ("logreg", classifier)])


def dump_joblib(pipeline: Pipeline, out: Path, *, force: bool = False) -> None:
    """Write a pipeline with joblib, atomically (temporary file, then rename)."""
    import joblib

    with atomic_path(out, force=force) as temporary:
        joblib.dump(pipeline, temporary)
