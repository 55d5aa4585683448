"""``claims train`` on a terminal: the stage in words, a bar over the fits, the time elapsed and left.

The bar counts the run's units of work (sentences fitted, ``training/progress.py``)
and moves as each fit finishes; the time left is estimated from the rate of
the fits done so far in this run, so it appears once the first fit is done.
"""

from __future__ import annotations

from types import TracebackType

from rich.console import Console
from rich.progress import (
    BarColumn,
    Progress,
    TaskID,
    TaskProgressColumn,
    TextColumn,
    TimeElapsedColumn,
    TimeRemainingColumn,
)

from ..training.progress import TrainingProgress

#: Long enough that the rate is averaged over the whole run: fits finish minutes apart, and a short
#: window would forget the rate between them and show no estimate.
_RATE_WINDOW_SECONDS = 24 * 3600.0


class TrainingBar(TrainingProgress):
    """A live progress bar on ``console``; use it as a context manager around the run."""

    def __init__(self, console: Console) -> None:
        self._progress = Progress(
            TextColumn("{task.description}"),
            BarColumn(),
            TaskProgressColumn(),
            TimeElapsedColumn(),
            TextColumn("elapsed,"),
            TimeRemainingColumn(),
            TextColumn("left"),
            console=console,
            speed_estimate_period=_RATE_WINDOW_SECONDS,
        )
        self._task: TaskID | None = None
        self._stages = 0
        self._current = 0

    def __enter__(self) -> TrainingBar:
        self._progress.start()
        self._task = self._progress.add_task("starting", total=None)
        return self

    def __exit__(
        self, kind: type[BaseException] | None, error: BaseException | None, trace: TracebackType | None
    ) -> None:
        self._progress.stop()

    def planned(self, stages: int, units: int) -> None:
        self._stages = stages
        self._update(total=units)

    def stage(self, description: str) -> None:
        self._current += 1
        self._update(description=f"[{self._current}/{self._stages}] {description}")

    def done(self, units: int) -> None:
        if self._task is not None:
            self._progress.advance(self._task, units)

    def _update(self, **fields: object) -> None:
        if self._task is not None:
            self._progress.update(self._task, **fields)  # type: ignore[arg-type]
