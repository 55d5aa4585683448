"""What the server does with a request, without the web framework: label, explain, collect corrections.

Kept apart from the routes so that the same functions serve the JSON API and the page, and so that the
records are exactly those of ``claims label --format json`` (``output.records.record``).
"""

from __future__ import annotations

import hashlib
import io
import json
import warnings
from collections.abc import Sequence
from dataclasses import dataclass, replace
from typing import Any

from ..api import ClaimClassifier
from ..errors import InputError
from ..labels import OUTCOMES
from ..output.records import record
from ..result import Prediction
from ..text.segment import split_sentences
from ..text.streaming import iter_pieces


@dataclass(frozen=True)
class Limits:
    """How much one request may ask for; past these the server answers 413 (or 503 for time)."""

    max_bytes: int = 2_000_000
    max_sentences: int = 5_000
    time_limit: float = 30.0  # seconds a request may wait for its labels
    threads: int = 4  # labelling jobs running at once (each holds the GIL only part of the time)


class TooLarge(Exception):
    """A request asks for more than the limits allow (answered with 413 and this message)."""


@dataclass(frozen=True)
class LabelledText:
    """One text (or a list of pre-split sentences) and its predictions, offsets into the text."""

    doc: str
    text: str
    predictions: list[Prediction]


def label_texts(
    classifier: ClaimClassifier,
    texts: Sequence[tuple[str, str]],
    options: dict[str, Any],
    limits: Limits,
) -> list[LabelledText]:
    """Label (doc, text) pairs in one batch: every sentence of every text is scored together (the
    fast batch path), then each prediction gets its offsets in its own text back."""
    spans = [(doc, text, split_sentences(text)) for doc, text in texts]
    check_sentence_count(sum(len(found) for _doc, _text, found in spans), limits)
    sentences = [text[s.start : s.end] for _doc, text, found in spans for s in found]
    predictions = iter(classifier.label_sentences(sentences, **options))
    return [
        LabelledText(doc, text, [replace(next(predictions), start=s.start, end=s.end) for s in found])
        for doc, text, found in spans
    ]


def label_split(
    classifier: ClaimClassifier, doc: str, sentences: Sequence[str], options: dict[str, Any], limits: Limits
) -> LabelledText:
    """Pre-split sentences, labelled as given; each record's offsets span its own sentence."""
    check_sentence_count(len(sentences), limits)
    return LabelledText(doc, "", classifier.label_sentences(sentences, **options))


def check_sentence_count(count: int, limits: Limits) -> None:
    if count > limits.max_sentences:
        raise TooLarge(f"the request holds {count} sentences; the limit is {limits.max_sentences}")


def records(labelled: Sequence[LabelledText]) -> list[dict[str, Any]]:
    """The records of ``claims label --format json``, in order, index counted per doc."""
    return [record(item.doc, index, p) for item in labelled for index, p in enumerate(item.predictions)]


def decode_upload(data: bytes, name: str) -> str:
    """An uploaded statement as text, decoded as ``claims label`` decodes a file (UTF-8 or UTF-16 with
    a byte-order mark; bad bytes replaced; a binary file refused with InputError)."""
    with warnings.catch_warnings():
        warnings.simplefilter("ignore")  # replaced bytes show as U+FFFD on the page
        return "".join(piece for _offset, piece in iter_pieces(io.BytesIO(data), name))


def statement_doc(text: str, name: str = "") -> str:
    """The ``doc`` of a statement's corrections: its file name, or a digest of the pasted text, so
    sentences of one statement stay together when training groups by statement."""
    return name or "pasted-" + text_digest(text)


def text_digest(text: str) -> str:
    """A short digest of a statement: names a pasted one, and tells whether a file's name still fits."""
    return hashlib.sha256(text.encode("utf-8")).hexdigest()[:12]


def corrections_jsonl(
    doc: str, texts: Sequence[str], predicted: Sequence[str], chosen: Sequence[str], *, include_unchanged: bool
) -> str:
    """Labelled rows in the layout ``claims train --data`` reads (``text``, ``label``, ``doc``): the
    sentences whose label was corrected, or with ``include_unchanged`` every sentence given a label.
    ``predicted`` keeps what the classifier said, for the analyst's own records."""
    if not len(texts) == len(predicted) == len(chosen):
        raise InputError("the corrections form is incomplete: one label, text and prediction per sentence")
    lines = []
    for index, (text, before, after) in enumerate(zip(texts, predicted, chosen, strict=True)):
        if after == "" or (after == before and not include_unchanged):
            continue
        if after not in OUTCOMES:
            raise InputError(f"sentence {index}: unknown label {after!r}; expected one of {', '.join(OUTCOMES)}")
        row = {"text": text, "label": after, "doc": doc, "index": index, "predicted": before or None}
        lines.append(json.dumps(row, ensure_ascii=False) + "\n")
    return "".join(lines)
