"""Scoring one evaluation set twice, with spaCy's scorer and seqeval, and checking they agree.

Both count exact spans, so their micro P/R/F must agree; a disagreement means
the evaluation itself is broken and is reported loudly. Predictions are
projected onto the gold tokenization by character offsets (expanding to whole
gold tokens, as spaCy's alignment does), and a prediction over tokens whose
gold annotation is unknown (a span dropped in conversion) is ignored, as
spaCy's scorer ignores it.
"""
from dataclasses import dataclass, replace
from pathlib import Path
from typing import Dict, List, Optional, Sequence, Union

from seqeval.metrics import classification_report
from seqeval.scheme import IOB2
from spacy.language import Language
from spacy.scorer import Scorer, get_ner_prf
from spacy.tokens import Doc, DocBin
from spacy.training import Example
from wasabi import msg

from ...scheme.labels import LABELS
from ..data import make_doc, read_annotated_jsonl
from ...redact import DEFAULT_LABELS
from ..reports import (
    Agreement, ErrorBreakdown, EvaluationReport, PipelineInfo, PRCurves, RedactionScores, ScoreReport,
    SeqevalScores, SetReport, ValueScores,
)
from .entities import Entity, ScoredDoc, project_onto_gold
from .calibration import configured_thresholds, has_scores_component
from .redaction import score_redaction
from .errors import BOUNDARY_SUBTYPES, ERROR_CATEGORIES, classify_errors, error_breakdown, top_errors
from .intents import IntentScores, intent_textcat, score_intents
from .scores import score_set
from .values import has_values_component, score_values

PathLike = Union[str, Path]
AGREEMENT_TOLERANCE = 1e-6


@dataclass
class SetEvaluation:
    """Scores, errors, value accuracy and entity-score calibration of one evaluation set."""

    name: str
    path: Optional[str]
    docs: List[ScoredDoc]
    spacy: dict
    seqeval: dict
    agreement: dict
    values: Optional[ValueScores] = None
    scores: Optional[ScoreReport] = None
    pr_curves: Optional[PRCurves] = None
    redaction: Optional[RedactionScores] = None
    intents: Optional[IntentScores] = None

    @property
    def errors(self) -> List[dict]:
        return [error for doc in self.docs for error in doc.errors]

    def to_report(self, *, top_n: int = 20, max_errors: int = 1000) -> SetReport:
        """The set's part of evaluation.json; of spaCy's scores only the entity and token ones
        (and the intent scores where the pipeline has an intent textcat)."""
        errors = self.errors
        return SetReport(
            path=self.path,
            n_docs=len(self.docs),
            n_gold=sum(len(d.gold) for d in self.docs),
            n_pred=sum(len(d.predicted) for d in self.docs),
            spacy={k: v for k, v in self.spacy.items() if k.startswith(("ents_", "token_"))},
            seqeval=SeqevalScores.from_json(self.seqeval),
            agreement=Agreement.from_json(self.agreement),
            errors=ErrorBreakdown.from_json(error_breakdown(self.docs)),
            top_errors=top_errors(self.docs, top_n),
            error_list=errors[:max_errors],
            error_list_truncated=len(errors) > max_errors,
            values=None if self.values is None else replace(
                self.values, failures=self.values.failures[:max_errors],
                failures_truncated=self.values.failures_truncated or len(self.values.failures) > max_errors),
            scores=self.scores,
            redaction=self.redaction,
            intents=self.intents,
        )


def load_gold_docs(nlp: Language, path: PathLike) -> List[Doc]:
    """Gold docs from a `.spacy` file, or from annotated JSONL tokenized by `nlp`."""
    path = Path(path)
    if path.suffix == ".jsonl":
        records, report = read_annotated_jsonl(path, nlp)
        if not report.ok:
            msg.warn(f"{path}: {len(report.problems)} annotation problems; "
                     f"{report.n_records_skipped} records skipped, {report.n_spans_dropped} spans dropped")
        return [make_doc(nlp, record) for record in records]
    return list(DocBin().from_disk(path).get_docs(nlp.vocab))


