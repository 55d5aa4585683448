"""Model directories: how a ``TextModel`` is written to disk atomically and read back safely.

A model directory holds plain data only:

* ``vocabulary.json``: the TF-IDF terms of each feature block, in column order;
* ``arrays.npz``: idf, the text model's coefficients and intercepts, and the
  hybrid combiner's (read with ``allow_pickle=False``);
* ``metadata.json``: format version, labels, feature settings, versions,
  SHA-256 of the training data, rules and every file, training date and the
  evaluation figures, and the SHA-256 of its own content (``metadata_sha256``,
  computed over the rest of it), since its feature settings change scores too.

A model trained with an encoder block also records the encoder (``encoder``:
name, dimension, scale and the SHA-256 of its ONNX and tokenizer files, which
live in ``classifier/encoders/<name>/``); loading it needs the 'encoder'
extra and refuses encoder files that do not match.

Loading verifies the format version, the metadata's own SHA-256, the label
set and each file's SHA-256 before anything is used, so a truncated, corrupted or substituted file is
refused with a message that says what to do. Nothing in a model directory can
run code.
"""

from __future__ import annotations

import hashlib
import json
import os
import shutil
import tempfile
from importlib import resources
from pathlib import Path
from typing import Any

import numpy as np

from ..atomic import current_umask, refuse_to_replace
from ..errors import ModelError
from ..labels import OUTCOMES
from .checksums import file_sha256
from .features import FeatureUnion, TfidfFeatures
from .model import TextModel
from .protocol import FORMAT_VERSION

METADATA = "metadata.json"
VOCABULARY = "vocabulary.json"
ARRAYS = "arrays.npz"
#: The metadata key holding the SHA-256 of the rest of the metadata (format version 2 on).
METADATA_DIGEST = "metadata_sha256"
_ARRAY_NAMES = ("idf", "text_coef", "text_intercept", "combiner_coef", "combiner_intercept")
_CODE_SUFFIXES = (".pkl", ".pickle", ".joblib", ".py", ".pyc", ".so", ".dill")


#: Models shipped inside the package, by the name ``load`` and ``--model`` accept.
SHIPPED_MODELS = ("default", "encoder")


def default_model_dir() -> Path:
    """The model shipped inside the package."""
    return shipped_model_dir("default")


def shipped_model_dir(name: str) -> Path:
    """The folder of a model shipped inside the package, by name."""
    return Path(str(resources.files("classifier") / "models" / name))


def resolve_model_dir(directory: str | Path | None) -> Path:
    """A model folder from what a caller gave: None is the default, a shipped model's name (a ``str``
    such as "encoder") is that model, anything else is a path (write ``./encoder`` for a folder of
    that name)."""
    if directory is None:
        return default_model_dir()
    if isinstance(directory, str) and directory in SHIPPED_MODELS:
        path = shipped_model_dir(directory)
        if not path.is_dir() and directory == "default":
            raise ModelError(f"{path}: the shipped model is missing; reinstall the package")
        if not path.is_dir():
            raise ModelError(
                f"no {directory!r} model ships with this version of claim-classifier (measured and not adopted, "
                "docs/encoder.md); build one with training/build_encoder_model.py --out DIR and pass --model DIR"
            )
        return path
    return Path(directory)


def is_shipped_model_dir(path: Path) -> bool:
    """The installed package's default model, or the one in a checkout of the package (an installed
    wheel's and the repository's copies live at different paths, and both are protected)."""
    path = path.resolve()
    package = path.parent.parent
    in_a_package = package.name == "classifier" and (package / "__init__.py").is_file()
    return any(path == shipped_model_dir(name).resolve() for name in SHIPPED_MODELS) or (
        path.name in SHIPPED_MODELS and path.parent.name == "models" and in_a_package
    )


def load_model(directory: str | Path | None = None) -> TextModel:
    """Load and verify a model directory (the shipped default when None, a shipped model by its name)."""
    path = resolve_model_dir(directory)
    if not path.is_dir():
        raise ModelError(f"{path}: no such model directory")
    metadata = _read_metadata(path)
    _verify_files(path, metadata)
    arrays = _read_arrays(path / ARRAYS)
    features = _read_features(path, metadata, arrays["idf"])
    encoder = _read_encoder(path, metadata)
    if encoder is None and not features.blocks:
        raise ModelError(f"{path}: the model has neither TF-IDF blocks nor an encoder; retrain it")
    model = TextModel(
        features=features,
        text_coef=arrays["text_coef"],
        text_intercept=arrays["text_intercept"],
        combiner_coef=arrays["combiner_coef"],
        combiner_intercept=arrays["combiner_intercept"],
        combiner_rules=_read_combiner_rules(path, metadata),
        metadata=metadata,
        encoder=encoder,
    )
    _check_shapes(path, model)
    return model


