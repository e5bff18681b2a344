"""Value accuracy for people: evaluation.md's "Values" part, the console table, the model card's table.

Kept apart from `values`, which computes `..quality_reports.ValueScores`; every view
here reads only the report, so the card renders the same from evaluation.json.
A set whose values were not measured gets a sentence saying why, never a 0.
"""
import json
from typing import Dict, List, Optional, Sequence

from wasabi import msg

from ..reporting import markdown_table, percent
from ..quality_reports import NO_GOLD_VALUES, NO_VALUES_COMPONENT, LabelValueScores, ValueScores
from ..reports import SetReport
from .values import VALUES_FACTORY

STATUS_SENTENCES = {
    NO_VALUES_COMPONENT: f"the pipeline has no values component (`{VALUES_FACTORY}`), "
                         "so its entities carry no `ent._.value`",
    NO_GOLD_VALUES: "the gold data of this set has no values",
}
DETAIL_HEADER = ["label", "gold with value", "found exactly", "compared", "correct", "accuracy",
                 "no value predicted", "no gold value"]


def not_measured(values: Optional[ValueScores]) -> Optional[str]:
    """Why a set's values were not measured, as a sentence; None when they were."""
    if values is None:
        return "Not measured: this report was written before value evaluation existed."
    if values.scored:
        return None
    return f"Not measured: {STATUS_SENTENCES.get(values.status, values.status)}."


def _show(value: Optional[dict]) -> str:
    return "∅" if value is None else json.dumps(value, ensure_ascii=False, sort_keys=True)


def value_rows(values: ValueScores) -> List[list]:
    """One row per label, one per field compared alone (`PRODUCT name`), and the total."""
    def row(name: str, scores: LabelValueScores) -> list:
        return [name, scores.n_gold_with_value, scores.n_exact, scores.n_compared, scores.n_correct,
                percent(scores.accuracy), scores.n_missing, scores.n_no_gold_value]

    rows = []
    for label, scores in values.per_label.items():
        rows.append(row(label, scores))
        for field, accuracy in scores.fields.items():
            rows.append([f"{label} {field}", "", "", scores.n_compared, accuracy.n_correct,
                         percent(accuracy.accuracy), "", ""])
    return rows + [row("*all*", values.total)]


def value_markdown(values: Optional[ValueScores], *, max_failures: int = 20) -> List[str]:
    """A set's "Values" part of evaluation.md: accuracy per label, why values are missing, failures."""
    out = ["### Values", ""]
    reason = not_measured(values)
    if reason:
        return out + [reason, ""]
    out += ["Normalised values (ANNOTATION.md, Values) of the gold entities found exactly, "
            "compared with the gold value; PRODUCT `name` and `brand` also alone.", "",
            markdown_table(DETAIL_HEADER, value_rows(values)), ""]
    reasons = values.total.missing_reasons
    if reasons:
        out += ["No value predicted, by reason: "
                + "; ".join(f"{reason} ({n})" for reason, n in reasons.items()) + ".", ""]
    if not values.failures:
        return out + ["No value failures.", ""]
    shown = values.failures[:max_failures]
    out += [f"Value failures ({len(shown)} of {len(values.failures)}"
            + (", more in evaluation.json" if len(values.failures) > len(shown) or values.failures_truncated
               else "") + "):", "",
            markdown_table(["label", "text", "gold", "predicted"], [
                [f.label, f"`{f.text}`", _show(f.gold), _show(f.pred) if f.pred is not None else f"∅ ({f.error})"]
                for f in shown
            ]), ""]
    return out


def print_value_summary(values: Optional[ValueScores]) -> None:
    """The console view of a set's value accuracy."""
    reason = not_measured(values)
    if reason:
        msg.info(f"Values: {reason}")
        return
    msg.table(value_rows(values), header=DETAIL_HEADER, aligns=("l",) + ("r",) * (len(DETAIL_HEADER) - 1))


def _cell(accuracy: Optional[float], n: int) -> str:
    return "–" if accuracy is None else f"{percent(accuracy)} ({n})"


def value_card_lines(sets: Dict[str, SetReport], labels: Sequence[str]) -> List[str]:
    """The model card's "Values" table: accuracy (n compared) per label and set, and unmeasured sets."""
    out = ["### Values", ""]
    scored = {name: data.values for name, data in sets.items() if data.values is not None and data.values.scored}
    notes = [f"{name}: {not_measured(data.values)}" for name, data in sets.items() if name not in scored]
    if not scored:
        return out + ["Value accuracy was not measured for this build."] + [f"- {note}" for note in notes] + [""]
    out += ["`ent._.value` accuracy (%, with the number compared) on the gold entities found exactly; "
            "PRODUCT `name` and `brand` are also compared alone.", ""]
    rows = []
    for label in list(labels) + sorted({lab for v in scored.values() for lab in v.per_label} - set(labels)):
        per_set = [values.per_label.get(label) for values in scored.values()]
        if all(scores is None for scores in per_set):
            continue
        rows.append([label] + [_cell(s.accuracy, s.n_compared) if s else "–" for s in per_set])
        for field in dict.fromkeys(f for s in per_set if s for f in s.fields):
            rows.append([f"{label} {field}"] + [
                _cell(s.fields[field].accuracy, s.n_compared) if s and field in s.fields else "–"
                for s in per_set])
    rows.append(["*all*"] + [_cell(v.total.accuracy, v.total.n_compared) for v in scored.values()])
    out += [markdown_table(["label"] + list(scored), rows), ""]
    return out + ([f"- {note}" for note in notes] + [""] if notes else [])
