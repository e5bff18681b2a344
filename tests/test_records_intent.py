"""The record's "intent": present only where a textcat over the intent labels set doc.cats."""
import pytest

from spacy_callner.records import doc_to_record, intent_record
from spacy_callner.scheme.intents import INTENT_LABELS, intent_cats
from spacy_callner.service.models import AnnotateResponse

TEXT = "요금제 변경하고 싶은데요"


def intent_distribution(top: str, top_score: float = 0.67) -> dict:
    rest = (1.0 - top_score) / (len(INTENT_LABELS) - 1)
    return {label: top_score if label == top else rest for label in INTENT_LABELS}


def test_record_without_cats_is_unchanged(korean_nlp):
    record = doc_to_record(korean_nlp(TEXT))
    assert set(record) == {"text", "entities"}


def test_record_carries_the_most_probable_intent(korean_nlp):
    doc = korean_nlp(TEXT)
    doc.cats = intent_distribution("plan_change")
    record = doc_to_record(doc)
    assert record["intent"] == {"label": "plan_change", "score": pytest.approx(0.67)}
    assert list(record) == ["text", "entities", "intent"]


def test_gold_style_cats_give_score_one(korean_nlp):
    doc = korean_nlp(TEXT)
    doc.cats = intent_cats("billing")
    assert intent_record(doc) == {"label": "billing", "score": 1.0}


def test_cats_over_other_labels_are_not_an_intent(korean_nlp):
    doc = korean_nlp(TEXT)
    doc.cats = {"POSITIVE": 0.9, "NEGATIVE": 0.1}
    assert "intent" not in doc_to_record(doc)
    doc.cats = {**intent_distribution("billing"), "POSITIVE": 0.0}
    assert intent_record(doc) is None


def test_service_response_validates_the_intent_and_leaves_it_out_when_absent(korean_nlp):
    with_intent = korean_nlp(TEXT)
    with_intent.cats = intent_distribution("delivery", 0.5)
    results = [doc_to_record(with_intent), doc_to_record(korean_nlp(TEXT))]
    body = AnnotateResponse.model_validate({"request_id": "r1", "results": results}).model_dump()
    assert body["results"][0]["intent"] == {"label": "delivery", "score": 0.5}
    assert "intent" not in body["results"][1]


def test_service_response_rejects_an_unknown_intent():
    result = {"text": TEXT, "entities": [], "intent": {"label": "weather", "score": 0.5}}
    with pytest.raises(ValueError):
        AnnotateResponse.model_validate({"request_id": "r1", "results": [result]})
