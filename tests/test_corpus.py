"""The shipped corpus and dev-test set meet the corpus issue's requirements."""

from __future__ import annotations

from collections import Counter

import pytest

from classifier.labels import CLAIM_LABELS, OUTCOMES
from classifier.text.segment import split_sentences
from classifier.training.data import load_corpus, load_labelled_file, validate
from tests.conftest import DEVTEST, FIRST_PERSON, TOPIC_SHIFT

from .corpus_checks import near_duplicates, normalise


@pytest.fixture(scope="module")
def corpus():
    return load_corpus()


#: Sizes of the shipped corpus when this test was last raised (training/README.md, "Counts"): whole
#: corpus, then the synthetic parts alone. Like accuracy floors they move up, never down, so a part
#: or a label lost in a reorganisation fails here. The corpus issue asked for at least 1,500
#: sentences, 220 per claim label, 200 statements, 60 parties and 25 topics; these are well above.
SIZE_FLOORS = {
    "all": {"sentences": 9031, "statements": 1994, "parties": 372, "topics": 101},
    "synthetic": {"sentences": 5226, "statements": 694, "parties": 314, "topics": 100},
}
LABEL_FLOORS = {
    "all": {"none": 2654, "accusation": 1509, "legal_claim": 1085, "demand": 1417, "warning": 1018, "assurance": 1348},
    "synthetic": {"none": 877, "accusation": 892, "legal_claim": 857, "demand": 861, "warning": 859, "assurance": 880},
}


@pytest.mark.parametrize("part", ["all", "synthetic"])
def test_size_and_balance(corpus, part):
    examples = [e for e in corpus if part == "all" or e.synthetic]
    counts = Counter(e.label for e in examples)
    sizes = {
        "sentences": len(examples),
        "statements": len({e.doc for e in examples}),
        "parties": len({e.party for e in examples}),
        "topics": len({e.topic for e in examples}),
    }
    assert all(sizes[key] >= floor for key, floor in SIZE_FLOORS[part].items()), sizes
    assert all(counts[label] >= floor for label, floor in LABEL_FLOORS[part].items()), counts
    assert set(counts) == set(OUTCOMES) and min(counts[label] for label in CLAIM_LABELS) >= 220


def test_corpus_passes_validation(corpus):
    validate(corpus)


def test_no_normalised_duplicates_or_near_duplicates(corpus):
    normalised = Counter(normalise(e.text) for e in corpus)
    assert [t for t, n in normalised.items() if n > 1] == []
    pairs = near_duplicates([e.text for e in corpus], threshold=0.6)
    assert [(corpus[a].text, corpus[b].text) for a, b, _ in pairs] == []


def test_no_seed_sentence_in_the_corpus_or_test_sets(corpus, seed_text):
    seed = [seed_text[s.start : s.end] for s in split_sentences(seed_text)]
    test_sets = [load_labelled_file(path) for path in (DEVTEST, FIRST_PERSON, TOPIC_SHIFT)]
    texts = [e.text for e in corpus] + [e.text for test_set in test_sets for e in test_set]
    pairs = near_duplicates(seed + texts, threshold=0.3)
    assert [(a, b) for a, b, _ in pairs if a < len(seed) <= b] == []


def test_devtest_is_separate_and_covers_all_outcomes(corpus):
    devtest = load_labelled_file(DEVTEST)
    assert len(devtest) >= 300
    assert set(Counter(e.label for e in devtest)) == set(OUTCOMES)
    corpus_texts = {normalise(e.text) for e in corpus}
    assert [e.text for e in devtest if normalise(e.text) in corpus_texts] == []
    assert [e for e in devtest if e.doc in {c.doc for c in corpus}] == []


@pytest.mark.parametrize("path", [FIRST_PERSON, TOPIC_SHIFT], ids=lambda path: path.stem)
def test_target_test_sets_are_separate_and_balanced(corpus, path):
    """Each target set (written apart from the corpus part it measures) has 20 sentences per outcome and
    shares no sentence or near-copy with the corpus."""
    target = load_labelled_file(path)
    assert Counter(e.label for e in target) == dict.fromkeys(OUTCOMES, 20)
    texts = [e.text for e in target] + [e.text for e in corpus]
    pairs = near_duplicates(texts, threshold=0.6)
    assert [(texts[a], texts[b]) for a, b, _ in pairs if a < len(target) <= b] == []


def test_statements_keep_their_sentences_together(corpus):
    """A doc id names one statement: its sentences are contiguous in the files."""
    seen, previous = set(), None
    for example in corpus:
        if example.doc != previous:
            assert example.doc not in seen, example.doc
            seen.add(example.doc)
            previous = example.doc