def _read_encoder(path: Path, metadata: dict[str, Any]) -> Any:
    """The model's sentence encoder, checked against the metadata, or None (imports onnxruntime only if
    the model has one)."""
    if "encoder" not in metadata:
        return None
    from .encoder import EncoderSpec, SentenceEncoder

    return SentenceEncoder(EncoderSpec.from_metadata(metadata["encoder"], path / METADATA))


def check_destination(directory: str | Path, *, force: bool = False, allow_default: bool = False) -> Path:
    """Where a model may be written, checked before any work is done: not the shipped model, not an
    existing folder without ``force``, not below a file. Returns the resolved path."""
    target = Path(directory).resolve()
    if is_shipped_model_dir(target) and not allow_default:
        raise ModelError(f"{target}: refusing to overwrite the shipped default model; choose another --out")
    refuse_to_replace(
        target, force=force, error=ModelError, advice="choose another --out or pass --force to replace it"
    )
    blocker = next((parent for parent in target.parents if parent.exists()), None)
    if blocker is not None and not blocker.is_dir():
        raise ModelError(f"{blocker}: is a file, so {target} cannot be created; choose another --out")
    return target


def save_model(
    model: TextModel,
    directory: str | Path,
    *,
    force: bool = False,
    extra_files: dict[str, str] | None = None,
    allow_default: bool = False,
) -> Path:
    """Write a model directory atomically: a temporary sibling, then a rename.

    An existing directory is replaced only with ``force``; the shipped default
    only by the maintainers' build script (``allow_default``). ``extra_files``
    (name -> text, e.g. an evaluation report) are written beside the model and
    covered by the checksums.
    """
    target = check_destination(directory, force=force, allow_default=allow_default)
    target.parent.mkdir(parents=True, exist_ok=True)
    staging = Path(tempfile.mkdtemp(prefix=f".{target.name}.", dir=target.parent))
    staging.chmod(0o777 & ~current_umask())  # mkdtemp makes it private; a model folder is not
    try:
        _write_contents(model, staging, extra_files or {})
        if target.exists():
            backup = Path(tempfile.mkdtemp(prefix=f".{target.name}.old.", dir=target.parent))
            os.replace(target, backup / target.name)
            os.replace(staging, target)
            shutil.rmtree(backup, ignore_errors=True)
        else:
            os.replace(staging, target)
    except BaseException:
        shutil.rmtree(staging, ignore_errors=True)
        raise
    return target


def metadata_digest(metadata: dict[str, Any]) -> str:
    """SHA-256 of the metadata without its own digest, in one canonical JSON spelling (key order and
    white space do not matter; any changed value does)."""
    content = {key: value for key, value in metadata.items() if key != METADATA_DIGEST}
    canonical = json.dumps(content, sort_keys=True, ensure_ascii=False, separators=(",", ":"))
    return hashlib.sha256(canonical.encode("utf-8")).hexdigest()


def _write_contents(model: TextModel, folder: Path, extra_files: dict[str, str]) -> None:
    blocks = [block.terms for block in model.features.blocks]
    (folder / VOCABULARY).write_text(json.dumps({"blocks": blocks}, ensure_ascii=False), encoding="utf-8")
    with (folder / ARRAYS).open("wb") as handle:
        np.savez(
            handle,
            idf=np.concatenate([np.zeros(0), *[block.idf for block in model.features.blocks]]),
            text_coef=np.ascontiguousarray(model.text_coef),  # the file keeps one layout
            text_intercept=model.text_intercept,
            combiner_coef=model.combiner_coef,
            combiner_intercept=model.combiner_intercept,
        )
    for name, text in extra_files.items():
        (folder / name).write_text(text, encoding="utf-8")
    metadata = dict(model.metadata)
    metadata["format_version"] = FORMAT_VERSION
    metadata["labels"] = list(OUTCOMES)
    metadata["combiner_rules"] = list(model.combiner_rules)
    metadata["combiner_features"] = list(model.combiner_names)
    if model.encoder is not None:
        metadata["encoder"] = model.encoder.spec.to_metadata()
    names = [VOCABULARY, ARRAYS, *sorted(extra_files)]
    metadata["files"] = {name: file_sha256(folder / name) for name in names}
    metadata[METADATA_DIGEST] = metadata_digest(metadata)
    (folder / METADATA).write_text(json.dumps(metadata, indent=2, ensure_ascii=False) + "\n", encoding="utf-8")


def _read_json(path: Path) -> dict[str, Any]:
    try:
        value = json.loads(path.read_text(encoding="utf-8"))
    except FileNotFoundError as exc:
        raise ModelError(f"{path}: missing; the model directory is incomplete, retrain or reinstall it") from exc
    except (json.JSONDecodeError, UnicodeDecodeError) as exc:
        raise ModelError(f"{path}: not valid JSON ({exc}); the file is corrupted, retrain or reinstall") from exc
    if not isinstance(value, dict):
        raise ModelError(f"{path}: expected a JSON object")
    return value


