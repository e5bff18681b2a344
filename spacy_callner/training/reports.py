"""The reports that pass between workflow steps, as typed objects.

`convert` writes metrics/convert.json, `evaluate` metrics/evaluation.json and
`benchmark-speed` metrics/speed.json; the model card and packaging read them
back. Writers and readers share these dataclasses instead of string keys, and
`to_json()` writes the same keys the files always had, so older files load and
spaCy-style consumers of the JSON keep working. `ValidationReport` is the one
the converter's validator fills in as it reads; its JSON is `ValidationCounts`.
"""
import dataclasses
import typing
from collections import Counter
from pathlib import Path
from typing import Any, Dict, List, Optional, Type, TypeVar, Union

import srsly
from wasabi import msg

from ..scheme import PROBLEM_KINDS

PathLike = Union[str, Path]
R = TypeVar("R", bound="JsonReport")

OMIT_IF_NONE = {"omit_if_none": True}


def _from_value(hint: Any, value: Any) -> Any:
    """`value` read from JSON as the type `hint` says: dataclasses built, containers recursed."""
    if value is None:
        return None
    origin, args = typing.get_origin(hint), typing.get_args(hint)
    if origin is Union:
        inner = [arg for arg in args if arg is not type(None)]
        return _from_value(inner[0], value) if len(inner) == 1 else value
    if origin in (dict, Dict) and len(args) == 2:
        return {key: _from_value(args[1], item) for key, item in value.items()}
    if origin in (list, List) and args:
        return [_from_value(args[0], item) for item in value]
    if isinstance(hint, type) and issubclass(hint, JsonReport):
        return hint.from_json(value)
    return value


def _to_value(value: Any) -> Any:
    if isinstance(value, JsonReport):
        return value.to_json()
    if isinstance(value, dict):
        return {key: _to_value(item) for key, item in value.items()}
    if isinstance(value, (list, tuple)):
        return [_to_value(item) for item in value]
    return value


class JsonReport:
    """Base of the report dataclasses: JSON in and out with the files' own keys."""

    def to_json(self) -> dict:
        data = {}
        for spec in dataclasses.fields(self):
            value = getattr(self, spec.name)
            if value is None and spec.metadata.get("omit_if_none"):
                continue
            data[spec.name] = _to_value(value)
        return data

    @classmethod
    def from_json(cls: Type[R], data: dict) -> R:
        """Build from JSON; keys the class does not know are ignored, missing ones take their defaults."""
        hints = typing.get_type_hints(cls)
        values = {spec.name: _from_value(hints[spec.name], data[spec.name])
                  for spec in dataclasses.fields(cls) if spec.name in data}
        return cls(**values)

    def save(self, path: PathLike) -> Path:
        path = Path(path)
        path.parent.mkdir(parents=True, exist_ok=True)
        srsly.write_json(path, self.to_json())
        return path

    @classmethod
    def load(cls: Type[R], path: PathLike) -> R:
        return cls.from_json(srsly.read_json(path))

    @classmethod
    def load_if_exists(cls: Type[R], path: Optional[PathLike]) -> Optional[R]:
        return cls.load(path) if path is not None and Path(path).is_file() else None

    @classmethod
    def coerce(cls: Type[R], value: Union[None, dict, R]) -> Optional[R]:
        """The report itself, or one built from its JSON (callers that still pass dicts)."""
        return cls.from_json(value) if isinstance(value, dict) else value


# ------------------------------------------------------------------ convert.json


class DataValidationError(ValueError):
    """Raised in strict mode when any record has a problem; `report` holds all of them."""

    def __init__(self, message: str, report: Optional["ValidationReport"] = None):
        super().__init__(message)
        self.report = report


@dataclasses.dataclass
class Problem:
    """One thing wrong with the input: its kind (scheme.rules), where ("file:line ...") and why."""

    kind: str
    source: str
    message: str

    def __post_init__(self) -> None:
        # A message quoting a lone surrogate must still be writable as UTF-8.
        self.message = self.message.encode("utf8", "backslashreplace").decode("utf8")

    def __str__(self) -> str:
        return f"{self.source}: {self.kind}: {self.message}"


