"""The retraining loop behind ``claims train``: data in, verified model directory out.

1. Read the shipped corpus (unless ``no_base``) and the user's files; validate
   all of it before anything is fitted.
2. Hold out a grouped share of the statements, fit on the rest and measure
   rules, model and hybrid on the held-out statements.
3. Fit the final model on everything.
4. Compare it with the model it replaces on the independent dev-test set,
   which neither was trained on, and measure it on the real-text test set
   (real statements, by source and by part), which chooses nothing.
5. Write the model directory atomically, with its metadata and evaluation figures.
"""

from __future__ import annotations

import datetime as dt
import json
import platform
from collections.abc import Sequence
from dataclasses import dataclass, replace
from pathlib import Path
from typing import Any

import numpy as np

from .. import __version__
from ..api import ClaimClassifier
from ..labels import OUTCOMES
from ..rulebook.book import RuleBook
from ..rulebook.matcher import RuleMatcher
from ..textmodel.folder import load_model, save_model
from ..textmodel.model import TextModel
from .data import (
    Example,
    data_sha256,
    load_corpus,
    load_labelled_file,
    load_user_data,
    realtest_files,
    shipped_devtest_file,
    validate,
)
from .evaluate import evaluate, evaluate_rows, figures_to_dict
from .fit import fit_model, grouped_holdout, planned_units, stopping_workers
from .metrics import Figures
from .progress import TrainingProgress
from .settings import TrainSettings

EVALUATION_FILE = "evaluation.json"


@dataclass(frozen=True)
class TrainResult:
    """What a training run produced and measured."""

    directory: Path | None
    model: TextModel
    holdout: dict[str, Figures]
    devtest: dict[str, Figures] | None
    baseline_devtest: dict[str, Figures] | None
    examples: int
    #: The real-text test set, both parts pooled: what a user will meet on real statements.
    realtest: dict[str, Figures] | None = None


def gather_examples(
    data_files: Sequence[str], *, include_base: bool, text_column: str = "text", label_column: str = "label"
) -> list[Example]:
    """The shipped corpus plus the user's files, validated together."""
    examples: list[Example] = load_corpus() if include_base else []
    for location in data_files:
        examples.extend(load_user_data(location, text_column=text_column, label_column=label_column))
    validate(examples)
    return examples


def train(
    examples: Sequence[Example],
    rulebook: RuleBook,
    settings: TrainSettings,
    *,
    out: str | Path | None,
    force: bool = False,
    baseline: ClaimClassifier | None = None,
    progress: TrainingProgress | None = None,
    allow_default: bool = False,
) -> TrainResult:
    """Fit, measure and (when ``out`` is given) save a model, telling ``progress`` each stage as it
    begins and each fit as it finishes."""
    progress = progress or TrainingProgress()
    matcher = RuleMatcher(rulebook)
    train_part, held_out = grouped_holdout(examples, settings.holdout, settings.seed)
    n_docs, n_held = len({e.doc for e in examples}), len({e.doc for e in held_out})
    progress.planned(
        5 if out is not None else 4, planned_units(train_part, settings) + planned_units(examples, settings)
    )
    with stopping_workers():
        progress.stage(f"fitting on {len(train_part):,} sentences ({n_held} of {n_docs} statements held out)")
        trial = fit_model(train_part, matcher, settings, progress)
        progress.stage(f"measuring on the {len(held_out):,} held-out sentences")
        holdout_figures = evaluate(ClaimClassifier(trial, rulebook), held_out)
        progress.stage(f"fitting the final model on all {len(examples):,} sentences")
        model = fit_model(examples, matcher, settings, progress)
    progress.stage("measuring on the dev-test and real-text test sets")
    devtest_examples = _devtest()
    devtest_figures = evaluate(ClaimClassifier(model, rulebook), devtest_examples) if devtest_examples else None
    baseline_figures = evaluate(baseline, devtest_examples) if baseline and devtest_examples else None
    realtest = measure_realtest(ClaimClassifier(model, rulebook))
    evaluation = {
        "holdout": _summary(holdout_figures),
        "devtest": _summary(devtest_figures) if devtest_figures else None,
        "realtest": {
            part: {name: _summary(figures) for name, figures in groups.items()} for part, groups in realtest.items()
        }
        or None,
    }
    described = describe_training(examples, settings, rulebook.digest, evaluation)
    model = replace(model, metadata={**model.metadata, **described})  # fit_model's own notes (a temperature) stay
    directory = None
    if out is not None:
        progress.stage(f"writing the model folder {out}")
        evaluation_json = {
            "holdout": figures_to_dict(holdout_figures),
            "devtest": figures_to_dict(devtest_figures) if devtest_figures else None,
            "baseline_devtest": figures_to_dict(baseline_figures) if baseline_figures else None,
            "realtest": {
                part: {name: figures_to_dict(figures) for name, figures in groups.items()}
                for part, groups in realtest.items()
            }
            or None,
        }
        directory = save_model(
            model,
            out,
            force=force,
            extra_files={EVALUATION_FILE: json.dumps(evaluation_json, indent=2) + "\n"},
            allow_default=allow_default,
        )
    pooled = realtest.get("all", {}).get("all")
    return TrainResult(directory, model, holdout_figures, devtest_figures, baseline_figures, len(examples), pooled)


