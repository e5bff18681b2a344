"""Surface text → character offsets: the LLM-specific half of annotating a reply.

LLMs get character offsets wrong, so the model names each entity only by its
surface text and label. This module finds each surface in the utterance
(repeated surfaces map to successive occurrences), trims what ANNOTATION.md
keeps outside a span with the scheme's word lists (money modifiers, product
attributes, attached particles), and hands the placed spans to the converter's
validator, `spacy_callner.training.data.validate_entities`, for every span rule
(label, whitespace, particle inside, shape, token alignment, overlap). What is
checked here is only what the validator cannot know: a surface that is not in
the text, and an entity the model forgot to list. An utterance with a problem
is rejected with a reason, never written with a span silently dropped (that
would teach its tokens as "not an entity").

Each placed entity then gets its value from its surface (`compute_value`,
ANNOTATION.md "Values"), written as the entity's `"value"`. A PHONE, MONEY or
CONTRACT whose value cannot be computed is no entity of that label, so its
utterance is rejected (`no_value`); a PRODUCT without a value is kept without one.

The model also names each utterance's call intent (corpus/INTENTS.md);
`annotate_reply_item` rejects an utterance whose intent is missing
(`missing_intent`) or not a label (`unknown_intent`) and writes a kept one as the
record's `"intent"`, after its entities.
"""
import re
from collections import Counter
from dataclasses import dataclass, field
from functools import lru_cache
from typing import Any, Dict, Iterable, List, Optional, Sequence, Tuple

from spacy.language import Language

from ...scheme import (
    CAPACITY_REGEX, CONTRACT, LABELS, MONEY, MONEY_PERIOD_WORDS, MONEY_PREFIX_MODIFIERS,
    MONEY_SUFFIX_MODIFIERS, PHONE, PRODUCT, SPOKEN_DIGITS, glued_particle_stack, is_particle_stack,
    particle_stack_starts, product_attribute_phrases,
)
from ...patterns import find_contract_spans, find_phone_spans
from ...scheme.intents import INTENT_LABELS, is_intent
from ...scheme.rules import BAD_TYPE, EMPTY_SPAN, MISSING_FIELD, NOT_AN_OBJECT, OVERLAP
from ...values import compute_value
from ...values.product_kb import hangul_product_names
from ..data import AnnotatedText, unusable_text_problem, validate_entities
from .search import TokenBounds, occurrences, spacing_insensitive_occurrences

# Reasons an utterance is rejected, beyond the validator's problem kinds.
SURFACE_NOT_FOUND = "surface_not_found"
UNLABELLED_ENTITY = "unlabelled_entity"
NO_VALUE = "no_value"
MISSING_INTENT = "missing_intent"
UNKNOWN_INTENT = "unknown_intent"

VALUE_REQUIRED_LABELS = (PHONE, MONEY, CONTRACT)
"""Labels whose entity must have a value: a span whose number, amount or ID cannot be read is not one."""

# Product words that end like a particle (`프로` = 프 + 로), kept whole; the catalogue adds its own.
PROTECTED_PRODUCT_WORDS = ("프로", "닌텐도", "코웨이", "앨라이")
EDGE_PUNCTUATION = "\"'“”‘’「」『』《》<>.,!?~…:;·"
SPOKEN_GROUP_DIGITS = 4
HANGUL_END = re.compile(r"[가-힣]$")

Offsets = Tuple[int, int]
PlacedSpan = Tuple[int, int, Any]


@dataclass
class Annotation:
    """The outcome for one utterance: a record to write, or the reason it is rejected."""

    record: Optional[Dict[str, Any]] = None
    reason: Optional[str] = None
    detail: str = ""
    fixes: Counter = field(default_factory=Counter)


@dataclass
class WantedSurface:
    """One entity as the model listed it, cleaned: the surface to look for and its label."""

    surface: str
    label: Any


def _reject(reason: str, detail: str, fixes: Optional[Counter] = None) -> Annotation:
    return Annotation(None, reason, detail, fixes or Counter())


