"""A temperature for the hybrid's confidences, fitted on real sentences.

The combiner learns from mostly synthetic sentences, where the text model's
out-of-fold probabilities are reliable; on real statements they are not, and
the hybrid is overconfident there. Dividing the combiner's scores by one
temperature ``T`` leaves every label as it was (the order of the scores does
not change) and only moves the confidences; ``T`` is chosen to minimise the
log-loss on the real training sentences (training/experiments/ADOPTION.md,
"Confidences on real text").
"""

from __future__ import annotations

import numpy as np

#: The search interval for the temperature: below 1 sharpens, above 1 softens.
TEMPERATURE_BOUNDS = (0.5, 10.0)


def log_loss_at(temperature: float, scores: np.ndarray, gold: np.ndarray) -> float:
    """Mean negative log-probability of the gold outcome under softmax(scores / T). Unweighted: the real
    sentences it is fitted on all carry the same sample weight."""
    z = scores / temperature
    z = z - z.max(axis=1, keepdims=True)
    log_probs = z - np.log(np.exp(z).sum(axis=1, keepdims=True))
    return float(-log_probs[np.arange(len(gold)), gold].mean())


def fit_temperature(scores: np.ndarray, gold: np.ndarray) -> float:
    """The temperature in ``TEMPERATURE_BOUNDS`` with the lowest log-loss (bounded scalar search).

    ``scores`` are the combiner's raw scores (n, outcomes), ``gold`` the column of each row's outcome.
    """
    from scipy.optimize import minimize_scalar

    if len(gold) == 0:
        raise ValueError("no sentences to fit a temperature on")
    found = minimize_scalar(
        log_loss_at, bounds=TEMPERATURE_BOUNDS, args=(scores, gold), method="bounded", options={"xatol": 1e-4}
    )
    return float(found.x)
