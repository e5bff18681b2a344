"""The span rules of ANNOTATION.md as named checks, each with the problem kind it reports.

One function, `span_problem`, says what is wrong with a labelled span of a text;
the converter's validator, both generators and the tests call it, so a rule is
written once. Checks that need the tokenizer (alignment) or several spans
(overlap) are record-level and live in the validator, which names their kinds here.
"""
import re
from typing import NamedTuple, Optional, Sequence

from .. import patterns  # a module, not its names: patterns imports the scheme's labels
from .edges import has_bad_edge
from .labels import CONTRACT, LABELS, MONEY, PHONE
from .numbers import CURRENCY_SYMBOLS, CURRENCY_WORDS, HANGUL_NUMERALS
from .particles import glued_particle_stack

# Kinds of problem, in the order a report lists them.
MALFORMED_JSON = "malformed_json"
NOT_AN_OBJECT = "not_an_object"
MISSING_FIELD = "missing_field"
BAD_TYPE = "bad_type"
EMPTY_TEXT = "empty_text"
OUT_OF_RANGE = "offset_out_of_range"
EMPTY_SPAN = "empty_span"
REVERSED_SPAN = "reversed_span"
UNKNOWN_LABEL = "unknown_label"
WHITESPACE_EDGE = "whitespace_edge"
PARTICLE_INSIDE = "particle_inside"
BAD_SHAPE = "bad_shape"
OVERLAP = "overlap"
MISALIGNED = "misaligned"
DUPLICATE_TEXT = "duplicate_text"
BAD_ENCODING = "bad_encoding"
LONE_SURROGATE = "lone_surrogate"
TEXT_TOO_LONG = "text_too_long"
TEXT_SPLIT = "text_split"
DUPLICATE_ENTITY = "duplicate_entity"
NO_RECORDS = "no_records"
BAD_VALUE = "bad_value"
VALUE_MISMATCH = "value_mismatch"
BAD_INTENT = "bad_intent"
"""A record's `intent` is not a string or not an intent label: the intent is dropped, the record kept for NER."""
PROBLEM_KINDS = (
    BAD_ENCODING, MALFORMED_JSON, NOT_AN_OBJECT, MISSING_FIELD, BAD_TYPE, LONE_SURROGATE,
    EMPTY_TEXT, TEXT_TOO_LONG, TEXT_SPLIT, OUT_OF_RANGE, EMPTY_SPAN, REVERSED_SPAN,
    UNKNOWN_LABEL, WHITESPACE_EDGE, PARTICLE_INSIDE, BAD_SHAPE, DUPLICATE_ENTITY, OVERLAP,
    MISALIGNED, DUPLICATE_TEXT, BAD_VALUE, VALUE_MISMATCH, BAD_INTENT, NO_RECORDS,
)
RECORD_FATAL = frozenset({BAD_ENCODING, MALFORMED_JSON, NOT_AN_OBJECT, MISSING_FIELD, BAD_TYPE,
                          LONE_SURROGATE, EMPTY_TEXT, TEXT_TOO_LONG, OUT_OF_RANGE, EMPTY_SPAN,
                          REVERSED_SPAN})
"""Problems after which the whole record is skipped: the line cannot be read, the text
cannot be stored or tokenized, or a span cannot be placed (its entity would be learnt
as "outside"). A line that is not UTF-8 (`bad_encoding`) or whose JSON holds a lone
surrogate escape (`lone_surrogate`) cannot be written as UTF-8; a text that is over
the tokenizer's `max_length` and has no whitespace outside entities to cut at is
`text_too_long` (one that has is cut into pieces and reported as `text_split`).
`no_records` is a file-level problem: nothing in the file could be kept.
An entity's given `"value"` that is not a JSON object of its label's shape (`bad_value`)
or differs from the value computed from its surface (`value_mismatch`, ANNOTATION.md
"Values") is dropped; the entity itself is kept."""

_AMOUNT = re.compile(f"[0-9{HANGUL_NUMERALS}]")


class SpanProblem(NamedTuple):
    kind: str
    message: str


def offsets_problem(start: object, end: object, text_length: int) -> Optional[SpanProblem]:
    """Why `(start, end)` cannot be placed in a text of `text_length` characters, or None."""
    if not (isinstance(start, int) and isinstance(end, int)) or isinstance(start, bool) or isinstance(end, bool):
        return SpanProblem(BAD_TYPE, f"start/end must be int: {start!r}, {end!r}")
    if start < 0 or end > text_length or start > text_length:
        return SpanProblem(OUT_OF_RANGE, f"[{start}, {end}) outside text of length {text_length}")
    if start == end:
        return SpanProblem(EMPTY_SPAN, f"empty span at {start}")
    if start > end:
        return SpanProblem(REVERSED_SPAN, f"start {start} > end {end}")
    return None


def label_type_problem(label: object) -> Optional[SpanProblem]:
    """Why `label` cannot be a label at all (not a string), or None."""
    if not isinstance(label, str):
        return SpanProblem(BAD_TYPE, f"label must be a string: {label!r}")
    return None


def shape_problem(label: str, span_text: str) -> Optional[str]:
    """Why a span's text cannot be an entity of `label` per ANNOTATION.md, or None."""
    if label == CONTRACT and not patterns.CONTRACT_REGEX.fullmatch(span_text):
        return "CONTRACT must look like KR-YYYY-NNN"
    if label == PHONE and patterns.WRITTEN_PHONE_CHARS.fullmatch(span_text):
        return patterns.phone_refutation(span_text)
    if label == MONEY:
        has_amount = _AMOUNT.search(span_text)
        has_unit = span_text.endswith(CURRENCY_WORDS) or span_text[:1] in CURRENCY_SYMBOLS
        if not (has_amount and has_unit):
            return "MONEY needs an amount and a currency word or symbol"
    return None


def span_problem(label: str, span_text: str, labels: Sequence[str] = LABELS) -> Optional[SpanProblem]:
    """The first rule a placed span breaks (label, whitespace edge, glued particle, shape), or None."""
    if label not in labels:
        return SpanProblem(UNKNOWN_LABEL, f"unknown label; known: {', '.join(labels)}")
    if has_bad_edge(span_text):
        return SpanProblem(WHITESPACE_EDGE, "whitespace or an invisible character at the edge")
    if glued_particle_stack(span_text):
        return SpanProblem(PARTICLE_INSIDE, "particle inside")
    why = shape_problem(label, span_text)
    if why:
        return SpanProblem(BAD_SHAPE, why)
    return None
