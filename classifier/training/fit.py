"""Fitting a model: TF-IDF + logistic regression, and the stacked hybrid combiner.

scikit-learn fits; the result is exported as plain arrays (``ModelArrays``)
that the numpy scorer serves. Everything is deterministic for a given seed.
"""

from __future__ import annotations

import datetime as dt
import platform
from collections.abc import Callable, Sequence
from dataclasses import asdict, dataclass
from typing import Any

import numpy as np
from sklearn.feature_extraction.text import TfidfVectorizer
from sklearn.linear_model import LogisticRegression
from sklearn.model_selection import GroupKFold, GroupShuffleSplit
from sklearn.pipeline import FeatureUnion as SklearnFeatureUnion

from .. import __version__
from ..labels import OUTCOMES
from ..rulebook.matcher import RuleMatcher, fired_matrix
from ..scoring import combiner_inputs
from ..text.places import masked_lowercase, places_digest
from ..textmodel.features import FeatureUnion, TfidfFeatures
from ..textmodel.folder import ModelArrays
from .data import Example

Progress = Callable[[str], None]


@dataclass(frozen=True)
class TrainSettings:
    """Hyper-parameters, chosen by grouped cross-validation (README, "The model")."""

    word_ngrams: tuple[int, int] = (1, 2)
    char_ngrams: tuple[int, int] | None = (3, 5)  # char_wb block; None for words alone
    sublinear_tf: bool = True
    min_df: int = 2
    C: float = 30.0
    tol: float = 1e-4  # lbfgs stopping tolerance of the text model (scikit-learn's default)
    combiner_C: float = 1.0
    #: Give each rule its own combiner column, besides the per-label sums of rule weight. Off:
    #: as accurate in cross-validation, and each rule then counts by the weight written for it.
    rule_indicators: bool = False
    folds: int = 3  # out-of-fold fits for the combiner; 3, 4 and 5 tie in CV, and 3 trains fastest
    #: Replace place names (``classifier/places.txt``) by one placeholder before the text model, so
    #: labels do not depend on which country is named; ties in CV (README, "The model").
    mask_places: bool = True
    seed: int = 13
    holdout: float = 0.2

    def block_settings(self) -> list[dict[str, Any]]:
        """One settings dict per feature block, as stored in a model's metadata."""
        analyzers = [("word", self.word_ngrams)]
        if self.char_ngrams is not None:
            analyzers.append(("char_wb", self.char_ngrams))
        masking = {"mask_places": True, "places_sha256": places_digest()} if self.mask_places else {}
        return [
            {
                "analyzer": analyzer,
                "ngram_range": list(ngrams),
                "lowercase": True,
                "sublinear_tf": self.sublinear_tf,
                "min_df": self.min_df,
                "norm": "l2",
                "smooth_idf": True,
                **masking,
            }
            for analyzer, ngrams in analyzers
        ]


def make_vectorizer(settings: TrainSettings) -> SklearnFeatureUnion:
    """scikit-learn's vectorizers for the blocks, side by side."""
    return SklearnFeatureUnion(
        [
            (
                block["analyzer"],
                TfidfVectorizer(
                    analyzer=block["analyzer"],
                    ngram_range=tuple(block["ngram_range"]),
                    sublinear_tf=block["sublinear_tf"],
                    min_df=block["min_df"],
                    preprocessor=masked_lowercase if block.get("mask_places") else None,
                    dtype=np.float64,
                ),
            )
            for block in settings.block_settings()
        ]
    )


def make_classifier(C: float, seed: int, tol: float = 1e-4) -> LogisticRegression:
    return LogisticRegression(C=C, tol=tol, max_iter=2000, random_state=seed)


def fit_text_model(
    texts: Sequence[str], labels: Sequence[str], settings: TrainSettings
) -> tuple[SklearnFeatureUnion, LogisticRegression]:
    """TF-IDF + multinomial logistic regression on the given sentences."""
    vectorizer = make_vectorizer(settings)
    matrix = vectorizer.fit_transform(texts)
    with single_threaded_blas():
        classifier = make_classifier(settings.C, settings.seed, settings.tol).fit(matrix, labels)
    return vectorizer, classifier


def single_threaded_blas() -> Any:
    """Fits run with one BLAS thread, in workers and in the main process alike, so the
    coefficients do not depend on the machine's core count or on parallel folds."""
    from threadpoolctl import threadpool_limits

    return threadpool_limits(limits=1)


