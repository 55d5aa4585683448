"""Rebuild the shipped default model from the shipped corpus and rules.

Run from a checkout: python training/build_default_model.py
The same data, rules and seed give the same vocabulary and coefficients, so
the result can be checked against the committed model (tests do).
"""

from __future__ import annotations

from classifier.rulebook.book import load_rulebook
from classifier.textmodel.folder import default_model_dir
from classifier.training.data import load_corpus, validate
from classifier.training.run import train
from classifier.training.settings import TrainSettings


def main() -> None:
    examples = load_corpus()
    validate(examples)
    result = train(
        examples,
        load_rulebook(),
        TrainSettings(),
        out=default_model_dir(),
        force=True,
        allow_default=True,
        progress=print,
    )
    for name, reports in (("held-out statements", result.holdout), ("dev-test set", result.devtest or {})):
        figures = ", ".join(f"{mode} {report.macro_f1:.3f}" for mode, report in reports.items())
        print(f"{name}: macro-F1 {figures}")
    print(f"wrote {result.directory}")


if __name__ == "__main__":
    main()