# ---------------------------------------------------------------- trimming surfaces


@lru_cache(maxsize=1)
def protected_product_words() -> frozenset:
    """Product words that end in a syllable that is also a particle, read from the product knowledge base."""
    words = {name.split()[-1] for name in hangul_product_names() if name.split()}
    return frozenset(PROTECTED_PRODUCT_WORDS) | {word for word in words if HANGUL_END.search(word)}


def _trim_money_modifiers(words: List[str]) -> List[str]:
    prefixes = frozenset(MONEY_PREFIX_MODIFIERS + MONEY_PERIOD_WORDS)
    start, end = 0, len(words)
    while end - start > 1 and words[start] in prefixes:
        start += 1
    while end - start > 1 and words[end - 1] in MONEY_SUFFIX_MODIFIERS:
        end -= 1
    return words[start:end]


def _trim_product_attributes(words: List[str]) -> List[str]:
    attributes = product_attribute_phrases()
    end, trimmed = len(words), True
    while trimmed:
        trimmed = False
        if end > 1 and CAPACITY_REGEX.fullmatch(words[end - 1]):
            end, trimmed = end - 1, True
        for phrase in attributes:
            if end > len(phrase) and tuple(words[end - len(phrase):end]) == phrase:
                end, trimmed = end - len(phrase), True
                break
    return words[:end]


def clean_surface(surface: str, label: Any) -> str:
    """The model's surface without edge punctuation and words ANNOTATION.md keeps outside the span."""
    words = " ".join(surface.split()).strip(EDGE_PUNCTUATION + " ").split(" ")
    if label == MONEY:
        words = _trim_money_modifiers(words)
    if label == PRODUCT:
        words = _trim_product_attributes(words)
    return " ".join(words)


def _product_particle_length(last_word: str) -> int:
    """A particle stack glued to a Hangul product word (`프로로` → `로`), sparing protected words."""
    protected = protected_product_words()
    if last_word in protected:
        return 0
    cuts = particle_stack_starts(last_word)
    longest_protected = max(map(len, protected))
    known = [cut for cut in cuts if cut <= longest_protected and last_word[:cut] in protected]
    unknown = [cut for cut in cuts if cut >= 2]
    if known or unknown:
        return len(last_word) - (known or unknown)[0]
    return 0


def _spoken_phone_particle_length(last_word: str) -> int:
    """A particle stack after a spoken four-digit group (`오육칠팔이요` → `이요`)."""
    digits, stack = last_word[:SPOKEN_GROUP_DIGITS], last_word[SPOKEN_GROUP_DIGITS:]
    if len(digits) == SPOKEN_GROUP_DIGITS and all(c in SPOKEN_DIGITS for c in digits) and is_particle_stack(stack):
        return len(stack)
    return 0


def attached_particle_length(span_text: str, label: Any) -> int:
    """How many trailing characters of a span are a particle stack that belongs outside it.

    Covers particles glued to a digit, Latin letter or currency word (the
    validator's rule), to a Hangul product word (`프로로`, kept: `프로`), and to a
    spoken four-digit group (`오육칠팔이요`).
    """
    glued = glued_particle_stack(span_text)
    if glued:
        return len(glued)
    last_word = span_text.split(" ")[-1]
    if label == PRODUCT and HANGUL_END.search(last_word):
        return _product_particle_length(last_word)
    if label == PHONE:
        return _spoken_phone_particle_length(last_word)
    return 0


def cut_attached_particle(text: str, start: int, end: int, label: Any) -> int:
    """The span's end with an attached particle cut off (unchanged when nothing would remain)."""
    cut = attached_particle_length(text[start:end], label)
    if not cut:
        return end
    new_end = start + len(text[start:end - cut].rstrip())
    return new_end if new_end > start else end


# ---------------------------------------------------------------- locating surfaces


def _overlaps(span: Offsets, taken: Iterable[PlacedSpan]) -> bool:
    return any(span[0] < end and start < span[1] for start, end, _ in taken)


