"""The real-text corpus and test set: sizes, provenance, licences, and a test set kept apart from training."""

from __future__ import annotations

import hashlib
import importlib.util
from collections import Counter
from pathlib import Path

import pytest

from classifier.labels import CLAIM_LABELS, OUTCOMES
from classifier.training.data import load_labelled_file, validate

from .conftest import REPO, read_jsonl
from .corpus_checks import near_duplicates, normalise

REAL = REPO / "training" / "real"
REALTEST = REPO / "training" / "realtest"
SHIPPED_TRAINING = sorted((REPO / "training" / "data").glob("real-*.jsonl"))
POINTERS = sorted((REAL / "pointers").glob("*.jsonl"))
TEST_FILES = sorted(REALTEST.glob("*.jsonl"))
#: Real sentences kept out of training to measure named failure classes (training/experiments/ADOPTION.md).
REAL_TARGET_SET = REPO / "training" / "devtest" / "real_failure_classes.jsonl"
#: Sources whose licence lets this repository carry their text (training/SOURCES.md).
TEXT_ALLOWED = {"wh", "pam", "unscon", "resistinua"}


def _sources_table() -> dict[str, tuple[str, str]]:
    """Repository and commit of each source, as the readers that built the data record them."""
    spec = importlib.util.spec_from_file_location("real_sources", REAL / "sources.py")
    assert spec and spec.loader
    module = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(module)
    return module.SOURCES


@pytest.fixture(scope="module")
def training_rows() -> list[dict]:
    return [row for path in (*SHIPPED_TRAINING, *POINTERS) for row in read_jsonl(path)]


@pytest.fixture(scope="module")
def test_rows() -> list[dict]:
    return [row for path in TEST_FILES for row in read_jsonl(path)]


def test_training_corpus_size_sources_and_balance(training_rows):
    counts = Counter(row["label"] for row in training_rows)
    assert len(training_rows) >= 4000
    assert len({row["source"] for row in training_rows}) >= 5
    assert len({row["doc"] for row in training_rows}) >= 400
    assert all(counts[label] >= 400 for label in CLAIM_LABELS), counts
    assert counts["none"] >= 600


def test_every_real_row_says_where_it_comes_from(training_rows, test_rows):
    sources = _sources_table()
    for row in (*training_rows, *test_rows):
        assert row["source"] in sources and row["doc"] and row["party"] and row["date"], row
        locator = row["locator"]
        assert (locator["repo"], locator["commit"]) == sources[row["source"]], row
        assert locator["path"] and 0 <= locator["start"] < locator["end"], row
        assert row["label"] in OUTCOMES


def test_text_ships_only_where_the_licence_allows(test_rows):
    for path in SHIPPED_TRAINING:
        assert {row["source"] for row in read_jsonl(path)} <= TEXT_ALLOWED, path.name
    assert {row["source"] for row in test_rows} <= TEXT_ALLOWED
    for path in POINTERS:
        rows = read_jsonl(path)
        assert rows and all("text" not in row for row in rows), path.name
        assert {row["source"] for row in rows}.isdisjoint(TEXT_ALLOWED), path.name


def test_every_shipped_sentence_matches_its_sha256(training_rows, test_rows):
    for row in (*training_rows, *test_rows):
        if "text" in row:
            assert hashlib.sha256(row["text"].encode()).hexdigest() == row["sha256"], row["doc"]
        assert len(row["sha256"]) == 64


def test_rebuilt_pointer_text_matches_its_sha256():
    """The text rebuilt from the snapshots (training/real/rebuild.py) is what the pointers describe."""
    rebuilt = [REAL / "rebuilt" / path.name for path in POINTERS]
    if not all(path.is_file() for path in rebuilt):
        pytest.skip("pointer-only sources not rebuilt on this machine (training/real/rebuild.py)")
    for pointer, copy in zip(POINTERS, rebuilt, strict=True):
        wanted = [row["sha256"] for row in read_jsonl(pointer)]
        rows = read_jsonl(copy)
        assert [row["sha256"] for row in rows] == wanted, copy.name
        assert all(hashlib.sha256(row["text"].encode()).hexdigest() == row["sha256"] for row in rows)


