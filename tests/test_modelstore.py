"""Model directories: atomic writes, integrity checks, refusal of anything that could run code."""

from __future__ import annotations

import datetime as dt
import json
import pickle
import shutil

import numpy as np
import pytest

from classifier import ClaimClassifier, ModelError
from classifier.labels import OUTCOMES
from classifier.rulebook.book import load_rulebook
from classifier.text.places import places_digest
from classifier.textmodel.folder import (
    ARRAYS,
    METADATA,
    VOCABULARY,
    default_model_dir,
    file_sha256,
    load_model,
    save_model,
)
from classifier.textmodel.protocol import FORMAT_VERSION
from classifier.training.data import (
    data_sha256,
    load_corpus,
    load_labelled_file,
    pointer_source_files,
    shipped_corpus_files,
    shipped_devtest_file,
)
from classifier.training.evaluate import evaluate
from classifier.training.settings import TrainSettings


@pytest.fixture
def model_copy(tmp_path):
    target = tmp_path / "model"
    shutil.copytree(default_model_dir(), target)
    return target


def test_shipped_model_loads_and_records_its_provenance():
    """The metadata describes this model truthfully: the rules, place list, settings, data and
    dev-test figures it records are the ones a rebuild would use and the ones it measures."""
    model = load_model()
    metadata = model.metadata
    assert metadata["format_version"] == FORMAT_VERSION and metadata["labels"] == list(OUTCOMES)
    assert {VOCABULARY, ARRAYS} <= set(metadata["files"])
    assert metadata["files"] == {name: file_sha256(default_model_dir() / name) for name in metadata["files"]}
    assert metadata["rules_sha256"] == load_rulebook().digest
    as_json = json.loads(json.dumps({"settings": TrainSettings().record()}))
    assert metadata["settings"] == as_json["settings"]  # the shipped model was built with the defaults
    assert metadata["features"] == json.loads(json.dumps({"blocks": TrainSettings().block_settings()}))
    assert all(block["places_sha256"] == places_digest() for block in metadata["features"]["blocks"])
    assert dt.datetime.fromisoformat(metadata["trained_at"]) <= dt.datetime.now(dt.UTC)
    recorded = metadata["evaluation"]["devtest"]
    measured = evaluate(ClaimClassifier(model, load_rulebook()), load_labelled_file(shipped_devtest_file()))
    for mode, figures in measured.items():
        assert recorded[mode]["macro_f1"] == pytest.approx(figures.macro_f1, abs=5e-5), mode
        assert recorded[mode]["support"] == 386
    rebuilt, missing = pointer_source_files()
    if not missing:  # the pointer-only sources' text is rebuilt, so the training data can be digested
        examples = load_corpus([*shipped_corpus_files(), *rebuilt])
        assert metadata["training_data_sha256"] == data_sha256(examples)
        assert metadata["training_examples"] == len(examples)
        assert metadata["label_counts"] == {label: sum(e.label == label for e in examples) for label in OUTCOMES}


def test_save_then_load_round_trips(tmp_path):
    model = load_model()
    out = save_model(model, tmp_path / "copy")
    again = load_model(out)
    np.testing.assert_array_equal(again.text_coef, model.text_coef)
    assert again.features.terms == model.features.terms
    assert sorted(p.name for p in tmp_path.iterdir()) == ["copy"]  # no staging folder left


def test_existing_directory_needs_force_and_the_default_is_protected(tmp_path):
    model = load_model()
    out = save_model(model, tmp_path / "m")
    with pytest.raises(ModelError, match="already exists"):
        save_model(model, out)
    save_model(model, out, force=True)
    load_model(out)
    with pytest.raises(ModelError, match="shipped default"):
        save_model(model, default_model_dir(), force=True)


