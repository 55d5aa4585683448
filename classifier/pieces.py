"""Labelling the pieces of long statements on several cores, handed back in reading order.

``claims label`` reads a file in pieces of about a million characters that end
where a sentence ends (``text/streaming.py``), so each piece can be labelled
alone. With more than one worker, forked worker processes label the pieces
(each with the classifier it inherited, so nothing large is sent to them); at
most two pieces per worker are in flight, so memory stays bounded however long
the file, and the results come back in the order the pieces were read.
"""

from __future__ import annotations

import multiprocessing
import signal
from collections import deque
from collections.abc import Iterable, Iterator
from concurrent.futures import Future, ProcessPoolExecutor
from typing import Any, Protocol

from .cores import available_cores
from .result import Prediction

#: Files at least this large (bytes) are labelled by every available core by default: about four
#: pieces, below which starting the workers (each a fork of this process) costs more than it saves.
BYTES_WORTH_A_POOL = 4 << 20
#: Pieces in flight per worker: one being labelled, one waiting, so no worker idles on the reader.
_PIECES_PER_WORKER = 2


class TextLabeller(Protocol):
    """What labelling a piece needs of ``ClaimClassifier``."""

    def label_text(self, text: str, **options: Any) -> list[Prediction]: ...


def piece_workers(requested: int | None, size: int | None, *, forkable: bool = True) -> int:
    """Worker processes for a file of ``size`` bytes (None: standard input, of unknown size):
    as requested, else every core this process may use for a large file, else one (no workers).
    Without ``fork`` (or for a classifier that must not be forked) always one."""
    if not forkable or "fork" not in multiprocessing.get_all_start_methods():
        return 1
    if requested is not None:
        return max(1, requested)
    if size is None or size < BYTES_WORTH_A_POOL:
        return 1
    return available_cores()


def labelled_pieces(
    classifier: TextLabeller, pieces: Iterable[tuple[int, str]], options: dict[str, Any], workers: int
) -> Iterator[tuple[int, list[Prediction]]]:
    """(offset, predictions) for each (offset, text) piece, in order; ``workers`` > 1 labels them in
    that many forked processes, which Ctrl-C does not reach (the interrupted parent stops them)."""
    if workers <= 1:
        for offset, piece in pieces:
            yield offset, classifier.label_text(piece, **options)
        return
    global _LABELLER
    _LABELLER = (classifier, options)  # what the forked workers inherit
    pool = ProcessPoolExecutor(workers, mp_context=multiprocessing.get_context("fork"), initializer=_ignore_ctrl_c)
    in_flight: deque[tuple[int, Future[list[Prediction]]]] = deque()
    try:
        for offset, piece in pieces:
            in_flight.append((offset, pool.submit(_label_piece, piece)))
            if len(in_flight) >= workers * _PIECES_PER_WORKER:
                done_offset, future = in_flight.popleft()
                yield done_offset, future.result()
        while in_flight:
            done_offset, future = in_flight.popleft()
            yield done_offset, future.result()
    except BaseException:  # an error, Ctrl-C, or a reader that stopped early (GeneratorExit)
        pool.shutdown(wait=True, cancel_futures=True)  # workers finish the piece they hold, then exit
        raise
    else:
        pool.shutdown(wait=True)
    finally:
        _LABELLER = None


_LABELLER: tuple[TextLabeller, dict[str, Any]] | None = None


def _label_piece(piece: str) -> list[Prediction]:
    assert _LABELLER is not None, "labelled_pieces sets the labeller before forking"
    classifier, options = _LABELLER
    return classifier.label_text(piece, **options)


def _ignore_ctrl_c() -> None:
    """Ctrl-C reaches every process of the terminal's group: only the parent should stop on it."""
    signal.signal(signal.SIGINT, signal.SIG_IGN)
