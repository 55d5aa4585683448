"""The ``claims`` spaCy pipeline component: each sentence of a ``Doc`` labelled, as spans.

``nlp.add_pipe("claims")`` finds this factory through the ``spacy_factories`` entry point
(installed with the ``spacy`` extra). The component writes ``doc.spans["claims"]``: one span per
sentence that carries a claim, its label the claim label, its character offsets those of
``claims label``; ``span._.claim_confidence``, ``span._.claim_scores`` and
``span._.claim_evidence`` hold the rest of the record. Sentence boundaries come from the
pipeline when a component (sentencizer, parser, senter) has set them, from the package's own
segmenter otherwise. ``nlp.pipe`` labels a whole batch of documents in one call of the batch path.

Saved with ``nlp.to_disk``, the component writes ``claims.json`` (which model, and its
``metadata_sha256``) and a byte-for-byte copy of a user model folder and of user rule files, so
the model's own checksums are verified again when ``spacy.load`` reads it back.

No ``from __future__ import annotations`` here: spaCy validates the factory's config against its
type hints at run time.
"""

import json
import shutil
from collections.abc import Iterable, Iterator, Sequence
from pathlib import Path
from typing import Any

from spacy.language import Language
from spacy.tokens import Doc, Span
from spacy.util import minibatch

from ..api import ClaimClassifier
from ..errors import ClassifierError, ModelError
from ..output.palette import LABEL_COLOURS
from ..result import Prediction
from ..scoring import check_mode
from ..text.segment import split_sentences
from ..textmodel.folder import METADATA_DIGEST

#: Where the spans go by default, and the factory's name.
SPANS_KEY = "claims"
#: The span extensions the component sets (default None on spans it did not write).
EXTENSIONS = ("claim_confidence", "claim_scores", "claim_evidence")
#: What ``to_disk`` writes beside the copied folders.
INFO_FILE = "claims.json"

DEFAULT_CONFIG: dict[str, Any] = {
    "model": None,
    "rules": [],
    "mode": "hybrid",
    "min_confidence": 0.0,
    "force_label": False,
    "spans_key": SPANS_KEY,
}


def register_extensions() -> None:
    """Declare the span extensions once per process (spaCy refuses a second declaration)."""
    for name in EXTENSIONS:
        if not Span.has_extension(name):
            Span.set_extension(name, default=None)


@Language.factory("claims", default_config=DEFAULT_CONFIG)
def make_claims(
    nlp: Language,
    name: str,
    model: str | None,
    rules: list[str],
    mode: str,
    min_confidence: float,
    force_label: bool,
    spans_key: str,
) -> "ClaimsComponent":
    """The factory ``nlp.add_pipe("claims", config={...})`` calls; options mirror ``label_text``."""
    return ClaimsComponent(
        name,
        model=model,
        rules=rules,
        mode=mode,
        min_confidence=min_confidence,
        force_label=force_label,
        spans_key=spans_key,
    )


