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


def test_every_phone_money_and_contract_has_its_checked_value_stored():
    missing = [(number, entity["label"], surface) for number, entity, surface in _gold_entities()
               if entity["label"] in (PHONE, MONEY, CONTRACT) and "value" not in entity]
    assert missing == []


def test_every_stored_value_is_the_computed_value():
    stored = [(number, entity, surface) for number, entity, surface in _gold_entities() if "value" in entity]
    differ = [(number, entity["label"], surface, entity["value"], compute_value(entity["label"], surface).value)
              for number, entity, surface in stored
              if entity["value"] != compute_value(entity["label"], surface).value]
    assert len(stored) > 390
    assert differ == []


def test_product_values_are_all_there_or_all_absent():
    products = [entity for _, entity, _ in _gold_entities() if entity["label"] == PRODUCT]
    assert len({"value" in entity for entity in products}) == 1


def test_the_validator_keeps_every_stored_value(korean_nlp):
    records, report = read_annotated_jsonl(REAL_DEV, korean_nlp)
    assert not {"bad_value", "value_mismatch"} & set(report.counts())
    n_stored = sum("value" in entity for _, entity, _ in _gold_entities())
    assert sum(len(record.values) for record in records) == n_stored


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
