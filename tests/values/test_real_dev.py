"""Every PHONE, MONEY and CONTRACT gold span of corpus/real_dev.jsonl has a value, and spot values are right."""
import json
from pathlib import Path

import pytest

from spacy_callner.scheme import CONTRACT, MONEY, PHONE
from spacy_callner.values import compute_value

REAL_DEV = Path(__file__).resolve().parents[2] / "corpus" / "real_dev.jsonl"


def _gold_spans():
    for line in REAL_DEV.read_text(encoding="utf-8").splitlines():
        record = json.loads(line)
        for entity in record["entities"]:
            if entity["label"] in (PHONE, MONEY, CONTRACT):
                yield entity["label"], record["text"][entity["start"]:entity["end"]]


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