def test_truncated_array_file_is_refused(model_copy):
    data = (model_copy / ARRAYS).read_bytes()
    (model_copy / ARRAYS).write_bytes(data[: len(data) // 2])
    with pytest.raises(ModelError, match="checksum"):
        load_model(model_copy)


def test_substituted_vocabulary_is_refused(model_copy):
    vocabulary = json.loads((model_copy / VOCABULARY).read_text())
    vocabulary["blocks"][0][0] = "tampered"
    (model_copy / VOCABULARY).write_text(json.dumps(vocabulary))
    with pytest.raises(ModelError, match="checksum"):
        load_model(model_copy)


def test_missing_file_is_refused(model_copy):
    (model_copy / VOCABULARY).unlink()
    with pytest.raises(ModelError, match="missing"):
        load_model(model_copy)


def test_newer_format_is_refused_with_advice(model_copy):
    metadata = json.loads((model_copy / METADATA).read_text())
    metadata["format_version"] = 99
    (model_copy / METADATA).write_text(json.dumps(metadata))
    with pytest.raises(ModelError, match="upgrade"):
        load_model(model_copy)


def test_edited_feature_settings_in_metadata_are_refused(model_copy):
    """Editing metadata.json's feature settings used to load and change confidences (0.93 to 0.54)."""
    metadata = json.loads((model_copy / METADATA).read_text())
    metadata["features"]["blocks"][0]["sublinear_tf"] = not metadata["features"]["blocks"][0]["sublinear_tf"]
    (model_copy / METADATA).write_text(json.dumps(metadata, indent=2))
    with pytest.raises(ModelError, match=r"metadata\.json: checksum mismatch"):
        load_model(model_copy)


def test_metadata_checksum_ignores_layout_but_not_values(model_copy):
    metadata = json.loads((model_copy / METADATA).read_text())
    (model_copy / METADATA).write_text(json.dumps(dict(reversed(list(metadata.items())))))  # same content
    load_model(model_copy)
    metadata["trained_at"] = "1999-01-01T00:00:00+00:00"
    (model_copy / METADATA).write_text(json.dumps(metadata))
    with pytest.raises(ModelError, match="checksum mismatch"):
        load_model(model_copy)


def test_a_folder_of_the_unchecked_format_1_is_refused_with_advice(model_copy):
    """Accepting format 1 would let an edited metadata.json pass by claiming the older format."""
    metadata = json.loads((model_copy / METADATA).read_text())
    metadata["format_version"] = 1
    del metadata["metadata_sha256"]
    (model_copy / METADATA).write_text(json.dumps(metadata))
    with pytest.raises(ModelError, match="retrain"):
        load_model(model_copy)


class Boom:
    def __reduce__(self):
        return (exec, ("import pathlib; pathlib.Path('PWNED').write_text('x')",))


def test_pickled_arrays_are_refused_without_running_them(model_copy, tmp_path, monkeypatch):
    monkeypatch.chdir(tmp_path)
    arrays = dict(np.load(model_copy / ARRAYS))
    arrays["idf"] = np.array([Boom()], dtype=object)
    with (model_copy / ARRAYS).open("wb") as handle:
        np.savez(handle, **arrays)
    metadata = json.loads((model_copy / METADATA).read_text())
    from classifier.textmodel.folder import METADATA_DIGEST, file_sha256, metadata_digest

    metadata["files"][ARRAYS] = file_sha256(model_copy / ARRAYS)  # even with matching checksums
    metadata[METADATA_DIGEST] = metadata_digest(metadata)
    (model_copy / METADATA).write_text(json.dumps(metadata))
    with pytest.raises(ModelError, match="plain arrays"):
        load_model(model_copy)
    assert not (tmp_path / "PWNED").exists()


def test_a_pickle_file_in_the_directory_is_refused(model_copy, tmp_path, monkeypatch):
    monkeypatch.chdir(tmp_path)
    (model_copy / "model.pkl").write_bytes(pickle.dumps(Boom()))
    with pytest.raises(ModelError, match="data only"):
        ClaimClassifier.load(model_copy)
    assert not (tmp_path / "PWNED").exists()


def test_not_a_directory(tmp_path):
    with pytest.raises(ModelError, match="no such model directory"):
        load_model(tmp_path / "absent")


def test_a_checkouts_model_folder_is_protected_as_well_as_the_installed_one(tmp_path):
    """With the package installed from a wheel, the repository's classifier/models/default is another
    path; `claims train --out classifier/models/default --force` used to replace it."""
    checkout = tmp_path / "repo" / "classifier"
    (checkout / "models" / "default").mkdir(parents=True)
    (checkout / "__init__.py").write_text("")
    model = load_model()
    with pytest.raises(ModelError, match="shipped default"):
        save_model(model, checkout / "models" / "default", force=True)
    assert list((checkout / "models" / "default").iterdir()) == []
    # A folder merely named default elsewhere is the user's own.
    save_model(model, tmp_path / "models" / "default")
