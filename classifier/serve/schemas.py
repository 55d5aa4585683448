"""The JSON API's request and response shapes: validated on the way in (422 with the field at fault)
and published in the OpenAPI document with examples."""

from __future__ import annotations

from typing import Any, Literal

from pydantic import BaseModel, ConfigDict, Field, model_validator

Mode = Literal["hybrid", "rules", "model"]
Outcome = Literal["accusation", "legal_claim", "assurance", "demand", "warning", "none"]


class LabelOptions(BaseModel):
    """The options of ``claims label``."""

    model_config = ConfigDict(extra="forbid")

    mode: Mode = Field("hybrid", description="hybrid (rules + model), rules alone, or model alone.")
    min_confidence: float = Field(0.0, ge=0.0, le=1.0, description="Below this confidence a sentence is unlabelled.")
    force_label: bool = Field(False, description="Always give the best of the five labels, never 'none'.")


class LabelRequest(LabelOptions):
    """Exactly one of ``text``, ``texts`` or ``sentences``."""

    model_config = ConfigDict(
        extra="forbid",
        json_schema_extra={
            "examples": [
                {"text": "We demand an apology."},
                {"texts": ["We urge restraint. Talks resume on Monday.", "They shelled the town."], "mode": "rules"},
                {"sentences": ["We demand an apology.", "The meeting ended."], "min_confidence": 0.6},
            ]
        },
    )

    text: str | None = Field(None, description="A statement, split into sentences; its records carry doc '<text>'.")
    texts: list[str] | None = Field(
        None, description="Several statements labelled in one batch; doc '<text N>' unless 'docs' names them."
    )
    docs: list[str] | None = Field(None, description="Names for the 'texts' (the records' 'doc'), one per text.")
    sentences: list[str] | None = Field(
        None, description="Sentences already split, labelled as given; each record's offsets span its sentence."
    )

    @model_validator(mode="after")
    def one_input(self) -> LabelRequest:
        given = [name for name in ("text", "texts", "sentences") if getattr(self, name) is not None]
        if len(given) != 1:
            raise ValueError(f"give exactly one of 'text', 'texts' or 'sentences' (got {given or 'none'})")
        if self.docs is not None and (self.texts is None or len(self.docs) != len(self.texts)):
            raise ValueError("'docs' names the 'texts': give one name per text")
        return self


class RuleHitOut(BaseModel):
    rule: str
    label: Outcome
    weight: float
    start: int = Field(description="Offset into the sentence.")
    end: int
    text: str


class Record(BaseModel):
    """One labelled sentence, as ``claims label --format json`` writes it."""

    model_config = ConfigDict(
        json_schema_extra={
            "examples": [
                {
                    "doc": "<text>",
                    "index": 0,
                    "start": 0,
                    "end": 21,
                    "text": "We demand an apology.",
                    "label": "demand",
                    "confidence": 0.9988,
                    "scores": {
                        "accusation": 0.0001,
                        "legal_claim": 0.0,
                        "assurance": 0.0002,
                        "demand": 0.9988,
                        "warning": 0.0001,
                        "none": 0.0008,
                    },
                    "source": "hybrid",
                    "evidence": [
                        {
                            "rule": "demand.demand_insist",
                            "label": "demand",
                            "weight": 2.2,
                            "start": 3,
                            "end": 9,
                            "text": "demand",
                        }
                    ],
                }
            ]
        }
    )

    doc: str
    index: int = Field(description="Position of the sentence in its doc, from 0.")
    start: int = Field(description="Offset of the sentence in its text (text[start:end] is the sentence).")
    end: int
    text: str
    label: Outcome | None = Field(description="null: no claim, or confidence below min_confidence.")
    confidence: float
    scores: dict[str, float]
    source: Mode
    evidence: list[RuleHitOut]


class ExplainRequest(BaseModel):
    model_config = ConfigDict(
        extra="forbid", json_schema_extra={"examples": [{"sentence": "We warn of grave consequences."}]}
    )

    sentence: str = Field(description="One sentence to explain (hybrid mode).")


class Health(BaseModel):
    status: Literal["ok"]
    version: str


class ErrorOut(BaseModel):
    """Every error answer: one line, and for a malformed request the fields at fault."""

    error: str
    detail: list[dict[str, Any]] = Field(default_factory=list, description="For 422: [{field, message}, ...].")


class ContributionOut(BaseModel):
    name: str
    value: float
    weight: float
    contribution: float = Field(description="value x weight: this input's share of the logit.")


class GuardOut(BaseModel):
    guard: str
    start: int
    end: int


class ExplanationOut(BaseModel):
    """As ``claims explain --format json``: the three layers of the hybrid's decision."""

    sentence: str
    label: Outcome | None
    confidence: float
    runner_up: Outcome
    scores: dict[str, float] = Field(description="The hybrid's probability of each outcome.")
    rule_hits: list[RuleHitOut]
    guards: list[GuardOut] = Field(description="Guards that stopped a rule, with their span in the sentence.")
    rules_scores: dict[str, float]
    model_scores: dict[str, float]
    model_features: dict[str, list[ContributionOut]] = Field(
        description="The text model's strongest features for the label and the runner-up."
    )
    combiner: dict[str, list[ContributionOut]] = Field(description="The hybrid combiner's inputs, per outcome.")
    combiner_intercepts: dict[str, float]
    model_blocks: dict[str, dict[str, float]] = Field(
        description="The text model's logit per outcome, split by feature block: tfidf, encoder (models "
        "with a sentence-encoder block) and intercept."
    )


class ModelOut(BaseModel):
    """The model folder's ``metadata.json`` (main fields listed; every field is returned)."""

    model_config = ConfigDict(extra="allow")

    package_version: str
    trained_at: str
    training_examples: int
    labels: list[str]
    evaluation: dict[str, Any] = Field(description="Figures per test set and mode, as `claims train` measured them.")
    format_version: int
