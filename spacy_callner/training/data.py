"""Read, validate and convert annotated JSONL: `{"text", "entities": [{"start","end","label"}]}`.

Every problem is reported with its file, line and span. In the default lenient
mode only the bad item goes: a line that cannot be read, or a record whose text
is empty or whose span cannot be placed, is skipped; a span that can be placed
but breaks the rules (unknown label, not on token boundaries, particle inside,
wrong shape, listed twice, losing an overlap) is dropped and its tokens are
marked *missing*, so training neither learns it as an entity nor as "not an
entity". Strict mode reports everything and then raises. Nothing is dropped silently.

No byte of input can stop the rest of a file from being read: the file is read
as bytes, line by line, and each line is decoded here, so a line that is not
UTF-8 is a `bad_encoding` problem naming its line and byte column, and every
other line still goes through. A UTF-8 byte-order mark at the start of a line is
dropped. A JSON string holding a lone surrogate escape (`"\ud83d"`) cannot be
stored as UTF-8 and is a `lone_surrogate` problem. A text longer than the
tokenizer's `nlp.max_length` (spaCy's E088) is cut at whitespace outside its
entities into pieces of at most `max_length` characters, each kept as a record
("file:line piece k/n") and reported once as `text_split`; one with no such
whitespace is `text_too_long` and skipped. A file with no record to keep is
`no_records`, so strict mode fails on an empty input.

An entity may carry its normalised `"value"` (ANNOTATION.md, "Values"). A given
value is checked against `compute_value(label, surface)`: one that is not a JSON
object is `bad_value`, one that differs is `value_mismatch`; either way the value is
dropped and the entity kept (its span is fine). A missing or null value is no
problem. A PRODUCT whose value cannot be computed (a knowledge base that has no
reading of it) keeps a given value of the shape `{"brand": str|null, "name": str|null}`.
Kept values travel into the DocBin as the gold entity's `span._.value`.

A record may carry its call `"intent"` (corpus/INTENTS.md). One that is not a string
or not an intent label is `bad_intent`: the intent is dropped and the record kept for
NER (its entities are checked on their own), and `AnnotatedText.invalid_intent` says
so, for the converter's counts. A kept intent becomes the Doc's `doc.cats`
(`intent_cats`, 1.0 for it and 0.0 for every other class); no intent, no cats.
"""
from dataclasses import dataclass, field
from pathlib import Path
from typing import Dict, Iterable, Iterator, List, Optional, Sequence, Tuple

import srsly
from spacy.language import Language
from spacy.tokens import Doc, DocBin, Span
from spacy.util import filter_spans

from .. import extensions  # noqa: F401  (gold values are set as span._.value)
from ..scheme import LABELS, RECORD_FATAL, span_problem
from ..scheme.intents import INTENT_LABELS, intent_cats, is_intent
from ..scheme.rules import (
    BAD_INTENT, BAD_TYPE, DUPLICATE_ENTITY, EMPTY_TEXT, LONE_SURROGATE, MISALIGNED,
    MISSING_FIELD, NO_RECORDS, NOT_AN_OBJECT, OVERLAP, TEXT_SPLIT, TEXT_TOO_LONG,
    label_type_problem, offsets_problem,
)
from .gold_values import Value, checked_values
from .jsonl_lines import (
    LONE_SURROGATE_RE, decode_json, iter_jsonl_lines, lone_surrogate_problem, pieces_of_long_record,
    whitespace_cuts,
)
from .reports import DataValidationError, Problem, ValidationReport  # noqa: F401  (importable from here too)

CharSpan = Tuple[int, int, str]
CONTEXT_CHARS = 20


@dataclass
class AnnotatedText:
    """A validated record: entity spans and regions whose annotation is unknown."""

    text: str
    entities: List[CharSpan]
    missing: List[Tuple[int, int]] = field(default_factory=list)
    source: str = ""
    meta: dict = field(default_factory=dict)
    values: Dict[CharSpan, Value] = field(default_factory=dict)
    """The checked value of each entity that has one (ANNOTATION.md, Values)."""
    intent: Optional[str] = None
    """The record's call intent (INTENTS.md), None when it had none or an invalid one."""
    invalid_intent: bool = False
    """The record carried an intent that was not a label, dropped as `bad_intent`."""

    def to_json(self) -> dict:
        ents = []
        for span in self.entities:
            start, end, label = span
            ent = {"start": start, "end": end, "label": label}
            if span in self.values:
                ent["value"] = self.values[span]
            ents.append(ent)
        data = {"text": self.text, "entities": ents}
        if self.intent is not None:
            data["intent"] = self.intent
        return data


