"""Place names are masked before the text model: the list, the matching, and what it guarantees."""

from __future__ import annotations

import numpy as np
import pytest

from classifier.errors import ModelError
from classifier.text.places import PLACEHOLDER, mask_places, place_names, places_text
from classifier.text.segment import split_sentences
from classifier.textmodel.features import TfidfFeatures

P = PLACEHOLDER


@pytest.mark.parametrize(
    ("text", "masked"),
    [
        ("Pakistan\u2019s envoy met Afghan officials in Kabul.", f"{P}\u2019s envoy met {P} officials in {P}."),
        ("Talks with the Democratic Republic of the Congo resumed.", f"Talks with the {P} resumed."),
        ("South Sudan and Sudan signed; Guinea-Bissau abstained.", f"{P} and {P} signed; {P} abstained."),
        ("China-based firms and Sino-Indian talks.", f"{P}-based firms and Sino-{P} talks."),
        ("C\u00f4te d'Ivoire and the Ivorians.", f"{P} and the {P}."),
    ],
)
def test_listed_names_become_the_placeholder(text, masked):
    assert mask_places(text) == masked


@pytest.mark.parametrize(
    "text",
    [
        "We will chad the turkey.",  # lower case: ordinary words
        "Perugia hosted Romeo and Omanisation.",  # listed names (Peru, Rome, Oman) inside longer words
        "The New York talks ended.",  # a first word shared with listed names, no listed name
        "The Security Council met under the Charter.",
        "",
    ],
)
def test_other_text_is_left_alone(text):
    assert mask_places(text) == text


def test_the_list_is_clean_and_every_entry_is_found():
    names = place_names(places_text())
    assert len(names) == len(set(names)) > 500
    assert all(name == name.strip() and name[0].isupper() for name in names)
    missed = [name for name in names if mask_places(f"In {name}, they met.") != f"In {P}, they met."]
    assert missed == []


def test_a_model_masked_with_another_list_is_refused():
    settings = {"analyzer": "word", "ngram_range": [1, 1], "mask_places": True, "places_sha256": "0" * 64}
    with pytest.raises(ModelError, match="place names"):
        TfidfFeatures(["word"], [1.0], settings)


def test_swapping_one_country_for_another_changes_nothing(classifier, seed_text):
    """The shipped model masks place names, so the seed's labels and scores do not depend on who is named."""
    swaps = {"Pakistani": "Norwegian", "Pakistan": "Norway", "Afghanistan": "Chile", "Afghan": "Chilean"}
    swaps |= {"Kabul": "Santiago", "Islamabad": "Oslo"}
    sentences = [seed_text[s.start : s.end] for s in split_sentences(seed_text)]
    swapped = list(sentences)
    for old, new in swaps.items():
        swapped = [s.replace(old, new) for s in swapped]
    assert sum(a != b for a, b in zip(sentences, swapped, strict=True)) >= 10
    for mode in ("hybrid", "model", "rules"):
        np.testing.assert_allclose(
            classifier.scores(swapped, mode=mode), classifier.scores(sentences, mode=mode), rtol=0, atol=1e-12
        )


def test_only_models_trained_with_masking_mask():
    """Models trained before masking existed (no setting) read place names as words, as they were trained."""
    from classifier.text.places import places_digest

    plain = TfidfFeatures(["pakistan", P], [1.0, 1.0], {"analyzer": "word", "ngram_range": [1, 1]})
    masked_settings = {"analyzer": "word", "ngram_range": [1, 1], "mask_places": True, "places_sha256": places_digest()}
    masked = TfidfFeatures(["pakistan", P], [1.0, 1.0], masked_settings)
    assert plain.analyze("Pakistan warned.") == ["pakistan", "warned"]
    assert masked.analyze("Pakistan warned.") == [P, "warned"]
    assert plain.transform(["Pakistan warned."]).indices.tolist() == [0]
    assert masked.transform(["Pakistan warned."]).indices.tolist() == [1]