def measure_realtest(classifier: ClaimClassifier) -> dict[str, dict[str, dict[str, Figures]]]:
    """Figures on the real-text test set: for both parts pooled ("all") and each part, overall ("all")
    and by source. Empty when the set is not installed."""
    parts = {path.stem: load_labelled_file(path) for path in realtest_files()}
    if not parts:
        return {}
    examples = [e for part in parts.values() for e in part]
    rows_of, start = {"all": range(len(examples))}, 0
    for part, part_examples in parts.items():
        rows_of[part], start = range(start, start + len(part_examples)), start + len(part_examples)
    row_sets: dict[tuple[str, str], Sequence[int]] = {}
    for part, rows in rows_of.items():  # both parts pooled and each part, whole and by source
        row_sets[part, "all"] = rows
        for source in sorted({examples[i].source for i in rows}):
            row_sets[part, source] = [i for i in rows if examples[i].source == source]
    figures: dict[str, dict[str, dict[str, Figures]]] = {}
    for (part, group), by_mode in evaluate_rows(classifier, examples, row_sets).items():  # scored once
        figures.setdefault(part, {})[group] = by_mode
    return figures


def describe_training(
    examples: Sequence[Example], settings: TrainSettings, rules_digest: str, evaluation: dict[str, Any]
) -> dict[str, Any]:
    """What a model's metadata says about how it was made and measured.

    The model folder adds what it says about itself (format version, labels,
    combiner columns, checksums) when it is written.
    """
    import sklearn

    counts = {label: sum(e.label == label for e in examples) for label in OUTCOMES}
    return {
        "package_version": __version__,
        "sklearn_version": sklearn.__version__,
        "numpy_version": np.__version__,
        "python_version": platform.python_version(),
        "trained_at": dt.datetime.now(dt.UTC).replace(microsecond=0).isoformat(),
        "training_data_sha256": data_sha256(examples),
        "rules_sha256": rules_digest,
        "training_examples": len(examples),
        "training_statements": len({e.doc for e in examples}),
        "label_counts": counts,
        "settings": settings.record(),
        "features": {"blocks": settings.block_settings()},
        "evaluation": evaluation,
    }


def load_baseline(model_dir: str | None, rulebook: RuleBook) -> ClaimClassifier | None:
    """The model a new one replaces (the shipped default unless named), if it loads."""
    try:
        return ClaimClassifier(load_model(model_dir), rulebook)
    except Exception:  # a missing or broken baseline only means no comparison
        return None


def _devtest() -> list[Example]:
    path = shipped_devtest_file()
    return load_labelled_file(path) if path.is_file() else []


def _summary(by_mode: dict[str, Figures]) -> dict[str, Any]:
    return {
        mode: {"macro_f1": round(r.macro_f1, 4), "accuracy": round(r.accuracy, 4), "support": r.support}
        for mode, r in by_mode.items()
    }
