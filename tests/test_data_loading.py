"""Reading labelled data in every supported format, and refusing bad data row by row."""

from __future__ import annotations

import json

import pytest

from classifier import DataError
from classifier.labels import normalise_label
from classifier.training.data import Example, load_user_data, validate

pytest.importorskip("datasets")

ROWS = [
    {"sentence": "We urge the parties to talk.", "tag": "Demand", "doc": "d1"},
    {"sentence": "They shelled the border town.", "tag": "accusation", "doc": "d1"},
    {"sentence": "Under Article 51 we have the right to respond.", "tag": "Legal claim", "doc": "d2"},
    {"sentence": "We remain committed to dialogue.", "tag": "ASSURANCE", "doc": "d2"},
    {"sentence": "Any incursion will meet a firm response.", "tag": "warning", "doc": "d3"},
    {"sentence": "The meeting took place in Vienna.", "tag": "none", "doc": "d3"},
]
EXPECTED = ["demand", "accusation", "legal_claim", "assurance", "warning", "none"]


def write_format(tmp_path, fmt):
    import datasets

    dataset = datasets.Dataset.from_list(ROWS)
    if fmt == "jsonl":
        path = tmp_path / "data.jsonl"
        path.write_text("".join(json.dumps(r) + "\n" for r in ROWS))
    elif fmt == "json":
        path = tmp_path / "data.json"
        path.write_text(json.dumps(ROWS))
    elif fmt == "csv":
        path = tmp_path / "data.csv"
        dataset.to_csv(str(path), index=False)
    elif fmt == "parquet":
        path = tmp_path / "data.parquet"
        dataset.to_parquet(str(path))
    else:
        path = tmp_path / "saved"
        dataset.save_to_disk(str(path))
    return path


@pytest.mark.parametrize("fmt", ["jsonl", "json", "csv", "parquet", "save_to_disk"])
def test_every_format_loads_with_column_mapping_and_label_normalisation(tmp_path, fmt):
    path = write_format(tmp_path, fmt)
    examples = load_user_data(str(path), text_column="sentence", label_column="tag")
    assert [e.label for e in examples] == EXPECTED
    assert [e.text for e in examples] == [r["sentence"] for r in ROWS]
    assert [e.doc for e in examples] == ["d1", "d1", "d2", "d2", "d3", "d3"]


def test_missing_column_is_named(tmp_path):
    path = write_format(tmp_path, "jsonl")
    with pytest.raises(DataError, match="--text-column"):
        load_user_data(str(path))


def test_unknown_and_empty_rows_are_reported_with_their_row(tmp_path):
    path = tmp_path / "bad.jsonl"
    path.write_text(
        json.dumps({"text": "We urge calm.", "label": "threat"})
        + "\n"
        + json.dumps({"text": "  ", "label": "demand"})
        + "\n"
    )
    with pytest.raises(DataError) as error:
        load_user_data(str(path))
    message = str(error.value)
    assert "bad.jsonl:row 1: unknown label 'threat'" in message
    assert "bad.jsonl:row 2: empty or missing text" in message


def examples(*pairs: tuple[str, str]) -> list[Example]:
    return [Example(text=t, label=label, doc=f"d{i}", origin=f"f:row {i + 1}") for i, (t, label) in enumerate(pairs)]


def test_duplicates_and_conflicts_are_reported():
    data = examples(("Stop now.", "demand"), ("Stop now.", "demand"), ("Halt.", "demand"), ("halt.", "warning"))
    with pytest.raises(DataError) as error:
        validate(data, min_per_label=0)
    message = str(error.value)
    assert "exact duplicate text: f:row 1, f:row 2" in message
    assert "same text with labels ['demand', 'warning']: f:row 3, f:row 4" in message


def test_labels_with_too_few_examples_are_reported():
    data = examples(*[(f"Sentence {i}.", "demand") for i in range(6)])
    with pytest.raises(DataError, match="label 'warning' has 0 example"):
        validate(data, min_per_label=5)


@pytest.mark.parametrize(
    ("raw", "label"), [("Legal claim", "legal_claim"), ("legal-claim", "legal_claim"), (" WARNING ", "warning")]
)
def test_label_spellings(raw, label):
    assert normalise_label(raw) == label


def test_missing_file_is_a_data_error(tmp_path):
    with pytest.raises(DataError, match="no such file"):
        load_user_data(str(tmp_path / "absent.jsonl"))


@pytest.mark.parametrize("content", ["", "\n\n"])
def test_labelled_data_with_no_rows_is_named(tmp_path, content):
    """An empty JSONL file used to end in a bare StopIteration or a puzzling 'no columns' message."""
    path = tmp_path / "empty.jsonl"
    path.write_text(content)
    with pytest.raises(DataError, match="holds no labelled rows"):
        load_user_data(str(path))


def test_an_empty_table_is_named_before_datasets_reads_it(tmp_path):
    from classifier.errors import InputError
    from classifier.tables import load_table

    path = tmp_path / "empty.csv"
    path.write_text("")
    with pytest.raises(InputError, match="is empty"):
        load_table(str(path), error=InputError, unknown_format="?")