def _context(text: str, start: int, end: int) -> str:
    left = text[max(0, start - CONTEXT_CHARS):start]
    right = text[end:end + CONTEXT_CHARS]
    return f"…{left}[{text[start:end]}]{right}…"


def validate_entities(
    text: str,
    entities: Sequence[dict],
    nlp: Language,
    *,
    labels: Sequence[str] = LABELS,
    source: str = "",
    doc: Optional[Doc] = None,
) -> Tuple[Optional[AnnotatedText], List[Problem], int]:
    """Check one record's spans against ANNOTATION.md and the tokenizer.

    Returns the record to keep (None when it must be skipped), the problems
    found, and how many spans were dropped.
    """
    unusable = unusable_text_problem(text, nlp, source)
    if unusable is not None:
        return None, [unusable], len(entities)
    candidates, missing, problems, fatal = _place_entities(text, entities, labels, source)
    if fatal:
        return None, problems, len(entities)
    doc = doc if doc is not None else nlp.make_doc(text)
    kept = _align_to_tokens(doc, candidates, missing, problems, source)
    entities_kept = [(s.start_char, s.end_char, s.label_) for s in kept]
    n_dropped = len(entities) - len(entities_kept)
    record = AnnotatedText(text, entities_kept, missing=_outside_entities(missing, entities_kept), source=source)
    record.values = checked_values(text, entities, entities_kept, problems, source)
    return record, problems, n_dropped


def _place_entities(
    text: str, entities: Sequence[dict], labels: Sequence[str], source: str
) -> Tuple[List[CharSpan], List[Tuple[int, int]], List[Problem], bool]:
    """Spans that keep the span rules, regions of dropped ones, the problems, and whether one cannot be placed."""
    candidates: List[CharSpan] = []
    missing: List[Tuple[int, int]] = []
    problems: List[Problem] = []
    seen = set()
    fatal = False
    for i, ent in enumerate(entities):
        where = f"{source} entity {i}"
        if not isinstance(ent, dict) or not {"start", "end", "label"} <= set(ent):
            problems.append(Problem(MISSING_FIELD, where, f"entity needs start, end, label: {ent!r}"))
            fatal = True
            continue
        start, end, label = ent["start"], ent["end"], ent["label"]
        placed = offsets_problem(start, end, len(text)) or label_type_problem(label)
        if placed is not None:
            problems.append(Problem(placed.kind, where, f"{placed.message}: {ent!r}"))
            fatal = True
            continue
        if (start, end, label) in seen:
            problems.append(Problem(DUPLICATE_ENTITY, where, f"listed twice; kept once: {ent!r}"))
            continue
        seen.add((start, end, label))
        span_text = text[start:end]
        broken = span_problem(label, span_text, labels)
        if broken is not None:
            described = f"{label} [{start}, {end}) {span_text!r} in {_context(text, start, end)}"
            problems.append(Problem(broken.kind, where, f"{broken.message}: {described}"))
            missing.append((start, end))
            continue
        candidates.append((start, end, label))
    return candidates, missing, problems, fatal


def _align_to_tokens(
    doc: Doc, candidates: List[CharSpan], missing: List[Tuple[int, int]], problems: List[Problem], source: str
) -> List[Span]:
    """The candidates that align to tokens, overlaps resolved to the longer span; the rest reported
    (appended to `problems`, their regions to `missing`)."""
    text = doc.text
    spans = []
    for start, end, label in candidates:
        span = doc.char_span(start, end, label=label, alignment_mode="strict")
        if span is None:
            tokens = doc.char_span(start, end, alignment_mode="expand")
            cut = " | ".join(t.text for t in tokens) if tokens is not None else "?"
            problems.append(Problem(
                MISALIGNED, source,
                f"{label} [{start}, {end}) {text[start:end]!r} does not align to tokens ({cut}) "
                f"in {_context(text, start, end)}",
            ))
            missing.append((start, end))
            continue
        spans.append(span)
    kept = filter_spans(spans)
    for span in spans:
        if span not in kept:
            winner = next(k for k in kept if k.start < span.end and span.start < k.end)
            problems.append(Problem(
                OVERLAP, source,
                f"{span.label_} {span.text!r} [{span.start_char}, {span.end_char}) overlaps "
                f"{winner.label_} {winner.text!r}; the longer span is kept",
            ))
    return kept


