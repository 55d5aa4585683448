"""Training settings: the hyper-parameters of a fit, readable without scikit-learn.

``claims evaluate`` and the model folder name these settings without fitting
anything, so they live apart from ``fit.py`` (which imports scikit-learn).
"""

from __future__ import annotations

from dataclasses import asdict, dataclass
from typing import Any

from ..text.places import places_digest


@dataclass(frozen=True)
class TrainSettings:
    """Hyper-parameters, chosen by grouped cross-validation (docs/how-it-works.md)."""

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
    #: Replace place names (``classifier/text/places.txt``) by one placeholder before the text model, so
    #: labels do not depend on which country is named; ties in CV (docs/how-it-works.md).
    mask_places: bool = True
    #: Sample weight of each real sentence (every example not from a synthetic corpus part) in the
    #: text model and the combiner; synthetic sentences weigh 1. 0.25: the largest weight that kept
    #: the dev-test set and the seed within bounds (training/experiments/ADOPTION.md).
    real_text_weight: float = 0.25
    seed: int = 13
    holdout: float = 0.2
    #: A shipped sentence encoder (``classifier/encoders/<name>``) whose embeddings join the TF-IDF
    #: columns; None for TF-IDF alone (the default model). Needs the 'encoder' extra.
    encoder: str | None = None
    #: The encoder columns are the unit-length embedding times this, chosen by grouped CV.
    encoder_scale: float = 1.0
    #: False: the encoder's columns alone, no TF-IDF blocks (measured, not shipped).
    tfidf: bool = True
    #: Divide the combiner's scores by one temperature fitted on the real training sentences, so the
    #: hybrid's confidences hold on real text; labels do not change (training/calibration.py).
    calibrate_on_real: bool = False

    def record(self) -> dict[str, Any]:
        """The settings as a model's metadata stores them. A model without an encoder block records
        exactly the fields it always did, so its settings still compare equal to the defaults."""
        fields = asdict(self)
        if self.encoder is None and self.tfidf:
            for key in ("encoder", "encoder_scale", "tfidf"):
                fields.pop(key)
        if not self.calibrate_on_real:
            fields.pop("calibrate_on_real")
        return fields

    def block_settings(self) -> list[dict[str, Any]]:
        """One settings dict per feature block, as stored in a model's metadata."""
        if not self.tfidf:
            return []
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
