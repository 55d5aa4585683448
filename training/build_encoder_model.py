"""Build the sentence-encoder model: today's settings plus the all-MiniLM-L6-v2 block.

Run from a checkout, with the 'encoder' and 'train' extras and the
pointer-only sources rebuilt (training/real/rebuild.py):

    python training/build_encoder_model.py --scale S [--out DIR]

S is the encoder block's scale chosen by cross-validation
(training/experiments/ADOPTION.md). Like build_default_model.py it measures
the held-out split, the dev-test set and the real-text test set (each build is
one look at the real-text test set: count it in docs/accuracy.md). Without
--out it writes the shipped model classifier/models/encoder.
"""

from __future__ import annotations

import argparse
import sys
from pathlib import Path

from build_default_model import build  # training/, the folder of this script

from classifier.textmodel.folder import shipped_model_dir
from classifier.training.embeddings import load_memo
from classifier.training.settings import TrainSettings

ENCODER = "all-MiniLM-L6-v2"


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--scale", type=float, required=True, help="the encoder block's scale")
    parser.add_argument("--out", help="where to write the model (default: the shipped encoder model)")
    parser.add_argument("--cache", type=Path, help="embeddings kept by training/experiments/encoder_effect.py")
    args = parser.parse_args()
    if args.cache:
        load_memo(args.cache)
    return build(
        TrainSettings(encoder=ENCODER, encoder_scale=args.scale),
        Path(args.out) if args.out else shipped_model_dir("encoder"),
        allow_default=args.out is None,
        require_pointer_sources=True,
    )


if __name__ == "__main__":
    sys.exit(main())
