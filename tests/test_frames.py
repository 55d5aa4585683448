"""``ClaimClassifier.label_frame`` on pandas and polars DataFrames."""

from __future__ import annotations

import math

import pytest

from classifier.errors import ClassifierError, InputError
from classifier.output.records import RECORD_FIELDS
from tests.conftest import SEED_TEXT

pd = pytest.importorskip("pandas")

SHORT = "They shelled the town. We urge both sides to talk."


@pytest.fixture(scope="module")
def frame():
    seed = SEED_TEXT.read_text(encoding="utf-8")
    return pd.DataFrame(
        {"text": [seed, None, SHORT, ""], "party": ["PK", "XX", "UN", "YY"], "year": [2026, 2025, 2024, 2023]},
        index=pd.Index(["a", "b", "c", "d"], name="statement"),
    )


def without_doc(row: dict) -> dict:
    return {key: value for key, value in row.items() if key != "doc"}


def test_pandas_rows_are_the_records_of_claims_label_indexed_by_the_input_row(classifier, frame, seed_cli_records):
    result = classifier.label_frame(frame)
    assert list(result.columns) == list(RECORD_FIELDS)
    assert result.index.name == "statement"
    assert list(result.index) == ["a"] * 19 + ["c"] * 2  # rows without text give no sentence
    records = result.to_dict(orient="records")
    assert [without_doc(r) for r in records[:19]] == [without_doc(r) for r in seed_cli_records]
    expected_short = [p.to_dict() for p in classifier.label_text(SHORT)]
    assert [without_doc(r) for r in records[19:]] == [{"index": i, **p} for i, p in enumerate(expected_short)]
    assert set(result["doc"]) == {"a", "c"}


def test_pandas_keep_copies_columns_with_their_types_and_joins_back(classifier, frame):
    result = classifier.label_frame(frame, keep=["party", "year"])
    assert list(result.columns[:2]) == ["party", "year"]
    assert result["year"].dtype == frame["year"].dtype
    assert list(result.loc["c", "party"]) == ["UN", "UN"]
    assert list(classifier.label_frame(frame, keep="party").columns[:1]) == ["party"]  # one name, not letters
    joined = result[["label"]].join(frame[["party"]])
    assert (joined["party"] == result["party"]).all()


def test_options_mirror_the_api(classifier, frame):
    result = classifier.label_frame(frame.loc[["c"]], mode="rules", force_label=True, doc="party")
    expected = classifier.label_text(SHORT, mode="rules", force_label=True)
    assert list(result["label"]) == [p.label for p in expected]
    assert list(result["source"]) == ["rules", "rules"] and list(result["doc"]) == ["UN", "UN"]
    strict = classifier.label_frame(frame.loc[["c"]], min_confidence=1.0)
    assert strict["label"].isna().all()


def test_missing_values_give_no_sentence_and_wrong_values_name_their_row(classifier):
    mixed = pd.DataFrame({"text": [SHORT, math.nan, pd.NA]}, index=[7, 8, 9], dtype=object)
    assert list(classifier.label_frame(mixed).index) == [7, 7]
    wrong = pd.DataFrame({"text": [SHORT, 42]}, index=[7, 8])
    with pytest.raises(InputError, match=r"row 8: column 'text' holds int"):
        classifier.label_frame(wrong)


def test_bad_columns_and_non_frames_are_input_errors(classifier, frame):
    with pytest.raises(InputError, match=r"no column\(s\) \['body'\]"):
        classifier.label_frame(frame, text="body")
    with pytest.raises(InputError, match="clash with output fields"):
        classifier.label_frame(frame.rename(columns={"party": "label"}), keep=["label"])
    with pytest.raises(InputError, match="pandas or polars DataFrame"):
        classifier.label_frame({"text": [SHORT]})
    with pytest.raises(ClassifierError, match="unknown mode"):  # as label_text says it
        classifier.label_frame(frame, mode="fast")


def test_an_empty_frame_gives_an_empty_result_with_the_columns(classifier):
    result = classifier.label_frame(pd.DataFrame({"text": []}, dtype=object))
    assert len(result) == 0 and list(result.columns) == list(RECORD_FIELDS)


def test_polars_gives_the_same_records_with_a_row_column(classifier, frame):
    pl = pytest.importorskip("polars")
    result = classifier.label_frame(pl.from_pandas(frame.reset_index()), keep=["statement", "year"])
    assert result.columns == ["row", "statement", "year", *RECORD_FIELDS]
    assert result["row"].to_list() == [0] * 19 + [2] * 2
    assert result["year"].dtype == pl.Int64
    assert result.schema["scores"] == pl.Struct({name: pl.Float64 for name in classifier.labels})
    from_pandas = classifier.label_frame(frame).to_dict(orient="records")
    got = result.drop("row", "statement", "year").to_dicts()
    assert [without_doc(r) for r in got] == [without_doc(r) for r in from_pandas]
    assert result["doc"].to_list() == ["0"] * 19 + ["2"] * 2  # polars has no index: the position names a row
