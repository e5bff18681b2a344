"""Where the pipeline fails, per evaluation set: scores, error breakdown, reports.

A single F1 on synthetic test data hides how the pipeline behaves on real calls,
so every set (the synthetic test split, the hand-labelled realistic dev set) is
scored and reported separately, twice: with spaCy's scorer and with seqeval's
strict IOB2 entity matching (`scoring`). Every unmatched entity is put into one
error category (`errors`), the values of entities found exactly are compared
with the gold values (`values`), entity scores are judged for calibration and
thresholds (`calibration`, `operating_points`, `scores`), the share of gold PII the
runtime's `redact()` hides is measured (`redaction`), a pipeline with an intent textcat
gets its call-intent scores (`intents`), and `rendering` writes
evaluation.md, charts and displaCy pages beside evaluation.json
(`..reports.EvaluationReport`).
"""
from .calibration import (
    CANDIDATES_KEY, N_BINS, SCORES_FACTORY, ScorePair, SetPairs, bin_index, candidate_spans, configured_thresholds,
    example_pairs, expected_calibration_error, has_scores_component, reliability_bins, set_pairs,
)
from .entities import Entity, ScoredDoc
from .errors import (
    BOUNDARY_SUBTYPES, CONTEXT_CHARS, CUT, ERROR_CATEGORIES, MISSED, SHIFTED, SPURIOUS, SWALLOWED_MODIFIER,
    SWALLOWED_OTHER, SWALLOWED_PARTICLE, WRONG_BOUNDARY, WRONG_LABEL, WRONG_LABEL_AND_BOUNDARY, boundary_subtype,
    classify_errors, error_breakdown, is_particle_chain, swallowed_kind, top_errors,
)
from .rendering import (
    LABEL_COLORS, per_label_rows, plot_f1_per_label, print_summary, render_error_html, render_markdown,
    write_evaluation_report,
)
from .scoring import (
    AGREEMENT_TOLERANCE, SetEvaluation, check_agreement, evaluate_examples, evaluate_set, evaluate_sets,
    evaluation_report, load_gold_docs, predict, score_seqeval, score_spacy, scored_doc,
)
from .operating_points import (
    PRECISION_TARGET, RECALL_TARGET, best_f1_thresholds, operating_points, point_at, pr_curve, pr_points,
)
from .score_rendering import (
    not_scored, plot_pr_curves, plot_reliability, print_score_summary, score_card_lines, score_markdown,
    write_score_files,
)
from .scores import label_calibration, score_file_names, score_set
from .redaction import SETTINGS as REDACTION_SETTINGS, covered_characters, gold_characters, score_redaction
from .redaction_rendering import print_redaction_summary, redaction_markdown, redaction_rows
from .value_rendering import not_measured, print_value_summary, value_card_lines, value_markdown, value_rows
from .values import VALUES_FACTORY, ValuePair, has_values_component, score_values, value_pairs
from .intents import (
    gold_intent, intent_pairs, intent_textcat, predicted_intent,
    score_intents,
)
from .intent_rendering import intent_confusion_name, intent_markdown, plot_intent_confusion, print_intent_summary
from ..quality_reports import PRCurves, RedactionScores, ScoreReport, ValueScores
from ..reports import IntentClassScores, IntentScores
from ..reports import EvaluationReport

__all__ = [
    "AGREEMENT_TOLERANCE", "BOUNDARY_SUBTYPES", "CONTEXT_CHARS", "CUT", "ERROR_CATEGORIES", "Entity",
    "EvaluationReport", "LABEL_COLORS", "MISSED", "SHIFTED", "SPURIOUS", "SWALLOWED_MODIFIER", "SWALLOWED_OTHER",
    "SWALLOWED_PARTICLE", "ScoredDoc", "SetEvaluation", "WRONG_BOUNDARY", "WRONG_LABEL",
    "WRONG_LABEL_AND_BOUNDARY", "boundary_subtype", "check_agreement", "classify_errors", "error_breakdown",
    "evaluate_examples", "evaluate_set", "evaluate_sets", "evaluation_report", "is_particle_chain",
    "load_gold_docs", "per_label_rows", "plot_f1_per_label", "predict", "print_summary", "render_error_html",
    "render_markdown", "score_seqeval", "score_spacy", "scored_doc", "swallowed_kind", "top_errors",
    "write_evaluation_report", "VALUES_FACTORY", "ValuePair", "ValueScores", "has_values_component",
    "not_measured", "print_value_summary", "score_values", "value_card_lines", "value_markdown", "value_pairs",
    "value_rows", "CANDIDATES_KEY", "N_BINS", "PRECISION_TARGET", "PRCurves", "RECALL_TARGET", "SCORES_FACTORY",
    "ScorePair", "ScoreReport", "SetPairs", "best_f1_thresholds", "bin_index", "candidate_spans", "configured_thresholds",
    "example_pairs", "expected_calibration_error", "has_scores_component", "label_calibration", "not_scored",
    "operating_points", "plot_pr_curves", "plot_reliability", "point_at", "pr_curve", "pr_points",
    "print_score_summary", "reliability_bins", "score_card_lines", "score_file_names", "score_markdown",
    "score_set", "set_pairs", "write_score_files", "REDACTION_SETTINGS", "RedactionScores", "covered_characters",
    "gold_characters", "print_redaction_summary", "redaction_markdown", "redaction_rows", "score_redaction",
    "IntentClassScores", "IntentScores", "gold_intent", "intent_confusion_name",
    "intent_markdown", "intent_pairs", "intent_textcat", "plot_intent_confusion", "predicted_intent",
    "print_intent_summary", "score_intents",
]
