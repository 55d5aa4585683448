"""Property-based tests over arbitrary Unicode text (hypothesis)."""

from __future__ import annotations

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from classifier.text.segment import split_sentences

# Text built from sentence-like pieces plus arbitrary Unicode, so that both
# ordinary prose and hostile input are explored.
PIECES = st.sampled_from(
    [
        "The U.N. said ",
        "Mr. Khan warned. ",
        "\u201cStop!\u201d he said. ",
        "Art. 51 ",
        "3.5 ",
        "\n\n",
        "\n- item\n",
        "\r\n",
        "(see para. 4.) ",
        "\u0627\u0644\u062f\u0648\u0644\u0629. ",
        "\U0001f600 ",
        "...",
        "?",
        " ",
    ]
)
TEXTS = st.one_of(st.text(max_size=400), st.lists(st.one_of(PIECES, st.text(max_size=20)), max_size=40).map("".join))


@given(TEXTS)
@settings(max_examples=300, deadline=None)
def test_spans_slice_are_ordered_disjoint_and_cover_all_non_space(text):
    spans = split_sentences(text)
    covered = set()
    previous_end = 0
    for span in spans:
        assert previous_end <= span.start < span.end <= len(text)
        piece = text[span.start : span.end]
        assert piece == piece.strip() and piece
        covered.update(range(span.start, span.end))
        previous_end = span.end
    assert all(i in covered for i, ch in enumerate(text) if not ch.isspace())


@pytest.fixture(scope="module")
def shared_classifier():
    from classifier import ClaimClassifier

    return ClaimClassifier.load()


@given(TEXTS)
@settings(max_examples=100, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture])
def test_label_text_never_raises_and_scores_are_distributions(shared_classifier, text):
    for prediction in shared_classifier.label_text(text):
        assert text[prediction.start : prediction.end] == prediction.text
        assert 0.0 <= prediction.confidence <= 1.0
        assert abs(sum(prediction.scores.values()) - 1.0) < 1e-9
