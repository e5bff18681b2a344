"""The human-readable evaluation: evaluation.md, the F1 chart, displaCy error pages, the console summary.

Value accuracy, entity scores, redaction and intent have their own views in `value_rendering`,
`score_rendering`, `redaction_rendering` and `intent_rendering`; this module places them.

`write_evaluation_report` writes them all beside evaluation.json.
"""
import html
import random
from pathlib import Path
from typing import Dict, Iterable, List, Optional, Sequence, Union

from spacy import displacy
from wasabi import msg

from ...displacy import LABEL_COLORS
from ..reporting import markdown_table, percent, save_figure
from ..reports import EvaluationReport, LabelScores, SeqevalScores, SetReport
from .entities import Entity
from .scoring import SetEvaluation
from .score_rendering import print_score_summary, score_markdown, write_score_files
from .redaction_rendering import print_redaction_summary, redaction_markdown
from .intent_rendering import intent_confusion_name, intent_markdown, plot_intent_confusion, print_intent_summary
from .value_rendering import print_value_summary, value_markdown

PathLike = Union[str, Path]


def per_label_rows(seqeval_scores: SeqevalScores, labels: Sequence[str]) -> List[list]:
    """Rows label, P, R, F1, support (percentages) plus the micro and macro averages."""
    def row(name: str, values: Optional[LabelScores]) -> list:
        if values is None:
            return [name, "–", "–", "–", 0]
        return [name, percent(values.precision), percent(values.recall), percent(values.f1), values.support]

    rows = [row(label, seqeval_scores.per_label.get(label)) for label in labels]
    return rows + [row(f"*{average}*", seqeval_scores.row(average)) for average in ("micro", "macro")]


def _gold_to_pred(example: dict) -> str:
    return f"{example['gold'] or '∅'} → {example['pred'] or '∅'}"


def _summary_table(report: EvaluationReport) -> str:
    return markdown_table(
        ["set", "docs", "gold entities", "P", "R", "F1 (seqeval)", "F1 (spaCy)", "scorers agree"],
        [[name, d.n_docs, d.n_gold, percent(d.seqeval.micro.precision), percent(d.seqeval.micro.recall),
          percent(d.seqeval.micro.f1), percent(d.spacy.get("ents_f")), "yes" if d.agreement.agree else "**NO**"]
         for name, d in report.sets.items()],
    )


def _set_section(report: EvaluationReport, name: str, data: SetReport, html_file: Optional[str]) -> List[str]:
    """One set's part of evaluation.md: per-label scores, error breakdown, top errors."""
    errors = data.errors
    out = [f"## {name}" + (f" (`{data.path}`)" if data.path else ""), ""]
    if not data.agreement.agree:
        out += [f"**Warning: spaCy and seqeval disagree** (micro diff "
                f"{data.agreement.micro_max_abs_diff:.2e}); these scores are not trustworthy.", ""]
    out += ["### Per label (seqeval, strict IOB2)", "",
            markdown_table(["label", "P", "R", "F1", "support"], per_label_rows(data.seqeval, report.labels)), ""]
    out += value_markdown(data.values)
    out += score_markdown(data.scores)
    out += redaction_markdown(data.redaction)
    intents = getattr(data, "intents", None)
    out += intent_markdown(intents, intent_confusion_name(name) if intents is not None and intents.n else None)
    out += [
        "### Error breakdown", "",
        f"{errors.correct} of {errors.n_gold} gold entities found exactly; "
        f"{errors.docs_with_errors} of {data.n_docs} docs have at least one error; "
        f"{errors.ignored_predictions} predictions ignored (over text whose gold annotation is unknown).",
        "",
        markdown_table(["category"] + list(report.labels) + ["total"], [
            [category] + [errors.by_label.get(label, {}).get(category, 0) for label in report.labels]
            + [errors.counts[category]]
            for category in report.error_categories
        ]),
        "",
        "Boundary errors by subtype:",
        "",
        markdown_table(["subtype", "count"], [[s, errors.boundary[s]] for s in report.boundary_subtypes]),
        "",
        "### Top errors",
        "",
    ]
    if data.top_errors:
        out.append(markdown_table(
            ["count", "error", "label", "pattern", "gold → predicted", "context"],
            [[e["count"], e["category"] + (f" ({e['subtype']})" if e["subtype"] else ""), e["label"],
              f"`{e['pattern']}`", _gold_to_pred(e["examples"][0]), e["examples"][0]["context"]]
             for e in data.top_errors],
        ))
    else:
        out.append("No errors.")
    out.append("")
    if html_file:
        out += [f"A sample of the error docs, gold against predicted: [{html_file}]({html_file}).", ""]
    return out


def render_markdown(report: EvaluationReport, *, chart: Optional[str] = "f1_per_label.png",
                    html_files: Optional[Dict[str, str]] = None) -> str:
    """The human-readable report (evaluation.md)."""
    html_files = html_files or {}
    pipeline = report.pipeline
    out = [f"# Evaluation of `{pipeline.name}` {pipeline.version or ''}".rstrip(), ""]
    if report.model:
        out += [f"Pipeline loaded from `{report.model}`; components: "
                + ", ".join(f"`{c}`" for c in pipeline.components) + ".", ""]
    out += [
        "Scores are exact-span entity scores: seqeval (strict IOB2) and spaCy's scorer, which must agree. "
        "The synthetic test split measures how well the synthetic task was learnt; "
        "the hand-labelled realistic set is the better estimate for real calls.",
        "",
        "## Summary",
        "",
        _summary_table(report),
        "",
    ]
    if chart:
        out += [f"![F1 per label]({chart})", ""]
    for name, data in report.sets.items():
        out += _set_section(report, name, data, html_files.get(name))
    return "\n".join(out)


