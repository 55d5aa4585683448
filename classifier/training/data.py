"""Labelled data: reading it from many formats, and refusing it when it is wrong.

User data is read with Hugging Face ``datasets`` (JSONL, CSV, JSON, Parquet,
a ``save_to_disk`` folder, or a Hub dataset name). The shipped corpus, a
known JSONL layout, is read with the standard library so training on it
alone stays quick. Every example then passes the same validation: unknown
labels, empty texts, exact duplicates, one text with two labels and labels
with too few examples are all reported, each with its row, before anything
is trained.
"""

from __future__ import annotations

import hashlib
import json
from collections import Counter, defaultdict
from collections.abc import Iterable, Sequence
from dataclasses import dataclass, replace
from pathlib import Path
from typing import Any

from ..errors import DataError
from ..integrations.label_studio_export import read_export
from ..labels import OUTCOMES, normalise_label
from ..shipped import shipped_path
from ..tables import load_table

#: Fewer examples than this for a label present in the data is an error.
MIN_EXAMPLES_PER_LABEL = 5


@dataclass(frozen=True)
class Example:
    """One labelled sentence and where it came from."""

    text: str
    label: str
    doc: str
    party: str = ""
    topic: str = ""
    origin: str = ""  # "file:row" for error messages
    also: tuple[str, ...] = ()  # other labels a reasonable annotator could pick
    #: Where the sentence comes from: a real row's ``source`` column, else its file (one writer per
    #: synthetic corpus part); cross-validation by source and ``claims evaluate --by source`` group on it.
    source: str = ""
    #: Written for the project (a ``corpus-*.jsonl`` part) rather than taken from a real statement.
    synthetic: bool = False


@dataclass
class Problems:
    """Validation problems collected across all rows, reported together."""

    messages: list[str]

    def add(self, message: str) -> None:
        self.messages.append(message)

    def raise_if_any(self, limit: int = 20) -> None:
        if self.messages:
            shown = self.messages[:limit]
            more = len(self.messages) - len(shown)
            tail = f"\n  ... and {more} more" if more else ""
            raise DataError(f"{len(self.messages)} problem(s) in the labelled data:\n  " + "\n  ".join(shown) + tail)


def shipped_corpus_files() -> list[Path]:
    """The corpus that ships with the package (or ``training/data`` in a checkout)."""
    files = sorted(shipped_path("_corpus", "training/data").glob("*.jsonl"))
    if not files:
        raise DataError("the shipped training corpus is missing: reinstall claim-classifier")
    return files


def read_jsonl(path: Path) -> list[dict[str, Any]]:
    """Rows of a JSONL file; a malformed line is a DataError naming the line."""
    rows = []
    with path.open(encoding="utf-8") as handle:
        for number, line in enumerate(handle, start=1):
            if not line.strip():
                continue
            try:
                row = json.loads(line)
            except json.JSONDecodeError as exc:
                raise DataError(f"{path}:{number}: not valid JSON ({exc.msg})") from exc
            if not isinstance(row, dict):
                raise DataError(f"{path}:{number}: expected a JSON object")
            row["_origin"] = f"{path.name}:{number}"
            rows.append(row)
    return rows


#: File names of the synthetic corpus parts; every other corpus file holds real sentences.
SYNTHETIC_PREFIX = "corpus-"


def load_corpus(files: Sequence[Path] | None = None) -> list[Example]:
    """The shipped corpus (synthetic parts and real text) as validated examples."""
    examples = []
    for path in files or shipped_corpus_files():
        synthetic = path.name.startswith(SYNTHETIC_PREFIX)
        found = to_examples(read_jsonl(path), text_column="text", label_column="label", source="corpus")
        examples.extend(replace(e, synthetic=synthetic) for e in found)
    return examples


def realtest_files() -> list[Path]:
    """The real-text test set (``natural.jsonl``, ``balanced.jsonl``): never trained on, chooses nothing."""
    return sorted(shipped_path("_realtest", "training/realtest").glob("*.jsonl"))


def pointer_source_files() -> tuple[list[Path], list[str]]:
    """In a checkout: the rebuilt text of the pointer-only real sources, and the sources not (or not
    currently) rebuilt. Their text does not ship; ``training/real/rebuild.py`` writes it from snapshots."""
    real = Path(__file__).resolve().parents[2] / "training" / "real"
    found, missing = [], []
    for pointer in sorted((real / "pointers").glob("*.jsonl")):
        rebuilt = real / "rebuilt" / pointer.name
        current = rebuilt.is_file() and _digests(rebuilt) == _digests(pointer)
        if current:
            found.append(rebuilt)
        else:
            missing.append(pointer.stem)
    return found, missing


def _digests(path: Path) -> list[str]:
    return [str(row.get("sha256")) for row in read_jsonl(path)]


