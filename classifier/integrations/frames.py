"""``ClaimClassifier.label_frame``: a pandas or polars DataFrame in, one row per sentence out.

The frame's library is recognised by the type's module name, so neither pandas nor polars is
imported until a frame of theirs arrives. Sentences are split and labelled by the batch labeller
of ``claims label-dataset`` (``bulk.BatchLabeller``), so a frame's records equal that command's.

Output: the record fields of ``claims label`` (doc, index, start, end, text, label, confidence,
scores, evidence, source), after any input columns asked for with ``keep``. A pandas result is
indexed by the input's index (one entry per sentence), ready for ``result.join(df)``; polars has no
index, so a polars result starts with ``row``, the input row's position.
"""

from __future__ import annotations

import math
from collections.abc import Sequence
from typing import Any

from ..bulk import ROW_FIELD, BatchLabeller
from ..errors import InputError
from ..labels import OUTCOMES
from ..output.records import RECORD_FIELDS

#: Rows labelled per call of the batch path: memory follows this, not the frame's length.
BATCH_ROWS = 1000
_DOC = "\0doc"  # the batch's doc column: never a user's column name
_TEXT = "\0text"


def frame_kind(frame: Any) -> str:
    """ "pandas" or "polars", from the type's module, without importing either."""
    module = type(frame).__module__.split(".")[0]
    if module in ("pandas", "polars") and type(frame).__name__ == "DataFrame":
        return module
    raise InputError(f"label_frame expects a pandas or polars DataFrame, got {type(frame).__name__}")


def label_frame(
    classifier: Any,
    frame: Any,
    *,
    text: str = "text",
    keep: Sequence[str] = (),
    doc: str | None = None,
    options: dict[str, Any],
) -> Any:
    """Label every sentence of ``frame[text]`` (see ``ClaimClassifier.label_frame``)."""
    kind = frame_kind(frame)
    keep = [keep] if isinstance(keep, str) else list(keep)
    _check_columns(list(map(str, frame.columns)), text, keep, doc, kind)
    positions = range(len(frame))
    texts = [_text_or_none(value, _row_name(frame, kind, i), text) for i, value in enumerate(_values(frame, text))]
    docs = [str(v) for v in _values(frame, doc)] if doc else [str(_row_name(frame, kind, i)) for i in positions]
    labeller = BatchLabeller(classifier, text_column=_TEXT, doc_column=_DOC, sentences=False, options=options)
    columns: dict[str, list[Any]] = {name: [] for name in (ROW_FIELD, *RECORD_FIELDS)}
    for start in range(0, len(texts), BATCH_ROWS):
        end = start + BATCH_ROWS
        batch = labeller({_TEXT: texts[start:end], _DOC: docs[start:end]}, list(positions[start:end]))
        for name, values in columns.items():
            values.extend(batch[name])
    rows = columns.pop(ROW_FIELD)
    return (
        _pandas_result(frame, rows, keep, columns) if kind == "pandas" else _polars_result(frame, rows, keep, columns)
    )


def _check_columns(columns: list[str], text: str, keep: list[str], doc: str | None, kind: str) -> None:
    missing = [name for name in (text, *keep, *([doc] if doc else [])) if name not in columns]
    if missing:
        raise InputError(f"label_frame: no column(s) {missing}; columns are {columns}")
    reserved = (*RECORD_FIELDS, ROW_FIELD) if kind == "polars" else RECORD_FIELDS
    clashing = [name for name in keep if name in reserved]
    if clashing:
        raise InputError(f"label_frame: keep column(s) {clashing} clash with output fields {list(reserved)}")


def _values(frame: Any, column: str) -> list[Any]:
    return frame[column].to_list()  # pandas Series and polars Series both have to_list


def _row_name(frame: Any, kind: str, position: int) -> Any:
    """How a problem names a row: its index label in pandas, its position in polars."""
    return frame.index[position] if kind == "pandas" else position


def _text_or_none(value: Any, row: Any, column: str) -> str | None:
    """A row's text; missing (None, NaN, NA) gives no sentence, anything else that is not text is refused."""
    if value is None or isinstance(value, str):
        return value
    if (isinstance(value, float) and math.isnan(value)) or type(value).__name__ in ("NAType", "NaTType"):
        return None
    raise InputError(f"label_frame: row {row}: column {column!r} holds {type(value).__name__}, not text")


def _pandas_result(frame: Any, rows: list[int], keep: list[str], columns: dict[str, list[Any]]) -> Any:
    import pandas as pd

    index = frame.index.take(rows)
    kept = frame[keep].iloc[rows].set_axis(index) if keep else pd.DataFrame(index=index)
    return pd.concat([kept, pd.DataFrame(columns, index=index)], axis=1)


def _polars_result(frame: Any, rows: list[int], keep: list[str], columns: dict[str, list[Any]]) -> Any:
    import polars as pl

    hit = pl.Struct(
        {
            "rule": pl.String,
            "label": pl.String,
            "weight": pl.Float64,
            "start": pl.Int64,
            "end": pl.Int64,
            "text": pl.String,
        }
    )
    schema = {
        "doc": pl.String,
        "index": pl.Int64,
        "start": pl.Int64,
        "end": pl.Int64,
        "text": pl.String,
        "label": pl.String,
        "confidence": pl.Float64,
        "scores": pl.Struct({outcome: pl.Float64 for outcome in OUTCOMES}),
        "source": pl.String,
        "evidence": pl.List(hit),
    }
    records = pl.DataFrame(columns, schema={name: schema[name] for name in RECORD_FIELDS})
    kept = frame.select(keep)[rows] if keep else pl.DataFrame()
    return pl.concat([pl.DataFrame({ROW_FIELD: pl.Series(rows, dtype=pl.Int64)}), kept, records], how="horizontal")
