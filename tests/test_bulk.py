"""The streaming engine on a real rule pipeline (Korean tokenizer, regex, values): order, lines, resume."""
import json

import pytest

from spacy_callner.bulk import (OUT, Annotated, BulkFiles, StreamSettings, annotate_stream, annotation_line,
                                run_bulk)
from spacy_callner.io import INVALID_JSON, InputRecord, Reject
from spacy_callner.tokenizer import make_korean_nlp

UTTERANCES = ["제 번호는 010-1234-5678 이고요", "계약번호 KR-2026-0042번이요", "", "네 알겠습니다"]


@pytest.fixture(scope="module")
def rule_nlp():
    nlp = make_korean_nlp()
    nlp.add_pipe("callner_regex_ner")
    nlp.add_pipe("callner_values")
    return nlp


def annotate_lines(doc, record):
    return {OUT: annotation_line(doc, record)}


def input_file(tmp_path, n_copies=1):
    lines = []
    for _ in range(n_copies):
        lines += [json.dumps({"id": f"c{len(lines)}", "text": text}, ensure_ascii=False) for text in UTTERANCES]
        lines.append("{broken")
    path = tmp_path / "in.jsonl"
    path.write_text("\n".join(lines) + "\n", encoding="utf8")
    return path


def test_stream_keeps_input_order_with_rejects_between(rule_nlp):
    items = [InputRecord(1, {"text": UTTERANCES[0]}, UTTERANCES[0]), Reject(2, INVALID_JSON, "x"),
             InputRecord(3, {"text": ""}, ""), InputRecord(4, {"text": UTTERANCES[1]}, UTTERANCES[1])]
    out = list(annotate_stream(rule_nlp, items, lambda doc, record: doc.text, batch_size=2))
    assert [type(item) for item in out] == [Annotated, Reject, Annotated, Annotated]
    assert [item.output for item in out if isinstance(item, Annotated)] == [UTTERANCES[0], "", UTTERANCES[1]]
    assert out[1] is items[1]


def test_annotation_line_passes_fields_through_and_replaces_ours(rule_nlp):
    record = InputRecord(7, {"entities": ["old"], "text": UTTERANCES[0], "line": 99, "meta": {"a": [1]}}, UTTERANCES[0])
    line = annotation_line(rule_nlp(record.text), record)
    assert list(line) == ["text", "meta", "line", "entities"]
    assert line["line"] == 7 and line["meta"] == {"a": [1]}
    assert [(e["label"], e["text"], e["start"], e["end"]) for e in line["entities"]] == [
        ("PHONE", "010-1234-5678", 6, 19)]
    assert line["entities"][0]["value"] == {"digits": "01012345678", "kind": "mobile"}


def test_annotation_line_passes_an_input_intent_through_a_ner_only_pipeline(rule_nlp):
    record = InputRecord(3, {"text": UTTERANCES[1], "intent": "cancellation"}, UTTERANCES[1])
    line = annotation_line(rule_nlp(record.text), record)
    assert line["intent"] == "cancellation"
    assert list(line) == ["text", "intent", "line", "entities"]


def test_annotation_line_carries_the_predicted_intent(rule_nlp):
    from spacy_callner.scheme.intents import intent_cats

    record = InputRecord(3, {"text": UTTERANCES[1], "intent": "cancellation"}, UTTERANCES[1])
    doc = rule_nlp(record.text)
    doc.cats = intent_cats("billing")
    line = annotation_line(doc, record)
    assert line["intent"] == {"label": "billing", "score": 1.0}
    assert list(line) == ["text", "line", "entities", "intent"]


def run(rule_nlp, tmp_path, input_path, name, **settings):
    files = BulkFiles(input_path, tmp_path / name, tmp_path / f"{name}.rejects.jsonl")
    summary = run_bulk(rule_nlp, files, StreamSettings(batch_size=3, progress=False, **settings), annotate_lines)
    return files, summary


