"""The ``claims`` spaCy component (the ``spacy`` extra): spans, options, batching, saving and displaCy."""

from __future__ import annotations

import json
import re
import shutil
import subprocess
import sys

import pytest

spacy = pytest.importorskip("spacy")

from spacy import displacy  # noqa: E402

from classifier import ClaimClassifier  # noqa: E402
from classifier.errors import ClassifierError, ModelError  # noqa: E402
from classifier.integrations.spacy_pipe import displacy_options  # noqa: E402
from classifier.output.palette import LABEL_COLOURS  # noqa: E402
from classifier.textmodel.folder import default_model_dir  # noqa: E402
from tests.conftest import SEED_GOLD, SEED_TEXT, read_jsonl  # noqa: E402


def spans_of(doc) -> list[tuple[str, int, int]]:
    return [(span.label_, span.start_char, span.end_char) for span in doc.spans["claims"]]


@pytest.fixture(scope="module")
def seed_doc():
    nlp = spacy.blank("en")
    nlp.add_pipe("claims")
    return nlp(SEED_TEXT.read_text(encoding="utf-8"))


def test_the_factory_is_found_through_the_entry_point_without_importing_the_package():
    code = (
        "import sys, spacy; nlp = spacy.blank('en'); nlp.add_pipe('claims'); "
        "print(len(nlp('They shelled the town. We urge both sides to talk.').spans['claims']))"
    )
    found = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, check=True)
    assert found.stdout.strip() == "2"


def test_the_seed_gives_19_spans_with_the_labels_and_offsets_of_claims_label(seed_doc, seed_cli_records):
    assert len(seed_cli_records) == 19 and all(r["label"] for r in seed_cli_records)
    assert spans_of(seed_doc) == [(r["label"], r["start"], r["end"]) for r in seed_cli_records]
    assert [span.text for span in seed_doc.spans["claims"]] == [r["text"] for r in seed_cli_records]


def test_span_labels_match_the_hand_labelled_gold(seed_doc):
    gold = read_jsonl(SEED_GOLD)
    agree = sum(span.label_ == row["label"] for span, row in zip(seed_doc.spans["claims"], gold, strict=True))
    assert agree >= 17  # the shipped model's floor on the seed (tests/test_accuracy_floors.py checks the API)


def test_extensions_hold_the_record_of_each_sentence(seed_doc, seed_cli_records):
    for span, row in zip(seed_doc.spans["claims"], seed_cli_records, strict=True):
        assert span._.claim_confidence == pytest.approx(row["confidence"], abs=1e-12)
        assert span._.claim_scores == pytest.approx(row["scores"], abs=1e-12)
        assert span._.claim_evidence == row["evidence"]
    assert any(span._.claim_evidence for span in seed_doc.spans["claims"])


def test_sentences_set_by_a_sentencizer_are_the_ones_labelled(classifier):
    nlp = spacy.blank("en")
    nlp.add_pipe("sentencizer")
    nlp.add_pipe("claims")
    doc = nlp(SEED_TEXT.read_text(encoding="utf-8"))
    sentences = [s.text.strip() for s in doc.sents if s.text.strip()]
    expected = [p for p in classifier.label_sentences(sentences) if p.label]
    assert [(s.label_, s.text) for s in doc.spans["claims"]] == [(p.label, p.text) for p in expected]


def test_boundaries_a_component_sets_win_over_the_package_segmenter():
    nlp = spacy.blank("en")

    @spacy.Language.component("one_sentence_for_test")
    def one_sentence(doc):
        for token in doc[1:]:
            token.is_sent_start = False
        return doc

    nlp.add_pipe("one_sentence_for_test")
    nlp.add_pipe("claims", config={"force_label": True})
    text = "  They shelled the town. We urge both sides to talk.\n"
    doc = nlp(text)
    assert [(s.start_char, s.end_char) for s in doc.spans["claims"]] == [(2, len(text) - 1)]


def test_config_options_mirror_the_api(classifier):
    text = "The meeting took place in Geneva on Tuesday. They shelled the town."
    expected = classifier.label_text(text, mode="rules", force_label=True)
    nlp = spacy.blank("en")
    nlp.add_pipe("claims", config={"mode": "rules", "force_label": True})
    doc = nlp(text)
    assert spans_of(doc) == [(p.label, p.start, p.end) for p in expected]
    assert len(doc.spans["claims"]) == 2  # force_label: the narration sentence is labelled too
    strict = spacy.blank("en")
    strict.add_pipe("claims", config={"min_confidence": 1.0})
    assert list(strict(text).spans["claims"]) == []