def predict(nlp: Language, gold_docs: Sequence[Doc], *, batch_size: int = 64) -> List[Example]:
    """Run the full pipeline on each gold doc's raw text, as a user would."""
    predicted = nlp.pipe((doc.text for doc in gold_docs), batch_size=batch_size)
    return [Example(pred, gold) for pred, gold in zip(predicted, gold_docs)]


def score_spacy(nlp: Language, examples: Sequence[Example]) -> dict:
    """spaCy's scores (what `nlp.evaluate` reports) for already predicted examples."""
    scores = Scorer(nlp).score(examples)
    if "ents_f" not in scores:
        scores.update(get_ner_prf(examples))
    return scores


def scored_doc(example: Example, index: int = 0) -> ScoredDoc:
    """Gold and predicted entities on the gold tokens, as spaCy's NER scorer sees them."""
    gold_doc = example.reference
    gold = [Entity(e.start_char, e.end_char, e.label_, e.start, e.end) for e in gold_doc.ents]
    predicted, ignored = [], []
    for ent in example.predicted.ents:
        projection = project_onto_gold(gold_doc, ent)
        if projection is None:
            continue
        projected, over_unknown = projection
        (ignored if over_unknown else predicted).append(projected)
    doc = ScoredDoc(index, gold_doc.text, len(gold_doc), gold, predicted, ignored)
    doc.errors = classify_errors(doc)
    return doc


def score_seqeval(docs: Sequence[ScoredDoc]) -> dict:
    """Strict IOB2 entity scores: per label, micro, macro and weighted averages."""
    y_true = [doc.tags(doc.gold) for doc in docs]
    y_pred = [doc.tags(doc.predicted) for doc in docs]
    has_entities = any(tag != "O" for seq in y_true + y_pred for tag in seq)
    empty = {"precision": 0.0, "recall": 0.0, "f1": 0.0, "support": 0}
    if not has_entities:
        return {"per_label": {}, "micro": dict(empty), "macro": dict(empty), "weighted": dict(empty)}
    report = classification_report(
        y_true, y_pred, mode="strict", scheme=IOB2, output_dict=True, zero_division=0
    )

    def row(values: dict) -> dict:
        return {
            "precision": float(values["precision"]),
            "recall": float(values["recall"]),
            "f1": float(values["f1-score"]),
            "support": int(values["support"]),
        }

    averages = {"micro avg": "micro", "macro avg": "macro", "weighted avg": "weighted"}
    result = {"per_label": {k: row(v) for k, v in report.items() if k not in averages}}
    result.update({name: row(report[key]) for key, name in averages.items()})
    return result


def check_agreement(spacy_scores: dict, seqeval_scores: dict, *, tolerance: float = AGREEMENT_TOLERANCE) -> dict:
    """Do spaCy's and seqeval's entity P/R/F match (micro and per label)?"""
    micro_spacy = {k: spacy_scores.get(f"ents_{k}") or 0.0 for k in ("p", "r", "f")}
    micro_seqeval = {k: seqeval_scores["micro"][name] for k, name in
                     (("p", "precision"), ("r", "recall"), ("f", "f1"))}
    micro_diff = max(abs(micro_spacy[k] - micro_seqeval[k]) for k in micro_spacy)
    per_type = spacy_scores.get("ents_per_type") or {}
    per_label = seqeval_scores["per_label"]
    label_diff = 0.0
    for label in set(per_type) | set(per_label):
        by_spacy = per_type.get(label, {})
        by_seqeval = per_label.get(label, {})
        for k, name in (("p", "precision"), ("r", "recall"), ("f", "f1")):
            label_diff = max(label_diff, abs(by_spacy.get(k, 0.0) - by_seqeval.get(name, 0.0)))
    return {
        "agree": micro_diff <= tolerance and label_diff <= tolerance,
        "tolerance": tolerance,
        "micro_max_abs_diff": micro_diff,
        "per_label_max_abs_diff": label_diff,
        "spacy_micro": micro_spacy,
        "seqeval_micro": micro_seqeval,
    }


