"""Dirty corpus files: one bad line never costs the valid ones (issue 10, "convert never loses valid data").

Each bad-file kind is written as real bytes around good lines; the valid lines are
all kept, the problem names file:line, and the CLI exits 0 leniently and 1 in
strict mode with the report file written either way.
"""
import json
import subprocess
import sys

import pytest
import srsly
from spacy.tokens import DocBin

from spacy_callner.training.data import (
    DataValidationError, read_annotated_jsonl, read_raw_spans, records_to_docbin, validate_record,
)
from spacy_callner.training.jsonl_lines import whitespace_cuts

from ..conftest import REPO_ROOT

CONVERT = str(REPO_ROOT / "scripts" / "convert.py")
BOM = b"\xef\xbb\xbf"


def _good(i: int) -> bytes:
    record = {"text": f"010-1234-567{i}로 문자 주세요", "entities": [{"start": 0, "end": 13, "label": "PHONE"}]}
    return json.dumps(record, ensure_ascii=False).encode("utf8")


def _write(path, *lines: bytes):
    path.write_bytes(b"\n".join(lines) + b"\n")
    return path


def _problems_at(report, path, line_no):
    return [p.kind for p in report.problems if p.source == f"{path}:{line_no}" or p.source.startswith(f"{path}:{line_no} ")]


def _kept_lines(records, path):
    return sorted(int(r.source[len(str(path)) + 1:].split()[0]) for r in records)


def test_non_utf8_byte_is_a_problem_on_its_line(tmp_path, korean_nlp):
    path = _write(tmp_path / "latin1.jsonl", _good(1), b'{"text": "14\xb8\xe5 won", "entities": []}', _good(2))
    records, report = read_annotated_jsonl(path, korean_nlp)
    assert _kept_lines(records, path) == [1, 3]
    assert _problems_at(report, path, 2) == ["bad_encoding"]
    problem = report.problems[0]
    assert "byte column 13" in problem.message and str(problem).startswith(f"{path}:2:")
    assert (report.n_lines, report.n_records, report.n_records_skipped) == (3, 2, 1)


def test_utf8_encoded_surrogate_bytes_are_bad_encoding(tmp_path, korean_nlp):
    path = _write(tmp_path / "cesu.jsonl", _good(1), b'{"text": "\xed\xa0\xbd", "entities": []}')
    records, report = read_annotated_jsonl(path, korean_nlp)
    assert _kept_lines(records, path) == [1] and report.counts() == {"bad_encoding": 1}


def test_lone_surrogate_escape_is_a_problem_and_the_rest_converts(tmp_path, korean_nlp):
    path = _write(tmp_path / "surrogate.jsonl", _good(1),
                  b'{"text": "\\ud83d 010-1234-5670", "entities": [{"start": 2, "end": 15, "label": "PHONE"}]}',
                  b'{"text": "\\ud83d\\ude00 paired is fine", "entities": []}', _good(2))
    records, report = read_annotated_jsonl(path, korean_nlp)
    assert _kept_lines(records, path) == [1, 3, 4]
    assert _problems_at(report, path, 2) == ["lone_surrogate"]
    assert report.counts() == {"lone_surrogate": 1} and report.n_records_skipped == 1
    docbin = records_to_docbin(korean_nlp, records)
    assert len(DocBin().from_bytes(docbin.to_bytes())) == 3
    assert "\\ud83d" in str(report.problems[0]), "the message itself must be writable as UTF-8"
    srsly.write_json(tmp_path / "report.json", report.to_json())


def test_lone_surrogate_in_a_label_or_meta_is_rejected_by_validate_record(korean_nlp):
    record, problems = validate_record(
        {"text": "14만 원", "entities": [{"start": 0, "end": 5, "label": "MONEY\udc00"}]}, korean_nlp, source="x:1")
    assert record is None and [p.kind for p in problems] == ["lone_surrogate"]


def test_bom_keeps_line_one(tmp_path, korean_nlp):
    path = _write(tmp_path / "bom.jsonl", BOM + _good(1), _good(2), BOM + _good(3))
    records, report = read_annotated_jsonl(path, korean_nlp)
    assert report.ok, report.problems
    assert _kept_lines(records, path) == [1, 2, 3] and report.n_spans == 3