def test_a_bad_option_is_the_packages_error():
    with pytest.raises(ClassifierError, match="unknown mode"):
        spacy.blank("en").add_pipe("claims", config={"mode": "fast"})
    with pytest.raises(ClassifierError, match="min_confidence"):
        spacy.blank("en").add_pipe("claims", config={"min_confidence": 2.0})
    nlp = spacy.blank("en")
    nlp.add_pipe("claims", config={"model": "/no/such/model"})
    with pytest.raises(ModelError, match="no such model directory"):
        nlp("They shelled the town.")


def test_pipe_labels_each_batch_in_one_call_and_equals_one_by_one(monkeypatch):
    texts = [SEED_TEXT.read_text(encoding="utf-8"), "", "They shelled the town.", "We urge both sides to talk."] * 3
    nlp = spacy.blank("en")
    component = nlp.add_pipe("claims")
    one_by_one = [spans_of(nlp(text)) for text in texts]
    calls = []
    original = ClaimClassifier.label_sentences

    def counting(self, sentences, **options):
        calls.append(len(sentences))
        return original(self, sentences, **options)

    monkeypatch.setattr(ClaimClassifier, "label_sentences", counting)
    batched = [spans_of(doc) for doc in nlp.pipe(texts, batch_size=5)]
    assert batched == one_by_one
    assert len(calls) == 3  # 12 documents in batches of 5
    assert component.classifier is not None


def test_a_saved_pipeline_loads_back_and_gives_the_same_spans(tmp_path, seed_doc):
    nlp = spacy.blank("en")
    nlp.add_pipe("claims", config={"mode": "hybrid"})
    nlp.to_disk(tmp_path / "pipeline")
    loaded = spacy.load(tmp_path / "pipeline")
    doc = loaded(SEED_TEXT.read_text(encoding="utf-8"))
    assert spans_of(doc) == spans_of(seed_doc)
    info = json.loads((tmp_path / "pipeline" / "claims" / "claims.json").read_text())
    assert info["model"] == "shipped" and len(info["metadata_sha256"]) == 64


def test_a_user_model_is_copied_and_its_checksums_verified_on_load(tmp_path, seed_doc):
    user_model = tmp_path / "my-model"
    shutil.copytree(default_model_dir(), user_model)
    nlp = spacy.blank("en")
    nlp.add_pipe("claims", config={"model": str(user_model)})
    nlp.to_disk(tmp_path / "pipeline")
    shutil.rmtree(user_model)  # the saved pipeline no longer needs the original folder
    loaded = spacy.load(tmp_path / "pipeline")
    assert spans_of(loaded(SEED_TEXT.read_text(encoding="utf-8"))) == spans_of(seed_doc)

    copied = tmp_path / "pipeline" / "claims" / "model" / "arrays.npz"
    data = bytearray(copied.read_bytes())
    data[len(data) // 2] ^= 0xFF
    copied.write_bytes(bytes(data))
    with pytest.raises(ModelError):
        spacy.load(tmp_path / "pipeline")


def test_a_pipeline_saved_with_another_model_is_refused(tmp_path):
    nlp = spacy.blank("en")
    nlp.add_pipe("claims")
    nlp.to_disk(tmp_path / "pipeline")
    info_file = tmp_path / "pipeline" / "claims" / "claims.json"
    info = json.loads(info_file.read_text())
    info["metadata_sha256"] = "0" * 64
    info_file.write_text(json.dumps(info))
    with pytest.raises(ModelError, match="save the pipeline again"):
        spacy.load(tmp_path / "pipeline")


def test_user_rules_travel_with_the_saved_pipeline(tmp_path):
    rule_file = tmp_path / "mine.toml"
    rule_file.write_text(
        '[[rule]]\nid = "test.zebra"\nlabel = "warning"\nweight = 4.0\n'
        'description = "A test rule."\npatterns = ["zebra crossing"]\n'
        'match = ["The zebra crossing is near."]\nnot_match = ["The road is near."]\n'
    )
    text = "The zebra crossing was repainted."
    nlp = spacy.blank("en")
    nlp.add_pipe("claims", config={"rules": [str(rule_file)], "mode": "rules"})
    assert spans_of(nlp(text))[0][0] == "warning"
    nlp.to_disk(tmp_path / "pipeline")
    rule_file.unlink()
    doc = spacy.load(tmp_path / "pipeline")(text)
    assert doc.spans["claims"][0]._.claim_evidence[0]["rule"] == "test.zebra"


def test_displacy_renders_the_spans_to_html(seed_doc):
    html = displacy.render(seed_doc, style="span", options=displacy_options(), page=True)
    labels = {span.label_ for span in seed_doc.spans["claims"]}
    assert len(labels) >= 3
    for label in labels:
        assert label in html
    # displaCy writes each span's label in a box where the span starts: one box per span, in order
    boxes = re.findall(r"z-index: 10[^>]*>\s*([a-z_]+)\s*</span>", html)
    assert boxes == [span.label_ for span in seed_doc.spans["claims"]]
    assert all(f"background: {LABEL_COLOURS[label]}" in html for label in labels)