def locate_surface(
    text: str, bounds: TokenBounds, surface: str, label: Any, taken: Sequence[PlacedSpan]
) -> Tuple[Optional[Offsets], str]:
    """The first free occurrence of `surface`, preferring token-aligned ones.

    Tries the exact string, then ignoring spaces (`5만원` for `5만 원`), then without
    a trailing particle. Returns the span and how it was found ("exact",
    "spacing", "particle"), or None and why not ("not_found", "overlap").
    """
    stripped = surface[:len(surface) - attached_particle_length(surface, label)].rstrip()
    searches = [("exact", occurrences(text, surface)), ("spacing", spacing_insensitive_occurrences(text, surface))]
    if stripped and stripped != surface:
        searches.append(("particle", occurrences(text, stripped) or spacing_insensitive_occurrences(text, stripped)))
    seen_any = False
    for how, spans in searches:
        seen_any = seen_any or bool(spans)
        free = [span for span in spans if not _overlaps(span, taken)]
        if free:
            return next((span for span in free if bounds.aligned(span)), free[0]), how
    return None, "overlap" if seen_any else "not_found"


# ---------------------------------------------------------------- one utterance


def reply_item_problem(item: Any) -> Optional[Tuple[str, str]]:
    """Why `item` is not in the reply format `{"text", "entities": [{"text", "label"}]}`, or None.

    Only the format is checked (what locating needs); labels are the validator's.
    """
    if not isinstance(item, dict):
        return NOT_AN_OBJECT, f"an utterance must be an object: {str(item)[:80]!r}"
    if "text" not in item or "entities" not in item:
        return MISSING_FIELD, f"an utterance needs text and entities: {str(item)[:80]!r}"
    if not isinstance(item["text"], str) or not isinstance(item["entities"], list):
        return BAD_TYPE, "text must be a string and entities a list"
    for entity in item["entities"]:
        if not isinstance(entity, dict) or not {"text", "label"} <= set(entity):
            return MISSING_FIELD, f"an entity needs text and label: {entity!r}"
        if not isinstance(entity["text"], str):
            return BAD_TYPE, f"entity text must be a string: {entity!r}"
    return None


def wanted_surfaces(entities: Sequence[Dict[str, Any]], fixes: Counter) -> List[WantedSurface]:
    """The listed entities with cleaned surfaces and upper-cased labels; counts trimmed surfaces."""
    wanted = []
    for entity in entities:
        label = entity["label"].strip().upper() if isinstance(entity["label"], str) else entity["label"]
        surface = clean_surface(entity["text"], label)
        if surface and surface != " ".join(entity["text"].split()):
            fixes["surface_trimmed"] += 1
        wanted.append(WantedSurface(surface, label))
    return wanted


def place_surfaces(
    text: str, bounds: TokenBounds, wanted: Sequence[WantedSurface], fixes: Counter
) -> Tuple[List[PlacedSpan], Optional[Tuple[str, str]]]:
    """Offsets for every wanted surface, or the reason one cannot be placed.

    Longer surfaces are placed first so a nested shorter one (`아이폰` next to
    `아이폰 16`) finds its own occurrence; equal surfaces take successive
    occurrences in the order the model listed them.
    """
    placed: List[PlacedSpan] = []
    for want in wanted:
        if not want.surface:
            return placed, (EMPTY_SPAN, f"empty surface for {want.label}")
    for want in sorted(wanted, key=lambda w: -len(w.surface)):
        span, how = locate_surface(text, bounds, want.surface, want.label, placed)
        if span is None:
            reason = OVERLAP if how == "overlap" else SURFACE_NOT_FOUND
            return placed, (reason, f"{want.label} {want.surface!r} has no free occurrence in {text!r}")
        if how != "exact":
            fixes[f"found_by_{how}"] += 1
        start, end = span
        cut_end = cut_attached_particle(text, start, end, want.label)
        if cut_end != end:
            fixes["particle_cut"] += 1
        placed.append((start, cut_end, want.label))
    return placed, None


