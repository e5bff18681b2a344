"""Read, validate and convert annotated JSONL: `{"text", "entities": [{"start","end","label"}]}`.

Every problem is reported with its file, line and span. In the default lenient
mode only the bad item goes: a line that cannot be read, or a record whose text
is empty or whose span cannot be placed, is skipped; a span that can be placed
but breaks the rules (unknown label, not on token boundaries, particle inside,
wrong shape, losing an overlap) is dropped and its tokens are marked *missing*,
so training neither learns it as an entity nor as "not an entity". Strict mode
reports everything and then raises. Nothing is dropped silently.
"""
import random
from collections import Counter
from dataclasses import dataclass, field
from pathlib import Path
from typing import Dict, Iterable, Iterator, List, Optional, Sequence, Tuple

import srsly
from spacy.language import Language
from spacy.tokens import Doc, DocBin
from spacy.util import filter_spans
from wasabi import msg

from ..scheme import LABELS, PROBLEM_KINDS, span_problem
from ..scheme.rules import (
    BAD_TYPE, DUPLICATE_TEXT, EMPTY_TEXT, MALFORMED_JSON, MISALIGNED, MISSING_FIELD, NOT_AN_OBJECT,
    OVERLAP, label_type_problem, offsets_problem,
)

CharSpan = Tuple[int, int, str]
CONTEXT_CHARS = 20


class DataValidationError(ValueError):
    """Raised in strict mode when any record has a problem."""


@dataclass
class Problem:
    kind: str
    source: str
    message: str

    def __str__(self) -> str:
        return f"{self.source}: {self.kind}: {self.message}"


@dataclass
class AnnotatedText:
    """A validated record: entity spans and regions whose annotation is unknown."""

    text: str
    entities: List[CharSpan]
    missing: List[Tuple[int, int]] = field(default_factory=list)
    source: str = ""
    meta: dict = field(default_factory=dict)

    def to_json(self) -> dict:
        ents = [{"start": s, "end": e, "label": label} for s, e, label in self.entities]
        return {"text": self.text, "entities": ents}


@dataclass
class ValidationReport:
    """Counts and details of what was read, kept, fixed and skipped."""

    n_lines: int = 0
    n_records: int = 0
    n_records_skipped: int = 0
    n_spans: int = 0
    n_spans_dropped: int = 0
    problems: List[Problem] = field(default_factory=list)

    def add(self, problem: Problem) -> None:
        self.problems.append(problem)

    def counts(self) -> Dict[str, int]:
        counter = Counter(p.kind for p in self.problems)
        return {kind: counter[kind] for kind in PROBLEM_KINDS if counter[kind]}

    def merge(self, other: "ValidationReport") -> None:
        self.n_lines += other.n_lines
        self.n_records += other.n_records
        self.n_records_skipped += other.n_records_skipped
        self.n_spans += other.n_spans
        self.n_spans_dropped += other.n_spans_dropped
        self.problems.extend(other.problems)

    @property
    def ok(self) -> bool:
        return not self.problems

    def to_json(self) -> dict:
        return {
            "lines": self.n_lines,
            "records_kept": self.n_records,
            "records_skipped": self.n_records_skipped,
            "spans_kept": self.n_spans,
            "spans_dropped": self.n_spans_dropped,
            "problems_by_kind": self.counts(),
            "problems": [str(p) for p in self.problems],
        }

    def print(self, title: str = "Validation", max_problems: int = 20) -> None:
        msg.divider(title)
        for problem in self.problems[:max_problems]:
            msg.warn(str(problem))
        if len(self.problems) > max_problems:
            msg.text(f"... and {len(self.problems) - max_problems} more problems")
        summary = (
            f"{self.n_records} records kept ({self.n_spans} spans), "
            f"{self.n_records_skipped} records skipped, {self.n_spans_dropped} spans dropped"
        )
        if self.problems:
            msg.warn(summary)
            msg.table(self.counts(), header=("problem", "count"))
        else:
            msg.good(summary + "; no problems")


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
    problems: List[Problem] = []
    if not text.strip():
        return None, [Problem(EMPTY_TEXT, source, "text is empty or whitespace only")], len(entities)
    doc = doc if doc is not None else nlp.make_doc(text)
    candidates: List[CharSpan] = []
    missing: List[Tuple[int, int]] = []
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
        span_text = text[start:end]
        broken = span_problem(label, span_text, labels)
        if broken is not None:
            described = f"{label} [{start}, {end}) {span_text!r} in {_context(text, start, end)}"
            problems.append(Problem(broken.kind, where, f"{broken.message}: {described}"))
            missing.append((start, end))
            continue
        candidates.append((start, end, label))
    if fatal:
        return None, problems, len(entities)

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
    entities_kept = [(s.start_char, s.end_char, s.label_) for s in kept]
    n_dropped = len(entities) - len(entities_kept)
    record = AnnotatedText(text, entities_kept, missing=_outside_entities(missing, entities_kept), source=source)
    return record, problems, n_dropped


def _outside_entities(missing: List[Tuple[int, int]], entities: List[CharSpan]) -> List[Tuple[int, int]]:
    """Missing regions that do not touch a kept entity (those tokens are known)."""
    return [(s, e) for s, e in missing if not any(s < ee and es < e for es, ee, _ in entities)]


