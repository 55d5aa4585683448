"""The optional sentence-encoder mode: the ONNX export against the original encoder, checksums, the
missing-extra message, explanations and deterministic training.

Tests that run the encoder need the 'encoder' extra (onnxruntime, tokenizers) and skip without it;
CI runs them in a virtual environment of their own. The missing-extra tests run everywhere.
"""

from __future__ import annotations

import hashlib
import json
import shutil
from dataclasses import replace
from pathlib import Path

import numpy as np
import pytest

from classifier import ClaimClassifier
from classifier.errors import MissingExtraError, ModelError
from classifier.labels import OUTCOMES
from classifier.textmodel.folder import METADATA, default_model_dir, metadata_digest
from tests.conftest import refuse_imports

ROOT = Path(__file__).resolve().parent.parent
REFERENCE = Path(__file__).resolve().parent / "data" / "encoder_reference.npz"
ENCODER = "all-MiniLM-L6-v2"
SHIPPED_ENCODER = ROOT / "classifier" / "encoders" / ENCODER


def reseal(folder: Path, change) -> None:
    """Edit a model folder's metadata and seal it again, so only the check under test can object."""
    path = folder / METADATA
    metadata = json.loads(path.read_text(encoding="utf-8"))
    change(metadata)
    metadata["metadata_sha256"] = metadata_digest(metadata)
    path.write_text(json.dumps(metadata, indent=2), encoding="utf-8")


def encoder_record() -> dict:
    info = json.loads((SHIPPED_ENCODER / "encoder.json").read_text(encoding="utf-8"))
    return {
        "name": ENCODER,
        "dimension": info["dimension"],
        "onnx_sha256": info["onnx_sha256"],
        "tokenizer_sha256": info["tokenizer_sha256"],
        "max_length": info["max_length"],
        "scale": 1.0,
    }


# --- without the extra ------------------------------------------------------------------------


@pytest.fixture
def without_onnxruntime(monkeypatch):
    """Imports of onnxruntime and tokenizers fail, as on an install without the extra."""
    refuse_imports(monkeypatch, "onnxruntime", "tokenizers")


@pytest.fixture
def encoder_folder_copy(tmp_path):
    """A model folder whose metadata names the shipped encoder (arrays of the default model: this
    only reaches the encoder's checks, which come before any shape is compared)."""
    target = tmp_path / "with-encoder"
    shutil.copytree(default_model_dir(), target)
    reseal(target, lambda m: m.__setitem__("encoder", encoder_record()))
    return target


def test_an_encoder_model_without_the_extra_names_the_install_command(without_onnxruntime, encoder_folder_copy):
    with pytest.raises(MissingExtraError) as caught:
        ClaimClassifier.load(encoder_folder_copy)
    message = str(caught.value)
    assert 'pip install "claim-classifier[encoder]"' in message and "\n" not in message


def test_the_command_line_without_the_extra_says_one_line_and_exits_7(without_onnxruntime, encoder_folder_copy):
    from typer.testing import CliRunner

    from classifier.cli import app

    result = CliRunner().invoke(app, ["label", "--model", str(encoder_folder_copy), "--text", "We warn them."])
    assert result.exit_code == 7
    lines = [line for line in result.output.splitlines() if line.strip()]
    assert lines == [
        "claims: error: this model needs the encoder extra (onnxruntime is not installed): "
        'pip install "claim-classifier[encoder]"'
    ], result.output


def test_asking_for_the_encoder_model_where_none_ships_says_so_in_one_line():
    from typer.testing import CliRunner

    from classifier.cli import app

    if (ROOT / "classifier" / "models" / "encoder" / METADATA).is_file():
        pytest.skip("an encoder model ships")
    result = CliRunner().invoke(app, ["label", "--model", "encoder", "--text", "We warn them."])
    assert result.exit_code == 6
    assert result.output.count("\n") == 1 and "no 'encoder' model ships" in result.output, result.output


def test_a_model_name_that_is_not_shipped_is_a_path():
    with pytest.raises(ModelError, match="no such model directory"):
        ClaimClassifier.load("no-such-model")


