"""Thresholds users can pick: precision–recall curves and the operating points on them.

Keeping the candidates with `score >= t` changes only at the candidates' own
scores, so the curve has one point per distinct score. Recall counts against
ALL gold entities of the label, so an entity never proposed is a miss at every
threshold. The defaults the calibration step writes into the `callner_scores`
config are `best_f1_thresholds` on the realistic dev set.
"""
from typing import Dict, Iterable, List, Mapping, Optional, Sequence

from ..quality_reports import OperatingPoints, PRCurve, PRPoint
from .calibration import ScorePair

PRECISION_TARGET = 0.99
RECALL_TARGET = 0.99


def _point(threshold: float, n_kept: int, n_correct: int, n_gold: int) -> PRPoint:
    """F1 from the counts (2·TP / (kept + gold)), so equal F1s are equal floats for the tie rule;
    keeping nothing is precision 0, as spaCy's scorer has it; without gold, recall and F1 are None."""
    precision = n_correct / n_kept if n_kept else 0.0
    if not n_gold:
        return PRPoint(threshold, precision, None, None)
    return PRPoint(threshold, precision, n_correct / n_gold, 2 * n_correct / (n_kept + n_gold))


def point_at(pairs: Sequence[ScorePair], n_gold: int, threshold: float) -> PRPoint:
    """Precision, recall and F1 of the candidates with score >= threshold."""
    kept = [correct for score, correct in pairs if score >= threshold]
    return _point(threshold, len(kept), sum(kept), n_gold)


def pr_points(pairs: Sequence[ScorePair], n_gold: int) -> List[PRPoint]:
    """One point per distinct score, by rising threshold."""
    ordered = sorted(pairs, key=lambda pair: pair[0], reverse=True)
    points, n_correct = [], 0
    for i, (score, correct) in enumerate(ordered):
        n_correct += correct
        if i + 1 < len(ordered) and ordered[i + 1][0] == score:
            continue
        points.append(_point(score, i + 1, n_correct, n_gold))
    return points[::-1]


def pr_curve(pairs: Sequence[ScorePair], n_gold: int) -> PRCurve:
    return PRCurve(n_gold=n_gold, n_candidates=len(pairs), points=pr_points(pairs, n_gold))


def best_f1_point(points: Iterable[PRPoint]) -> Optional[PRPoint]:
    """The point with the best F1, ties going to the lower threshold; None when no point has an F1."""
    return max((p for p in points if p.f1 is not None), key=lambda p: (p.f1, -p.threshold), default=None)


def operating_points(pairs: Sequence[ScorePair], n_gold: int,
                     configured: Optional[float] = None) -> OperatingPoints:
    """Best F1 (ties: the lower threshold), the lowest threshold with precision >= 0.99 and the
    highest with recall >= 0.99 (None: not reachable), and the point at the configured threshold."""
    points = pr_points(pairs, n_gold)
    best = best_f1_point(points)
    precise = [p for p in points if p.precision >= PRECISION_TARGET]
    complete = [p for p in points if p.recall is not None and p.recall >= RECALL_TARGET]
    return OperatingPoints(
        best_f1=best,
        precision_99=min(precise, key=lambda p: p.threshold, default=None),
        recall_99=max(complete, key=lambda p: p.threshold, default=None),
        configured=None if configured is None else point_at(pairs, n_gold, configured),
    )


def best_f1_thresholds(pairs_by_label: Mapping[str, Sequence[ScorePair]],
                       n_gold_by_label: Mapping[str, int]) -> Dict[str, float]:
    """Per label, the threshold with the best F1 (ties: the lower), for the `callner_scores` config.

    A label without candidates, or without gold entities, has no best F1 and is left out.
    """
    thresholds = {}
    for label, pairs in pairs_by_label.items():
        best = operating_points(pairs, n_gold_by_label.get(label, 0)).best_f1
        if best is not None:
            thresholds[label] = best.threshold
    return thresholds
