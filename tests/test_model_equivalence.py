"""The numpy scorer equals scikit-learn's pipeline; the export is a working scikit-learn model."""

from __future__ import annotations

import numpy as np
import pytest

from classifier.labels import OUTCOMES

pytest.importorskip("sklearn")


def test_numpy_scorer_equals_sklearn_pipeline_on_the_whole_corpus(classifier, corpus_rows, seed_text):
    edge_cases = [
        "",
        "   ",  # no words: an empty row between full ones
        "zzqx",  # no known n-gram
        "\u0645\u0631\u062d\u0628\u0627 \U0001f600",
        "\u0130stanbul \u015eEH\u0130R",  # lowercasing changes the length
        "non\u00a0breaking\u2003spaces and the the the repeated words words",
    ]
    texts = [row["text"] for row in corpus_rows] + [seed_text, *edge_cases]
    pipeline = classifier.to_sklearn()
    assert list(pipeline.classes_) == list(OUTCOMES)
    expected = pipeline.predict_proba(texts)
    actual = classifier.scores(texts, mode="model")
    assert actual.shape == expected.shape
    np.testing.assert_allclose(actual, expected, rtol=0, atol=1e-9)


def test_export_joblib_round_trips(tmp_path, classifier):
    import joblib

    from classifier.textmodel.sklearn_bridge import dump_joblib

    out = tmp_path / "model.joblib"
    dump_joblib(classifier.to_sklearn(), out)
    loaded = joblib.load(out)
    sentences = ["We urge both sides to return to talks.", "The meeting was held on Monday."]
    np.testing.assert_allclose(loaded.predict_proba(sentences), classifier.scores(sentences, mode="model"), atol=1e-12)
    assert [p for p in out.parent.iterdir()] == [out]  # no temporary file left behind


def test_labelling_path_imports_no_heavy_libraries():
    import subprocess
    import sys

    code = (
        "import sys\n"
        "from classifier import ClaimClassifier\n"
        "ClaimClassifier.load().label_text('We warn them. We urge restraint.')\n"
        "from classifier.cli import app\n"
        "heavy = ('sklearn', 'datasets', 'pandas', 'pyarrow', 'polars', 'scipy', 'spacy', 'fastapi', 'starlette',\n"
        "         'uvicorn', 'anyio', 'multipart', 'python_multipart', 'onnxruntime', 'tokenizers')\n"
        "heavy = [m for m in heavy if m in sys.modules]\n"
        "print(','.join(heavy))\n"
    )
    result = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, check=True)
    assert result.stdout.strip() == ""


def test_a_very_long_word_is_counted_without_holding_all_its_ngrams(classifier):
    """A file that is one long word: its character n-grams are counted as they are made. tracemalloc
    counts the Python allocations themselves (no timing or machine noise): holding every n-gram of a
    200,000-character word at once takes about 45 MB."""
    import tracemalloc

    word = "ab" * 100_000
    # a long word among short ones, in the same batch: counted and one-per-occurrence columns mix
    texts = [word, "We urge restraint.", f"We urge, we urge {'abc' * 40} restraint now."]
    expected = classifier.to_sklearn().predict_proba(texts)
    tracemalloc.start()
    try:
        actual = classifier.scores(texts, mode="model")
        _, peak = tracemalloc.get_traced_memory()
    finally:
        tracemalloc.stop()
    np.testing.assert_allclose(actual, expected, rtol=0, atol=1e-9)
    assert peak < 5_000_000, f"peak {peak / 1e6:.1f} MB"


@pytest.mark.parametrize("ngram_range", [(1, 1), (2, 2), (1, 3), (2, 4)])
def test_word_ngrams_of_other_lengths_equal_sklearn(ngram_range, corpus_rows):
    """The word block looks n-grams up as numbers; other n-gram ranges than the shipped (1, 2) give
    scikit-learn's rows too, also for batches with fewer tokens than the longest n-gram."""
    from classifier.textmodel.features import TfidfFeatures
    from classifier.textmodel.sklearn_bridge import tfidf_vectorizer

    settings = {"analyzer": "word", "ngram_range": list(ngram_range), "sublinear_tf": True, "min_df": 2}
    training = [row["text"] for row in corpus_rows[:3000]]
    vectorizer = tfidf_vectorizer(settings).fit(training)
    block = TfidfFeatures(list(vectorizer.get_feature_names_out()), vectorizer.idf_, settings)
    batches = [
        [*training[:500], "", "war", "we demand", "the the the the", "We demand that they stop now."],
        ["we"],
        ["we demand"],
        ["we demand an"],
        [],
    ]
    for batch in batches:
        expected = vectorizer.transform(batch).toarray() if batch else np.zeros((0, len(block)))  # sklearn: no rows
        rows = block.transform(batch)
        actual = np.zeros((len(batch), len(block)))
        actual[rows.row_ids(), rows.indices] = rows.data
        np.testing.assert_allclose(actual, expected, rtol=0, atol=1e-12)
