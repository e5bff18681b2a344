"""The output file: resuming from what a previous run left, and near-duplicate keys."""
import json

from spacy_callner.training.llm.output import append_record, dedup_key, read_existing_output


def test_near_duplicates_share_a_key():
    assert dedup_key("네, 잠시만요!") == dedup_key("네 잠시만요") != dedup_key("네 잠깐만요")


def test_existing_output_counts_valid_records_and_cuts_a_partial_line(tmp_path, korean_nlp):
    path = tmp_path / "llm.jsonl"
    with path.open("w", encoding="utf8") as out:
        append_record(out, {"text": "5만 원 냈어요", "entities": [{"start": 0, "end": 4, "label": "MONEY"}],
                            "meta": {"request_index": 4}})
        append_record(out, {"text": "5만을 냈어요", "entities": [{"start": 0, "end": 3, "label": "MONEY"}]})
        out.write("not json\n")
        out.write('{"text": "이번 달')
    existing = read_existing_output(path, korean_nlp)
    assert existing.n_records == 1 and existing.n_unusable_lines == 2 and existing.cut_partial_line
    assert existing.keys == {dedup_key("5만 원 냈어요")} and existing.next_request_index == 5
    assert path.read_text(encoding="utf8").endswith("not json\n")


def test_a_complete_last_record_without_a_newline_is_kept(tmp_path, korean_nlp):
    path = tmp_path / "llm.jsonl"
    record = {"text": "5만 원 냈어요", "entities": [{"start": 0, "end": 4, "label": "MONEY"}]}
    path.write_text(json.dumps(record, ensure_ascii=False), encoding="utf8")
    existing = read_existing_output(path, korean_nlp)
    assert existing.n_records == 1 and not existing.cut_partial_line and existing.cut_text == ""
    assert path.read_text(encoding="utf8") == json.dumps(record, ensure_ascii=False) + "\n"
    with path.open("a", encoding="utf8") as out:
        append_record(out, {**record, "text": "6만 원 냈어요"})
    assert read_existing_output(path, korean_nlp).n_records == 2


def test_a_cut_last_line_is_reported(tmp_path, korean_nlp):
    path = tmp_path / "llm.jsonl"
    path.write_text('{"text": "5만 원 냈어요", "entities": [{"start": 0, "end"', encoding="utf8")
    existing = read_existing_output(path, korean_nlp)
    assert existing.cut_partial_line and existing.cut_text == '{"text": "5만 원 냈어요", "entities": [{"start": 0, "end"'
    assert path.read_bytes() == b""


def test_a_line_separator_inside_a_record_does_not_split_it(tmp_path, korean_nlp):
    path = tmp_path / "llm.jsonl"
    with path.open("w", encoding="utf8") as out:
        append_record(out, {"text": "네\u2028잠시만 5만 원", "entities": [{"start": 6, "end": 10, "label": "MONEY"}]})
    existing = read_existing_output(path, korean_nlp)
    assert existing.n_records == 1 and existing.n_unusable_lines == 0
