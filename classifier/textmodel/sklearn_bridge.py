"""Rebuilding the fitted scikit-learn pipeline from a model's arrays (needs scikit-learn)."""

from __future__ import annotations

from pathlib import Path

import numpy as np
from sklearn.feature_extraction.text import TfidfVectorizer
from sklearn.linear_model import LogisticRegression
from sklearn.pipeline import FeatureUnion, Pipeline

from ..atomic import atomic_path
from ..labels import OUTCOMES
from ..text.places import masked_lowercase
from .folder import ModelArrays


def to_sklearn_pipeline(model: ModelArrays) -> Pipeline:
    """A fitted ``FeatureUnion(TfidfVectorizer, ...) -> LogisticRegression`` equal to the text model.

    Its ``predict_proba`` columns are in ``classes_`` order, which is OUTCOMES.
    """
    vectorizers = []
    for block in model.features.blocks:
        vectorizer = TfidfVectorizer(
            analyzer=block.analyzer,
            ngram_range=block.ngram_range,
            lowercase=block.lowercase,
            sublinear_tf=block.sublinear_tf,
            preprocessor=masked_lowercase if block.mask_places else None,
            vocabulary={term: i for i, term in enumerate(block.terms)},
            dtype=np.float64,
        )
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