def test_duplicate_entity_is_reported_and_kept_once(tmp_path, korean_nlp):
    money = {"start": 0, "end": 5, "label": "MONEY"}
    line = json.dumps({"text": "14만 원 냈어요", "entities": [money, money]}, ensure_ascii=False).encode()
    path = _write(tmp_path / "dup.jsonl", _good(1), line)
    records, report = read_annotated_jsonl(path, korean_nlp)
    assert _kept_lines(records, path) == [1, 2]
    assert _problems_at(report, path, 2) == ["duplicate_entity"]
    assert records[1].entities == [(0, 5, "MONEY")]
    assert (report.n_spans, report.n_spans_dropped) == (2, 1)


def test_over_long_text_is_split_at_whitespace_outside_entities(tmp_path, korean_nlp):
    unit = "네 고객님 14만 원 보내 드렸어요. "
    text = unit * 12
    entities = [{"start": i * len(unit) + 6, "end": i * len(unit) + 11, "label": "MONEY"} for i in range(12)]
    path = tmp_path / "long.jsonl"
    srsly.write_jsonl(path, [{"text": "안녕하세요", "entities": []}, {"text": text, "entities": entities},
                             {"text": "가" * 150, "entities": []}, {"text": "네", "entities": []}])
    max_length, korean_nlp.max_length = korean_nlp.max_length, 100
    try:
        records, report = read_annotated_jsonl(path, korean_nlp)
    finally:
        korean_nlp.max_length = max_length
    pieces = [r for r in records if r.source.startswith(f"{path}:2 ")]
    assert len(pieces) == 3 and all(len(r.text) <= 100 for r in pieces)
    assert "".join(r.text for r in pieces).split() == text.split()
    assert [r.text[s:e] for r in pieces for s, e, _ in r.entities] == ["14만 원"] * 12
    assert _problems_at(report, path, 2) == ["text_split"] and _problems_at(report, path, 3) == ["text_too_long"]
    assert _kept_lines(records, path) == [1, 2, 2, 2, 4]
    assert (report.n_spans, report.n_spans_dropped, report.n_records_skipped) == (12, 0, 1)
    assert len(records_to_docbin(korean_nlp, records)) == 5


def test_whitespace_cuts_never_cut_inside_a_span():
    text = "가 나 다 라 마 바"
    assert whitespace_cuts(text, [], 20) is None
    assert whitespace_cuts(text, [], 4) == [(0, 4), (4, 8), (8, 11)]
    assert whitespace_cuts(text, [(2, 5)], 4) == [(0, 2), (2, 6), (6, 10), (10, 11)]
    assert whitespace_cuts(text, [(0, 5)], 4) is None


def test_whitespace_only_piece_is_left_out(tmp_path, korean_nlp):
    path = tmp_path / "spaces.jsonl"
    srsly.write_jsonl(path, [{"text": " " * 150 + "14만 원", "entities": [{"start": 150, "end": 155, "label": "MONEY"}]}])
    max_length, korean_nlp.max_length = korean_nlp.max_length, 100
    try:
        records, report = read_annotated_jsonl(path, korean_nlp)
    finally:
        korean_nlp.max_length = max_length
    assert [(r.text.strip(), r.entities) for r in records] == [("14만 원", [(50, 55, "MONEY")])]
    assert report.counts() == {"text_split": 1} and report.n_spans == 1