@dataclasses.dataclass
class ValidationReport:
    """Counts and details of what was read, kept, fixed and skipped."""

    n_lines: int = 0
    n_records: int = 0
    n_records_skipped: int = 0
    n_spans: int = 0
    n_spans_dropped: int = 0
    problems: List[Problem] = dataclasses.field(default_factory=list)

    def add(self, problem: Problem) -> None:
        self.problems.append(problem)

    def counts(self) -> Dict[str, int]:
        counter = Counter(p.kind for p in self.problems)
        return {kind: counter[kind] for kind in PROBLEM_KINDS if counter[kind]}

    def merge(self, other: "ValidationReport") -> None:
        self.n_lines += other.n_lines
        self.n_records += other.n_records
        self.n_records_skipped += other.n_records_skipped
        self.n_spans += other.n_spans
        self.n_spans_dropped += other.n_spans_dropped
        self.problems.extend(other.problems)

    @property
    def ok(self) -> bool:
        return not self.problems

    def to_json(self) -> dict:
        return {
            "lines": self.n_lines,
            "records_kept": self.n_records,
            "records_skipped": self.n_records_skipped,
            "spans_kept": self.n_spans,
            "spans_dropped": self.n_spans_dropped,
            "problems_by_kind": self.counts(),
            "problems": [str(p) for p in self.problems],
        }

    def print(self, title: str = "Validation", max_problems: Optional[int] = 20) -> None:
        """The first `max_problems` problems (all of them with None), then the counts."""
        msg.divider(title)
        shown = self.problems if max_problems is None else self.problems[:max_problems]
        for problem in shown:
            msg.warn(str(problem))
        if len(self.problems) > len(shown):
            msg.text(f"... and {len(self.problems) - len(shown)} more problems (all are in the --report file)")
        summary = (
            f"{self.n_records} records kept ({self.n_spans} spans), "
            f"{self.n_records_skipped} records skipped, {self.n_spans_dropped} spans dropped"
        )
        if self.problems:
            msg.warn(summary)
            msg.table(self.counts(), header=("problem", "count"))
        else:
            msg.good(summary + "; no problems")



@dataclasses.dataclass
class ValidationCounts(JsonReport):
    """`ValidationReport.to_json()`, as read back from convert.json."""

    lines: int = 0
    records_kept: int = 0
    records_skipped: int = 0
    spans_kept: int = 0
    spans_dropped: int = 0
    problems_by_kind: Dict[str, int] = dataclasses.field(default_factory=dict)
    problems: List[str] = dataclasses.field(default_factory=list)


@dataclasses.dataclass
class AlignmentStats(JsonReport):
    """`alignment_stats` of spacy_callner.training.data: gold spans on token boundaries."""

    spans: int = 0
    aligned: int = 0
    lost: int = 0
    alignment_rate: float = 1.0
    tokens_per_100_chars: float = 0.0


@dataclasses.dataclass
class CorpusMix(JsonReport):
    mode: str = "offline"
    offline: int = 0
    llm: int = 0


@dataclasses.dataclass
class RealDevReport(JsonReport):
    validation: ValidationCounts = dataclasses.field(default_factory=ValidationCounts)
    alignment: Dict[str, AlignmentStats] = dataclasses.field(default_factory=dict)


@dataclasses.dataclass
class ConvertReport(JsonReport):
    """metrics/convert.json: validation counts, split sizes and tokenizer alignment (per tokenizer)."""

    validation: ValidationCounts = dataclasses.field(default_factory=ValidationCounts)
    splits: Dict[str, int] = dataclasses.field(default_factory=dict)
    mix: CorpusMix = dataclasses.field(default_factory=CorpusMix)
    alignment: Dict[str, AlignmentStats] = dataclasses.field(default_factory=dict)
    real_dev: Optional[RealDevReport] = dataclasses.field(default=None, metadata=OMIT_IF_NONE)
    seconds: Optional[float] = None
    error: Optional[str] = dataclasses.field(default=None, metadata=OMIT_IF_NONE)
    """Why convert wrote nothing (strict mode and problems); absent when it wrote the corpus."""


# ------------------------------------------------------------------ speed.json


@dataclasses.dataclass
class LatencyStats(JsonReport):
    """Milliseconds per single call."""

    n: int
    p50_ms: float
    p95_ms: float
    mean_ms: float
    max_ms: float


@dataclasses.dataclass
class ThroughputStats(JsonReport):
    batch_size: int
    docs: int
    words: int
    chars: int
    seconds: float
    words_per_sec: float
    chars_per_sec: float
    docs_per_sec: float


@dataclasses.dataclass
class ComponentCost(JsonReport):
    """What one post-processing component adds to batch time: measured in the same run as the rest."""

    component: str
    seconds: float
    """The component alone over the docs the rest of the pipeline produced."""
    seconds_without: float
    """`nlp.pipe` over the same texts with the component disabled."""
    share: float
    """seconds / (seconds + seconds_without): the fraction of batch throughput it costs."""


