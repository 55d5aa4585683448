"""The label colours every view shares (terminal tables, explanations, the HTML report)."""

from __future__ import annotations

#: Okabe-Ito colours: distinguishable with the common colour-vision deficiencies.
LABEL_COLOURS = {
    "accusation": "#D55E00",
    "legal_claim": "#0072B2",
    "assurance": "#009E73",
    "demand": "#E69F00",
    "warning": "#CC79A7",
    "none": "#999999",
}