def shipped_devtest_file() -> Path:
    """The independent dev-test set: never trained on, used to compare models."""
    return shipped_path("_devtest", "training/devtest") / "devtest.jsonl"


def load_labelled_file(path: Path) -> list[Example]:
    """A gold or dev-test JSONL file in the corpus layout (with optional ``also``)."""
    return to_examples(read_jsonl(path), text_column="text", label_column="label", source=path.stem)


def load_user_data(location: str, *, text_column: str = "text", label_column: str = "label") -> list[Example]:
    """Read a user's labelled data and validate it.

    A Label Studio export (JSON, JSON-MIN or CSV) is recognised and read task by task: the
    annotators' labels, tasks without a human annotation skipped (``integrations.label_studio``).

    A JSONL file is read with the standard library: quicker, no ``datasets``
    needed, and nested fields of mixed types (a real sentence's ``locator``)
    do not trip a columnar reader. Every other format goes through ``datasets``.
    """
    path = Path(location)
    exported = read_export(path, text_column=text_column, label_column=label_column) if path.is_file() else None
    if exported is not None:  # a Label Studio export: the annotators' labels, task by task
        if not exported.rows:
            raise DataError(f"{location}: a Label Studio export with no annotated task")
        return to_examples(exported.rows, text_column=text_column, label_column="label", source=path.stem)
    if path.suffix.lower() == ".jsonl" and path.is_file():
        rows = read_jsonl(path)
        columns = sorted({key for row in rows for key in row if key != "_origin"})
    else:
        dataset = _load_dataset(location)
        rows, columns = [dict(row) for row in dataset], dataset.column_names
    if not rows:
        raise DataError(f"{location}: holds no labelled rows")
    missing = [c for c in (text_column, label_column) if c not in columns]
    if missing:
        raise DataError(
            f"{location}: no column(s) {missing}; columns are {columns} (use --text-column / --label-column)"
        )
    for number, row in enumerate(rows, start=1):
        row["_origin"] = f"{path.name}:row {number}"
    return to_examples(rows, text_column=text_column, label_column=label_column, source=path.stem)


def _load_dataset(location: str) -> Any:
    return load_table(
        location,
        error=DataError,
        unknown_format="unknown data format {suffix}; use .jsonl, .json, .csv or .parquet",
        unreadable="cannot be read as labelled data",
        hub=True,
        quiet=True,
    )


def to_examples(rows: Iterable[dict[str, Any]], *, text_column: str, label_column: str, source: str) -> list[Example]:
    """Turn raw rows into examples, collecting every per-row problem."""
    problems = Problems([])
    examples = []
    for index, row in enumerate(rows, start=1):
        origin = str(row.get("_origin", f"{source}:row {index}"))
        text = row.get(text_column)
        if not isinstance(text, str) or not text.strip():
            problems.add(f"{origin}: empty or missing text")
            continue
        try:
            label = normalise_label(row.get(label_column))
        except DataError as exc:
            problems.add(f"{origin}: {exc}")
            continue
        try:
            also = tuple(normalise_label(a) for a in row.get("also") or ())
        except DataError as exc:
            problems.add(f"{origin}: in 'also': {exc}")
            continue
        doc = row.get("doc")
        examples.append(
            Example(
                text=" ".join(text.split()),
                label=label,
                doc=str(doc) if doc not in (None, "") else f"{source}#{index}",
                party=str(row.get("party") or ""),
                topic=str(row.get("topic") or ""),
                origin=origin,
                also=also,
                source=str(row.get("source") or origin.rsplit(":", 1)[0]),
            )
        )
    problems.raise_if_any()
    return examples


def validate(examples: Sequence[Example], *, min_per_label: int = MIN_EXAMPLES_PER_LABEL) -> None:
    """Refuse duplicates, conflicting labels and too-small labels, naming rows."""
    problems = Problems([])
    by_text: dict[str, list[Example]] = defaultdict(list)
    for example in examples:
        by_text[example.text.casefold()].append(example)
    for group in by_text.values():
        if len(group) < 2:
            continue
        labels = sorted({e.label for e in group})
        rows = ", ".join(e.origin for e in group)
        if len(labels) > 1:
            problems.add(f"same text with labels {labels}: {rows}")
        else:
            problems.add(f"exact duplicate text: {rows}")
    counts = Counter(e.label for e in examples)
    for label in OUTCOMES:
        if counts[label] < min_per_label:
            problems.add(f"label {label!r} has {counts[label]} example(s); at least {min_per_label} are needed")
    problems.raise_if_any()


def data_sha256(examples: Sequence[Example]) -> str:
    """A digest of the training examples, recorded in the model's metadata."""
    digest = hashlib.sha256()
    for example in examples:
        digest.update(f"{example.label}\t{example.doc}\t{example.text}\n".encode())
    return digest.hexdigest()