def test_test_documents_and_sources_are_never_trained_on(training_rows, test_rows):
    assert {row["doc"] for row in test_rows}.isdisjoint({row["doc"] for row in training_rows})
    assert {row["sha256"] for row in test_rows}.isdisjoint({row["sha256"] for row in training_rows})
    # A whole source held out, and later years of two others.
    assert "resistinua" not in {row["source"] for row in training_rows}
    for source in {row["source"] for row in test_rows} & {row["source"] for row in training_rows}:
        last_trained = max(row["date"][:4] for row in training_rows if row["source"] == source)
        first_tested = min(row["date"][:4] for row in test_rows if row["source"] == source)
        assert first_tested > last_trained, source


def test_no_training_sentence_is_a_near_copy_of_a_test_sentence(training_rows, test_rows):
    test_texts = [row["text"] for row in test_rows]
    training_texts = [row["text"] for row in training_rows if "text" in row]
    rebuilt = REAL / "rebuilt"
    training_texts += [row["text"] for path in sorted(rebuilt.glob("*.jsonl")) for row in read_jsonl(path)]
    assert {normalise(t) for t in test_texts}.isdisjoint({normalise(t) for t in training_texts})
    pairs = near_duplicates(test_texts + training_texts, threshold=0.6)
    n = len(test_texts)
    assert [(test_texts[a], training_texts[b - n]) for a, b, _ in pairs if a < n <= b] == []


def test_the_real_target_set_is_never_trained_on_and_ships_only_allowed_text(training_rows):
    target = read_jsonl(REAL_TARGET_SET)
    assert len(target) >= 150 and {row["annotator"] for row in target} == {"target_fc"}
    assert {row["source"] for row in target} <= TEXT_ALLOWED
    assert all(hashlib.sha256(row["text"].encode()).hexdigest() == row["sha256"] for row in target)
    assert {row["doc"] for row in target}.isdisjoint({row["doc"] for row in training_rows})
    training_texts = [row["text"] for row in training_rows if "text" in row]
    training_texts += [row["text"] for path in sorted((REAL / "rebuilt").glob("*.jsonl")) for row in read_jsonl(path)]
    target_texts = [row["text"] for row in target]
    pairs = near_duplicates(target_texts + training_texts, threshold=0.6)
    n = len(target_texts)
    assert [(target_texts[a], training_texts[b - n]) for a, b, _ in pairs if a < n <= b] == []


def test_test_set_parts(test_rows):
    parts = {path.stem: load_labelled_file(path) for path in TEST_FILES}
    assert set(parts) == {"balanced", "natural"}
    assert sum(len(p) for p in parts.values()) >= 800
    balanced = Counter(e.label for e in parts["balanced"])
    assert set(balanced) == set(OUTCOMES) and len(set(balanced.values())) == 1, balanced
    natural = read_jsonl(REALTEST / "natural.jsonl")
    docs = [row["doc"] for row in natural]
    assert docs == sorted(docs, key=docs.index)  # each document is one contiguous run
    for doc in set(docs):
        starts = [row["locator"]["start"] for row in natural if row["doc"] == doc]
        assert starts == sorted(starts), doc  # in reading order
    validate(parts["balanced"])  # whole documents repeat formulae ("Glory to Ukraine!"); a sample does not


def test_about_a_tenth_of_the_training_corpus_is_labelled_twice(training_rows, test_rows):
    twice = [row for row in training_rows if "second_label" in row]
    assert len(twice) >= 0.1 * len(training_rows)
    assert all(row["second_label"] in OUTCOMES for row in (*twice, *test_rows) if "second_label" in row)
    # A disagreement is kept as an 'also' label, so lenient scores accept either annotator.
    assert all(row["second_label"] in (row["label"], *row.get("also", ())) for row in twice)


def test_sources_and_guide_notes_are_written_down():
    sources = (REPO / "training" / "SOURCES.md").read_text(encoding="utf-8")
    for source, (repo, commit) in _sources_table().items():
        assert f"`{source}`" in sources and repo in sources and commit in sources, source
    assert (REPO / "training" / "GUIDE-NOTES.md").is_file()
    assert Path(REAL / "rebuild.py").is_file()
