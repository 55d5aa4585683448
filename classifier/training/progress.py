"""What a training run reports while it works: each stage as it begins, and its fits as they finish.

Fitting is where the time goes, and a fit's time grows with the sentences it
is fitted on, so the run counts its work in *sentences fitted*: a model fitted
on 8,000 sentences is 8,000 units, and ``fit_units`` says how many units
fitting a model with its out-of-fold companions takes. Whoever draws the
progress (``claims train``'s bar) can then estimate the time left from the
rate of the fits already done. Reading data, matching rules and measuring
are quick by comparison and count no units.
"""

from __future__ import annotations

from collections.abc import Callable


class TrainingProgress:
    """The calls a training run makes; this base ignores them (library use)."""

    def planned(self, stages: int, units: int) -> None:
        """The run's number of stages and its units of work (sentences fitted), told before it starts."""

    def stage(self, description: str) -> None:
        """A stage begins."""

    def done(self, units: int) -> None:
        """Fits covering this many sentences have finished."""


class MessageProgress(TrainingProgress):
    """Each stage as one line, numbered, handed to ``say`` (``print`` in scripts, a log line when
    standard error is not a terminal)."""

    def __init__(self, say: Callable[[str], None]) -> None:
        self._say = say
        self._stages = 0
        self._current = 0

    def planned(self, stages: int, units: int) -> None:
        self._stages = stages

    def stage(self, description: str) -> None:
        self._current += 1
        of = f"/{self._stages}" if self._stages else ""
        self._say(f"[{self._current}{of}] {description}")


def fit_units(sentences: int, folds: int) -> int:
    """Units of one ``fit_model`` call: the model on every sentence, and ``folds`` out-of-fold models
    that each leave one fold out, so every sentence is fitted ``folds - 1`` more times."""
    return sentences * max(folds, 1)