def test_run_bulk_writes_every_line_once_and_counts(rule_nlp, tmp_path):
    files, summary = run(rule_nlp, tmp_path, input_file(tmp_path, 3), "out.jsonl")
    out = [json.loads(line) for line in files.out_path.read_text(encoding="utf8").splitlines()]
    rejects = [json.loads(line) for line in files.rejects_path.read_text(encoding="utf8").splitlines()]
    assert sorted([line["line"] for line in out] + [r["line"] for r in rejects]) == list(range(1, 16))
    assert [r["line"] for r in rejects] == [5, 10, 15]
    assert (summary.lines_read, summary.annotated, summary.rejected) == (15, 12, {INVALID_JSON: 3})
    assert summary.entities == {"PHONE": 3, "CONTRACT": 3}


@pytest.mark.parametrize("cut", ["partial_line", "rejects_ahead", "nothing_written", "after_the_end"])
def test_resume_after_an_interruption_gives_the_uninterrupted_files(rule_nlp, tmp_path, cut):
    input_path = input_file(tmp_path, 4)
    clean, _ = run(rule_nlp, tmp_path, input_path, "clean.jsonl")
    out_bytes, reject_bytes = clean.out_path.read_bytes(), clean.rejects_path.read_bytes()
    files = BulkFiles(input_path, tmp_path / "cut.jsonl", tmp_path / "cut.jsonl.rejects.jsonl")
    out_lines, reject_lines = out_bytes.splitlines(keepends=True), reject_bytes.splitlines(keepends=True)
    if cut == "partial_line":
        files.out_path.write_bytes(b"".join(out_lines[:5]) + out_lines[5][:17])
        files.rejects_path.write_bytes(reject_lines[0] + reject_lines[1][:5])
    elif cut == "rejects_ahead":
        files.out_path.write_bytes(b"".join(out_lines[:3]))
        files.rejects_path.write_bytes(b"".join(reject_lines[:3]))
    elif cut == "nothing_written":
        files.rejects_path.write_bytes(reject_lines[0])
    else:
        files.out_path.write_bytes(out_bytes)
        files.rejects_path.write_bytes(reject_bytes)
    summary = run_bulk(rule_nlp, files, StreamSettings(batch_size=3, progress=False, resume=True), annotate_lines)
    assert files.out_path.read_bytes() == out_bytes
    assert files.rejects_path.read_bytes() == reject_bytes
    expected_after = {"partial_line": json.loads(out_lines[4])["line"], "rejects_ahead": json.loads(out_lines[2])["line"],
                      "nothing_written": 0, "after_the_end": 19}[cut]
    assert summary.resumed_after_line == expected_after
    assert summary.lines_read == 20 - expected_after


def test_side_lines_reach_the_disk_before_the_output_line_they_precede(rule_nlp, tmp_path):
    """After every flush the rejects file holds every reject of a line up to the output's last line."""
    input_path = input_file(tmp_path, 4)
    files = BulkFiles(input_path, tmp_path / "out.jsonl", tmp_path / "out.jsonl.rejects.jsonl")
    seen = []

    def watching_lines(doc, record):
        out = [json.loads(line)["line"] for line in files.out_path.read_text(encoding="utf8").splitlines()]
        rejected = [json.loads(line)["line"] for line in files.rejects_path.read_text(encoding="utf8").splitlines()]
        if out:
            expected = [n for n in (5, 10, 15, 20) if n < out[-1]]
            seen.append(rejected[:len(expected)] == expected)
        return annotate_lines(doc, record)

    run_bulk(rule_nlp, files, StreamSettings(batch_size=2, progress=False), watching_lines)
    assert seen and all(seen)


def test_an_empty_input_gives_empty_files(rule_nlp, tmp_path):
    (tmp_path / "in.jsonl").write_bytes(b"")
    files, summary = run(rule_nlp, tmp_path, tmp_path / "in.jsonl", "out.jsonl")
    assert files.out_path.read_bytes() == files.rejects_path.read_bytes() == b""
    assert (summary.lines_read, summary.annotated, summary.words) == (0, 0, 0)
    assert summary.to_json()["rejected_total"] == 0
