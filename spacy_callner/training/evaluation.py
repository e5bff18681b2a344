"""Where the pipeline fails, per evaluation set: scores, error breakdown, reports.

A single F1 on synthetic test data hides how the pipeline behaves on real calls,
so every set (the synthetic test split, the hand-labelled realistic dev set) is
scored and reported separately, twice: with spaCy's scorer and with seqeval's
strict IOB2 entity matching. Both count exact spans, so their micro P/R/F must
agree; a disagreement means the evaluation itself is broken and is reported loudly.

Predictions are projected onto the gold tokenization by character offsets
(expanding to whole gold tokens, as spaCy's alignment does), and a prediction
over tokens whose gold annotation is unknown (a span dropped in conversion) is
ignored, as spaCy's scorer ignores it. Errors are then put into one category each:

* ``missed``: a gold entity no prediction overlaps;
* ``spurious``: a prediction that overlaps no gold entity;
* ``wrong_label``: same span, different label;
* ``wrong_boundary``: overlapping, same label, different edges, with a subtype:
  ``swallowed_particle`` / ``swallowed_modifier`` / ``swallowed_other`` (the
  prediction is longer and the extra text is a particle such as ``로``, a
  modifier such as ``약`` or ``정도``, or something else), ``cut`` (shorter), or
  ``shifted`` (longer on one side, shorter on the other);
* ``wrong_label_and_boundary``: overlapping, different label and edges.
"""
import html
import random
from collections import Counter, defaultdict
from dataclasses import dataclass, field
from pathlib import Path
from typing import Dict, Iterable, List, Optional, Sequence, Tuple, Union

import srsly
from seqeval.metrics import classification_report
from seqeval.scheme import IOB2
from spacy import displacy
from spacy.language import Language
from spacy.scorer import Scorer, get_ner_prf
from spacy.tokens import Doc, DocBin
from spacy.training import Example
from wasabi import msg

from ..scheme import MONEY_MODIFIERS, is_particle_stack
from .data import make_doc, read_annotated_jsonl
from ..scheme.labels import LABELS
from .reporting import markdown_table, percent, save_figure
from .reports import (
    Agreement, ErrorBreakdown, EvaluationReport, LabelScores, PipelineInfo, SeqevalScores, SetReport,
)

PathLike = Union[str, Path]

MISSED = "missed"
SPURIOUS = "spurious"
WRONG_LABEL = "wrong_label"
WRONG_BOUNDARY = "wrong_boundary"
WRONG_LABEL_AND_BOUNDARY = "wrong_label_and_boundary"
ERROR_CATEGORIES = (MISSED, SPURIOUS, WRONG_LABEL, WRONG_BOUNDARY, WRONG_LABEL_AND_BOUNDARY)

SWALLOWED_PARTICLE = "swallowed_particle"
SWALLOWED_MODIFIER = "swallowed_modifier"
SWALLOWED_OTHER = "swallowed_other"
CUT = "cut"
SHIFTED = "shifted"
BOUNDARY_SUBTYPES = (SWALLOWED_PARTICLE, SWALLOWED_MODIFIER, SWALLOWED_OTHER, CUT, SHIFTED)

AGREEMENT_TOLERANCE = 1e-6
CONTEXT_CHARS = 25
LABEL_COLORS = {
    "PHONE": "#7aecec",
    "MONEY": "#e4e7d2",
    "PRODUCT": "#bfeeb7",
    "CONTRACT": "#feca74",
}


@dataclass(frozen=True)
class Entity:
    """An entity by character offsets, with its gold-token offsets for IOB2 tags."""

    start_char: int
    end_char: int
    label: str
    start: int
    end: int

    @property
    def key(self) -> Tuple[int, int, str]:
        return (self.start_char, self.end_char, self.label)

    def overlaps(self, other: "Entity") -> bool:
        return self.start_char < other.end_char and other.start_char < self.end_char

    def to_json(self, text: str) -> dict:
        return {"start": self.start_char, "end": self.end_char, "label": self.label,
                "text": text[self.start_char:self.end_char]}


@dataclass
class ScoredDoc:
    """One example after prediction: what was scored, what was ignored, what went wrong."""

    index: int
    text: str
    n_tokens: int
    gold: List[Entity]
    predicted: List[Entity]
    ignored: List[Entity] = field(default_factory=list)
    errors: List[dict] = field(default_factory=list)

    def tags(self, entities: Sequence[Entity]) -> List[str]:
        """IOB2 tags over the gold tokens; an entity that overlaps an earlier one is left out."""
        tags = ["O"] * self.n_tokens
        for ent in entities:
            if any(tag != "O" for tag in tags[ent.start:ent.end]):
                continue
            tags[ent.start] = f"B-{ent.label}"
            for i in range(ent.start + 1, ent.end):
                tags[i] = f"I-{ent.label}"
        return tags