def unlabelled_entity(text: str, bounds: TokenBounds, placed: Sequence[PlacedSpan]) -> Optional[str]:
    """An entity in `text` the model did not list: a labelled surface said again, a phone or contract ID."""
    for start, end, label in placed:
        for other in occurrences(text, text[start:end]):
            if not _overlaps(other, placed) and bounds.aligned(other):
                return f"{label} {text[start:end]!r} occurs again at {other[0]} but is listed fewer times"
    for label, found in ((PHONE, find_phone_spans(text)), (CONTRACT, find_contract_spans(text))):
        for span in found:
            if not _overlaps(span, placed):
                return f"unlabelled {label} {text[span[0]:span[1]]!r} in {text!r}"
    return None


def annotate_utterance(item: Any, nlp: Language, *, labels: Sequence[str] = LABELS, source: str = "") -> Annotation:
    """Turn one `{"text", "entities": [{"text", "label"}]}` item into a validated record.

    Offsets come from searching the surfaces in the text; the validator then
    checks the spans as it checks any corpus record, and its first problem
    rejects the item. The record returned is the validator's, so it passes it.
    """
    fixes: Counter = Counter()
    malformed = reply_item_problem(item)
    if malformed is not None:
        return _reject(*malformed)
    text = " ".join(item["text"].split())
    unusable = unusable_text_problem(text, nlp, source)
    if unusable is not None:
        return _reject(unusable.kind, unusable.message)
    doc = nlp.make_doc(text)
    bounds = TokenBounds(doc)
    placed, unplaceable = place_surfaces(text, bounds, wanted_surfaces(item["entities"], fixes), fixes)
    if unplaceable is not None:
        return _reject(*unplaceable, fixes)
    entities = [{"start": s, "end": e, "label": label} for s, e, label in sorted(placed, key=lambda p: p[:2])]
    record, problems, _ = validate_entities(text, entities, nlp, labels=labels, source=source, doc=doc)
    if problems or record is None:
        return _reject(problems[0].kind, problems[0].message, fixes)
    valueless = add_values(record)
    if valueless is not None:
        return _reject(NO_VALUE, valueless, fixes)
    forgotten = unlabelled_entity(text, bounds, record.entities)
    if forgotten is not None:
        return _reject(UNLABELLED_ENTITY, forgotten, fixes)
    return Annotation(record.to_json(), None, "", fixes)


def intent_problem(item: Any) -> Optional[Tuple[str, str]]:
    """Why the reply item's `intent` cannot be kept (missing, or not one of the labels), or None."""
    intent = item.get("intent") if isinstance(item, dict) else None
    if intent is None:
        return MISSING_INTENT, f"no intent for {str(item)[:80]!r}"
    if not is_intent(intent):
        return UNKNOWN_INTENT, f"intent {intent!r} is not one of {', '.join(INTENT_LABELS)}"
    return None


def annotate_reply_item(item: Any, nlp: Language, *, labels: Sequence[str] = LABELS, source: str = "") -> Annotation:
    """`annotate_utterance`, then the item's intent: a record with a valid `"intent"`, or the reason it is rejected."""
    annotation = annotate_utterance(item, nlp, labels=labels, source=source)
    if annotation.record is None:
        return annotation
    unusable = intent_problem(item)
    if unusable is not None:
        return _reject(*unusable, annotation.fixes)
    annotation.record["intent"] = item["intent"]
    return annotation


def add_values(record: AnnotatedText) -> Optional[str]:
    """Give each entity of `record` its computed value; why a PHONE, MONEY or CONTRACT has none, or None."""
    for span in record.entities:
        start, end, label = span
        result = compute_value(label, record.text[start:end])
        if result.value is not None:
            record.values[span] = result.value
        elif label in VALUE_REQUIRED_LABELS:
            return f"{label} {record.text[start:end]!r} has no value ({result.error}) in {record.text!r}"
    return None
