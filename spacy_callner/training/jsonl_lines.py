"""Lines of an annotated JSONL file as bytes become text: decoding, long texts, lone surrogates.

No byte of input can stop the rest of a file from being read: the file is read
as bytes, line by line, and each line is decoded here, so a line that is not
UTF-8 is a `bad_encoding` problem naming its line and byte column, and every
other line still goes through. A UTF-8 byte-order mark at the start of a line is
dropped. A text longer than the tokenizer's `nlp.max_length` is cut at whitespace
outside its entities (`whitespace_cuts`, linear in the text). The validator
(`data.py`) decides what the decoded records are worth.
"""
import bisect
import re
from dataclasses import dataclass
from pathlib import Path
from typing import Iterator, List, Optional, Sequence, Tuple

import srsly

from ..scheme.rules import BAD_ENCODING, LONE_SURROGATE, MALFORMED_JSON, offsets_problem
from .reports import Problem

UTF8_BOM = b"\xef\xbb\xbf"
LONE_SURROGATE_RE = re.compile("[\ud800-\udfff]")
"""After JSON decoding, a surrogate code point is always a lone one: pairs decode to one character."""
WHITESPACE_RE = re.compile(r"\s")


@dataclass
class JsonlLine:
    """One non-blank line of a JSONL file: its text, or the problem that kept it from being decoded."""

    number: int
    text: Optional[str] = None
    problem: Optional[Problem] = None


def iter_jsonl_lines(path: Path) -> Iterator[JsonlLine]:
    """The file's non-blank lines, each decoded on its own as UTF-8, a leading byte-order mark dropped."""
    path = Path(path)
    with path.open("rb") as file_:
        for number, raw in enumerate(file_, start=1):
            raw = raw[len(UTF8_BOM):] if raw.startswith(UTF8_BOM) else raw
            try:
                text = raw.decode("utf8")
            except UnicodeDecodeError as err:
                bad = raw[err.start:err.end]
                yield JsonlLine(number, problem=Problem(
                    BAD_ENCODING, f"{path}:{number}",
                    f"not UTF-8 at byte column {err.start + 1} ({err.reason}: {bad!r}): {raw[:80]!r}"))
                continue
            if text.strip():
                yield JsonlLine(number, text=text)


def decode_json(line: JsonlLine, source: str) -> Tuple[object, Optional[Problem]]:
    if line.problem is not None:
        return None, line.problem
    try:
        return srsly.json_loads(line.text), None
    except ValueError as err:
        return None, Problem(MALFORMED_JSON, source, f"not valid JSON ({err}): {line.text[:80]!r}")


def pieces_of_long_record(obj: object, max_length: int) -> Optional[List[dict]]:
    """A record whose text is over `max_length`, as records of pieces cut at whitespace; None to keep it whole.

    An entity goes to the piece its start falls in; one that cannot be placed
    goes unchanged to the first piece, to be reported there. Each piece keeps the
    record's meta and intent.
    """
    if not (isinstance(obj, dict) and isinstance(obj.get("text"), str) and isinstance(obj.get("entities"), list)):
        return None
    text, entities = obj["text"], obj["entities"]
    if not text.strip():
        return None
    placed = [ent for ent in entities if placed_span(ent, len(text)) is not None]
    cuts = whitespace_cuts(text, [placed_span(ent, len(text)) for ent in placed], max_length)
    if cuts is None:
        return None
    starts = [start for start, _ in cuts]
    carried = {key: obj[key] for key in ("meta", "intent") if key in obj}
    pieces = [{"text": text[start:end], "entities": [], **carried} for start, end in cuts]
    for ent in entities:
        if placed_span(ent, len(text)) is None:
            pieces[0]["entities"].append(ent)
            continue
        k = bisect.bisect_right(starts, ent["start"]) - 1
        shift = starts[k]
        pieces[k]["entities"].append(dict(ent, start=ent["start"] - shift, end=ent["end"] - shift))
    return [piece for piece in pieces if piece["text"].strip() or piece["entities"]]


def placed_span(ent: object, text_length: int) -> Optional[Tuple[int, int]]:
    """`(start, end)` of an entity that lies inside the text, or None."""
    if not isinstance(ent, dict):
        return None
    start, end = ent.get("start"), ent.get("end")
    if offsets_problem(start, end, text_length) is not None:
        return None
    return start, end


def whitespace_cuts(text: str, spans: Sequence[Tuple[int, int]], max_length: int) -> Optional[List[Tuple[int, int]]]:
    """`[start, end)` of pieces of `text` of at most `max_length` characters, cut just after
    whitespace that no span covers; None when the text is short enough already or
    cannot be cut so. Linear in the text (one bisection per cut)."""
    if len(text) <= max_length:
        return None
    merged: List[List[int]] = []
    for start, end in sorted(spans):
        if merged and start < merged[-1][1]:
            merged[-1][1] = max(merged[-1][1], end)
        else:
            merged.append([start, end])
    span_starts = [start for start, _ in merged]

    def covered(i: int) -> bool:
        k = bisect.bisect_right(span_starts, i) - 1
        return k >= 0 and i < merged[k][1]

    ends = [m.end() for m in WHITESPACE_RE.finditer(text) if not covered(m.start())]
    pieces, start = [], 0
    while len(text) - start > max_length:
        k = bisect.bisect_right(ends, start + max_length) - 1
        if k < 0 or ends[k] <= start:
            return None
        pieces.append((start, ends[k]))
        start = ends[k]
    pieces.append((start, len(text)))
    return pieces


def lone_surrogate_problem(obj: object, source: str) -> Optional[Problem]:
    """A lone surrogate anywhere in a decoded JSON value (text, labels, meta), as a problem."""
    stack = [("record", obj)]
    while stack:
        where, value = stack.pop()
        if isinstance(value, str):
            found = LONE_SURROGATE_RE.search(value)
            if found:
                return Problem(LONE_SURROGATE, source, f"lone surrogate {found.group()!r} in {where} "
                                                       f"at character {found.start()}; not storable as UTF-8")
        elif isinstance(value, dict):
            stack.extend((f"{where}.{key}", item) for key, item in value.items())
            stack.extend((f"key of {where}", key) for key in value)
        elif isinstance(value, list):
            stack.extend((f"{where}[{i}]", item) for i, item in enumerate(value))
    return None