def test_real_over_long_text_converts_in_pieces(tmp_path, korean_nlp):
    unit = "네 고객님 010-1234-5678로 문자 드렸어요. "
    text = unit * (1_000_001 // len(unit) + 1)
    path = tmp_path / "huge.jsonl"
    srsly.write_jsonl(path, [{"text": text, "entities": [{"start": 6, "end": 19, "label": "PHONE"}]}])
    records, report = read_annotated_jsonl(path, korean_nlp)
    assert len(text) > korean_nlp.max_length and report.counts() == {"text_split": 1}
    assert len(records) == 2 and records[0].entities == [(6, 19, "PHONE")]
    assert read_raw_spans(path)[0][0] == text


def test_empty_input_fails_strict(tmp_path, korean_nlp):
    path = tmp_path / "empty.jsonl"
    path.write_bytes(b"\n  \n")
    records, report = read_annotated_jsonl(path, korean_nlp)
    assert records == [] and report.counts() == {"no_records": 1}
    with pytest.raises(DataValidationError, match="problems"):
        read_annotated_jsonl(path, korean_nlp, strict=True)


def _convert(path, out, *extra):
    report = out / "report.json"
    run = subprocess.run([sys.executable, CONVERT, str(path), str(out), "--report", str(report),
                          "--dev-fraction", "0", "--test-fraction", "0", *extra],
                         capture_output=True, text=True)
    return run, (srsly.read_json(report) if report.exists() else None)


@pytest.fixture(scope="module")
def dirty_file(tmp_path_factory):
    """Every bad-line kind between good lines, with a BOM on line 1 and a text over spaCy's max_length."""
    huge = json.dumps({"text": "네 고객님 " * 170_000, "entities": []}).encode()
    money = {"start": 0, "end": 5, "label": "MONEY"}
    dup = json.dumps({"text": "14만 원 냈어요", "entities": [money, money]}, ensure_ascii=False).encode()
    path = tmp_path_factory.mktemp("dirty") / "dirty.jsonl"
    return _write(path, BOM + _good(1), b'{"text": "\\ud83d", "entities": []}', b'{"text": "\xff", "entities": []}',
                  huge, dup, b"{broken", _good(2))


def test_cli_keeps_every_valid_line_and_writes_the_report(dirty_file, tmp_path):
    run, report = _convert(dirty_file, tmp_path / "lenient")
    assert run.returncode == 0, run.stdout + run.stderr
    validation = report["validation"]
    assert validation["problems_by_kind"] == {
        "bad_encoding": 1, "malformed_json": 1, "lone_surrogate": 1, "text_split": 1, "duplicate_entity": 1}
    assert (validation["records_kept"], validation["records_skipped"]) == (5, 3)
    assert report["splits"]["train"] == 5
    assert len(DocBin().from_disk(tmp_path / "lenient" / "train.spacy")) == 5
    for line_no in (2, 3, 4, 5, 6):
        assert any(p.startswith(f"{dirty_file}:{line_no}") for p in validation["problems"]), line_no


def test_cli_strict_lists_every_problem_and_writes_the_report(tmp_path):
    lines = [_good(0)] + [
        json.dumps({"text": f"갤럭시 S2{i} 샀어요", "entities": [{"start": 0, "end": 7, "label": "GADGET"}]},
                   ensure_ascii=False).encode() for i in range(42)]
    path = _write(tmp_path / "many.jsonl", *lines)
    run, report = _convert(path, tmp_path / "strict", "--strict")
    assert run.returncode == 1
    assert report is not None and report["validation"]["problems_by_kind"] == {"unknown_label": 42}
    assert len(report["validation"]["problems"]) == 42 and "strict" in report["error"]
    output = " ".join((run.stdout + run.stderr).split())
    for line_no in range(2, 44):
        assert f"many.jsonl:{line_no} entity 0: unknown_label" in output, line_no
    assert not (tmp_path / "strict" / "train.spacy").exists()


def test_cli_strict_fails_on_dirty_and_empty_files(dirty_file, tmp_path):
    run, report = _convert(dirty_file, tmp_path / "dirty", "--strict")
    assert run.returncode == 1 and report["validation"]["records_skipped"] == 3
    empty = tmp_path / "empty.jsonl"
    empty.write_bytes(b"")
    run, report = _convert(empty, tmp_path / "empty_strict", "--strict")
    assert run.returncode == 1 and report["validation"]["problems_by_kind"] == {"no_records": 1}
    run, report = _convert(empty, tmp_path / "empty_lenient")
    assert run.returncode == 0 and report["validation"]["problems_by_kind"] == {"no_records": 1}
