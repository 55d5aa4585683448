"""Model directories: atomic writes, integrity checks, refusal of anything that could run code."""

from __future__ import annotations

import json
import pickle
import shutil

import numpy as np
import pytest

from classifier import ClaimClassifier, ModelError
from classifier.textmodel.folder import ARRAYS, METADATA, VOCABULARY, default_model_dir, load_model, save_model


@pytest.fixture
def model_copy(tmp_path):
    target = tmp_path / "model"
    shutil.copytree(default_model_dir(), target)
    return target


def test_shipped_model_loads_and_records_its_provenance():
    model = load_model()
    for key in (
        "format_version",
        "labels",
        "files",
        "training_data_sha256",
        "rules_sha256",
        "sklearn_version",
        "package_version",
        "trained_at",
        "evaluation",
        "features",
    ):
        assert key in model.metadata


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
    from classifier.textmodel.folder import file_sha256

    metadata["files"][ARRAYS] = file_sha256(model_copy / ARRAYS)  # even with a matching checksum
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
