"""corpus/real_dev.jsonl's hand-checked values: every PHONE, MONEY and CONTRACT span has one, and
every stored value is the one the normalisers compute from the span, so a normaliser change that
alters a checked value fails here. Spot values are also written out below."""
import json
from pathlib import Path

import pytest

from spacy_callner.scheme import CONTRACT, MONEY, PHONE, PRODUCT
from spacy_callner.training.data import read_annotated_jsonl
from spacy_callner.values import compute_value

REAL_DEV = Path(__file__).resolve().parents[2] / "corpus" / "real_dev.jsonl"


def _gold_spans():
    for line in REAL_DEV.read_text(encoding="utf-8").splitlines():
        record = json.loads(line)
        for entity in record["entities"]:
            if entity["label"] in (PHONE, MONEY, CONTRACT):
                yield entity["label"], record["text"][entity["start"]:entity["end"]]


def _gold_entities():
    for number, line in enumerate(REAL_DEV.read_text(encoding="utf-8").splitlines(), start=1):
        record = json.loads(line)
        for entity in record["entities"]:
            yield number, entity, record["text"][entity["start"]:entity["end"]]


def test_every_stored_value_is_the_computed_value():
    stored = [(number, entity, surface) for number, entity, surface in _gold_entities() if "value" in entity]
    differ = [(number, surface, entity["value"]) for number, entity, surface in stored
              if entity["value"] != compute_value(entity["label"], surface).value]
    assert len(stored) == 545
    assert differ == []


def test_every_entity_has_a_value():
    assert [(number, entity["label"], surface) for number, entity, surface in _gold_entities()
            if "value" not in entity] == []
    products = [entity["value"] for _, entity, _ in _gold_entities() if entity["label"] == PRODUCT]
    assert all(value["brand"] == value["brand"].lower() for value in products if value["brand"] is not None)


def test_the_validator_keeps_every_stored_value(korean_nlp):
    records, report = read_annotated_jsonl(REAL_DEV, korean_nlp)
    assert "value_mismatch" not in report.counts() and "bad_value" not in report.counts()
    n_stored = sum("value" in entity for _, entity, _ in _gold_entities())
    assert sum(len(record.values) for record in records) == n_stored == 545


def test_every_gold_span_has_a_value():
    spans = list(_gold_spans())
    failures = [(label, surface, compute_value(label, surface).error) for label, surface in spans
                if compute_value(label, surface).value is None]
    assert len(spans) > 300
    assert failures == []


@pytest.mark.parametrize("label,surface,value", [
    (PHONE, "공이에 칠칠칠에 팔팔팔팔", {"digits": "027778888", "kind": "landline"}),
    (PHONE, "010에 6628에 1174", {"digits": "01066281174", "kind": "mobile"}),
    (PHONE, "080-0440-7788", {"digits": "08004407788", "kind": "toll_free"}),
    (MONEY, "3만 4천9백 원", {"amount": 34900, "currency": "KRW"}),
    (MONEY, "만 삼천이백 원", {"amount": 13200, "currency": "KRW"}),
    (MONEY, "1000만원", {"amount": 10000000, "currency": "KRW"}),
    (MONEY, "일백이십삼만 원", {"amount": 1230000, "currency": "KRW"}),
    (CONTRACT, "kr-2025-0099", {"id": "KR-2025-0099"}),
])
def test_real_dev_surfaces(label, surface, value):
    assert (label, surface) in set(_gold_spans())
    assert compute_value(label, surface).value == value


def test_every_gold_phone_is_in_the_numbering_plan():
    """The regex component drops model PHONEs outside the plan; no gold PHONE may be one."""
    from spacy_callner.values.phone import numbering_plan_problem

    problems = [(surface, numbering_plan_problem(surface)) for label, surface in _gold_spans()
                if label == PHONE and numbering_plan_problem(surface) is not None]
    assert problems == []
