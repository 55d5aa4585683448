"""Label Studio: the labelling interface, and suggested sentences as pre-annotated tasks.

* ``labelling_config()`` is the project's interface: the sentence, the six outcomes as single
  choices (the annotation guide's one-line definitions as hover hints), and rule hits as
  highlighted regions.
* ``tasks()`` turns ``claims suggest``'s ranked sentences into Label Studio tasks whose
  pre-annotation (a "prediction") is the classifier's label, its confidence as the score, and
  each rule hit as a region over the words it matched.

Exports are read back by ``label_studio_export``. Formats follow Label Studio's documentation
(importing pre-annotated data) and were checked against a real Label Studio server:
``fixtures/label-studio/make_fixtures.sh``.
"""

from __future__ import annotations

from collections.abc import Sequence
from typing import Any
from xml.sax.saxutils import quoteattr

from .. import __version__
from ..labels import CLAIM_LABELS, DEFINITIONS, OUTCOMES
from ..output.palette import LABEL_COLOURS
from ..result import Prediction
from ..suggest import Suggestion
from .label_studio_export import CHOICE_CONTROL, TEXT_FIELD

#: The Labels control that shows rule hits as regions.
EVIDENCE_CONTROL = "rules"


def labelling_config() -> str:
    """The labelling interface (Label Studio's XML config) for claim labels."""
    choices = "\n".join(
        f"    <Choice value={quoteattr(outcome)} hint={quoteattr(DEFINITIONS[outcome])}/>" for outcome in OUTCOMES
    )
    regions = "\n".join(
        f"    <Label value={quoteattr(label)} background={quoteattr(LABEL_COLOURS[label])}"
        f" hint={quoteattr(DEFINITIONS[label])}/>"
        for label in CLAIM_LABELS
    )
    return f"""<View>
  <Header value="Which act does this sentence perform? (document: $doc)"/>
  <Text name="{TEXT_FIELD}" value="${TEXT_FIELD}" granularity="word"/>
  <Choices name="{CHOICE_CONTROL}" toName="{TEXT_FIELD}" choice="single" required="true" showInline="true">
{choices}
  </Choices>
  <Header value="Rule hits (words that voted for a label)" size="6"/>
  <Labels name="{EVIDENCE_CONTROL}" toName="{TEXT_FIELD}">
{regions}
  </Labels>
</View>
"""


def tasks(suggestions: Sequence[Suggestion], predictions: Sequence[Prediction], model_version: str) -> list[dict]:
    """One task per suggestion, pre-annotated with the hybrid's label, confidence and rule hits.

    ``predictions`` are the hybrid predictions of the same sentences (``label_sentences``), in order.
    """
    found = []
    for suggestion, prediction in zip(suggestions, predictions, strict=True):
        data = {key: value for key, value in suggestion.to_record().items() if key != "label"}
        data["reasons"] = "; ".join(suggestion.reasons)  # text, so the data manager can show and filter it
        result: list[dict[str, Any]] = [
            {
                "from_name": CHOICE_CONTROL,
                "to_name": TEXT_FIELD,
                "type": "choices",
                "value": {"choices": [suggestion.hybrid]},
            }
        ]
        for number, hit in enumerate(prediction.evidence):
            result.append(
                {
                    "id": f"rule{number}",
                    "from_name": EVIDENCE_CONTROL,
                    "to_name": TEXT_FIELD,
                    "type": "labels",
                    "value": {"start": hit.start, "end": hit.end, "text": hit.text, "labels": [hit.label]},
                    "meta": {"text": [hit.rule_id]},
                }
            )
        found.append(
            {
                "data": data,
                "predictions": [
                    {"model_version": model_version, "score": round(prediction.confidence, 4), "result": result}
                ],
            }
        )
    return found


def model_version(metadata: dict[str, Any]) -> str:
    """How pre-annotations name the model: the package version and the model's digest."""
    digest = str(metadata.get("metadata_sha256") or "")[:12]
    return f"claim-classifier {__version__}" + (f" model {digest}" if digest else "")