def unusable_text_problem(text: str, nlp: Language, source: str) -> Optional[Problem]:
    """Why `text` cannot become a Doc at all (empty, lone surrogate, over `nlp.max_length`), or None."""
    if not text.strip():
        return Problem(EMPTY_TEXT, source, "text is empty or whitespace only")
    surrogate = LONE_SURROGATE_RE.search(text)
    if surrogate:
        return Problem(LONE_SURROGATE, source, f"lone surrogate {surrogate.group()!r} at character {surrogate.start()}")
    if len(text) > nlp.max_length:
        return Problem(TEXT_TOO_LONG, source, f"text of {len(text):,} characters is over nlp.max_length "
                                              f"({nlp.max_length:,}) and was not cut into pieces")
    return None


def _outside_entities(missing: List[Tuple[int, int]], entities: List[CharSpan]) -> List[Tuple[int, int]]:
    """Missing regions that do not touch a kept entity (those tokens are known)."""
    return [(s, e) for s, e in missing if not any(s < ee and es < e for es, ee, _ in entities)]


def read_annotated_jsonl(
    path: Path,
    nlp: Language,
    *,
    strict: bool = False,
    labels: Sequence[str] = LABELS,
) -> Tuple[List[AnnotatedText], ValidationReport]:
    """Read and validate a JSONL file; see the module docstring for the policy."""
    path = Path(path)
    report = ValidationReport()
    records: List[AnnotatedText] = []
    for line in iter_jsonl_lines(path):
        report.n_lines += 1
        source = f"{path}:{line.number}"
        obj, problem = decode_json(line, source)
        kept, problems = ([], [problem]) if problem is not None else _validate_line(obj, nlp, labels, source)
        for problem in problems:
            report.add(problem)
        if not kept:
            report.n_records_skipped += 1
            continue
        report.n_records += len(kept)
        report.n_spans += sum(len(record.entities) for record in kept)
        report.n_spans_dropped += len(obj["entities"]) - sum(len(record.entities) for record in kept)
        records.extend(kept)
    if not records:
        report.add(Problem(NO_RECORDS, str(path), "no record to keep: the file is empty or every line was skipped"))
    if strict and not report.ok:
        report.print(f"Problems in {path}", max_problems=None)
        raise DataValidationError(f"{len(report.problems)} problems in {path} (strict mode)", report)
    return records, report


def _validate_line(
    obj: object, nlp: Language, labels: Sequence[str], source: str
) -> Tuple[List[AnnotatedText], List[Problem]]:
    """The records one line gives: one, none, or the pieces of a text over `nlp.max_length`."""
    pieces = pieces_of_long_record(obj, nlp.max_length)
    if pieces is None:
        record, problems = validate_record(obj, nlp, labels=labels, source=source)
        return ([record] if record is not None else []), problems
    text = obj["text"]
    problems = [Problem(TEXT_SPLIT, source, f"text of {len(text)} characters is over nlp.max_length "
                                            f"({nlp.max_length}); cut at whitespace into {len(pieces)} pieces")]
    kept = []
    for k, piece in enumerate(pieces, start=1):
        record, piece_problems = validate_record(piece, nlp, labels=labels, source=f"{source} piece {k}/{len(pieces)}")
        problems.extend(piece_problems)
        kept.extend([record] if record is not None else [])
    if any(problem.kind in RECORD_FATAL for problem in problems):
        return [], problems  # as for a short record: a span that cannot be placed skips the whole of it
    return kept, problems


def validate_record(
    obj: object, nlp: Language, *, labels: Sequence[str] = LABELS, source: str = ""
) -> Tuple[Optional[AnnotatedText], List[Problem]]:
    """Validate one decoded JSON object."""
    if not isinstance(obj, dict):
        return None, [Problem(NOT_AN_OBJECT, source, f"expected an object, got {type(obj).__name__}")]
    missing_fields = [name for name in ("text", "entities") if name not in obj]
    if missing_fields:
        return None, [Problem(MISSING_FIELD, source, f"missing field(s): {', '.join(missing_fields)}")]
    text, entities = obj["text"], obj["entities"]
    if not isinstance(text, str) or not isinstance(entities, list):
        return None, [Problem(BAD_TYPE, source, "text must be a string and entities a list")]
    surrogate = lone_surrogate_problem(obj, source)
    if surrogate is not None:
        return None, [surrogate]
    record, problems, _ = validate_entities(text, entities, nlp, labels=labels, source=source)
    if record is not None:
        record.meta = obj.get("meta", {}) if isinstance(obj.get("meta"), dict) else {}
        _check_intent(obj.get("intent"), record, problems, source)
    return record, problems


