"""Entity scores for people: reliability diagrams, PR charts, evaluation.md's "Scores", console and card.

Every view reads only `..quality_reports.ScoreReport` / `..quality_reports.PRCurves`, so the
card renders the same from evaluation.json. A set whose candidates carry no
score gets a sentence saying so (and a chart saying so), never a 0.
"""
from pathlib import Path
from typing import Dict, List, Optional, Union

from wasabi import msg

from ...displacy import LABEL_COLORS
from ..reporting import markdown_table, percent, save_figure
from ..quality_reports import NOT_SCORED, LabelCalibration, PRCurves, PRPoint, ScoreReport
from ..reports import SetReport
from .calibration import CANDIDATES_KEY, SCORES_FACTORY
from .scores import score_file_names

PathLike = Union[str, Path]
POINT_HEADER = ["label", "gold", "candidates", "ECE", "best F1: threshold", "P", "R",
                "P ≥ 0.99: threshold", "R", "R ≥ 0.99: threshold", "P"]
NOT_REACHABLE = "not reachable"
NO_CANDIDATES = "no candidates"


def not_scored(scores: Optional[ScoreReport]) -> Optional[str]:
    """Why a set's entity scores were not judged, as a sentence; None when they were."""
    if scores is None:
        return "Not scored: this report was written before entity scores were evaluated."
    if scores.scored:
        return None
    where = f"`doc.spans[\"{CANDIDATES_KEY}\"]`" if scores.source == CANDIDATES_KEY else "`doc.ents`"
    why = "" if scores.scores_component else f"; the pipeline has no `{SCORES_FACTORY}` component"
    return f"Not scored: no predicted entity in {where} carries a `span._.score`{why}."


def _unreached(c: LabelCalibration) -> str:
    return NOT_REACHABLE if c.n_candidates else NO_CANDIDATES


def _threshold(point: Optional[PRPoint], c: LabelCalibration) -> str:
    return _unreached(c) if point is None else f"{point.threshold:.3f}"


def _ece(value: Optional[float]) -> str:
    return "–" if value is None else f"{value:.3f}"


def point_rows(scores: ScoreReport) -> List[list]:
    """Per label and micro: gold, candidates, ECE and the three operating points."""
    def row(name: str, c: LabelCalibration) -> list:
        points = c.operating_points
        best, precise, complete = points.best_f1, points.precision_99, points.recall_99
        return [name, c.n_gold, c.n_candidates, _ece(c.ece),
                _threshold(best, c), percent(best and best.precision), percent(best and best.recall),
                _threshold(precise, c), percent(precise and precise.recall),
                _threshold(complete, c), percent(complete and complete.precision)]

    return [row(label, c) for label, c in scores.per_label.items()] + [row("*micro*", scores.micro)]


def _configured_line(scores: ScoreReport) -> List[str]:
    configured = {label: c.operating_points.configured for label, c in scores.per_label.items()
                  if c.operating_points.configured is not None}
    if not configured:
        return []
    return ["At the pipeline's configured thresholds: " + "; ".join(
        f"{label} ≥ {p.threshold:.3f}: P {percent(p.precision)}, R {percent(p.recall)}"
        for label, p in configured.items()) + ".", ""]


def score_markdown(scores: Optional[ScoreReport]) -> List[str]:
    """A set's "Scores" part of evaluation.md: ECE and operating points per label, the two charts."""
    out = ["### Scores and thresholds", ""]
    reason = not_scored(scores)
    if reason:
        return out + [reason, ""]
    out += ["`span._.score` of every candidate (kept or below its threshold), against exact gold spans; "
            "ECE over 10 equal-width bins; recall counts every gold entity, proposed or not. "
            "P/R in %.", "", markdown_table(POINT_HEADER, point_rows(scores)), ""]
    out += _configured_line(scores)
    if scores.n_unscored:
        out += [f"{scores.n_unscored} candidates had no score and were left out.", ""]
    return out + [f"![reliability diagram]({scores.reliability_diagram}) ![PR curves]({scores.pr_chart})",
                  "", f"The points of every curve: [{scores.pr_curves}]({scores.pr_curves}).", ""]


def print_score_summary(scores: Optional[ScoreReport]) -> None:
    """The console view of a set's entity scores."""
    reason = not_scored(scores)
    if reason:
        msg.info(f"Scores: {reason}")
        return
    msg.table(point_rows(scores), header=POINT_HEADER, aligns=("l",) + ("r",) * (len(POINT_HEADER) - 1))


def _card_cell(point: Optional[PRPoint], c: LabelCalibration) -> str:
    if point is None:
        return _unreached(c)
    return f"≥ {point.threshold:.3f}: P {percent(point.precision)} / R {percent(point.recall)}"


