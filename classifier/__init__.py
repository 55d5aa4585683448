"""claim-classifier: label each sentence of an official statement with its claim type.

>>> from classifier import ClaimClassifier
>>> clf = ClaimClassifier.load()
>>> [p.label for p in clf.label_text("We call upon both parties to cease fire.")]
['demand']
"""

from __future__ import annotations

__version__ = "0.1.0"

from .api import ClaimClassifier
from .errors import ClassifierError, DataError, InputError, ModelError, RuleError
from .labels import CLAIM_LABELS, NONE_LABEL, OUTCOMES
from .result import Prediction, RuleHit

__all__ = [
    "CLAIM_LABELS",
    "NONE_LABEL",
    "OUTCOMES",
    "ClaimClassifier",
    "ClassifierError",
    "DataError",
    "InputError",
    "ModelError",
    "Prediction",
    "RuleError",
    "RuleHit",
    "__version__",
]