@dataclass
class SetEvaluation:
    """Scores and errors of one evaluation set."""

    name: str
    path: Optional[str]
    docs: List[ScoredDoc]
    spacy: dict
    seqeval: dict
    agreement: dict

    @property
    def errors(self) -> List[dict]:
        return [error for doc in self.docs for error in doc.errors]

    def to_report(self, *, top_n: int = 20, max_errors: int = 1000) -> SetReport:
        """The set's part of evaluation.json; of spaCy's scores only the entity and token ones."""
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
        )


# ------------------------------------------------------------------ loading


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


# ------------------------------------------------------------------ scoring


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
        span = gold_doc.char_span(ent.start_char, ent.end_char, alignment_mode="expand")
        if span is None or not span.text.strip():
            continue
        projected = Entity(span.start_char, span.end_char, ent.label_, span.start, span.end)
        if any(token.ent_iob == 0 for token in span):
            ignored.append(projected)
        else:
            predicted.append(projected)
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


# ------------------------------------------------------------------ errors


def is_particle_chain(text: str) -> bool:
    """Whether `text` is one or more stacked particles/endings (`에서도`, `번이요`)."""
    return is_particle_stack(text)


def _is_modifier_word(word: str) -> bool:
    return any(word == m or (word.startswith(m) and is_particle_chain(word[len(m):])) for m in MONEY_MODIFIERS)


def swallowed_kind(left_extra: str, right_extra: str) -> str:
    """What a too-long prediction took in: a modifier, a particle, or something else."""
    left_words, right_words = left_extra.split(), right_extra.split()
    if (left_words and _is_modifier_word(left_words[-1])) or (right_words and _is_modifier_word(right_words[0])):
        return SWALLOWED_MODIFIER
    pieces = [piece.strip() for piece in (left_extra, right_extra) if piece.strip()]
    if pieces and all(is_particle_chain(piece) for piece in pieces):
        return SWALLOWED_PARTICLE
    return SWALLOWED_OTHER


def boundary_subtype(text: str, gold: Entity, pred: Entity) -> Tuple[str, str]:
    """The subtype of a boundary error and a readable signature of its edges."""
    left_extra = text[pred.start_char:gold.start_char]
    right_extra = text[gold.end_char:pred.end_char]
    left_cut = text[gold.start_char:pred.start_char]
    right_cut = text[pred.end_char:gold.end_char]
    edges = []
    if left_extra:
        edges.append(f"+{left_extra!r} before")
    if left_cut:
        edges.append(f"-{left_cut!r} at start")
    if right_cut:
        edges.append(f"-{right_cut!r} at end")
    if right_extra:
        edges.append(f"+{right_extra!r} after")
    signature = ", ".join(edges)
    swallowed = bool(left_extra or right_extra)
    cut = bool(left_cut or right_cut)
    if swallowed and cut:
        return SHIFTED, signature
    if cut:
        return CUT, signature
    return swallowed_kind(left_extra, right_extra), signature


def _context(text: str, start: int, end: int) -> str:
    left = text[max(0, start - CONTEXT_CHARS):start]
    right = text[end:end + CONTEXT_CHARS]
    before = "…" if start > CONTEXT_CHARS else ""
    after = "…" if end + CONTEXT_CHARS < len(text) else ""
    return f"{before}{left}[{text[start:end]}]{right}{after}"


def _error(doc: ScoredDoc, category: str, gold: Optional[Entity], pred: Optional[Entity],
           subtype: Optional[str] = None, pattern: Optional[str] = None) -> dict:
    spans = [e for e in (gold, pred) if e is not None]
    start, end = min(e.start_char for e in spans), max(e.end_char for e in spans)
    label = gold.label if gold is not None else pred.label
    if pattern is None:
        if category == MISSED:
            pattern = gold.to_json(doc.text)["text"]
        elif category == SPURIOUS:
            pattern = pred.to_json(doc.text)["text"]
        else:
            pattern = f"{gold.label} → {pred.label}: {pred.to_json(doc.text)['text']}"
    return {
        "doc": doc.index,
        "category": category,
        "subtype": subtype,
        "label": label,
        "gold": gold.to_json(doc.text) if gold is not None else None,
        "pred": pred.to_json(doc.text) if pred is not None else None,
        "pattern": pattern,
        "context": _context(doc.text, start, end),
    }


