"""Input and output files of the bulk commands: numbered input lines, JSONL lines out, resuming.

A file is read as bytes and each line decoded on its own, so one bad line (not UTF-8,
not JSON, not an object, no text) becomes a `Reject` naming its line and the reason,
and every other line still goes through. Line numbers are 1-based physical lines of
the input, blank lines included, so they stay the key that resume, rejects and audit
files share. A reject's message never quotes the line: the rejects file of a
redaction run must not hold the values it was meant to hide.

An output line is ``json.dumps(obj, ensure_ascii=False)`` in UTF-8, keys in the order
they were built, so the same input gives the same bytes; resuming truncates a partial
last line and reads the last complete line's ``"line"``.
"""
import json
import re
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any, Dict, Iterator, Optional, Union

UTF8_BOM = b"\xef\xbb\xbf"
LINE_KEY = "line"
"""The key every output, reject and audit line carries: the input line number (1-based)."""
INPUT_FORMATS = ("jsonl", "text")

BAD_ENCODING = "bad_encoding"
INVALID_JSON = "invalid_json"
NOT_AN_OBJECT = "not_an_object"
MISSING_TEXT = "missing_text"
TEXT_NOT_A_STRING = "text_not_a_string"
LONE_SURROGATE = "lone_surrogate"
REJECT_REASONS = (BAD_ENCODING, INVALID_JSON, NOT_AN_OBJECT, MISSING_TEXT, TEXT_NOT_A_STRING, LONE_SURROGATE)

SURROGATE_ESCAPE_RE = re.compile(r"\\u[dD][89a-fA-F]")
"""A JSON escape of a UTF-16 surrogate: only lines with one can decode to a string not storable as UTF-8."""


@dataclass(frozen=True)
class InputRecord:
    """One input line to annotate: its number, its fields (as read, in order) and its text."""

    line: int
    fields: Dict[str, Any]
    text: str


@dataclass(frozen=True)
class Reject:
    """One input line that could not be annotated, and why."""

    line: int
    reason: str
    message: str

    def to_json(self) -> Dict[str, Any]:
        return {LINE_KEY: self.line, "reason": self.reason, "message": self.message}


def input_format_for(path: Path, input_format: Optional[str] = None) -> str:
    """``input_format`` when given, else ``text`` for a ``.txt`` file and ``jsonl`` for any other."""
    if input_format is not None:
        if input_format not in INPUT_FORMATS:
            raise ValueError(f"input format {input_format!r} is not one of {INPUT_FORMATS}")
        return input_format
    return "text" if Path(path).suffix.lower() == ".txt" else "jsonl"


@dataclass
class InputReader:
    """The records and rejects of an input file, line by line; counts what it read.

    Lines up to ``after_line`` are skipped (resuming). Blank lines of a JSONL file are
    counted and skipped; in a plain-text file a blank line is an empty utterance.
    """

    path: Path
    input_format: str = "jsonl"
    text_field: str = "text"
    after_line: int = 0
    lines_read: int = field(default=0, init=False)
    blank_lines: int = field(default=0, init=False)

    def __iter__(self) -> Iterator[Union[InputRecord, Reject]]:
        with Path(self.path).open("rb") as file_:
            for number, raw in enumerate(file_, start=1):
                if number <= self.after_line:
                    continue
                self.lines_read += 1
                item = self.parse(number, raw)
                if item is None:
                    self.blank_lines += 1
                else:
                    yield item

    def parse(self, number: int, raw: bytes) -> Optional[Union[InputRecord, Reject]]:
        """The record or reject of one raw line; None for a blank JSONL line."""
        if raw.startswith(UTF8_BOM):
            raw = raw[len(UTF8_BOM):]
        try:
            line = raw.decode("utf8")
        except UnicodeDecodeError as err:
            return Reject(number, BAD_ENCODING, f"not UTF-8 at byte column {err.start + 1} ({err.reason})")
        if self.input_format == "text":
            text = line.rstrip("\r\n")
            return InputRecord(number, {self.text_field: text}, text)
        if not line.strip():
            return None
        return self.parse_json(number, line)

    def parse_json(self, number: int, line: str) -> Union[InputRecord, Reject]:
        try:
            obj = json.loads(line)
        except ValueError as err:
            reason = getattr(err, "msg", str(err))
            column = getattr(err, "colno", None)
            return Reject(number, INVALID_JSON, f"not valid JSON: {reason}" + (f" at column {column}" if column else ""))
        if not isinstance(obj, dict):
            return Reject(number, NOT_AN_OBJECT, f"a JSON {type(obj).__name__}, not an object")
        if self.text_field not in obj:
            return Reject(number, MISSING_TEXT, f"no {self.text_field!r} field")
        text = obj[self.text_field]
        if not isinstance(text, str):
            return Reject(number, TEXT_NOT_A_STRING, f"{self.text_field!r} is a JSON {type(text).__name__}, not a string")
        if SURROGATE_ESCAPE_RE.search(line) and not _storable(obj):
            return Reject(number, LONE_SURROGATE, "a \\u escape of a lone surrogate: not storable as UTF-8")
        return InputRecord(number, obj, text)


