"""The output JSONL file: what a previous run left there, and appending new records.

Records are appended and flushed one by one, so an interruption loses only the
requests in flight; a re-run reads what is there (cutting a half-written last
line, keeping a complete one that only lacks its newline), and tops the file
up without repeating a text. Near-duplicates are caught by `dedup_key`.
"""
import json
import re
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any, Dict, Set, TextIO

from spacy.language import Language

from ..data import validate_record

DEDUP_STRIP = re.compile(r"[\W_]+")


def dedup_key(text: str) -> str:
    """Text without whitespace and punctuation, case-folded: near-duplicates collide."""
    return DEDUP_STRIP.sub("", text).casefold()


@dataclass
class ExistingOutput:
    """What a previous run left in the output file."""

    n_records: int = 0
    keys: Set[str] = field(default_factory=set)
    next_request_index: int = 0
    n_unusable_lines: int = 0
    cut_partial_line: bool = False
    cut_text: str = ""


def _is_complete_json(line: bytes) -> bool:
    try:
        json.loads(line.decode("utf8", errors="replace"))
    except ValueError:
        return False
    return True


def _mend_last_line(path: Path, data: bytes, existing: ExistingOutput) -> bytes:
    """Make the file end with a newline so that appending starts on a fresh line; returns what is kept.

    A last line without its newline is either a complete record (written by
    hand, or by a tool that omits the final newline), which is kept and given
    its newline, or what a killed run left mid-write, which is cut off.
    """
    keep = data.rfind(b"\n") + 1
    last_line = data[keep:]
    if not last_line.strip():
        return data
    if _is_complete_json(last_line):
        with path.open("ab") as file_:
            file_.write(b"\n")
        return data + b"\n"
    with path.open("r+b") as file_:
        file_.truncate(keep)
    existing.cut_partial_line = True
    existing.cut_text = last_line.decode("utf8", errors="replace")
    return data[:keep]


def read_existing_output(path: Path, nlp: Language) -> ExistingOutput:
    """Count the valid records already written, for resuming and deduplication.

    A last line without its newline that is not complete JSON is what a killed
    run leaves mid-write; it is cut off (and reported as `cut_text`).
    """
    existing = ExistingOutput()
    if not path.exists():
        return existing
    data = path.read_bytes()
    if data and not data.endswith(b"\n"):
        data = _mend_last_line(path, data, existing)
    for raw_line in data.split(b"\n"):  # not str.splitlines: U+2028 inside a record is no line break
        line = raw_line.decode("utf8", errors="replace")
        if not line.strip():
            continue
        try:
            obj = json.loads(line)
        except ValueError:
            existing.n_unusable_lines += 1
            continue
        record, problems = validate_record(obj, nlp)
        if record is None or problems:
            existing.n_unusable_lines += 1
            continue
        existing.n_records += 1
        existing.keys.add(dedup_key(record.text))
        request_index = record.meta.get("request_index")
        if isinstance(request_index, int):
            existing.next_request_index = max(existing.next_request_index, request_index + 1)
    return existing


def append_record(out: TextIO, record: Dict[str, Any]) -> None:
    """Write one record as a JSONL line and flush it, so a crash cannot lose it."""
    out.write(json.dumps(record, ensure_ascii=False) + "\n")
    out.flush()


def report_path_for(output_path: Path) -> Path:
    """Where the run report of `output_path` is saved (next to it)."""
    return output_path.with_name(output_path.name + ".report.json")