def classify_errors(doc: ScoredDoc) -> List[dict]:
    """One error per unmatched gold or predicted entity; see the module docstring."""
    gold_left = list(doc.gold)
    pred_left = list(doc.predicted)
    for gold in list(gold_left):
        match = next((p for p in pred_left if p.key == gold.key), None)
        if match is not None:
            gold_left.remove(gold)
            pred_left.remove(match)
    errors = []
    for gold in list(gold_left):
        match = next((p for p in pred_left if (p.start_char, p.end_char) == (gold.start_char, gold.end_char)), None)
        if match is not None:
            errors.append(_error(doc, WRONG_LABEL, gold, match))
            gold_left.remove(gold)
            pred_left.remove(match)
    for gold in list(gold_left):
        candidates = [p for p in pred_left if p.overlaps(gold)]
        if not candidates:
            continue
        match = max(candidates, key=lambda p: (
            p.label == gold.label,
            min(p.end_char, gold.end_char) - max(p.start_char, gold.start_char),
        ))
        if match.label == gold.label:
            subtype, signature = boundary_subtype(doc.text, gold, match)
            errors.append(_error(doc, WRONG_BOUNDARY, gold, match, subtype, f"{gold.label} {signature}"))
        else:
            errors.append(_error(doc, WRONG_LABEL_AND_BOUNDARY, gold, match))
        gold_left.remove(gold)
        pred_left.remove(match)
    errors.extend(_error(doc, MISSED, gold, None) for gold in gold_left)
    errors.extend(_error(doc, SPURIOUS, None, pred) for pred in pred_left)
    return sorted(errors, key=lambda e: (e["gold"] or e["pred"])["start"])


def error_breakdown(docs: Sequence[ScoredDoc]) -> dict:
    """Counts per error category, per boundary subtype and per label."""
    errors = [error for doc in docs for error in doc.errors]
    categories = Counter(e["category"] for e in errors)
    subtypes = Counter(e["subtype"] for e in errors if e["category"] == WRONG_BOUNDARY)
    by_label: Dict[str, Counter] = defaultdict(Counter)
    for error in errors:
        by_label[error["label"]][error["category"]] += 1
    n_gold = sum(len(d.gold) for d in docs)
    n_wrong_gold = sum(categories[c] for c in ERROR_CATEGORIES if c != SPURIOUS)
    return {
        "n_gold": n_gold,
        "n_pred": sum(len(d.predicted) for d in docs),
        "correct": n_gold - n_wrong_gold,
        "ignored_predictions": sum(len(d.ignored) for d in docs),
        "docs_with_errors": sum(1 for d in docs if d.errors),
        "counts": {c: categories[c] for c in ERROR_CATEGORIES},
        "boundary": {s: subtypes[s] for s in BOUNDARY_SUBTYPES},
        "by_label": {label: {c: counts[c] for c in ERROR_CATEGORIES} for label, counts in sorted(by_label.items())},
    }


def top_errors(docs: Sequence[ScoredDoc], n: int = 20, examples_per_error: int = 3) -> List[dict]:
    """The most frequent error patterns, each with a few contexts."""
    groups: Dict[tuple, List[dict]] = {}
    for error in (e for doc in docs for e in doc.errors):
        key = (error["category"], error["subtype"], error["label"], error["pattern"])
        groups.setdefault(key, []).append(error)
    ranked = sorted(groups.items(), key=lambda item: -len(item[1]))[:n]
    return [
        {
            "category": category,
            "subtype": subtype,
            "label": label,
            "pattern": pattern,
            "count": len(errors),
            "examples": [
                {"doc": e["doc"], "gold": (e["gold"] or {}).get("text"), "pred": (e["pred"] or {}).get("text"),
                 "context": e["context"]}
                for e in errors[:examples_per_error]
            ],
        }
        for (category, subtype, label, pattern), errors in ranked
    ]


# ------------------------------------------------------------------ evaluation


def evaluate_examples(nlp: Language, examples: Sequence[Example], *, name: str = "eval",
                      path: Optional[PathLike] = None) -> SetEvaluation:
    """Score predicted examples with spaCy and seqeval and break down the errors."""
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
    return SetEvaluation(name, str(path) if path is not None else None, docs, spacy_scores, seqeval_scores, agreement)


def evaluate_set(nlp: Language, path: PathLike, *, name: Optional[str] = None, batch_size: int = 64) -> SetEvaluation:
    """Load the gold docs at `path`, predict with `nlp` and evaluate."""
    gold_docs = load_gold_docs(nlp, path)
    return evaluate_examples(nlp, predict(nlp, gold_docs, batch_size=batch_size),
                             name=name or Path(path).stem, path=path)


def evaluate_sets(nlp: Language, sets: Dict[str, PathLike], *, batch_size: int = 64) -> Dict[str, SetEvaluation]:
    return {name: evaluate_set(nlp, path, name=name, batch_size=batch_size) for name, path in sets.items()}


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


# ------------------------------------------------------------------ rendering


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
    """Write evaluation.json, evaluation.md, f1_per_label.png and errors_<set>.html."""
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
        agreement = data.agreement
        if agreement.agree:
            msg.good(f"spaCy and seqeval agree (micro F1 {percent(data.seqeval.micro.f1)})")
        else:
            msg.fail(f"spaCy and seqeval DISAGREE: spaCy {agreement.spacy_micro}, "
                     f"seqeval {agreement.seqeval_micro}")
