"""The error taxonomy: every unmatched gold or predicted entity gets one category.

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
from collections import Counter, defaultdict
from typing import Dict, List, Optional, Sequence, Tuple

from ...scheme import MONEY_MODIFIERS, is_particle_stack
from .entities import Entity, ScoredDoc

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
CONTEXT_CHARS = 25


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