@dataclasses.dataclass
class SpeedReport(JsonReport):
    """metrics/speed.json: CPU load time, latency and throughput, and the machine they were measured on."""

    model: Optional[str]
    pipeline: str
    version: Optional[str]
    components: List[str]
    device: str
    load_seconds: Optional[float]
    warmup_texts: int
    n_texts: int
    latency: LatencyStats
    throughput: ThroughputStats
    torch_threads: Optional[int] = None
    cpu_count: Optional[int] = None
    platform: str = ""
    processor: str = ""
    python: str = ""
    spacy: str = ""
    data: Optional[str] = dataclasses.field(default=None, metadata=OMIT_IF_NONE)
    component_costs: List[ComponentCost] = dataclasses.field(default_factory=list)


# ------------------------------------------------------------------ evaluation.json


@dataclasses.dataclass
class PipelineInfo(JsonReport):
    name: str
    version: Optional[str]
    components: List[str]


@dataclasses.dataclass
class LabelScores(JsonReport):
    precision: float = 0.0
    recall: float = 0.0
    f1: float = 0.0
    support: int = 0


@dataclasses.dataclass
class SeqevalScores(JsonReport):
    """Strict IOB2 entity scores per label and averaged."""

    per_label: Dict[str, LabelScores] = dataclasses.field(default_factory=dict)
    micro: LabelScores = dataclasses.field(default_factory=LabelScores)
    macro: LabelScores = dataclasses.field(default_factory=LabelScores)
    weighted: LabelScores = dataclasses.field(default_factory=LabelScores)

    def row(self, name: str) -> Optional[LabelScores]:
        """A label's scores, or an average's ("micro", "macro", "weighted"); None for an unseen label."""
        if name in ("micro", "macro", "weighted"):
            return getattr(self, name)
        return self.per_label.get(name)


@dataclasses.dataclass
class Agreement(JsonReport):
    """Whether spaCy's scorer and seqeval gave the same entity P/R/F."""

    agree: bool
    tolerance: float
    micro_max_abs_diff: float
    per_label_max_abs_diff: float
    spacy_micro: Dict[str, float]
    seqeval_micro: Dict[str, float]


@dataclasses.dataclass
class ErrorBreakdown(JsonReport):
    """Error counts per category, per boundary subtype and per label."""

    n_gold: int = 0
    n_pred: int = 0
    correct: int = 0
    ignored_predictions: int = 0
    docs_with_errors: int = 0
    counts: Dict[str, int] = dataclasses.field(default_factory=dict)
    boundary: Dict[str, int] = dataclasses.field(default_factory=dict)
    by_label: Dict[str, Dict[str, int]] = dataclasses.field(default_factory=dict)


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
class SetReport(JsonReport):
    """One evaluation set. `spacy` holds spaCy's own score dict (`ents_p`, `ents_per_type`, ...)."""

    path: Optional[str]
    n_docs: int
    n_gold: int
    n_pred: int
    spacy: Dict[str, Any]
    seqeval: SeqevalScores
    agreement: Agreement
    errors: ErrorBreakdown
    top_errors: List[dict] = dataclasses.field(default_factory=list)
    error_list: List[dict] = dataclasses.field(default_factory=list)
    error_list_truncated: bool = False
    values: Optional[ValueScores] = dataclasses.field(default=None, metadata=OMIT_IF_NONE)
    """Value accuracy (ANNOTATION.md, Values); absent in reports written before values existed."""
    scores: Optional[ScoreReport] = dataclasses.field(default=None, metadata=OMIT_IF_NONE)
    """Calibration of `span._.score` and the thresholds; absent in reports written before scores existed."""


@dataclasses.dataclass
class EvaluationReport(JsonReport):
    """metrics/evaluation.json: every evaluation set's scores and errors."""

    model: Optional[str]
    pipeline: PipelineInfo
    labels: List[str]
    error_categories: List[str]
    boundary_subtypes: List[str]
    agree: bool
    sets: Dict[str, SetReport]


# ------------------------------------------------------------------ the shipped encoder


@dataclasses.dataclass
class ShippedEncoder(JsonReport):
    """The transformer inside the packaged pipeline, which may be smaller than the base model it came from."""

    architecture: Optional[str] = None
    num_layers: Optional[int] = None
    parameters: Optional[int] = None
