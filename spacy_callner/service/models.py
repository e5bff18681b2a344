"""The service's request and response bodies as pydantic models: validation and the OpenAPI schema.

Field shapes follow ``records.entity_record`` and ``redact.Redaction`` (one home each); these
models only say them to FastAPI, so ``/docs`` shows what a client sends and gets back.
"""
from typing import Any, Dict, List, Literal, Optional

from pydantic import BaseModel, ConfigDict, Field, StrictBool, StrictStr, model_serializer, model_validator

from ..redact import STYLES
from ..scheme.intents import INTENT_LABELS
from ..scheme.labels import LABELS

Label = Literal[LABELS]
Intent = Literal[INTENT_LABELS]
Style = Literal[STYLES]
Score = Field(ge=0.0, le=1.0)


class TextsRequest(BaseModel):
    """One ``text`` or a batch of ``texts`` (exactly one of the two), with the labels to return
    and per-label thresholds overriding the pipeline's for this request only."""

    model_config = ConfigDict(extra="forbid")

    text: Optional[StrictStr] = Field(None, description="One text.")
    texts: Optional[List[StrictStr]] = Field(None, description="A batch of texts (at least one).")
    labels: Optional[List[Label]] = Field(None, description="Labels to return (default: all).")
    thresholds: Optional[Dict[Label, float]] = Field(
        None, description="Least score per label for an entity to count (0..1); labels not named keep the pipeline's.")

    @model_validator(mode="after")
    def one_text_or_a_batch(self) -> "TextsRequest":
        if (self.text is None) == (self.texts is None):
            raise ValueError("send exactly one of 'text' (a string) or 'texts' (a list of strings)")
        if self.texts is not None and not self.texts:
            raise ValueError("'texts' is an empty batch: send at least one text")
        if self.labels is not None and not self.labels:
            raise ValueError("'labels' is empty: leave it out for all labels")
        for label, value in (self.thresholds or {}).items():
            if not 0.0 <= value <= 1.0:
                raise ValueError(f"threshold of {label} must lie in 0..1, got {value}")
        return self

    @property
    def batch(self) -> List[str]:
        return [self.text] if self.texts is None else list(self.texts)


class AnnotateRequest(TextsRequest):
    render_html: StrictBool = Field(False, description="Also return displaCy's entity-style HTML per text.")


class RedactRequest(TextsRequest):
    labels: Optional[List[Label]] = Field(None, description="Labels to redact (default: PHONE and CONTRACT).")
    style: Style = Field("tag", description="tag ([PHONE]), mask (010-****-5678) or hash (keyed HMAC token).")
    keep_visible: int = Field(4, ge=0, le=32, strict=True, description="Trailing digits a mask leaves visible.")
    candidate_threshold: Optional[float] = Field(
        None, ge=0.0, le=1.0, description="Least score of a candidate below the thresholds still redacted "
                                          "(default: the recall-first REDACTION_THRESHOLD).")


class EntityOut(BaseModel):
    label: str
    text: str
    start: int
    end: int
    score: Optional[float] = None
    value: Optional[Any] = None
    value_error: Optional[Any] = None
    kb_id: Optional[str] = None


class IntentOut(BaseModel):
    label: Intent
    score: float = Score


class AnnotateResult(BaseModel):
    text: str
    entities: List[EntityOut]
    intent: Optional[IntentOut] = Field(
        None, description="The call intent, only from a pipeline with an intent textcat (absent otherwise).")
    html: Optional[str] = None

    @model_serializer(mode="wrap")
    def leave_out_absent_intent(self, serialize):
        """A pipeline without a textcat answers as before: no ``intent`` key at all."""
        data = serialize(self)
        if data.get("intent") is None:
            data.pop("intent", None)
        return data


class AnnotateResponse(BaseModel):
    request_id: str
    results: List[AnnotateResult]


class RedactionOut(BaseModel):
    label: str
    start: int
    end: int
    redacted_start: int
    redacted_end: int
    score: Optional[float] = None
    style: str
    source: str


class RedactResult(BaseModel):
    text: str = Field(description="The text with its redacted spans replaced.")
    redactions: List[RedactionOut]


class RedactResponse(BaseModel):
    request_id: str
    results: List[RedactResult]


class ErrorResponse(BaseModel):
    error: str = Field(description="The kind: invalid_json, invalid_request, limit_exceeded, unauthorized, ...")
    message: str
    limit: Optional[str] = Field(None, description="The setting whose limit was exceeded.")
    details: Optional[List[Dict[str, Any]]] = None


class ReadyResponse(BaseModel):
    ready: bool
    model: str
    in_flight: int = Field(description="Requests using or waiting for the model now.")
    error: Optional[str] = None
