"""One set's entity scores judged: calibration and operating points per label and micro, and the PR curves.

`calibration` pairs the candidates with their correctness and bins them;
`operating_points` sweeps the thresholds; this puts both into the set's
`..quality_reports.ScoreReport` (part of evaluation.json) and `..quality_reports.PRCurves`
(pr_<set>.json), and names the files the set's charts are written to.
"""
from typing import Dict, Optional, Sequence, Tuple

from spacy.training import Example

from ...scheme.labels import LABELS
from ..quality_reports import NOT_SCORED, SCORES_MEASURED, LabelCalibration, PRCurves, ReliabilityBin, ScoreReport
from .calibration import ScorePair, expected_calibration_error, reliability_bins, set_pairs
from .operating_points import operating_points, pr_curve


def score_file_names(name: str) -> Dict[str, str]:
    """The set's files beside evaluation.json: reliability diagram, PR chart, PR points."""
    return {"reliability_diagram": f"reliability_{name}.png", "pr_chart": f"pr_{name}.png",
            "pr_curves": f"pr_{name}.json"}


def label_calibration(pairs: Sequence[ScorePair], n_gold: int,
                      configured: Optional[float] = None) -> LabelCalibration:
    return LabelCalibration(
        n_gold=n_gold, n_candidates=len(pairs), n_correct=sum(correct for _, correct in pairs),
        ece=expected_calibration_error(pairs),
        bins=[ReliabilityBin(**b) for b in reliability_bins(pairs)],
        operating_points=operating_points(pairs, n_gold, configured),
    )


def score_set(examples: Sequence[Example], *, name: str = "eval", scores_component: bool = False,
              thresholds: Optional[Dict[str, float]] = None) -> Tuple[ScoreReport, PRCurves]:
    """The set's score report and PR curves; "not scored" (and no curves) when no candidate has a score.

    `thresholds`: the pipeline's configured per-label thresholds (a missing label is 0.0), whose
    precision and recall are reported beside the operating points; None without a scores component.
    """
    pairs = set_pairs(examples)
    base = dict(source=pairs.source, scores_component=scores_component, n_unscored=pairs.n_unscored,
                **score_file_names(name))
    if not pairs.scored:
        return ScoreReport(status=NOT_SCORED, **base), PRCurves(set=name, status=NOT_SCORED)
    found = set(pairs.pairs_by_label) | set(pairs.n_gold_by_label)
    labels = [label for label in LABELS if label in found] + sorted(found - set(LABELS))
    per_label, curves = {}, {}
    for label in labels:
        label_pairs, n_gold = pairs.pairs_by_label.get(label, []), pairs.n_gold_by_label[label]
        configured = None if thresholds is None else float(thresholds.get(label, 0.0))
        per_label[label] = label_calibration(label_pairs, n_gold, configured)
        curves[label] = pr_curve(label_pairs, n_gold)
    n_gold = sum(pairs.n_gold_by_label.values())
    report = ScoreReport(status=SCORES_MEASURED, per_label=per_label,
                         micro=label_calibration(pairs.micro_pairs, n_gold), **base)
    return report, PRCurves(set=name, per_label=curves, micro=pr_curve(pairs.micro_pairs, n_gold))
