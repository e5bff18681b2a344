"""The optional `intent` of the JSONL format: validated, carried into `doc.cats`, counted by convert."""
import subprocess
import sys

import pytest
import srsly
from spacy.tokens import DocBin

from spacy_callner.scheme.intents import INTENT_LABELS, intent_cats
from spacy_callner.training.corpus import convert_corpus
from spacy_callner.training.data import _validate_line, read_annotated_jsonl, validate_record
from spacy_callner.training.reports import ConvertReport

from ..conftest import REAL_DEV_PATH, REPO_ROOT

PHONE_LINE = {"text": "010-1234-5678로 문자 주세요", "entities": [{"start": 0, "end": 13, "label": "PHONE"}]}


def _write(tmp_path, records, name="data.jsonl"):
    path = tmp_path / name
    srsly.write_jsonl(path, records)
    return path


def test_a_valid_intent_is_kept_and_written_back(korean_nlp):
    record, problems = validate_record(dict(PHONE_LINE, intent="account_contact"), korean_nlp, source="f:1")
    assert problems == []
    assert record.intent == "account_contact" and not record.invalid_intent
    assert record.to_json()["intent"] == "account_contact"


@pytest.mark.parametrize("intent, shown", [("fixing", "'fixing'"), (3, "3"), ("Billing", "'Billing'"), ([], "[]")])
def test_an_invalid_intent_is_reported_with_its_line_and_value_and_the_entities_kept(tmp_path, korean_nlp, intent, shown):
    path = _write(tmp_path, [PHONE_LINE, dict(PHONE_LINE, text="010-1234-5678로 전화 주세요", intent=intent)])
    records, report = read_annotated_jsonl(path, korean_nlp)
    assert len(records) == 2 and report.n_spans == 2
    assert records[1].intent is None and records[1].invalid_intent
    assert report.counts() == {"bad_intent": 1}
    assert f"{path}:2" in str(report.problems[0]) and shown in str(report.problems[0])


def test_a_missing_or_null_intent_is_no_problem(tmp_path, korean_nlp):
    path = _write(tmp_path, [PHONE_LINE, dict(PHONE_LINE, text="010-1234-5678로 전화 주세요", intent=None)])
    records, report = read_annotated_jsonl(path, korean_nlp)
    assert report.ok and [r.intent for r in records] == [None, None]
    assert not any(r.invalid_intent for r in records)


def test_a_long_record_split_into_pieces_keeps_its_intent(korean_nlp):
    text = "네 " * 30 + "010-1234-5678로 문자 주세요"
    korean_nlp.max_length, saved = 40, korean_nlp.max_length
    try:
        record = {"text": text, "entities": [{"start": 60, "end": 73, "label": "PHONE"}], "intent": "account_contact"}
        kept, problems = _validate_line(record, korean_nlp, ("PHONE",), "f:1")
    finally:
        korean_nlp.max_length = saved
    assert len(kept) > 1 and {piece.intent for piece in kept} == {"account_contact"}


def test_convert_writes_doc_cats_and_counts_intents_per_split(tmp_path, korean_nlp):
    records = [dict(PHONE_LINE, text=f"010-1234-5678로 문자 {i}번 주세요", intent=INTENT_LABELS[i % 3]) for i in range(9)]
    records.append(dict(PHONE_LINE, text="010-1234-5678로 다시 주세요", intent="nope"))
    records.append(dict(PHONE_LINE, text="010-1234-5678로 내일 주세요"))
    path = _write(tmp_path, records)
    out = tmp_path / "out"
    result = convert_corpus(path, out, dev_fraction=0, test_fraction=0)
    train = result.intents["train"]
    assert train.counts == {label: (3 if label in INTENT_LABELS[:3] else 0) for label in INTENT_LABELS}
    assert (train.missing, train.invalid) == (2, 1)
    assert result.validation.problems_by_kind == {"bad_intent": 1}
    docs = list(DocBin().from_disk(out / "train.spacy").get_docs(korean_nlp.vocab))
    by_text = {doc.text: doc for doc in docs}
    assert by_text["010-1234-5678로 문자 1번 주세요"].cats == intent_cats(INTENT_LABELS[1])
    assert by_text["010-1234-5678로 다시 주세요"].cats == {}
    assert len(by_text["010-1234-5678로 다시 주세요"].ents) == 1
    reloaded = ConvertReport.from_json(result.to_json())
    assert reloaded.intents["train"] == train


def test_convert_cli_reports_real_dev_intents(tmp_path):
    offline = _write(tmp_path, [dict(PHONE_LINE, intent="account_contact")])
    report_path = tmp_path / "convert.json"
    subprocess.run(
        [sys.executable, str(REPO_ROOT / "scripts" / "convert.py"), str(offline), str(tmp_path / "out"),
         "--dev-fraction", "0", "--test-fraction", "0", "--real-dev", str(REAL_DEV_PATH), "--report", str(report_path)],
        check=True, capture_output=True, cwd=REPO_ROOT,
    )
    report = srsly.read_json(report_path)
    assert report["intents"]["train"]["counts"]["account_contact"] == 1
    real = report["real_dev"]["intents"]
    assert real["missing"] == 0 and sum(real["counts"].values()) == 443