def _check_intent(intent: object, record: AnnotatedText, problems: List[Problem], source: str) -> None:
    """Keep a valid `intent` on the record; report any other non-null value and keep the record without it."""
    if intent is None:
        return
    if is_intent(intent):
        record.intent = intent
        return
    record.invalid_intent = True
    problems.append(Problem(
        BAD_INTENT, source,
        f"intent {intent!r} is not one of {', '.join(INTENT_LABELS)}; record kept for NER without an intent",
    ))


def make_doc(nlp: Language, record: AnnotatedText) -> Doc:
    """A Doc with the record's entities; missing regions get unknown (`-`) tags."""
    doc = nlp.make_doc(record.text)
    ents = [doc.char_span(s, e, label=label, alignment_mode="strict") for s, e, label in record.entities]
    missing = [doc.char_span(s, e, alignment_mode="expand") for s, e in record.missing]
    missing = [span for span in missing if span is not None and len(span)]
    doc.set_ents([e for e in ents if e is not None], missing=missing, default="outside")
    if record.intent is not None:
        doc.cats = intent_cats(record.intent)
    for ent in doc.ents:
        value = record.values.get((ent.start_char, ent.end_char, ent.label_))
        if value is not None:
            ent._.value = value
    return doc


def records_to_docbin(nlp: Language, records: Iterable[AnnotatedText]) -> DocBin:
    """The records as gold docs; user data is stored so each entity's `span._.value` travels with it."""
    docbin = DocBin(store_user_data=True)
    for record in records:
        docbin.add(make_doc(nlp, record))
    return docbin


def docbin_entities(nlp: Language, path: Path) -> List[Tuple[str, List[CharSpan]]]:
    """Texts and entity char spans read back from a `.spacy` file."""
    docs = DocBin().from_disk(path).get_docs(nlp.vocab)
    return [(doc.text, [(e.start_char, e.end_char, e.label_) for e in doc.ents]) for doc in docs]


def alignment_stats(nlp: Language, examples: Iterable[Tuple[str, Sequence[CharSpan]]]) -> Dict[str, float]:
    """How many gold spans fall on token boundaries, and tokens per 100 chars.

    Takes raw (text, spans) pairs, before validation drops anything.
    """
    n_spans = n_aligned = n_tokens = n_chars = 0
    for text, spans in _tokenizable(examples, nlp.max_length):
        doc = nlp.make_doc(text)
        n_tokens += len(doc)
        n_chars += len(text)
        for start, end, _ in spans:
            if not (isinstance(start, int) and isinstance(end, int) and 0 <= start < end <= len(text)):
                continue
            n_spans += 1
            n_aligned += doc.char_span(start, end, alignment_mode="strict") is not None
    return {
        "spans": n_spans,
        "aligned": n_aligned,
        "lost": n_spans - n_aligned,
        "alignment_rate": n_aligned / n_spans if n_spans else 1.0,
        "tokens_per_100_chars": 100.0 * n_tokens / n_chars if n_chars else 0.0,
    }


def _tokenizable(
    examples: Iterable[Tuple[str, Sequence[CharSpan]]], max_length: int
) -> Iterator[Tuple[str, Sequence[CharSpan]]]:
    """The examples as the tokenizer can take them: none with a lone surrogate, long ones in pieces."""
    for text, spans in examples:
        if LONE_SURROGATE_RE.search(text) or not text.strip():
            continue
        placed = [(s, e, label) for s, e, label in spans if offsets_problem(s, e, len(text)) is None]
        cuts = whitespace_cuts(text, [(s, e) for s, e, _ in placed], max_length)
        if cuts is None:
            if len(text) <= max_length:
                yield text, spans
            continue
        for start, end in cuts:
            yield text[start:end], [(s - start, e - start, label) for s, e, label in placed if start <= s and e <= end]


def read_raw_spans(path: Path) -> List[Tuple[str, List[CharSpan]]]:
    """(text, spans) of every readable record, for alignment statistics."""
    pairs = []
    for line in iter_jsonl_lines(Path(path)):
        try:
            obj = srsly.json_loads(line.text) if line.problem is None else None
            spans = [(e["start"], e["end"], e["label"]) for e in obj["entities"]]
        except (ValueError, KeyError, TypeError):
            continue
        if isinstance(obj.get("text"), str):
            pairs.append((obj["text"], spans))
    return pairs
