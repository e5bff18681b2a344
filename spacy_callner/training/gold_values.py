"""Gold values in the data: a given entity value checked against the value of its surface.

The JSONL format's optional `"value"` per entity (ANNOTATION.md, "Values") is kept only
when it is what `compute_value` reads from the span; a wrong one is reported
(`bad_value`, `value_mismatch`) and dropped while the entity stays, so a typo in a value
never costs a span and never passes silently.
"""
import json
from typing import Any, Dict, List, Optional, Sequence, Tuple

from ..scheme import PRODUCT
from ..scheme.rules import BAD_VALUE, VALUE_MISMATCH, SpanProblem, label_type_problem, offsets_problem
from ..values import compute_value
from .reports import Problem

CharSpan = Tuple[int, int, str]
Value = Dict[str, Any]
PRODUCT_VALUE_KEYS = frozenset({"brand", "name"})


def checked_values(
    text: str, entities: Sequence[dict], kept: List[CharSpan], problems: List[Problem], source: str
) -> Dict[CharSpan, Value]:
    """The given values of kept entities that agree with their surfaces; the others reported
    (appended to `problems`) and dropped. An entity listed twice keeps its first value."""
    kept_spans = set(kept)
    values: Dict[CharSpan, Value] = {}
    for i, ent in enumerate(entities):
        if not isinstance(ent, dict) or ent.get("value") is None:
            continue
        start, end, label = ent.get("start"), ent.get("end"), ent.get("label")
        if offsets_problem(start, end, len(text)) is not None or label_type_problem(label) is not None:
            continue
        span = (start, end, label)
        if span not in kept_spans or span in values:
            continue
        wrong = gold_value_problem(label, text[start:end], ent["value"])
        if wrong is None:
            values[span] = ent["value"]
            continue
        described = f"{label} [{start}, {end}) {text[start:end]!r}"
        problems.append(Problem(wrong.kind, f"{source} entity {i}",
                                f"{wrong.message}; value dropped, entity kept: {described}"))
    return values


def _as_json(value: object) -> str:
    """One spelling per JSON value, so 15000 and 15000.0 (or true and 1) differ as JSON does."""
    return json.dumps(value, sort_keys=True, ensure_ascii=False)


def gold_value_problem(label: str, surface: str, given: object) -> Optional[SpanProblem]:
    """Why `given` is not the value of an entity `label` with text `surface`, or None when it is.

    A PRODUCT whose value cannot be computed keeps a given value of the right shape;
    every other value must equal `compute_value`'s.
    """
    if not isinstance(given, dict):
        return SpanProblem(BAD_VALUE, f"value must be a JSON object, given {_as_json(given)}")
    computed = compute_value(label, surface)
    if computed.value is None and label == PRODUCT:
        if set(given) == PRODUCT_VALUE_KEYS and all(v is None or isinstance(v, str) for v in given.values()):
            return None
        return SpanProblem(BAD_VALUE, f'PRODUCT value must be {{"brand": str|null, "name": str|null}}, '
                                      f"given {_as_json(given)}")
    if computed.value is None:
        return SpanProblem(VALUE_MISMATCH, f"given {_as_json(given)}, computed none ({computed.error})")
    if _as_json(given) != _as_json(computed.value):
        return SpanProblem(VALUE_MISMATCH, f"given {_as_json(given)}, computed {_as_json(computed.value)}")
    return None