def evaluate_examples(nlp: Language, examples: Sequence[Example], *, name: str = "eval",
                      path: Optional[PathLike] = None,
                      redaction_labels: Sequence[str] = DEFAULT_LABELS) -> SetEvaluation:
    """Score predicted examples with spaCy and seqeval, break down the errors, score the values,
    judge the entity scores (calibration, operating points, PR curves) and measure how much gold PII
    of ``redaction_labels`` ``redact()`` hides."""
    examples = [eg for eg in examples if eg.reference.has_annotation("ENT_IOB")]
    docs = [scored_doc(eg, i) for i, eg in enumerate(examples)]
    spacy_scores = score_spacy(nlp, examples)
    seqeval_scores = score_seqeval(docs)
    agreement = check_agreement(spacy_scores, seqeval_scores)
    if not agreement["agree"]:
        msg.fail(
            f"[{name}] spaCy and seqeval disagree on entity scores "
            f"(micro diff {agreement['micro_max_abs_diff']:.2e}, per label {agreement['per_label_max_abs_diff']:.2e}): "
            "the evaluation itself is broken for this set"
        )
    values = score_values(examples, values_component=has_values_component(nlp))
    scores, pr_curves = score_set(examples, name=name, scores_component=has_scores_component(nlp),
                                  thresholds=configured_thresholds(nlp))
    redaction = score_redaction([(eg.reference, eg.predicted) for eg in examples], labels=redaction_labels)
    intents = score_intents(examples) if intent_textcat(nlp) else None
    return SetEvaluation(name, str(path) if path is not None else None, docs, spacy_scores, seqeval_scores,
                         agreement, values, scores, pr_curves, redaction, intents)


def evaluate_set(nlp: Language, path: PathLike, *, name: Optional[str] = None, batch_size: int = 64,
                 redaction_labels: Sequence[str] = DEFAULT_LABELS) -> SetEvaluation:
    """Load the gold docs at `path`, predict with `nlp` and evaluate."""
    gold_docs = load_gold_docs(nlp, path)
    return evaluate_examples(nlp, predict(nlp, gold_docs, batch_size=batch_size),
                             name=name or Path(path).stem, path=path, redaction_labels=redaction_labels)


def evaluate_sets(nlp: Language, sets: Dict[str, PathLike], *, batch_size: int = 64,
                  redaction_labels: Sequence[str] = DEFAULT_LABELS) -> Dict[str, SetEvaluation]:
    return {name: evaluate_set(nlp, path, name=name, batch_size=batch_size, redaction_labels=redaction_labels)
            for name, path in sets.items()}


def evaluation_report(nlp: Language, results: Dict[str, SetEvaluation], *, model: Optional[str] = None,
                      top_n: int = 20, max_errors: int = 1000) -> EvaluationReport:
    """The machine-readable report (evaluation.json)."""
    sets = {name: result.to_report(top_n=top_n, max_errors=max_errors) for name, result in results.items()}
    extra_labels = {label for data in sets.values() for label in data.seqeval.per_label} - set(LABELS)
    return EvaluationReport(
        model=model,
        pipeline=PipelineInfo(name=f"{nlp.meta.get('lang', nlp.lang)}_{nlp.meta.get('name', '')}",
                              version=nlp.meta.get("version"), components=list(nlp.pipe_names)),
        labels=list(LABELS) + sorted(extra_labels),
        error_categories=list(ERROR_CATEGORIES),
        boundary_subtypes=list(BOUNDARY_SUBTYPES),
        agree=all(data.agreement.agree for data in sets.values()),
        sets=sets,
    )
