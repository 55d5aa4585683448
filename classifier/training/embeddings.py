"""Sentence embeddings for training: the shipped encoder's spec for a fit, and a memo so that
cross-validation, which refits on overlapping sentences, encodes each sentence once per process."""

from __future__ import annotations

import json
import os
from collections.abc import Sequence
from pathlib import Path

import numpy as np

from ..errors import ModelError
from ..textmodel.checksums import file_sha256
from ..textmodel.encoder import (
    ONNX_FILE,
    TOKENIZER_FILE,
    EncoderSpec,
    SentenceEncoder,
    encoder_folder,
)
from .settings import TrainSettings

#: The encoder's own description, written by the export script beside the ONNX file.
ENCODER_INFO = "encoder.json"

_ENCODERS: dict[tuple[str, float], SentenceEncoder] = {}
_MEMO: dict[tuple[str, str], np.ndarray] = {}


def training_encoder(settings: TrainSettings) -> SentenceEncoder | None:
    """The encoder a fit with these settings reads (its spec carries the scale), or None."""
    if settings.encoder is None:
        return None
    key = (settings.encoder, settings.encoder_scale)
    if key not in _ENCODERS:
        folder = encoder_folder(settings.encoder)
        info_path = folder / ENCODER_INFO
        if not info_path.is_file():
            raise ModelError(f"{folder}: no shipped encoder named {settings.encoder!r}")
        info = json.loads(info_path.read_text(encoding="utf-8"))
        spec = EncoderSpec(
            name=settings.encoder,
            dimension=int(info["dimension"]),
            onnx_sha256=file_sha256(folder / ONNX_FILE),
            tokenizer_sha256=file_sha256(folder / TOKENIZER_FILE),
            max_length=int(info["max_length"]),
            scale=settings.encoder_scale,
        )
        _ENCODERS[key] = SentenceEncoder(spec, folder)
    return _ENCODERS[key]


def embed(encoder: SentenceEncoder, texts: Sequence[str]) -> np.ndarray:
    """Unit-length embeddings of ``texts`` (unscaled), each sentence encoded at most once per process."""
    name = encoder.spec.name
    todo = list(dict.fromkeys(t for t in texts if (name, t) not in _MEMO))
    if todo:
        for text, vector in zip(todo, encoder.encode(todo), strict=True):
            _MEMO[name, text] = vector
    if not texts:
        return np.zeros((0, encoder.spec.dimension))
    return np.vstack([_MEMO[name, t] for t in texts])


def save_memo(path: Path) -> None:
    """Write the embeddings computed so far (experiments reuse them across runs; not part of a model)."""
    names = sorted({name for name, _ in _MEMO})
    arrays: dict[str, np.ndarray] = {}
    for index, name in enumerate(names):
        keys = [text for n, text in _MEMO if n == name]
        arrays[f"name{index}"] = np.array(name)
        arrays[f"texts{index}"] = np.array(keys)
        arrays[f"vectors{index}"] = np.vstack([_MEMO[name, t] for t in keys])
    partial = path.with_name(f".{path.name}.{os.getpid()}.partial.npz")
    np.savez(partial, **arrays)
    os.replace(partial, path)  # a run reading the cache meanwhile sees the old file or the new, never half


def load_memo(path: Path) -> int:
    """Read embeddings written by ``save_memo``; how many were read (0 when the file is absent)."""
    if not path.is_file():
        return 0
    count = 0
    with np.load(path, allow_pickle=False) as archive:
        index = 0
        while f"name{index}" in archive.files:
            name = str(archive[f"name{index}"])
            for text, vector in zip(archive[f"texts{index}"], archive[f"vectors{index}"], strict=True):
                _MEMO[name, str(text)] = vector
                count += 1
            index += 1
    return count
