"""Fitting a model: TF-IDF + logistic regression, and the stacked hybrid combiner.

scikit-learn fits; the result is exported as plain arrays (a ``TextModel``)
that the numpy scorer serves. Everything is deterministic for a given seed.
"""

from __future__ import annotations

from collections.abc import Iterator, Sequence
from contextlib import contextmanager
from typing import Any

import numpy as np
from sklearn.linear_model import LogisticRegression
from sklearn.model_selection import GroupKFold, GroupShuffleSplit
from sklearn.pipeline import FeatureUnion as SklearnFeatureUnion

from ..labels import OUTCOMES
from ..rulebook.matcher import RuleMatcher, fired_matrix
from ..textmodel.features import FeatureUnion, TfidfFeatures
from ..textmodel.model import TextModel, combiner_inputs
from ..textmodel.sklearn_bridge import tfidf_vectorizer
from .data import Example
from .progress import TrainingProgress, fit_units
from .settings import TrainSettings


def make_classifier(C: float, seed: int, tol: float = 1e-4) -> LogisticRegression:
    return LogisticRegression(C=C, tol=tol, max_iter=2000, random_state=seed)


def make_vectorizer(settings: TrainSettings) -> SklearnFeatureUnion:
    """scikit-learn's vectorizers for the blocks, side by side."""
    return SklearnFeatureUnion([(block["analyzer"], tfidf_vectorizer(block)) for block in settings.block_settings()])


def fit_text_model(
    texts: Sequence[str],
    labels: Sequence[str],
    settings: TrainSettings,
    weights: np.ndarray | None = None,
    dense: np.ndarray | None = None,
) -> tuple[SklearnFeatureUnion | None, LogisticRegression]:
    """TF-IDF (and the scaled encoder columns ``dense``, if any) + multinomial logistic regression on
    the given sentences (``weights``: per sentence). No vectorizer when the settings have no TF-IDF."""
    vectorizer, matrix = fitted_features(texts, settings, dense)
    with single_threaded_blas():
        classifier = make_classifier(settings.C, settings.seed, settings.tol).fit(matrix, labels, sample_weight=weights)
    return vectorizer, classifier


def fitted_features(
    texts: Sequence[str], settings: TrainSettings, dense: np.ndarray | None
) -> tuple[SklearnFeatureUnion | None, Any]:
    """The fitted vectorizer (None without TF-IDF) and the training matrix: TF-IDF columns, then encoder columns."""
    from scipy import sparse

    vectorizer = make_vectorizer(settings) if settings.tfidf else None
    parts = [vectorizer.fit_transform(texts)] if vectorizer is not None else []
    if dense is not None:
        parts.append(sparse.csr_matrix(dense))
    return vectorizer, sparse.hstack(parts, format="csr") if len(parts) > 1 else parts[0]


def transformed(vectorizer: SklearnFeatureUnion | None, texts: Sequence[str], dense: np.ndarray | None) -> Any:
    """Rows for fitted features, as ``fitted_features`` built them for training."""
    from scipy import sparse

    parts = [vectorizer.transform(texts)] if vectorizer is not None else []
    if dense is not None:
        parts.append(sparse.csr_matrix(dense))
    return sparse.hstack(parts, format="csr") if len(parts) > 1 else parts[0]


def scaled_embeddings(texts: Sequence[str], settings: TrainSettings) -> tuple[Any, np.ndarray | None]:
    """The settings' encoder (None without one) and the encoder columns of ``texts``: embedding times scale."""
    if settings.encoder is None:
        return None, None
    from .embeddings import embed, training_encoder

    encoder = training_encoder(settings)
    return encoder, embed(encoder, texts) * settings.encoder_scale


def sample_weights(examples: Sequence[Example], settings: TrainSettings) -> np.ndarray | None:
    """Each example's weight: ``real_text_weight`` for real sentences, 1 for synthetic ones; None when all are 1."""
    weights = np.array([1.0 if e.synthetic else settings.real_text_weight for e in examples])
    return None if np.all(weights == 1.0) else weights


def single_threaded_blas() -> Any:
    """Fits run with one BLAS thread, in workers and in the main process alike, so the
    coefficients do not depend on the machine's core count or on parallel folds."""
    from threadpoolctl import threadpool_limits

    return threadpool_limits(limits=1)


def fit_model(
    examples: Sequence[Example],
    matcher: RuleMatcher,
    settings: TrainSettings,
    progress: TrainingProgress | None = None,
) -> TextModel:
    """Fit the text model on all examples, then the combiner on out-of-fold predictions.

    ``progress`` is told the sentences of each fit as it finishes (``planned_units`` in all).
    """
    texts = [e.text for e in examples]
    labels = [e.label for e in examples]
    groups = [e.doc for e in examples]
    weights = sample_weights(examples, settings)
    encoder, dense = scaled_embeddings(texts, settings)
    (vectorizer, classifier), out_of_fold = fit_with_out_of_fold(
        texts, labels, groups, settings, weights, dense, progress or TrainingProgress()
    )
    hits = [matcher.hits(t) for t in texts]
    rule_ids = tuple(rule.id for rule in matcher.rulebook.rules) if settings.rule_indicators else ()
    inputs = combiner_inputs(out_of_fold, matcher.evidence_matrix(hits), fired_matrix(hits, rule_ids))
    with single_threaded_blas():
        combiner = make_classifier(settings.combiner_C, settings.seed).fit(inputs, labels, sample_weight=weights)
    temperature = real_text_temperature(combiner, inputs, examples) if settings.calibrate_on_real else 1.0
    order = _outcome_order(classifier)
    fitted_blocks = vectorizer.transformer_list if vectorizer is not None else []
    features = FeatureUnion(
        [
            TfidfFeatures(list(fitted.get_feature_names_out()), fitted.idf_, block)
            for (_name, fitted), block in zip(fitted_blocks, settings.block_settings(), strict=True)
        ]
    )
    combiner_order = _outcome_order(combiner)
    return TextModel(
        features=features,
        text_coef=classifier.coef_[order],
        text_intercept=classifier.intercept_[order],
        combiner_coef=combiner.coef_[combiner_order] / temperature,
        combiner_intercept=combiner.intercept_[combiner_order] / temperature,
        combiner_rules=rule_ids,
        metadata={"combiner_temperature": temperature} if settings.calibrate_on_real else {},
        encoder=encoder,
    )


