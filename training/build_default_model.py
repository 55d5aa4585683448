"""Rebuild the shipped default model from the shipped corpus, the real pointer-only sources and the rules.

Run from a checkout: python training/build_default_model.py [--without-pointer-sources]

The shipped model is trained on the synthetic corpus and all five real
sources. Two of them ship as pointers only (training/SOURCES.md): rebuild
their text first with training/real/rebuild.py, or pass
--without-pointer-sources to build from the shipped text alone (a different
model, written to the default folder all the same). The same data, rules and
seed give the same vocabulary and coefficients.
"""

from __future__ import annotations

import sys
from pathlib import Path

from classifier.rulebook.book import load_rulebook
from classifier.textmodel.folder import default_model_dir
from classifier.training.data import load_corpus, pointer_source_files, shipped_corpus_files, validate
from classifier.training.progress import MessageProgress
from classifier.training.run import train
from classifier.training.settings import TrainSettings


def build(settings: TrainSettings, out: Path, *, allow_default: bool, require_pointer_sources: bool = True) -> int:
    """Train on the shipped corpus and the rebuilt pointer-only sources, write ``out``, print the figures."""
    rebuilt, missing = pointer_source_files()
    if missing and require_pointer_sources:
        print(
            f"the text of {', '.join(missing)} is not rebuilt (or out of date): run "
            "python training/real/rebuild.py --snapshots DIR first, or pass --without-pointer-sources",
            file=sys.stderr,
        )
        return 1
    examples = load_corpus([*shipped_corpus_files(), *rebuilt])
    validate(examples)
    result = train(
        examples,
        load_rulebook(),
        settings,
        out=out,
        force=True,
        allow_default=allow_default,
        progress=MessageProgress(print),
    )
    for name, figures in (
        ("held-out statements", result.holdout),
        ("dev-test set", result.devtest or {}),
        ("real-text test set", result.realtest or {}),
    ):
        line = ", ".join(f"{mode} {f.macro_f1:.4f}" for mode, f in figures.items())
        print(f"{name}: macro-F1 {line}")
    print(f"wrote {result.directory}")
    return 0


def main() -> int:
    return build(
        TrainSettings(),
        default_model_dir(),
        allow_default=True,
        require_pointer_sources="--without-pointer-sources" not in sys.argv,
    )


if __name__ == "__main__":
    sys.exit(main())