def fit_model(
    examples: Sequence[Example], matcher: RuleMatcher, settings: TrainSettings, progress: Progress | None = None
) -> ModelArrays:
    """Fit the text model on all examples, then the combiner on out-of-fold predictions."""
    say = progress or (lambda _message: None)
    texts = [e.text for e in examples]
    labels = [e.label for e in examples]
    groups = [e.doc for e in examples]
    say(
        f"fitting TF-IDF + logistic regression on {len(texts)} sentences, and {settings.folds} out-of-fold "
        "models (grouped by statement) for the hybrid combiner"
    )
    (vectorizer, classifier), out_of_fold = fit_with_out_of_fold(texts, labels, groups, settings)
    hits = [matcher.hits(t) for t in texts]
    rule_ids = tuple(rule.id for rule in matcher.rulebook.rules) if settings.rule_indicators else ()
    inputs = combiner_inputs(out_of_fold, matcher.evidence_matrix(hits), fired_matrix(hits, rule_ids))
    with single_threaded_blas():
        combiner = make_classifier(settings.combiner_C, settings.seed).fit(inputs, labels)
    order = _outcome_order(classifier)
    features = FeatureUnion(
        [
            TfidfFeatures(list(fitted.get_feature_names_out()), fitted.idf_, block)
            for (_name, fitted), block in zip(vectorizer.transformer_list, settings.block_settings(), strict=True)
        ]
    )
    combiner_order = _outcome_order(combiner)
    return ModelArrays(
        features=features,
        text_coef=classifier.coef_[order],
        text_intercept=classifier.intercept_[order],
        combiner_coef=combiner.coef_[combiner_order],
        combiner_intercept=combiner.intercept_[combiner_order],
        combiner_rules=rule_ids,
        metadata={},
    )


def fit_with_out_of_fold(
    texts: Sequence[str], labels: Sequence[str], groups: Sequence[str], settings: TrainSettings
) -> tuple[tuple[SklearnFeatureUnion, LogisticRegression], np.ndarray]:
    """The text model fitted on everything, and each sentence's out-of-fold probabilities.

    Out-of-fold: from a model that never saw the sentence's statement. The
    full fit and the fold fits run side by side in worker processes (one per
    core); each fit is single-threaded, so the outcome is the same whatever
    the number of cores.
    """
    from joblib import Parallel, delayed

    n_groups = len(set(groups))
    folds = GroupKFold(n_splits=min(settings.folds, n_groups), shuffle=True, random_state=settings.seed)
    text_array = np.asarray(texts, dtype=object)
    label_array = np.asarray(labels, dtype=object)
    splits = list(folds.split(text_array, label_array, groups))
    jobs = [delayed(fit_text_model)(list(texts), list(labels), settings)]
    jobs += [
        delayed(_fold_probabilities)(
            list(text_array[train]), list(label_array[train]), list(text_array[test]), settings
        )
        for train, test in splits
    ]
    full, *fitted = Parallel(n_jobs=-1)(jobs)
    result = np.zeros((len(texts), len(OUTCOMES)))
    for (_train, test), (classes, probabilities) in zip(splits, fitted, strict=True):
        for column, label in enumerate(classes):
            result[test, OUTCOMES.index(label)] = probabilities[:, column]
    return full, result


def _fold_probabilities(
    train_texts: list[str], train_labels: list[str], test_texts: list[str], settings: TrainSettings
) -> tuple[list[str], np.ndarray]:
    vectorizer, classifier = fit_text_model(train_texts, train_labels, settings)
    return list(classifier.classes_), classifier.predict_proba(vectorizer.transform(test_texts))


def grouped_holdout(examples: Sequence[Example], fraction: float, seed: int) -> tuple[list[Example], list[Example]]:
    """Split by statement: no statement has sentences on both sides."""
    splitter = GroupShuffleSplit(n_splits=1, test_size=fraction, random_state=seed)
    train_index, test_index = next(splitter.split(examples, groups=[e.doc for e in examples]))
    return [examples[i] for i in train_index], [examples[i] for i in test_index]


def describe_training(
    examples: Sequence[Example], settings: TrainSettings, data_digest: str, rules_digest: str
) -> dict[str, Any]:
    """The metadata every model carries about how it was made."""
    import sklearn

    counts = {label: sum(e.label == label for e in examples) for label in OUTCOMES}
    return {
        "package_version": __version__,
        "sklearn_version": sklearn.__version__,
        "numpy_version": np.__version__,
        "python_version": platform.python_version(),
        "trained_at": dt.datetime.now(dt.UTC).replace(microsecond=0).isoformat(),
        "training_data_sha256": data_digest,
        "rules_sha256": rules_digest,
        "training_examples": len(examples),
        "training_statements": len({e.doc for e in examples}),
        "label_counts": counts,
        "settings": asdict(settings),
        "features": {"blocks": settings.block_settings()},
    }


def _outcome_order(classifier: LogisticRegression) -> list[int]:
    """Row indices that put a classifier's classes in OUTCOMES order."""
    classes = list(classifier.classes_)
    if sorted(classes) != sorted(OUTCOMES):
        raise ValueError(f"training data must contain every outcome; got {classes}")
    return [classes.index(label) for label in OUTCOMES]