def score_card_lines(sets: Dict[str, SetReport], primary: str = "real_dev") -> List[str]:
    """The model card's thresholds table (on the `primary` set) and every set's ECE and diagram."""
    out = ["### Scores and thresholds", ""]
    primary_scores = sets[primary].scores if primary in sets else None
    if primary_scores is None or not primary_scores.scored:
        reason = not_scored(primary_scores) if primary in sets else f"Not scored: no `{primary}` set was evaluated."
        return out + [f"{primary}: {reason}", ""]
    out += [f"Every entity has `ent._.score`, the calibrated probability that its span is right; "
            f"candidates below their label's threshold stay in `doc.spans[\"{CANDIDATES_KEY}\"]`. "
            f"Thresholds and precision / recall (%) on `{primary}`; the default is the configured threshold "
            "(best F1 when none is configured).", ""]
    rows = []
    for label, c in primary_scores.per_label.items():
        points = c.operating_points
        default = points.configured or points.best_f1
        rows.append([label, _card_cell(default, c), _card_cell(points.precision_99, c),
                     _card_cell(points.recall_99, c), _ece(c.ece)])
    out += [markdown_table(["label", "default", "precision ≥ 0.99", "recall ≥ 0.99", "ECE"], rows), ""]
    for name, data in sets.items():
        reason = not_scored(data.scores)
        out.append(f"- {name}: {reason}" if reason else
                   f"- {name}: ECE {_ece(data.scores.micro.ece)} over {data.scores.micro.n_candidates} candidates; "
                   f"reliability diagram `{data.scores.reliability_diagram}`, PR curves `{data.scores.pr_chart}` "
                   "(beside evaluation.json).")
    return out + [""]


def _pyplot():
    import matplotlib

    matplotlib.use("Agg")
    import matplotlib.pyplot as plt

    return plt


def _not_scored_figure(title: str, reason: str, path: PathLike) -> Path:
    plt = _pyplot()
    fig, ax = plt.subplots(figsize=(6, 2))
    ax.axis("off")
    ax.text(0.5, 0.5, f"{title}\n{reason}", ha="center", va="center", wrap=True, fontsize=9)
    return save_figure(fig, path)


def plot_reliability(scores: Optional[ScoreReport], title: str, path: PathLike) -> Path:
    """Accuracy against mean score per bin (counts on the bars), micro and per label, beside the diagonal."""
    reason = not_scored(scores)
    if reason:
        return _not_scored_figure(title, reason, path)
    panels = [("micro", scores.micro)] + [(label, c) for label, c in scores.per_label.items() if c.n_candidates]
    plt = _pyplot()
    fig, axes = plt.subplots(1, len(panels), figsize=(3.2 * len(panels), 3.4), squeeze=False)
    for ax, (name, c) in zip(axes[0], panels):
        filled = [b for b in c.bins if b.count]
        bars = ax.bar([(b.lower + b.upper) / 2 for b in filled], [b.accuracy for b in filled], width=0.09,
                      color=LABEL_COLORS.get(name, "#8fa8c8"), edgecolor="#333333", linewidth=0.5)
        ax.bar_label(bars, labels=[str(b.count) for b in filled], fontsize=6, padding=1)
        ax.plot([b.mean_score for b in filled], [b.accuracy for b in filled], "k.", markersize=4)
        ax.plot([0, 1], [0, 1], "--", color="#999999", linewidth=0.8)
        ax.set_xlim(0, 1)
        ax.set_ylim(0, 1.15)
        ax.set_xlabel("score")
        ax.set_title(f"{name}: ECE {_ece(c.ece)}", fontsize=9)
    axes[0][0].set_ylabel("share correct")
    fig.suptitle(f"{title}: reliability (bar counts = candidates)", fontsize=10)
    return save_figure(fig, path)


def plot_pr_curves(curves: PRCurves, scores: Optional[ScoreReport], title: str, path: PathLike) -> Path:
    """Precision against recall per label (and micro, dashed), the best-F1 point marked."""
    reason = not_scored(scores)
    if reason:
        return _not_scored_figure(title, reason, path)
    plt = _pyplot()
    fig, ax = plt.subplots(figsize=(5.5, 4.5))
    lines = [(label, curve, "-") for label, curve in curves.per_label.items()] + [("micro", curves.micro, "--")]
    for name, curve, style in lines:
        points = [p for p in reversed(curve.points) if p.recall is not None]  # falling threshold, rising recall
        if not points:
            continue
        color = LABEL_COLORS.get(name, "#555555")
        ax.plot([p.recall for p in points], [p.precision for p in points], style, color=color, label=name,
                marker=".", markersize=3, linewidth=1.6)
        best = max(points, key=lambda p: (p.f1, -p.threshold))
        ax.plot([best.recall], [best.precision], "o", color=color, markersize=4)
    ax.set_xlim(0, 1.02)
    ax.set_ylim(0, 1.02)
    ax.set_xlabel("recall (of all gold entities)")
    ax.set_ylabel("precision")
    ax.set_title(f"{title}: precision–recall by threshold (dot: best F1)", fontsize=9)
    ax.legend(loc="lower left", fontsize=7, frameon=False)
    return save_figure(fig, path)


def write_score_files(name: str, scores: Optional[ScoreReport], curves: Optional[PRCurves],
                      output_dir: PathLike) -> Dict[str, Path]:
    """The set's reliability diagram, PR chart and PR points (written even when not scored)."""
    output_dir = Path(output_dir)
    curves = curves or PRCurves(set=name, status=NOT_SCORED)
    names = score_file_names(name)
    return {
        f"reliability_{name}": plot_reliability(scores, name, output_dir / names["reliability_diagram"]),
        f"pr_{name}": plot_pr_curves(curves, scores, name, output_dir / names["pr_chart"]),
        f"pr_{name}_json": curves.save(output_dir / names["pr_curves"]),
    }
