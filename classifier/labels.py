"""Label ids of the annotation guide, and how readers of labelled data normalise them."""

from __future__ import annotations

from .errors import DataError

#: The five claim types, in the guide's order.
CLAIM_LABELS: tuple[str, ...] = ("accusation", "legal_claim", "assurance", "demand", "warning")
#: Id used in gold and training files for a sentence that carries no claim.
NONE_LABEL = "none"
#: Every outcome a sentence can have; the order of score vectors everywhere.
OUTCOMES: tuple[str, ...] = (*CLAIM_LABELS, NONE_LABEL)

DISPLAY_NAMES: dict[str, str] = {
    "accusation": "accusation",
    "legal_claim": "legal claim",
    "assurance": "assurance",
    "demand": "demand",
    "warning": "warning",
    "none": "none",
}

DEFINITIONS: dict[str, str] = {
    "accusation": "attributes wrongdoing, hostility, negligence, bias or bad faith to another party",
    "legal_claim": "grounds a position in law, rights or formal obligations",
    "assurance": "reassures: restraint, cooperation, continued support, denial of hostile intent",
    "demand": "asks, urges or requires another party to act or stop acting",
    "warning": "predicts or threatens negative consequences; signals the limit of tolerance",
    "none": "carries none of the five acts (dates, logistics, thanks, narration)",
}


def normalise_label(raw: object) -> str:
    """Return the label id for any spelling the guide accepts.

    Accepts any case, spaces or ``-`` for ``_`` ("Legal claim", "legal-claim").
    Raises DataError for anything else, so a typo never becomes a new class.
    """
    if not isinstance(raw, str):
        raise DataError(f"label must be text, got {raw!r}")
    key = raw.strip().lower().replace("-", "_").replace(" ", "_")
    if key in OUTCOMES:
        return key
    raise DataError(f"unknown label {raw!r}: expected one of {', '.join(OUTCOMES)}")