# --- with the extra ---------------------------------------------------------------------------


@pytest.fixture(scope="module")
def runtime():
    pytest.importorskip("onnxruntime")
    pytest.importorskip("tokenizers")
    if not (SHIPPED_ENCODER / "model.onnx").is_file():
        pytest.skip("the encoder ONNX file is not exported: python training/export_encoder.py --restore")


@pytest.fixture(scope="module")
def shipped_encoder(runtime):
    from classifier.textmodel.encoder import EncoderSpec, SentenceEncoder

    return SentenceEncoder(EncoderSpec(**encoder_record()))


def test_the_onnx_encoder_agrees_with_the_original_encoder(shipped_encoder):
    """Cosine at least 0.99 with the original (torch) encoder's embeddings, sentence by sentence, on
    256 corpus sentences embedded by training/export_encoder.py when the ONNX file was made."""
    with np.load(REFERENCE, allow_pickle=False) as archive:
        texts, original = [str(t) for t in archive["texts"]], archive["embeddings"].astype(np.float64)
    ours = shipped_encoder.encode(texts)
    np.testing.assert_allclose(np.linalg.norm(ours, axis=1), 1.0, atol=1e-9)
    cosine = np.sum(ours * original, axis=1)
    assert cosine.min() >= 0.99, (cosine.min(), texts[int(cosine.argmin())])
    # and the agreement is not an accident of unit vectors: unrelated sentences are far apart
    assert float((original[1:] @ ours[0]).max()) < 0.99


def test_a_sentence_is_embedded_the_same_alone_or_among_others(shipped_encoder):
    sentences = ["We warn them.", "The delegation regrets that the talks were suspended without notice today."]
    together = shipped_encoder.encode(sentences)
    for row, sentence in enumerate(sentences):
        np.testing.assert_array_equal(shipped_encoder.encode([sentence])[0], together[row])


@pytest.fixture(scope="module")
def small_encoder_model(runtime, tmp_path_factory):
    """A small TF-IDF + encoder model, trained and saved (400 corpus sentences)."""
    pytest.importorskip("sklearn")
    from classifier.rulebook.book import load_rulebook
    from classifier.rulebook.matcher import RuleMatcher
    from classifier.textmodel.folder import save_model
    from classifier.training.data import load_corpus
    from classifier.training.fit import TrainSettings, fit_model

    settings = TrainSettings(encoder=ENCODER, encoder_scale=2.0)
    model = fit_model(load_corpus()[:400], RuleMatcher(load_rulebook()), settings)
    model = replace(model, metadata={"settings": settings.record(), "features": {"blocks": settings.block_settings()}})
    return save_model(model, tmp_path_factory.mktemp("encoder-model") / "model")


def test_training_with_the_encoder_block_is_deterministic(small_encoder_model):
    from classifier.rulebook.book import load_rulebook
    from classifier.rulebook.matcher import RuleMatcher
    from classifier.training.data import load_corpus
    from classifier.training.fit import TrainSettings, fit_model

    first = ClaimClassifier.load(small_encoder_model).model
    settings = TrainSettings(encoder=ENCODER, encoder_scale=2.0)
    again = fit_model(load_corpus()[:400], RuleMatcher(load_rulebook()), settings)
    assert first.text_coef.shape == (len(OUTCOMES), len(first.features) + 384)
    np.testing.assert_array_equal(again.text_coef, first.text_coef)
    np.testing.assert_array_equal(again.combiner_coef, first.combiner_coef)
    # the encoder columns carry weight: dropping them changes the model's probabilities
    sentences = ["We demand the immediate release of the detainees.", "The minister visited the port."]
    with_encoder = ClaimClassifier(first, load_rulebook()).scores(sentences, mode="model")
    without = replace(first, encoder=None, text_coef=first.text_coef[:, : len(first.features)])
    assert np.abs(ClaimClassifier(without, load_rulebook()).scores(sentences, mode="model") - with_encoder).max() > 1e-3