def _read_metadata(path: Path) -> dict[str, Any]:
    metadata = _read_json(path / METADATA)
    version = metadata.get("format_version")
    if not isinstance(version, int):
        raise ModelError(f"{path}: metadata.json has no format_version; this is not a claim-classifier model")
    if version > FORMAT_VERSION:
        raise ModelError(
            f"{path}: model format {version} is newer than this claim-classifier reads "
            f"({FORMAT_VERSION}); upgrade the package"
        )
    if version < FORMAT_VERSION:
        raise ModelError(
            f"{path}: model format {version} predates the checksum of metadata.json; retrain the model "
            "with this version of claim-classifier (claims train)"
        )
    if metadata.get(METADATA_DIGEST) != metadata_digest(metadata):
        raise ModelError(
            f"{path / METADATA}: checksum mismatch; the metadata was changed or corrupted, "
            "retrain or reinstall the model"
        )
    if metadata.get("labels") != list(OUTCOMES):
        raise ModelError(f"{path}: the model's labels {metadata.get('labels')} are not {list(OUTCOMES)}")
    return metadata


def _verify_files(path: Path, metadata: dict[str, Any]) -> None:
    listed = metadata.get("files")
    if not isinstance(listed, dict) or VOCABULARY not in listed or ARRAYS not in listed:
        raise ModelError(f"{path}: metadata.json lists no checksums for the model files; retrain the model")
    for child in path.iterdir():
        if child.suffix.lower() in _CODE_SUFFIXES:
            raise ModelError(
                f"{child}: model directories hold data only; refusing a directory with a {child.suffix} file"
            )
    for name, expected in listed.items():
        file = path / name
        if Path(name).name != name:
            raise ModelError(f"{path}: metadata.json names a file outside the directory: {name!r}")
        if not file.is_file():
            raise ModelError(f"{file}: missing; the model directory is incomplete, retrain or reinstall it")
        if file_sha256(file) != expected:
            raise ModelError(
                f"{file}: checksum mismatch; the file was changed or corrupted, retrain or reinstall the model"
            )


def _read_features(path: Path, metadata: dict[str, Any], idf: np.ndarray) -> FeatureUnion:
    blocks = _read_json(path / VOCABULARY).get("blocks")
    settings = metadata.get("features", {}).get("blocks")
    # set(map(type, ...)) checks each of ~100,000 terms in C: a generator of isinstance calls took ~5 ms
    valid_blocks = isinstance(blocks, list) and all(isinstance(b, list) and set(map(type, b)) <= {str} for b in blocks)
    if not valid_blocks or not isinstance(settings, list) or len(settings) != len(blocks):
        raise ModelError(f"{path}: vocabulary.json and the feature settings in metadata.json do not agree; retrain")
    if sum(len(b) for b in blocks) != len(idf):
        raise ModelError(f"{path}: the vocabulary and the idf vector differ in length; the model is corrupted")
    offsets = np.cumsum([0, *[len(b) for b in blocks]])
    return FeatureUnion(
        [TfidfFeatures(terms, idf[offsets[i] : offsets[i + 1]], settings[i]) for i, terms in enumerate(blocks)]
    )


def _read_combiner_rules(path: Path, metadata: dict[str, Any]) -> tuple[str, ...]:
    rules = metadata.get("combiner_rules", [])
    if not isinstance(rules, list) or not all(isinstance(r, str) for r in rules):
        raise ModelError(f"{path}: metadata.json 'combiner_rules' must be a list of rule ids")
    return tuple(rules)


def _read_arrays(path: Path) -> dict[str, np.ndarray]:
    try:
        with np.load(path, allow_pickle=False) as archive:
            missing = [name for name in _ARRAY_NAMES if name not in archive.files]
            if missing:
                raise ModelError(f"{path}: missing arrays {missing}; retrain the model")
            arrays = {name: np.asarray(archive[name], dtype=np.float64) for name in _ARRAY_NAMES}
            # the layout TextModel keeps, made while the file's copy is the only other one
            arrays["text_coef"] = np.asfortranarray(arrays["text_coef"])
            return arrays
    except ModelError:
        raise
    except (ValueError, OSError, EOFError) as exc:
        raise ModelError(
            f"{path}: cannot be read as plain arrays ({exc}); refusing it, retrain or reinstall the model"
        ) from exc


def _check_shapes(path: Path, model: TextModel) -> None:
    problems = model.shape_problems()
    if problems:
        raise ModelError(f"{path}: {problems[0]}; the model is corrupted")
