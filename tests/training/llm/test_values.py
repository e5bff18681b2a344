"""The LLM generator computes each entity's value: valid ones are written with it, a PHONE, MONEY or
CONTRACT whose value cannot be computed rejects its utterance with a counted reason."""
from spacy_callner.training.data import read_annotated_jsonl
from spacy_callner.training.llm import annotate
from spacy_callner.training.llm.annotate import annotate_utterance

from .fakes import FakeAnthropic, good_item, message, read_records, utterances

VALUED_ITEM = {
    "text": "계약번호 kr-2026-0042 건으로 공일공 일이삼사 오육칠팔 번호에 3만 5천 원 환불됐어요",
    "entities": [
        {"text": "kr-2026-0042", "label": "CONTRACT"},
        {"text": "공일공 일이삼사 오육칠팔", "label": "PHONE"},
        {"text": "3만 5천 원", "label": "MONEY"},
    ],
    "intent": "refund_return",
}
VALUELESS_PHONE = {"text": "번호는 공일공 일이삼 맞아요", "entities": [{"text": "공일공 일이삼", "label": "PHONE"}]}


def test_accepted_entities_carry_their_computed_values(korean_nlp):
    annotation = annotate_utterance(VALUED_ITEM, korean_nlp)
    assert annotation.reason is None, annotation.detail
    values = {ent["label"]: ent["value"] for ent in annotation.record["entities"]}
    assert values == {
        "CONTRACT": {"id": "KR-2026-0042"},
        "PHONE": {"digits": "01012345678", "kind": "mobile"},
        "MONEY": {"amount": 35000, "currency": "KRW"},
    }


def test_an_entity_whose_value_cannot_be_computed_rejects_the_utterance(korean_nlp):
    annotation = annotate_utterance(VALUELESS_PHONE, korean_nlp)
    assert annotation.record is None
    assert annotation.reason == annotate.NO_VALUE
    assert "'공일공 일이삼'" in annotation.detail and "6 digits" in annotation.detail


def test_the_run_writes_values_and_counts_valueless_entities(run_generator, korean_nlp):
    money_without_value = {"text": "요금이 만만 원 나왔어요", "entities": [{"text": "만만 원", "label": "MONEY"}]}
    client = FakeAnthropic([message(utterances(good_item(3), VALUELESS_PHONE, money_without_value, VALUED_ITEM))])
    _, report, path = run_generator(client, 2, per_request=4)
    assert dict(report.rejected) == {annotate.NO_VALUE: 2}
    assert len(report.samples[annotate.NO_VALUE]) == 2
    written = read_records(path)
    assert [[ent.get("value") for ent in record["entities"]] for record in written] == [
        [{"amount": 30000, "currency": "KRW"}, {"digits": "01000035678", "kind": "mobile"}],
        [{"id": "KR-2026-0042"}, {"digits": "01012345678", "kind": "mobile"}, {"amount": 35000, "currency": "KRW"}],
    ]
    records, validation = read_annotated_jsonl(path, korean_nlp, strict=True)
    assert validation.ok and sum(len(record.values) for record in records) == 5