class ClaimsComponent:
    """Labels the sentences of each ``Doc`` and stores them as spans.

    The classifier is loaded on first use, not at construction: ``spacy.load`` builds the component
    from the saved config (whose ``model`` path may no longer exist) before ``from_disk`` points it
    at the saved copy.
    """

    def __init__(
        self,
        name: str = "claims",
        *,
        model: str | None = None,
        rules: Sequence[str] = (),
        mode: str = "hybrid",
        min_confidence: float = 0.0,
        force_label: bool = False,
        spans_key: str = SPANS_KEY,
    ) -> None:
        check_mode(mode)
        if not 0.0 <= min_confidence <= 1.0:
            raise ClassifierError(f"min_confidence must be between 0 and 1, got {min_confidence}")
        register_extensions()
        self.name, self.spans_key = name, spans_key
        self.options: dict[str, Any] = {"mode": mode, "min_confidence": min_confidence, "force_label": force_label}
        self.model_dir: Path | None = Path(model) if model else None
        self.rule_paths: list[Path] = [Path(r) for r in rules]
        self._classifier: ClaimClassifier | None = None

    @property
    def classifier(self) -> ClaimClassifier:
        if self._classifier is None:
            self._classifier = ClaimClassifier.load(self.model_dir, rules=self.rule_paths)
        return self._classifier

    def __call__(self, doc: Doc) -> Doc:
        return self.label_docs([doc])[0]

    def pipe(self, stream: Iterable[Doc], *, batch_size: int = 128) -> Iterator[Doc]:
        """Label ``batch_size`` documents at a time: every sentence of the batch in one scoring call."""
        for batch in minibatch(stream, size=batch_size):
            yield from self.label_docs(list(batch))

    def label_docs(self, docs: list[Doc]) -> list[Doc]:
        """Split every document, label all their sentences together, and set each document's spans."""
        units = [(index, start, end) for index, doc in enumerate(docs) for start, end in sentence_offsets(doc)]
        texts = [docs[index].text[start:end] for index, start, end in units]
        predictions = self.classifier.label_sentences(texts, **self.options)
        spans: list[list[Span]] = [[] for _ in docs]
        for (index, start, end), prediction in zip(units, predictions, strict=True):
            if prediction.label is not None:
                spans[index].append(claim_span(docs[index], start, end, prediction))
        for doc, found in zip(docs, spans, strict=True):
            doc.spans[self.spans_key] = found
        return docs

    def to_disk(self, path: str | Path, *, exclude: Iterable[str] = ()) -> None:
        """Record the model (shipped, or a copy of the user's folder) and copy the user's rule files."""
        path = Path(path)
        path.mkdir(parents=True, exist_ok=True)
        digest = self.classifier.metadata.get(METADATA_DIGEST)
        info: dict[str, Any] = {"model": "shipped", METADATA_DIGEST: digest, "rules": []}
        if self.model_dir is not None:
            _copy_into(self.model_dir, path / "model")
            info["model"] = "model"
        for number, rule_path in enumerate(self.rule_paths):
            target = f"rules/{number}-{rule_path.name}"
            _copy_into(rule_path, path / target)
            info["rules"].append(target)
        (path / INFO_FILE).write_text(json.dumps(info, indent=2) + "\n", encoding="utf-8")

    def from_disk(self, path: str | Path, *, exclude: Iterable[str] = ()) -> "ClaimsComponent":
        """Load the saved model and rules; a model whose digest differs from the saved one is refused."""
        path = Path(path)
        try:
            info = json.loads((path / INFO_FILE).read_text(encoding="utf-8"))
        except (OSError, ValueError) as exc:
            raise ModelError(f"{path / INFO_FILE}: cannot read the saved claims component ({exc})") from exc
        self.model_dir = None if info.get("model") == "shipped" else path / str(info.get("model"))
        self.rule_paths = [path / str(target) for target in info.get("rules", [])]
        self._classifier = None
        found = self.classifier.metadata.get(METADATA_DIGEST)
        if found != info.get(METADATA_DIGEST):
            where = "the shipped model" if self.model_dir is None else str(self.model_dir)
            raise ModelError(
                f"{path}: the pipeline was saved with model {info.get(METADATA_DIGEST)}, but {where} is {found}"
                " (a different claim-classifier version or a changed model folder); save the pipeline again"
            )
        return self


def displacy_options(spans_key: str = SPANS_KEY) -> dict[str, Any]:
    """Options for ``displacy.render(doc, style="span", options=...)``: the spans, in the report's colours."""
    return {"spans_key": spans_key, "colors": dict(LABEL_COLOURS)}


def sentence_offsets(doc: Doc) -> list[tuple[int, int]]:
    """Character offsets of the sentences to label, trimmed of white space as ``claims label`` trims them.

    The pipeline's sentences when a component has set boundaries, else the package's segmenter.
    """
    if not doc.has_annotation("SENT_START"):
        return [(span.start, span.end) for span in split_sentences(doc.text)]
    offsets = []
    for sentence in doc.sents:
        text = sentence.text
        stripped = text.strip()
        if stripped:
            start = sentence.start_char + (len(text) - len(text.lstrip()))
            offsets.append((start, start + len(stripped)))
    return offsets


def claim_span(doc: Doc, start: int, end: int, prediction: Prediction) -> Span:
    """The span of one labelled sentence, its record on the extensions.

    Offsets are widened to token boundaries only when the tokenizer splits inside the sentence's
    first or last word (never seen with spaCy's tokenizers on sentence ends).
    """
    span = doc.char_span(start, end, label=prediction.label, alignment_mode="expand")
    if span is None:  # cannot happen with "expand" on a non-empty range; kept as a clear failure
        raise ClassifierError(f"no tokens at characters {start}-{end}")
    span._.claim_confidence = prediction.confidence
    span._.claim_scores = dict(prediction.scores)
    span._.claim_evidence = [hit.to_dict() for hit in prediction.evidence]
    return span


def _copy_into(source: Path, target: Path) -> None:
    """Copy a file or folder byte for byte (checksums stay valid), replacing an older copy."""
    if target.resolve() == source.resolve():
        return  # saving a loaded pipeline back onto itself
    if target.is_dir():
        shutil.rmtree(target)
    target.parent.mkdir(parents=True, exist_ok=True)
    if source.is_dir():
        shutil.copytree(source, target)
    else:
        shutil.copy2(source, target)