def iter_jsonl_lines(path: Path) -> Iterator[Tuple[int, str]]:
    with Path(path).open(encoding="utf8") as file_:
        for line_no, line in enumerate(file_, start=1):
            if line.strip():
                yield line_no, line


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
    for line_no, line in iter_jsonl_lines(path):
        report.n_lines += 1
        source = f"{path}:{line_no}"
        try:
            obj = srsly.json_loads(line)
        except ValueError as err:
            report.add(Problem(MALFORMED_JSON, source, f"not valid JSON ({err}): {line[:80]!r}"))
            report.n_records_skipped += 1
            continue
        record, problems = validate_record(obj, nlp, labels=labels, source=source)
        for problem in problems:
            report.add(problem)
        if record is None:
            report.n_records_skipped += 1
            continue
        report.n_records += 1
        report.n_spans += len(record.entities)
        report.n_spans_dropped += len(obj.get("entities", [])) - len(record.entities)
        records.append(record)
    if strict and not report.ok:
        report.print(f"Problems in {path}")
        raise DataValidationError(f"{len(report.problems)} problems in {path} (strict mode)")
    return records, report


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
    record, problems, _ = validate_entities(text, entities, nlp, labels=labels, source=source)
    if record is not None:
        record.meta = obj.get("meta", {}) if isinstance(obj.get("meta"), dict) else {}
    return record, problems


def make_doc(nlp: Language, record: AnnotatedText) -> Doc:
    """A Doc with the record's entities; missing regions get unknown (`-`) tags."""
    doc = nlp.make_doc(record.text)
    ents = [doc.char_span(s, e, label=label, alignment_mode="strict") for s, e, label in record.entities]
    missing = [doc.char_span(s, e, alignment_mode="expand") for s, e in record.missing]
    missing = [span for span in missing if span is not None and len(span)]
    doc.set_ents([e for e in ents if e is not None], missing=missing, default="outside")
    return doc


def records_to_docbin(nlp: Language, records: Iterable[AnnotatedText]) -> DocBin:
    docbin = DocBin(store_user_data=False)
    for record in records:
        docbin.add(make_doc(nlp, record))
    return docbin


def docbin_entities(nlp: Language, path: Path) -> List[Tuple[str, List[CharSpan]]]:
    """Texts and entity char spans read back from a `.spacy` file."""
    docs = DocBin().from_disk(path).get_docs(nlp.vocab)
    return [(doc.text, [(e.start_char, e.end_char, e.label_) for e in doc.ents]) for doc in docs]


def deduplicate(records: Iterable[AnnotatedText], report: ValidationReport) -> List[AnnotatedText]:
    """Keep the first record of each text, so no text lands in two splits."""
    seen = {}
    unique = []
    for record in records:
        if record.text in seen:
            report.add(Problem(DUPLICATE_TEXT, record.source, f"same text as {seen[record.text]}; skipped"))
            report.n_records_skipped += 1
            continue
        seen[record.text] = record.source
        unique.append(record)
    return unique


def split_records(
    records: Sequence[AnnotatedText], *, seed: int, dev_fraction: float, test_fraction: float
) -> Dict[str, List[AnnotatedText]]:
    """Deterministic shuffled split into train/dev/test."""
    order = list(range(len(records)))
    random.Random(seed).shuffle(order)
    n_dev = round(len(order) * dev_fraction)
    n_test = round(len(order) * test_fraction)
    shuffled = [records[i] for i in order]
    return {
        "dev": shuffled[:n_dev],
        "test": shuffled[n_dev:n_dev + n_test],
        "train": shuffled[n_dev + n_test:],
    }


def mix_records(
    offline: Sequence[AnnotatedText],
    llm: Sequence[AnnotatedText],
    *,
    mode: str,
    llm_fraction: float,
    seed: int,
) -> List[AnnotatedText]:
    """Choose the training mix: `offline`, `llm`, or `both` with `llm_fraction` of LLM data.

    With `both`, all of the smaller side is used and the other side is sampled
    so that LLM records make up `llm_fraction` of the mix.
    """
    if mode == "offline":
        return list(offline)
    if mode == "llm":
        if not llm:
            raise ValueError("mix 'llm' asked for, but there are no LLM records")
        return list(llm)
    if mode != "both":
        raise ValueError(f"unknown mix {mode!r}: use offline, llm or both")
    if not 0.0 < llm_fraction < 1.0:
        raise ValueError(f"llm_fraction must be between 0 and 1, got {llm_fraction}")
    rng = random.Random(seed)
    n_llm = min(len(llm), round(len(offline) * llm_fraction / (1 - llm_fraction)))
    n_offline = min(len(offline), round(n_llm * (1 - llm_fraction) / llm_fraction)) if n_llm else 0
    return rng.sample(list(offline), n_offline) + rng.sample(list(llm), n_llm)


def alignment_stats(nlp: Language, examples: Iterable[Tuple[str, Sequence[CharSpan]]]) -> Dict[str, float]:
    """How many gold spans fall on token boundaries, and tokens per 100 chars.

    Takes raw (text, spans) pairs, before validation drops anything.
    """
    n_spans = n_aligned = n_tokens = n_chars = 0
    for text, spans in examples:
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


def read_raw_spans(path: Path) -> List[Tuple[str, List[CharSpan]]]:
    """(text, spans) of every readable record, for alignment statistics."""
    pairs = []
    for _, line in iter_jsonl_lines(Path(path)):
        try:
            obj = srsly.json_loads(line)
            spans = [(e["start"], e["end"], e["label"]) for e in obj["entities"]]
        except (ValueError, KeyError, TypeError):
            continue
        if isinstance(obj.get("text"), str):
            pairs.append((obj["text"], spans))
    return pairs
