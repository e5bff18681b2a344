"""The quality of what the pipeline says about its entities: value accuracy, score calibration, redaction.

Parts of `metrics/evaluation.json` (`SetReport.values`, `SetReport.scores`, `SetReport.redaction`) and of the PR
curve files, kept apart from `reports.py` so each report module stays one concern.
"""
import dataclasses
from typing import Any, Dict, List, Optional

from .report_base import OMIT_IF_NONE, JsonReport

VALUES_SCORED = "scored"
NO_VALUES_COMPONENT = "no_values_component"
NO_GOLD_VALUES = "no_gold_values"
VALUE_STATUSES = (VALUES_SCORED, NO_VALUES_COMPONENT, NO_GOLD_VALUES)


@dataclasses.dataclass
class FieldAccuracy(JsonReport):
    """One field of a value (PRODUCT `name`, `brand`) compared alone."""

    n_correct: int = 0
    accuracy: Optional[float] = None


@dataclasses.dataclass
class LabelValueScores(JsonReport):
    """Values of one label's gold entities that were found exactly (start, end and label).

    `n_gold_with_value` counts all gold entities with a value, found or not;
    `n_no_gold_value` the exact matches whose gold entity has no value (not
    compared); `n_missing` the compared ones the pipeline gave no value, by
    `value_error`. `accuracy` is None when nothing was compared.
    """

    n_gold_with_value: int = 0
    n_exact: int = 0
    n_no_gold_value: int = 0
    n_compared: int = 0
    n_correct: int = 0
    accuracy: Optional[float] = None
    n_missing: int = 0
    missing_reasons: Dict[str, int] = dataclasses.field(default_factory=dict)
    fields: Dict[str, FieldAccuracy] = dataclasses.field(default_factory=dict)


@dataclasses.dataclass
class ValueFailure(JsonReport):
    """An exact match whose predicted value is not the gold one (or is missing, with `error`)."""

    doc: int
    label: str
    text: str
    start: int
    end: int
    gold: Dict[str, Any]
    pred: Optional[Dict[str, Any]] = None
    error: Optional[str] = None


@dataclasses.dataclass
class ValueScores(JsonReport):
    """Value accuracy of one set on the entities found exactly, or why it was not measured.

    `status` is one of VALUE_STATUSES: without a values component in the
    pipeline, or without gold values in the data, `per_label` is empty.
    """

    status: str = VALUES_SCORED
    n_gold: int = 0
    n_gold_with_value: int = 0
    per_label: Dict[str, LabelValueScores] = dataclasses.field(default_factory=dict)
    total: LabelValueScores = dataclasses.field(default_factory=LabelValueScores)
    failures: List[ValueFailure] = dataclasses.field(default_factory=list)
    failures_truncated: bool = False

    @property
    def scored(self) -> bool:
        return self.status == VALUES_SCORED


SCORES_MEASURED = "scored"
NOT_SCORED = "not_scored"
SCORE_STATUSES = (SCORES_MEASURED, NOT_SCORED)


@dataclasses.dataclass
class PRPoint(JsonReport):
    """Keeping the candidates with score >= threshold: their precision, and recall over all gold entities."""

    threshold: float
    precision: float
    recall: Optional[float]
    f1: Optional[float]


@dataclasses.dataclass
class ReliabilityBin(JsonReport):
    """One of the equal-width score bins [lower, upper): mean score and share correct (None when empty)."""

    lower: float
    upper: float
    count: int = 0
    mean_score: Optional[float] = None
    accuracy: Optional[float] = None


@dataclasses.dataclass
class OperatingPoints(JsonReport):
    """A label's thresholds: best F1 (ties: the lower), lowest with precision >= 0.99, highest with
    recall >= 0.99, and the pipeline's configured one; None when no threshold reaches it."""

    best_f1: Optional[PRPoint] = None
    precision_99: Optional[PRPoint] = None
    recall_99: Optional[PRPoint] = None
    configured: Optional[PRPoint] = dataclasses.field(default=None, metadata=OMIT_IF_NONE)


@dataclasses.dataclass
class LabelCalibration(JsonReport):
    """How well one label's (or all labels') candidate scores match how often they are right."""

    n_gold: int = 0
    n_candidates: int = 0
    n_correct: int = 0
    ece: Optional[float] = None
    bins: List[ReliabilityBin] = dataclasses.field(default_factory=list)
    operating_points: OperatingPoints = dataclasses.field(default_factory=OperatingPoints)


@dataclasses.dataclass
class ScoreReport(JsonReport):
    """Calibration and operating points of one set's `span._.score`, or why it was not scored.

    `source` is where the candidates came from (`callner_candidates` or `ents`);
    `n_unscored` counts candidates without a score, left out; the file names are
    the set's reliability diagram and PR curves, beside evaluation.json.
    """

    status: str = SCORES_MEASURED
    source: str = "callner_candidates"
    scores_component: bool = False
    n_unscored: int = 0
    per_label: Dict[str, LabelCalibration] = dataclasses.field(default_factory=dict)
    micro: LabelCalibration = dataclasses.field(default_factory=LabelCalibration)
    reliability_diagram: Optional[str] = None
    pr_chart: Optional[str] = None
    pr_curves: Optional[str] = None

    @property
    def scored(self) -> bool:
        return self.status == SCORES_MEASURED


@dataclasses.dataclass
class PRCurve(JsonReport):
    n_gold: int = 0
    n_candidates: int = 0
    points: List[PRPoint] = dataclasses.field(default_factory=list)
    """By rising threshold, one per distinct candidate score."""


@dataclasses.dataclass
class PRCurves(JsonReport):
    """metrics/pr_<set>.json: precision and recall of every threshold, per label and micro."""

    set: str
    status: str = SCORES_MEASURED
    per_label: Dict[str, PRCurve] = dataclasses.field(default_factory=dict)
    micro: PRCurve = dataclasses.field(default_factory=PRCurve)


@dataclasses.dataclass
class RedactionOutcome(JsonReport):
    """One label's gold entities under one threshold setting: how many a redaction hides whole
    (`recall`), and how many of their non-space characters it leaves visible (`residual_rate`)."""

    n_covered: int = 0
    recall: Optional[float] = None
    residual_chars: int = 0
    residual_rate: Optional[float] = None


@dataclasses.dataclass
class LabelRedaction(JsonReport):
    """`redact()` on one label's gold entities: at the recall-first redaction threshold (ents and the
    candidates scoring at least it) and at the pipeline's own thresholds (`doc.ents` alone)."""

    n_gold: int = 0
    gold_chars: int = 0
    redaction_threshold: RedactionOutcome = dataclasses.field(default_factory=RedactionOutcome)
    pipeline_thresholds: RedactionOutcome = dataclasses.field(default_factory=RedactionOutcome)


@dataclasses.dataclass
class RedactionScores(JsonReport):
    """How much of the gold PII `spacy_callner.redact` hides on one set (`SetReport.redaction`).

    `threshold` is the candidates' threshold used; `candidates` says whether the predicted docs
    had scored candidates at all (without them both settings redact `doc.ents` alone).
    """

    threshold: float = 0.0
    labels: List[str] = dataclasses.field(default_factory=list)
    candidates: bool = False
    per_label: Dict[str, LabelRedaction] = dataclasses.field(default_factory=dict)
    total: LabelRedaction = dataclasses.field(default_factory=LabelRedaction)
