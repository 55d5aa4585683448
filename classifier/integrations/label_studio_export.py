"""Label Studio exports read back as labelled rows for ``claims train --data``.

JSON (every task with its annotations and predictions), JSON-MIN and CSV (one flat row per task,
the annotator's choice in a column named after the choice control) are recognised by their shape.
The annotator's choice is taken, never the prediction; tasks without a human annotation (none,
or only cancelled ones) are skipped and counted in a ``SkippedTasksWarning``; a task whose
annotators disagree (and none is marked ground truth), or that chose several labels, is a problem
named by its task id, as are the text and label problems found later by ``to_examples``.

The shapes follow Label Studio's export documentation and the files a real Label Studio 1.23
wrote (``fixtures/label-studio/``).
"""

from __future__ import annotations

import csv
import json
import warnings
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from ..errors import DataError

#: Names of the labelling interface's parts. The choice is called "label" so that JSON-MIN and CSV
#: exports carry the annotator's label in a column named like the training data's.
TEXT_FIELD = "text"
CHOICE_CONTROL = "label"
#: Columns only Label Studio's flat exports (JSON-MIN, CSV) have.
_FLAT_EXPORT_COLUMNS = ("annotation_id", "annotator")


class SkippedTasksWarning(UserWarning):
    """Some exported tasks carry no human annotation and were left out of the training data."""


@dataclass(frozen=True)
class ExportRows:
    """Labelled rows read from an export (``_origin`` names the task), and the tasks skipped."""

    rows: list[dict[str, Any]]
    skipped: list[str]


def read_export(path: Path, *, text_column: str = TEXT_FIELD, label_column: str = CHOICE_CONTROL) -> ExportRows | None:
    """The labelled rows of a Label Studio export, or None when ``path`` is not one.

    ``label_column`` names the Choices control holding the label, ``text_column`` the task's data field.
    """
    suffix = path.suffix.lower()
    if suffix == ".json":
        items = _json_items(path)
        if items is None:
            return None
        if all("data" in item and "annotations" in item for item in items):
            found = _from_full_json(items, path.name, text_column, label_column)
        elif any(column in item for item in items for column in _FLAT_EXPORT_COLUMNS):
            found = _from_flat(items, path.name, text_column, label_column)
        else:
            return None
    elif suffix in (".csv", ".tsv"):
        found = _read_flat_csv(path, text_column, label_column, delimiter="\t" if suffix == ".tsv" else ",")
        if found is None:
            return None
    else:
        return None
    if found.skipped:
        shown = ", ".join(found.skipped[:5]) + (", ..." if len(found.skipped) > 5 else "")
        warnings.warn(
            f"{path.name}: {len(found.skipped)} task(s) without a human annotation left out ({shown})",
            SkippedTasksWarning,
            stacklevel=2,
        )
    return found


def _json_items(path: Path) -> list[dict[str, Any]] | None:
    """A JSON file's top-level list of objects, or None for any other JSON (a non-empty list is needed)."""
    try:
        items = json.loads(path.read_text(encoding="utf-8"))
    except (OSError, ValueError):
        return None  # left to the general reader, which names the problem
    if isinstance(items, list) and items and all(isinstance(item, dict) for item in items):
        return items
    return None


def _from_full_json(items: list[dict[str, Any]], name: str, text_column: str, label_column: str) -> ExportRows:
    """Label Studio's JSON export: each task with its data, its annotations and the predictions."""
    rows, skipped, problems = [], [], []
    for item in items:
        origin = f"{name}: task {item.get('id', '?')}"
        data = item.get("data") or {}
        votes = []  # (label, annotation id, ground truth) of each annotation that was not cancelled
        for annotation in item.get("annotations") or []:
            if annotation.get("was_cancelled"):
                continue
            chosen = _choices(annotation.get("result") or [], label_column)
            if len(chosen) > 1:
                problems.append(f"{origin}: annotation {annotation.get('id')} chose {len(chosen)} labels {chosen}")
            elif chosen:
                votes.append((chosen[0], annotation.get("id"), bool(annotation.get("ground_truth"))))
        if not votes:
            skipped.append(f"task {item.get('id', '?')}")
            continue
        labels = {label for label, _id, _truth in votes}
        truth = {label for label, _id, ground_truth in votes if ground_truth}
        if len(labels) > 1 and len(truth) != 1:
            detail = ", ".join(f"{label} (annotation {number})" for label, number, _truth in votes)
            problems.append(f"{origin}: annotators disagree: {detail}; mark one annotation as ground truth")
            continue
        label = truth.pop() if len(labels) > 1 else labels.pop()
        rows.append({**data, text_column: data.get(text_column), "label": label, "_origin": origin})
    if problems:
        raise DataError(f"{len(problems)} problem(s) in {name}:\n  " + "\n  ".join(problems[:20]))
    return ExportRows(rows, skipped)


def _choices(result: list[dict[str, Any]], control: str) -> list[str]:
    """The choices an annotation made in the control named ``control``."""
    for region in result:
        if region.get("type") == "choices" and region.get("from_name") == control:
            return list((region.get("value") or {}).get("choices") or [])
    return []


def _from_flat(items: list[dict[str, Any]], name: str, text_column: str, label_column: str) -> ExportRows:
    """JSON-MIN and CSV: one flat row per task, the annotator's choice under the control's name."""
    rows, skipped = [], []
    for number, item in enumerate(items, start=1):
        task = item.get("id") or f"row {number}"
        label = item.get(label_column)
        if isinstance(label, dict) and "choices" in label:  # several choices are exported as an object
            label = label["choices"]
        if label in (None, ""):
            skipped.append(f"task {task}")
            continue
        row = {key: value for key, value in item.items() if key != label_column}
        rows.append({**row, "label": label, "_origin": f"{name}: task {task}"})
    return ExportRows(rows, skipped)


def _read_flat_csv(path: Path, text_column: str, label_column: str, *, delimiter: str) -> ExportRows | None:
    try:
        with path.open(encoding="utf-8", newline="") as handle:
            reader = csv.DictReader(handle, delimiter=delimiter)
            columns = reader.fieldnames or []
            if not all(column in columns for column in _FLAT_EXPORT_COLUMNS):
                return None
            items = list(reader)
    except (OSError, UnicodeDecodeError, csv.Error):
        return None  # left to the general reader, which names the problem
    return _from_flat(items, path.name, text_column, label_column)
