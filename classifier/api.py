"""The Python API: ``ClaimClassifier`` labels texts and sentences."""

from __future__ import annotations

from collections.abc import Iterable, Sequence
from pathlib import Path
from typing import TYPE_CHECKING, Any

import numpy as np

from . import scoring
from .errors import InputError
from .labels import OUTCOMES
from .result import Prediction, RuleHit
from .rulebook.book import RuleBook, load_rulebook
from .rulebook.matcher import RuleMatcher, fired_matrix
from .text.segment import split_sentences
from .textmodel.folder import ModelArrays, load_model

if TYPE_CHECKING:  # scikit-learn is only imported by to_sklearn()
    from sklearn.pipeline import Pipeline

    from .explain import Explanation


#: Sentences vectorised at once: large enough for numpy to pay off, small enough to bound memory.
_CHUNK = 2048


class ClaimClassifier:
    """Labels sentences of official statements with the five claim types.

    Immutable after loading: safe to share between threads, and picklable for
    process pools and distributed workers.
    """

    def __init__(self, model: ModelArrays, rulebook: RuleBook) -> None:
        self.model = model
        self.rulebook = rulebook
        self.matcher = RuleMatcher(rulebook)

    @classmethod
    def load(
        cls,
        model_dir: str | Path | None = None,
        *,
        rules: Iterable[str | Path] = (),
        shipped_rules: bool = True,
    ) -> ClaimClassifier:
        """Load a model directory (the shipped default when None) and the rules.

        ``rules`` adds user rule files or folders on top of the shipped ones
        (same id: replaces; ``enabled = false``: disables).
        """
        return cls(load_model(model_dir), load_rulebook(list(rules), include_shipped=shipped_rules))

    @property
    def labels(self) -> tuple[str, ...]:
        """The outcomes scores are given for: the five claim labels and "none"."""
        return OUTCOMES

    @property
    def metadata(self) -> dict[str, Any]:
        return dict(self.model.metadata)

    def label_text(
        self, text: str, *, mode: str = "hybrid", min_confidence: float = 0.0, force_label: bool = False
    ) -> list[Prediction]:
        """Split a text into sentences and label each; offsets point into ``text``."""
        if not isinstance(text, str):
            raise InputError(f"label_text expects a str, got {type(text).__name__}")
        spans = split_sentences(text)
        sentences = [text[span.start : span.end] for span in spans]
        offsets = [(span.start, span.end) for span in spans]
        return self._label(sentences, offsets, mode, min_confidence, force_label)

    def label_sentences(
        self,
        sentences: Sequence[str],
        *,
        mode: str = "hybrid",
        min_confidence: float = 0.0,
        force_label: bool = False,
    ) -> list[Prediction]:
        """Label already-split sentences; each result's offsets span its own sentence."""
        if isinstance(sentences, str) or not all(isinstance(s, str) for s in sentences):
            raise InputError("label_sentences expects a list of str")
        return self._label(list(sentences), [(0, len(s)) for s in sentences], mode, min_confidence, force_label)

    def scores(self, sentences: Sequence[str], *, mode: str = "hybrid") -> np.ndarray:
        """The score matrix (rows: sentences, columns: ``labels``) for a batch."""
        return self._scores(sentences, self._hits(sentences, scoring.check_mode(mode)), mode)

    def scores_by_mode(self, sentences: Sequence[str]) -> dict[str, np.ndarray]:
        """Score matrices of all three modes, matching the rules and scoring the model once."""
        hits = self._hits(sentences, "hybrid")
        evidence = self.matcher.evidence_matrix(hits)
        model_probabilities = self._model_scores(sentences)
        fired = fired_matrix(hits, self.model.combiner_rules)
        return {
            "hybrid": scoring.hybrid_scores(self.model, model_probabilities, evidence, fired),
            "rules": scoring.rules_scores(evidence),
            "model": model_probabilities,
        }

    def explain(self, sentence: str) -> Explanation:
        """Why the hybrid gives ``sentence`` its label: rule hits, model features, the combination."""
        from .explain import explain

        if not isinstance(sentence, str):
            raise InputError(f"explain expects a str, got {type(sentence).__name__}")
        return explain(self, sentence)

    def to_sklearn(self) -> Pipeline:
        """The text model as an equivalent fitted scikit-learn pipeline (needs scikit-learn)."""
        from .textmodel.sklearn_bridge import to_sklearn_pipeline

        return to_sklearn_pipeline(self.model)

    def _scores(self, sentences: Sequence[str], hits: Sequence[Sequence[RuleHit]], mode: str) -> np.ndarray:
        evidence = self.matcher.evidence_matrix(hits)
        if mode == "rules":
            return scoring.rules_scores(evidence)
        model_probabilities = self._model_scores(sentences)
        if mode == "model":
            return model_probabilities
        fired = fired_matrix(hits, self.model.combiner_rules)
        return scoring.hybrid_scores(self.model, model_probabilities, evidence, fired)

    def _hits(self, sentences: Sequence[str], mode: str) -> list[tuple[RuleHit, ...]]:
        """Rule hits per sentence; model mode uses no rules, so it neither runs nor reports them."""
        if mode == "model":
            return [()] * len(sentences)
        return [self.matcher.hits(s) for s in sentences]

    def _model_scores(self, sentences: Sequence[str]) -> np.ndarray:
        """Text-model probabilities, computed in chunks so memory stays bounded for big batches."""
        parts = [
            scoring.model_scores(self.model, self.model.features.transform(sentences[i : i + _CHUNK]))
            for i in range(0, len(sentences), _CHUNK)
        ]
        return np.vstack(parts) if parts else np.zeros((0, len(OUTCOMES)))

    def _label(
        self,
        sentences: list[str],
        offsets: list[tuple[int, int]],
        mode: str,
        min_confidence: float,
        force_label: bool,
    ) -> list[Prediction]:
        scoring.check_mode(mode)
        if not sentences:
            return []
        hits = self._hits(sentences, mode)
        scores = self._scores(sentences, hits, mode)
        decision = scoring.decide(scores, min_confidence=min_confidence, force_label=force_label)
        results = []
        for row, sentence in enumerate(sentences):
            start, end = offsets[row]
            results.append(
                Prediction(
                    text=sentence,
                    start=start,
                    end=end,
                    label=decision.labels[row],
                    confidence=float(decision.confidences[row]),
                    scores=dict(zip(OUTCOMES, map(float, scores[row]), strict=True)),
                    source=mode,
                    evidence=hits[row],
                )
            )
        return results