def plot_f1_per_label(report: EvaluationReport, path: PathLike) -> Path:
    """Grouped bar chart: per-label (and micro) F1, one bar per set."""
    import matplotlib

    matplotlib.use("Agg")
    import matplotlib.pyplot as plt

    labels = list(report.labels) + ["micro"]
    names = list(report.sets)
    width = 0.8 / max(1, len(names))
    fig, ax = plt.subplots(figsize=(1.6 * len(labels) + 2, 4))
    for i, name in enumerate(names):
        seq = report.sets[name].seqeval
        values = [seq.row(label).f1 if seq.row(label) is not None else float("nan") for label in labels]
        positions = [x + (i - (len(names) - 1) / 2) * width for x in range(len(labels))]
        bars = ax.bar(positions, values, width, label=name)
        ax.bar_label(bars, labels=["" if v != v else f"{v:.2f}" for v in values], fontsize=7, padding=2)
    ax.set_xticks(range(len(labels)), labels)
    ax.set_ylim(0, 1.2)
    ax.set_ylabel("F1 (seqeval strict)")
    ax.set_title(f"{report.pipeline.name}: F1 per label")
    ax.legend(loc="upper center", ncol=max(1, len(names)), frameon=False)
    return save_figure(fig, path)


def _ents_for_displacy(entities: Iterable[Entity], suffix: str = "") -> List[dict]:
    return [{"start": e.start_char, "end": e.end_char, "label": e.label + suffix}
            for e in sorted(entities, key=lambda e: e.start_char)]


def render_error_html(result: SetEvaluation, *, sample_size: int = 40, seed: int = 0) -> str:
    """A displaCy page with a seeded sample of error docs: gold, then predicted, per doc."""
    with_errors = [doc for doc in result.docs if doc.errors]
    sample = sorted(random.Random(seed).sample(with_errors, min(sample_size, len(with_errors))),
                    key=lambda d: d.index)
    parsed = []
    for doc in sample:
        described = "; ".join(
            f"{e['category']}{' (' + e['subtype'] + ')' if e['subtype'] else ''} {e['label']}" for e in doc.errors
        )
        parsed.append({"text": doc.text, "ents": _ents_for_displacy(doc.gold),
                       "title": html.escape(f"{result.name} #{doc.index} · gold")})
        predicted = _ents_for_displacy(doc.predicted) + _ents_for_displacy(doc.ignored, " (unscored)")
        parsed.append({"text": doc.text, "ents": sorted(predicted, key=lambda e: e["start"]),
                       "title": html.escape(f"{result.name} #{doc.index} · predicted — {described}")})
    if not parsed:
        parsed.append({"text": "No errors in this set.", "ents": [], "title": html.escape(result.name)})
    colors = dict(LABEL_COLORS)
    colors.update({f"{label} (unscored)": "#dddddd" for label in LABEL_COLORS})
    return displacy.render(parsed, style="ent", manual=True, page=True, jupyter=False,
                           options={"colors": colors})


def write_evaluation_report(report: EvaluationReport, results: Dict[str, SetEvaluation], output_dir: PathLike, *,
                            sample_size: int = 40, seed: int = 0) -> Dict[str, Path]:
    """Write evaluation.json, evaluation.md, f1_per_label.png, errors_<set>.html and, per set,
    reliability_<set>.png, pr_<set>.png, pr_<set>.json and, for a pipeline with an intent textcat
    and a set with gold intents, intent_confusion_<set>.png."""
    output_dir = Path(output_dir)
    output_dir.mkdir(parents=True, exist_ok=True)
    paths = {"json": report.save(output_dir / "evaluation.json"), "markdown": output_dir / "evaluation.md"}
    paths["chart"] = plot_f1_per_label(report, output_dir / "f1_per_label.png")
    html_files = {}
    for name, result in results.items():
        html_path = output_dir / f"errors_{name}.html"
        html_path.write_text(render_error_html(result, sample_size=sample_size, seed=seed), encoding="utf8")
        paths[f"errors_{name}"] = html_path
        html_files[name] = html_path.name
        paths.update(write_score_files(name, result.scores, result.pr_curves, output_dir))
        if result.intents is not None and result.intents.n:
            paths[f"intent_confusion_{name}"] = plot_intent_confusion(
                result.intents, output_dir / intent_confusion_name(name), title=f"intent confusion: {name}")
    paths["markdown"].write_text(
        render_markdown(report, chart=paths["chart"].name, html_files=html_files), encoding="utf8"
    )
    return paths


def print_summary(report: EvaluationReport) -> None:
    """A short console summary of every set."""
    for name, data in report.sets.items():
        msg.divider(f"{name}: {data.n_docs} docs, {data.n_gold} gold entities")
        msg.table(per_label_rows(data.seqeval, report.labels),
                  header=("label", "P", "R", "F1", "support"), aligns=("l", "r", "r", "r", "r"))
        errors = data.errors
        msg.table(
            [(c, errors.counts[c]) for c in report.error_categories]
            + [(f"  boundary: {s}", errors.boundary[s]) for s in report.boundary_subtypes],
            header=("error", "count"), aligns=("l", "r"),
        )
        print_value_summary(data.values)
        print_score_summary(data.scores)
        print_redaction_summary(data.redaction)
        print_intent_summary(getattr(data, "intents", None))
        agreement = data.agreement
        if agreement.agree:
            msg.good(f"spaCy and seqeval agree (micro F1 {percent(data.seqeval.micro.f1)})")
        else:
            msg.fail(f"spaCy and seqeval DISAGREE: spaCy {agreement.spacy_micro}, "
                     f"seqeval {agreement.seqeval_micro}")
