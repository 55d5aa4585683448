"""Sentence embeddings from a small pretrained encoder, run with onnxruntime: the optional 'encoder' extra.

A model trained with an encoder block (``settings.encoder``) sees, beside its
TF-IDF rows, each sentence's mean-pooled, l2-normalised embedding times a
scale chosen by cross-validation. The encoder is an ONNX file shipped in
``classifier/encoders/<name>/`` with its tokenizer; a model folder records
the encoder's name, dimension and the SHA-256 of both files, and loading
refuses a mismatch. onnxruntime and tokenizers are imported only here, and
only when a model with an encoder block is loaded, so the default labelling
path never pays for them.
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from dataclasses import asdict, dataclass
from importlib import resources
from pathlib import Path
from typing import Any

import numpy as np

from ..errors import MissingExtraError, ModelError
from .checksums import file_sha256

INSTALL_HINT = 'pip install "claim-classifier[encoder]"'
ONNX_FILE = "model.onnx"
TOKENIZER_FILE = "tokenizer.json"


@dataclass(frozen=True)
class EncoderSpec:
    """What a model folder records about its encoder block; every field is checked when it is loaded."""

    name: str
    dimension: int
    onnx_sha256: str
    tokenizer_sha256: str
    max_length: int
    scale: float

    @classmethod
    def from_metadata(cls, value: Any, where: Path | str) -> EncoderSpec:
        fields = ("name", "dimension", "onnx_sha256", "tokenizer_sha256", "max_length", "scale")
        if not isinstance(value, Mapping) or any(key not in value for key in fields):
            raise ModelError(f"{where}: metadata.json 'encoder' must name {', '.join(fields)}; retrain the model")
        return cls(
            name=str(value["name"]),
            dimension=int(value["dimension"]),
            onnx_sha256=str(value["onnx_sha256"]),
            tokenizer_sha256=str(value["tokenizer_sha256"]),
            max_length=int(value["max_length"]),
            scale=float(value["scale"]),
        )

    def to_metadata(self) -> dict[str, Any]:
        return asdict(self)


def encoders_dir() -> Path:
    """Where the shipped encoders live: ``classifier/encoders``."""
    return Path(str(resources.files("classifier") / "encoders"))


def encoder_folder(name: str) -> Path:
    """The folder of a shipped encoder; a name with a path separator is refused (it is data, not a path)."""
    if not name or "/" in name or "\\" in name or name.startswith("."):
        raise ModelError(f"encoder name {name!r} is not the name of a shipped encoder")
    return encoders_dir() / name


def require_runtime() -> tuple[Any, Any]:
    """onnxruntime and tokenizers, or one line saying how to install them."""
    try:
        import onnxruntime
        import tokenizers
    except ImportError as exc:
        missing = getattr(exc, "name", None) or "onnxruntime"
        raise MissingExtraError(
            f"this model needs the encoder extra ({missing} is not installed): {INSTALL_HINT}"
        ) from None
    return onnxruntime, tokenizers


class SentenceEncoder:
    """Tokenizer + ONNX session for one shipped encoder; mean-pooled, l2-normalised embeddings.

    Built from a spec whose checksums must match the files. Picklable (the
    session is rebuilt on first use in the receiving process); one intra-op
    thread, so embeddings, and a model trained on them, do not depend on the
    machine's core count.
    """

    def __init__(self, spec: EncoderSpec, folder: Path | None = None) -> None:
        self.spec = spec
        self.folder = folder if folder is not None else encoder_folder(spec.name)
        require_runtime()
        self._check_files()
        self._session: Any = None
        self._tokenizer: Any = None

    def _check_files(self) -> None:
        for name, expected in ((ONNX_FILE, self.spec.onnx_sha256), (TOKENIZER_FILE, self.spec.tokenizer_sha256)):
            path = self.folder / name
            if not path.is_file():
                raise ModelError(f"{path}: missing; the encoder {self.spec.name!r} is not installed, reinstall")
            if file_sha256(path) != expected:
                raise ModelError(
                    f"{path}: checksum mismatch with the model's metadata; the encoder file was changed "
                    "or belongs to another model, reinstall or retrain"
                )

    def _ready(self) -> tuple[Any, Any]:
        if self._session is None:
            onnxruntime, tokenizers = require_runtime()
            options = onnxruntime.SessionOptions()
            options.intra_op_num_threads = 1
            options.inter_op_num_threads = 1
            options.log_severity_level = 3
            session = onnxruntime.InferenceSession(
                str(self.folder / ONNX_FILE), options, providers=["CPUExecutionProvider"]
            )
            tokenizer = tokenizers.Tokenizer.from_file(str(self.folder / TOKENIZER_FILE))
            tokenizer.enable_truncation(max_length=self.spec.max_length)
            tokenizer.no_padding()
            self._session, self._tokenizer = session, tokenizer
        return self._session, self._tokenizer

    def encode(self, sentences: Sequence[str]) -> np.ndarray:
        """Unit-length embeddings (n, dimension), float64; the scale is applied by the model, not here.

        Each sentence is run alone: an int8 graph quantises its activations per call, so in a padded
        batch a sentence's neighbours would move its embedding (cosine down to 0.988 against the
        sentence alone, on 300 corpus sentences), and its label would depend on what it was labelled with.
        """
        session, tokenizer = self._ready()
        out = np.zeros((len(sentences), self.spec.dimension))
        wanted = {i.name for i in session.get_inputs()}
        for row, encoding in enumerate(tokenizer.encode_batch(list(sentences))):
            ids = np.asarray([encoding.ids], dtype=np.int64)
            feeds = {"input_ids": ids, "attention_mask": np.ones_like(ids), "token_type_ids": np.zeros_like(ids)}
            hidden = session.run(None, {k: v for k, v in feeds.items() if k in wanted})[0][0]
            out[row] = unit(hidden.astype(np.float64).mean(axis=0))
        return out

    def __getstate__(self) -> dict[str, Any]:
        state = dict(self.__dict__)
        state["_session"] = state["_tokenizer"] = None  # rebuilt on first use
        return state


def unit(vector: np.ndarray) -> np.ndarray:
    """A vector scaled to length one (a zero vector stays zero)."""
    norm = float(np.linalg.norm(vector))
    return vector / norm if norm > 1e-12 else vector