def real_text_temperature(combiner: LogisticRegression, inputs: np.ndarray, examples: Sequence[Example]) -> float:
    """The temperature that calibrates the combiner's scores on the real sentences among ``examples``
    (training/calibration.py); 1 when there are none."""
    from .calibration import fit_temperature

    real = np.array([not e.synthetic for e in examples])
    if not real.any():
        return 1.0
    column = {label: index for index, label in enumerate(combiner.classes_)}
    gold = np.array([column[e.label] for e, is_real in zip(examples, real, strict=True) if is_real])
    return fit_temperature(combiner.decision_function(inputs[real]), gold)


def fit_with_out_of_fold(
    texts: Sequence[str],
    labels: Sequence[str],
    groups: Sequence[str],
    settings: TrainSettings,
    weights: np.ndarray | None = None,
    dense: np.ndarray | None = None,
    progress: TrainingProgress | None = None,
) -> tuple[tuple[SklearnFeatureUnion | None, LogisticRegression], np.ndarray]:
    """The text model fitted on everything, and each sentence's out-of-fold probabilities.

    Out-of-fold: from a model that never saw the sentence's statement. The
    full fit and the fold fits run side by side in worker processes (one per
    core); each fit is single-threaded, so the outcome is the same whatever
    the number of cores. Each fit's sentences are reported to ``progress``
    as it finishes.
    """
    from joblib import Parallel, delayed

    progress = progress or TrainingProgress()
    folds = GroupKFold(n_splits=fold_count(groups, settings), shuffle=True, random_state=settings.seed)
    text_array = np.asarray(texts, dtype=object)
    label_array = np.asarray(labels, dtype=object)
    splits = list(folds.split(text_array, label_array, groups))
    jobs = [delayed(fit_text_model)(list(texts), list(labels), settings, weights, dense)]
    jobs += [
        delayed(_fold_probabilities)(
            list(text_array[train]),
            list(label_array[train]),
            list(text_array[test]),
            settings,
            None if weights is None else weights[train],
            None if dense is None else (dense[train], dense[test]),
        )
        for train, test in splits
    ]
    sizes = [len(texts), *(len(train) for train, _test in splits)]
    finished = []
    for size, result in zip(sizes, Parallel(n_jobs=-1, return_as="generator")(jobs), strict=True):
        finished.append(result)
        progress.done(size)
    full, *fitted = finished
    result = np.zeros((len(texts), len(OUTCOMES)))
    for (_train, test), (classes, probabilities) in zip(splits, fitted, strict=True):
        for column, label in enumerate(classes):
            result[test, OUTCOMES.index(label)] = probabilities[:, column]
    return full, result


def _fold_probabilities(
    train_texts: list[str],
    train_labels: list[str],
    test_texts: list[str],
    settings: TrainSettings,
    weights: np.ndarray | None,
    dense: tuple[np.ndarray, np.ndarray] | None = None,
) -> tuple[list[str], np.ndarray]:
    train_dense, test_dense = dense if dense is not None else (None, None)
    vectorizer, classifier = fit_text_model(train_texts, train_labels, settings, weights, train_dense)
    return list(classifier.classes_), classifier.predict_proba(transformed(vectorizer, test_texts, test_dense))


def fold_count(groups: Sequence[str], settings: TrainSettings) -> int:
    """How many out-of-fold models a fit makes: the settings' folds, fewer if there are fewer statements."""
    return min(settings.folds, len(set(groups)))


def planned_units(examples: Sequence[Example], settings: TrainSettings) -> int:
    """The units of work (sentences fitted) of ``fit_model`` on these examples."""
    return fit_units(len(examples), fold_count([e.doc for e in examples], settings))


@contextmanager
def stopping_workers() -> Iterator[None]:
    """Around a run of fits: joblib keeps its worker processes for reuse between fits, and they are
    stopped here when the run ends, whether it succeeds or fails, so none are left idle (holding a
    copy of the corpus) after the run or outlive the process."""
    try:
        yield
    finally:
        from joblib.externals.loky import get_reusable_executor

        get_reusable_executor().shutdown(wait=True)


def grouped_holdout(examples: Sequence[Example], fraction: float, seed: int) -> tuple[list[Example], list[Example]]:
    """Split by statement: no statement has sentences on both sides."""
    splitter = GroupShuffleSplit(n_splits=1, test_size=fraction, random_state=seed)
    train_index, test_index = next(splitter.split(examples, groups=[e.doc for e in examples]))
    return [examples[i] for i in train_index], [examples[i] for i in test_index]


def _outcome_order(classifier: LogisticRegression) -> list[int]:
    """Row indices that put a classifier's classes in OUTCOMES order."""
    classes = list(classifier.classes_)
    if sorted(classes) != sorted(OUTCOMES):
        raise ValueError(f"training data must contain every outcome; got {classes}")
    return [classes.index(label) for label in OUTCOMES]
