"""Hand-built gold and predicted docs with values: one of each case the value scores count."""
from spacy.training import Example

MONEY_35000 = {"amount": 35000, "currency": "KRW"}
MOBILE = {"digits": "01012345678", "kind": "mobile"}
CONTRACT_001 = {"id": "KR-2026-001"}
GALAXY_ULTRA = {"brand": "samsung", "name": "Galaxy S25 Ultra"}
IPHONE_PRO = {"brand": "apple", "name": "iPhone 16 Pro"}

# text, then (surface, label, gold value, predicted surface, predicted label, predicted value, value error)
VALUE_CASES = [
    ("삼만 오천 원 내고 010-1234-5678로 연락 주세요", [
        ("삼만 오천 원", "MONEY", MONEY_35000, "삼만 오천 원", "MONEY", {"amount": 35000.0, "currency": "KRW"}, None),
        ("010-1234-5678", "PHONE", MOBILE, "010-1234-5678", "PHONE",
         {"digits": "01012345678", "kind": "landline"}, None),
    ]),
    ("계약번호 KR-2026-001 확인해 주세요", [
        ("KR-2026-001", "CONTRACT", CONTRACT_001, "KR-2026-001", "CONTRACT", None, "not a contract id"),
    ]),
    ("갤럭시 S25 울트라 14만 원이요", [
        ("갤럭시 S25 울트라", "PRODUCT", GALAXY_ULTRA, "갤럭시 S25 울트라", "PRODUCT",
         {"brand": "samsung", "name": "Galaxy S25"}, None),
        ("14만 원", "MONEY", None, "14만 원", "MONEY", {"amount": 140000, "currency": "KRW"}, None),
    ]),
    ("요금은 약 5만 원 정도예요", [
        ("5만 원", "MONEY", {"amount": 50000, "currency": "KRW"}, "약 5만 원", "MONEY",
         {"amount": 50000, "currency": "KRW"}, None),
    ]),
    ("KR-2026-002 해지요", [
        ("KR-2026-002", "CONTRACT", {"id": "KR-2026-002"}, "KR-2026-002", "PHONE", None, "not a phone number"),
    ]),
    ("아이폰 16 프로 있어요", [
        ("아이폰 16 프로", "PRODUCT", IPHONE_PRO, "아이폰 16 프로", "PRODUCT", dict(IPHONE_PRO), None),
    ]),
]
"""Compared: MONEY 1 correct; PHONE 1 wrong; CONTRACT 1 with no prediction; PRODUCT 1 correct and
1 wrong (brand right, name wrong). Not compared: 14만 원 (no gold value), 약 5만 원 (boundary),
KR-2026-002 predicted as PHONE (label)."""


def _span(doc, surface, label, position=0):
    start = doc.text.index(surface, position)
    span = doc.char_span(start, start + len(surface), label=label, alignment_mode="strict")
    assert span is not None, f"{surface!r} is not on token boundaries in {doc.text!r}"
    return span


def make_value_example(nlp, text, entities, *, gold_values=True, predicted_values=True):
    """An Example with gold and predicted entities and, unless told not to, their values."""
    gold, pred = nlp.make_doc(text), nlp.make_doc(text)
    gold.ents = [_span(gold, surface, label) for surface, label, *_ in entities]
    pred.ents = [_span(pred, p_surface, p_label) for _, _, _, p_surface, p_label, _, _ in entities]
    for ent, (_, _, gold_value, *_rest) in zip(gold.ents, entities):
        if gold_values:
            ent._.value = gold_value
    for ent, (*_, pred_value, error) in zip(pred.ents, entities):
        if predicted_values:
            ent._.value, ent._.value_error = pred_value, error
    return Example(pred, gold)


def value_examples(nlp, **kwargs):
    return [make_value_example(nlp, text, entities, **kwargs) for text, entities in VALUE_CASES]