def _storable(obj: Any) -> bool:
    try:
        json.dumps(obj, ensure_ascii=False).encode("utf8")
    except UnicodeEncodeError:
        return False
    return True


def json_line(obj: Dict[str, Any]) -> bytes:
    """One JSONL line: UTF-8 JSON (non-ASCII kept), keys in the dict's order, a newline."""
    return json.dumps(obj, ensure_ascii=False).encode("utf8") + b"\n"


def count_lines(path: Path, chunk_size: int = 1 << 20) -> int:
    """Physical lines of a file (a last line without a newline counts), read in chunks."""
    count, last = 0, b"\n"
    with Path(path).open("rb") as file_:
        for chunk in iter(lambda: file_.read(chunk_size), b""):
            count += chunk.count(b"\n")
            last = chunk[-1:]
    return count + (last != b"\n")


def truncate_partial_line(path: Path) -> None:
    """Cut a file after its last newline (a line cut short by a kill goes); no file, nothing to do."""
    path = Path(path)
    if not path.exists():
        return
    with path.open("r+b") as file_:
        size = file_.seek(0, 2)
        end = size
        while end > 0:
            start = max(0, end - (1 << 16))
            file_.seek(start)
            found = file_.read(end - start).rfind(b"\n")
            if found >= 0:
                end = start + found + 1
                break
            end = start
        if end != size:
            file_.truncate(end)


def last_line_number(path: Path) -> int:
    """The ``"line"`` of the last complete line of an output file, after truncating a partial one; 0 if none."""
    truncate_partial_line(path)
    path = Path(path)
    if not path.exists():
        return 0
    with path.open("rb") as file_:
        size = file_.seek(0, 2)
        if size == 0:
            return 0
        start = size - 1
        while start > 0:
            start = max(0, start - (1 << 16))
            file_.seek(start)
            tail = file_.read(size - 1 - start)
            newline = tail.rfind(b"\n")
            if newline >= 0:
                start += newline + 1
                break
        file_.seek(start)
        return int(json.loads(file_.readline())[LINE_KEY])


def truncate_after_line(path: Path, line: int) -> None:
    """Keep the lines of a line-keyed side file (rejects, audit) up to input line ``line``, drop the rest.

    Side files are written in input order, so everything from the first line past ``line``
    on is what an interrupted run wrote ahead of its output; resuming derives it again.
    """
    truncate_partial_line(path)
    path = Path(path)
    if not path.exists():
        return
    with path.open("r+b") as file_:
        offset = 0
        for raw in file_:
            if int(json.loads(raw)[LINE_KEY]) > line:
                file_.truncate(offset)
                return
            offset += len(raw)