def test_the_model_folder_records_the_encoder_and_labels_after_a_reload(small_encoder_model):
    metadata = json.loads((small_encoder_model / METADATA).read_text(encoding="utf-8"))
    onnx = SHIPPED_ENCODER / "model.onnx"
    assert metadata["encoder"]["name"] == ENCODER and metadata["encoder"]["dimension"] == 384
    assert metadata["encoder"]["onnx_sha256"] == hashlib.sha256(onnx.read_bytes()).hexdigest()
    classifier = ClaimClassifier.load(small_encoder_model)
    predictions = classifier.label_text((ROOT / "fixtures" / "rejoinder.txt").read_text(encoding="utf-8"))
    assert len(predictions) == 19 and all(abs(sum(p.scores.values()) - 1) < 1e-9 for p in predictions)


def test_explain_splits_the_model_logit_into_its_tfidf_and_encoder_blocks(small_encoder_model):
    classifier = ClaimClassifier.load(small_encoder_model)
    explanation = classifier.explain("We demand the immediate release of the detainees.")
    logits = np.array([sum(explanation.model_blocks[label].values()) for label in OUTCOMES])
    softmax = np.exp(logits - logits.max()) / np.exp(logits - logits.max()).sum()
    np.testing.assert_allclose(softmax, [explanation.model_scores[label] for label in OUTCOMES], atol=1e-9)
    assert any(abs(parts["encoder"]) > 1e-3 for parts in explanation.model_blocks.values())


def test_a_changed_encoder_checksum_in_the_metadata_is_refused(small_encoder_model, tmp_path):
    copy = tmp_path / "model"
    shutil.copytree(small_encoder_model, copy)
    reseal(copy, lambda m: m["encoder"].__setitem__("onnx_sha256", "0" * 64))
    with pytest.raises(ModelError, match=r"model\.onnx: checksum mismatch"):
        ClaimClassifier.load(copy)


def test_a_changed_encoder_file_is_refused(small_encoder_model, tmp_path, monkeypatch):
    from classifier.textmodel import encoder

    encoders = tmp_path / "encoders"
    shutil.copytree(SHIPPED_ENCODER, encoders / ENCODER)
    onnx = encoders / ENCODER / "model.onnx"
    data = bytearray(onnx.read_bytes())
    data[len(data) // 2] ^= 0x01
    onnx.write_bytes(bytes(data))
    monkeypatch.setattr(encoder, "encoders_dir", lambda: encoders)
    with pytest.raises(ModelError, match=r"model\.onnx: checksum mismatch"):
        ClaimClassifier.load(small_encoder_model)
    shutil.copyfile(SHIPPED_ENCODER / "model.onnx", onnx)
    ClaimClassifier.load(small_encoder_model)  # the file restored, the model loads
    (encoders / ENCODER / "tokenizer.json").unlink()
    with pytest.raises(ModelError, match=r"tokenizer\.json: missing"):
        ClaimClassifier.load(small_encoder_model)


def test_an_encoder_model_has_no_scikit_learn_equivalent(small_encoder_model):
    with pytest.raises(ModelError, match="no scikit-learn equivalent"):
        ClaimClassifier.load(small_encoder_model).to_sklearn()


def test_the_shipped_encoder_model_labels_the_seed_by_name(runtime):
    """`claims label --model encoder`: the shipped model by its name, with the shipped encoder's checksums."""
    folder = ROOT / "classifier" / "models" / "encoder"
    if not (folder / METADATA).is_file():
        pytest.skip("no encoder model is shipped (training/experiments/ADOPTION.md)")
    from typer.testing import CliRunner

    from classifier.cli import app

    result = CliRunner().invoke(app, ["label", "--model", "encoder", str(ROOT / "fixtures" / "rejoinder.txt")])
    assert result.exit_code == 0, result.output
    records = [json.loads(line) for line in result.stdout.splitlines()]
    assert len(records) == 19 and {r["label"] for r in records} <= {*OUTCOMES, None}
    recorded = json.loads((folder / METADATA).read_text(encoding="utf-8"))["encoder"]
    assert recorded["onnx_sha256"] == hashlib.sha256((SHIPPED_ENCODER / "model.onnx").read_bytes()).hexdigest()
    assert ClaimClassifier.load("encoder").model.encoder is not None
