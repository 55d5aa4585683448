"""The Python API: ``ClaimClassifier`` labels texts and sentences."""

from __future__ import annotations

from collections.abc import Iterable
from pathlib import Path
from typing import TYPE_CHECKING, Any

import numpy as np

from .errors import InputError
from .explain import Explanation, explain
from .labels import OUTCOMES
from .result import Prediction
from .rulebook.book import RuleBook, load_rulebook
from .rulebook.matcher import RuleMatcher
from .scoring import Scorer, check_mode
from .text.segment import split_sentences
from .textmodel.folder import load_model
from .textmodel.model import TextModel

if TYPE_CHECKING:  # scikit-learn is only imported by to_sklearn()
    from sklearn.pipeline import Pipeline


class ClaimClassifier:
    """Labels sentences of official statements with the five claim types.

    Immutable after loading: safe to share between threads, and picklable for
    process pools and distributed workers.
    """

    def __init__(self, model: TextModel, rulebook: RuleBook) -> None:
        self.model = model
        self.rulebook = rulebook
        self.matcher = RuleMatcher(rulebook)
        self.scorer = Scorer(model, self.matcher)

    @classmethod
    def load(
        cls,
        model_dir: str | Path | None = None,
        *,
        rules: Iterable[str | Path] = (),
        shipped_rules: bool = True,
    ) -> ClaimClassifier:
        """Load a model directory (the shipped default when None) and the rules.

        A ``str`` naming a shipped model loads it: "default", or "encoder" (the
        sentence-encoder model, which needs ``pip install "claim-classifier[encoder]"``
        and says so otherwise). Any other string or a ``Path`` is a folder.

        ``rules`` adds user rule files or folders on top of the shipped ones
        (same id: replaces; ``enabled = false``: disables).
        """
        if isinstance(rules, str | Path):  # one file or folder, not a sequence of characters
            rules = [rules]
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
        sentences: Iterable[str],
        *,
        mode: str = "hybrid",
        min_confidence: float = 0.0,
        force_label: bool = False,
    ) -> list[Prediction]:
        """Label already-split sentences (any iterable, read once); one result per sentence, in order,
        each result's offsets spanning its own sentence."""
        items = sentence_list(sentences, "label_sentences")
        return self._label(items, [(0, len(s)) for s in items], mode, min_confidence, force_label)

    def label_frame(
        self,
        frame: Any,
        *,
        text: str = "text",
        keep: Iterable[str] = (),
        doc: str | None = None,
        mode: str = "hybrid",
        min_confidence: float = 0.0,
        force_label: bool = False,
    ) -> Any:
        """Label the ``text`` column of a pandas or polars DataFrame: one row per sentence, with the
        fields of ``claims label``, the input columns named in ``keep``, and the input row (pandas:
        the result's index is the input's; polars: a ``row`` column). ``doc`` names a column to use
        as each record's ``doc`` (default: the row). Missing text gives no sentence."""
        from .integrations.frames import label_frame

        options = {"mode": check_mode(mode), "min_confidence": min_confidence, "force_label": force_label}
        kept = (keep,) if isinstance(keep, str) else tuple(keep)  # one column name, not its letters
        return label_frame(self, frame, text=text, keep=kept, doc=doc, options=options)

    def scores(self, sentences: Iterable[str], *, mode: str = "hybrid") -> np.ndarray:
        """The score matrix (rows: sentences, columns: ``labels``) for a batch."""
        return self.scorer.score(sentence_list(sentences, "scores"), (check_mode(mode),)).by_mode[mode]

    def scores_by_mode(self, sentences: Iterable[str]) -> dict[str, np.ndarray]:
        """Score matrices of all three modes, matching the rules and scoring the model once."""
        return self.scorer.score(sentence_list(sentences, "scores_by_mode")).by_mode

    def explain(self, sentence: str) -> Explanation:
        """Why the hybrid gives ``sentence`` its label: rule hits, model features, the combination."""
        if not isinstance(sentence, str):
            raise InputError(f"explain expects a str, got {type(sentence).__name__}")
        return explain(self.scorer, sentence)

    def to_sklearn(self) -> Pipeline:
        """The text model as an equivalent fitted scikit-learn pipeline (needs scikit-learn)."""
        from .textmodel.sklearn_bridge import to_sklearn_pipeline

        return to_sklearn_pipeline(self.model)

    def _label(
        self,
        sentences: list[str],
        offsets: list[tuple[int, int]],
        mode: str,
        min_confidence: float,
        force_label: bool,
    ) -> list[Prediction]:
        batch, decision = self.scorer.decided(sentences, mode, min_confidence=min_confidence, force_label=force_label)
        scores = batch.by_mode[mode].tolist()  # Python floats, converted in one call
        confidences = decision.confidences.tolist()
        return [
            Prediction(
                text=sentence,
                start=offsets[row][0],
                end=offsets[row][1],
                label=decision.labels[row],
                confidence=confidences[row],
                scores=dict(zip(OUTCOMES, scores[row], strict=True)),
                source=mode,
                evidence=batch.hits[row],
            )
            for row, sentence in enumerate(sentences)
        ]


def sentence_list(sentences: Iterable[str], caller: str) -> list[str]:
    """The sentences as a list, read once: a generator or iterator is labelled, not silently consumed
    by a type check. A lone string, a non-iterable or a non-str item is an InputError naming it."""
    if isinstance(sentences, str | bytes) or not isinstance(sentences, Iterable):
        raise InputError(f"{caller} expects an iterable of str (a list of sentences), got {type(sentences).__name__}")
    items = list(sentences)
    for position, item in enumerate(items):
        if not isinstance(item, str):
            raise InputError(f"{caller} expects str sentences; item {position} is {type(item).__name__}")
    return items
