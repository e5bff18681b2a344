"""Reading numbered input lines (every reject kind), JSONL lines out, and cutting files back for a resume."""
import json

import pytest

from spacy_callner.io import (BAD_ENCODING, INVALID_JSON, LONE_SURROGATE, MISSING_TEXT, NOT_AN_OBJECT,
                              TEXT_NOT_A_STRING, InputReader, InputRecord, Reject, count_lines, input_format_for,
                              json_line, last_line_number, truncate_after_line, truncate_partial_line)

BAD_LINES = [
    (b"{not json\n", INVALID_JSON),
    (b"[1, 2]\n", NOT_AN_OBJECT),
    (b"\"just a string\"\n", NOT_AN_OBJECT),
    (b"{\"id\": 7}\n", MISSING_TEXT),
    (b"{\"text\": 5}\n", TEXT_NOT_A_STRING),
    (b"{\"text\": null}\n", TEXT_NOT_A_STRING),
    (b"{\"text\": \"\\ud800 x\"}\n", LONE_SURROGATE),
    ("{\"text\": \"번호\"}".encode("utf8")[:-4] + b"\xff\"}\n", BAD_ENCODING),
]


def write(tmp_path, data: bytes, name="in.jsonl"):
    path = tmp_path / name
    path.write_bytes(data)
    return path


def test_every_bad_line_kind_is_a_reject_with_its_line_number(tmp_path):
    good = "{\"text\": \"010-1234-5678로 주세요\", \"id\": \"c1\"}\n".encode("utf8")
    path = write(tmp_path, good + b"".join(raw for raw, _ in BAD_LINES) + good)
    items = list(InputReader(path))
    assert [type(item) for item in items] == [InputRecord] + [Reject] * len(BAD_LINES) + [InputRecord]
    assert [(r.line, r.reason) for r in items[1:-1]] == [(n, reason) for n, (_, reason) in enumerate(BAD_LINES, 2)]
    assert items[-1].line == len(BAD_LINES) + 2 and items[-1].fields == {"text": "010-1234-5678로 주세요", "id": "c1"}


def test_a_reject_message_never_quotes_the_line(tmp_path):
    secret = "010-9999-8888"
    lines = [f"{{\"text\": \"{secret}\", oops}}", f"[\"{secret}\"]", f"{{\"txt\": \"{secret}\"}}"]
    path = write(tmp_path, ("\n".join(lines) + "\n").encode("utf8"))
    assert all(secret not in json.dumps(reject.to_json()) for reject in InputReader(path))


def test_the_surrogate_check_lets_an_escaped_pair_through(tmp_path):
    path = write(tmp_path, b"{\"text\": \"\\ud83d\\ude00 \\uc548\\ub155\"}\n")
    [record] = InputReader(path)
    assert record.text == "\U0001F600 안녕"


def test_blank_lines_are_counted_and_numbers_stay_physical(tmp_path):
    path = write(tmp_path, b"\xef\xbb\xbf{\"text\": \"a\"}\n\n   \n{\"text\": \"b\"}\r\n")
    reader = InputReader(path)
    assert [(item.line, item.text) for item in reader] == [(1, "a"), (4, "b")]
    assert (reader.lines_read, reader.blank_lines) == (4, 2)


def test_plain_text_lines_are_utterances_blank_ones_empty(tmp_path):
    path = write(tmp_path, "첫 줄 010-1234-5678\r\n\n마지막 줄".encode("utf8") + b"\n\xc3(\n", "in.txt")
    assert input_format_for(path) == "text"
    items = list(InputReader(path, "text", text_field="utterance"))
    assert [(item.line, item.fields) for item in items[:3]] == [
        (1, {"utterance": "첫 줄 010-1234-5678"}), (2, {"utterance": ""}), (3, {"utterance": "마지막 줄"})]
    assert (items[3].line, items[3].reason) == (4, BAD_ENCODING)


def test_input_format_from_suffix_or_given(tmp_path):
    assert input_format_for(tmp_path / "a.jsonl") == input_format_for(tmp_path / "a.json") == "jsonl"
    assert input_format_for(tmp_path / "a.TXT") == "text"
    assert input_format_for(tmp_path / "a.txt", "jsonl") == "jsonl"
    with pytest.raises(ValueError):
        input_format_for(tmp_path / "a.txt", "csv")


def test_reading_after_a_line_skips_up_to_it(tmp_path):
    path = write(tmp_path, b"".join(b"{\"text\": \"%d\"}\n" % n for n in range(1, 6)))
    reader = InputReader(path, after_line=3)
    assert [item.line for item in reader] == [4, 5] and reader.lines_read == 2


def test_json_line_keeps_korean_and_key_order():
    line = json_line({"z": "계약", "a": 1.5, "line": 3})
    assert line == "{\"z\": \"계약\", \"a\": 1.5, \"line\": 3}\n".encode("utf8")


def test_count_lines_counts_a_last_line_without_newline(tmp_path):
    assert count_lines(write(tmp_path, b"")) == 0
    assert count_lines(write(tmp_path, b"a\nb\n")) == 2
    assert count_lines(write(tmp_path, b"a\nb")) == 2


def test_last_line_number_drops_a_partial_line(tmp_path):
    full = json_line({"text": "가", "line": 2}) + json_line({"text": "나", "line": 5})
    path = write(tmp_path, full + b"{\"text\": \"\xeb\x8b")
    assert last_line_number(path) == 5 and path.read_bytes() == full
    assert last_line_number(tmp_path / "missing.jsonl") == 0
    assert last_line_number(write(tmp_path, b"{\"line\": 1")) == 0


def test_last_line_number_reads_back_over_a_long_line(tmp_path):
    long_line = json_line({"text": "가" * 100_000, "line": 9})
    path = write(tmp_path, json_line({"line": 1}) + long_line)
    assert last_line_number(path) == 9


def test_truncate_partial_line_leaves_complete_files_alone(tmp_path):
    path = write(tmp_path, b"a\nb\n")
    truncate_partial_line(path)
    assert path.read_bytes() == b"a\nb\n"


def test_truncate_after_line_keeps_side_lines_up_to_the_output(tmp_path):
    lines = [json_line({"line": n, "reason": "invalid_json"}) for n in (2, 4, 7, 9)]
    path = write(tmp_path, b"".join(lines) + b"{\"line\": 1")
    truncate_after_line(path, 4)
    assert path.read_bytes() == lines[0] + lines[1]
    truncate_after_line(path, 0)
    assert path.read_bytes() == b""
