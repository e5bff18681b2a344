"""The reports that pass between workflow steps, as typed objects.

`convert` writes metrics/convert.json, `evaluate` metrics/evaluation.json and
`benchmark-speed` metrics/speed.json; the model card and packaging read them
back. Writers and readers share these dataclasses instead of string keys, and
`to_json()` writes the same keys the files always had, so older files load and
spaCy-style consumers of the JSON keep working. `ValidationReport` is the one
the converter's validator fills in as it reads; its JSON is `ValidationCounts`.
"""
import dataclasses
from collections import Counter
from typing import Any, Dict, List, Optional

from wasabi import msg

from ..scheme import PROBLEM_KINDS
from ..scheme.intents import INTENT_LABELS
from .quality_reports import (  # noqa: F401  (the evaluation report's parts, importable from here too)
    NO_GOLD_VALUES, NO_VALUES_COMPONENT, NOT_SCORED, SCORE_STATUSES, SCORES_MEASURED, VALUE_STATUSES,
    VALUES_SCORED, FieldAccuracy, LabelCalibration, LabelValueScores, OperatingPoints, PRCurve, PRCurves,
    PRPoint, LabelRedaction, RedactionOutcome, RedactionScores, ReliabilityBin, ScoreReport, ValueFailure,
    ValueScores,
)
from .report_base import OMIT_IF_NONE, JsonReport


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
class IntentCounts(JsonReport):
    """The call intents of one split's records: how many of each label, how many had none or an invalid one."""

    counts: Dict[str, int] = dataclasses.field(default_factory=dict)
    missing: int = 0
    """Records without an intent, invalid ones included: they get no `doc.cats`."""
    invalid: int = 0
    """Of the missing: records whose intent was not a label (`bad_intent`), kept for NER without it."""


@dataclasses.dataclass
class RealDevReport(JsonReport):
    validation: ValidationCounts = dataclasses.field(default_factory=ValidationCounts)
    alignment: Dict[str, AlignmentStats] = dataclasses.field(default_factory=dict)
    intents: Optional[IntentCounts] = dataclasses.field(default=None, metadata=OMIT_IF_NONE)


@dataclasses.dataclass
class ConvertReport(JsonReport):
    """metrics/convert.json: validation counts, split sizes, intents per split and tokenizer alignment."""

    validation: ValidationCounts = dataclasses.field(default_factory=ValidationCounts)
    splits: Dict[str, int] = dataclasses.field(default_factory=dict)
    intents: Dict[str, IntentCounts] = dataclasses.field(default_factory=dict)
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


@dataclasses.dataclass
class IntentClassScores(JsonReport):
    precision: float = 0.0
    recall: float = 0.0
    f1: float = 0.0
    support: int = 0
    n_predicted: int = 0


@dataclasses.dataclass
class IntentScores(JsonReport):
    """One set's intent scores; `confusion[i][j]`: utterances of gold `labels[i]` predicted `labels[j]`."""

    n: int = 0
    n_without_gold: int = 0
    accuracy: Optional[float] = None
    macro_f1: Optional[float] = None
    macro_labels: List[str] = dataclasses.field(default_factory=list)
    spacy_cats_macro_f: Optional[float] = None
    labels: List[str] = dataclasses.field(default_factory=lambda: list(INTENT_LABELS))
    per_class: Dict[str, IntentClassScores] = dataclasses.field(default_factory=dict)
    confusion: List[List[int]] = dataclasses.field(default_factory=list)


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
    redaction: Optional[RedactionScores] = dataclasses.field(default=None, metadata=OMIT_IF_NONE)
    """How much gold PII `redact()` hides (recall, residual characters); absent in older reports."""
    intents: Optional[IntentScores] = dataclasses.field(default=None, metadata=OMIT_IF_NONE)
    """Call-intent scores, for a pipeline with an intent textcat; absent otherwise."""


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
