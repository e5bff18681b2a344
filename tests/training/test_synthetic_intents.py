"""Tests for the generator's intent field: set by construction, valid, and without touching the data.

The NER-only and multitask comparison needs the same texts and entities for a
seed whether or not intents are written, so a pinned hash of a seeded run with
the intent field removed guards against any change in how randomness is spent.
"""
import hashlib
import json
from collections import Counter

import pytest

from spacy_callner.scheme.intents import GREETING_CLOSING, INTENT_LABELS, OTHER, REPAIR, BILLING, is_intent
from spacy_callner.training.synthetic import generate_examples, load_bank, load_templates, summarize
from spacy_callner.training.synthetic.intents import SCENARIO_INTENTS, split_intent_marker, utterance_intent

SEED3_FIRST_300_WITHOUT_INTENT_SHA256 = "8c3ccf0f909435eae10a36139883e7c1cd4d2c2c054282a87130a56654257940"
"""sha256 of the first 300 records of seed 3 as generated before intents existed, intent field removed."""


@pytest.fixture(scope="module")
def records_300():
    return generate_examples(300, seed=3)


def test_texts_and_entities_are_unchanged_by_intents(records_300):
    without_intent = [{k: v for k, v in r.items() if k != "intent"} for r in records_300]
    joined = "\n".join(json.dumps(r, ensure_ascii=False) for r in without_intent)
    assert hashlib.sha256(joined.encode()).hexdigest() == SEED3_FIRST_300_WITHOUT_INTENT_SHA256


def test_every_record_has_a_valid_intent_after_its_entities(records_300):
    for record in records_300:
        assert is_intent(record["intent"]), record
        assert list(record)[:3] == ["text", "entities", "intent"]


def test_intent_distribution_covers_the_request_intents(records_300):
    counts = Counter(r["intent"] for r in records_300)
    requests = [label for label in INTENT_LABELS if label not in (GREETING_CLOSING, OTHER)]
    assert all(counts[label] > 0 for label in requests), counts
    assert max(counts.values()) < 0.3 * len(records_300), counts


def test_every_template_block_and_scenario_has_an_intent_mapping():
    scenarios = set(load_bank("scenarios.json")["scenarios"])
    blocks = {scenario for scenario, _ in load_templates()}
    assert scenarios | blocks <= set(SCENARIO_INTENTS)
    assert all(intent is None or is_intent(intent) for intent in SCENARIO_INTENTS.values())


def test_marker_is_stripped_from_template_text_and_read_as_intent():
    templates = load_templates()
    greeting = [t for t in templates[("common", "customer")] if t.text == "[아 |]네 안녕하세요"]
    assert greeting and greeting[0].intent == GREETING_CLOSING
    assert not any("#intent" in t.text for block in templates.values() for t in block)
    assert split_intent_marker("{PRODUCT|subj} 고장 났어요  #intent=repair") == ("{PRODUCT|subj} 고장 났어요", REPAIR)


def test_an_unknown_marker_label_is_refused():
    with pytest.raises(ValueError, match="unknown intent 'fixing'"):
        split_intent_marker("{PRODUCT|subj} 고장 났어요  #intent=fixing")


@pytest.mark.parametrize("scenario, sentence_intents, expected", [
    ("repair", [GREETING_CLOSING, None], REPAIR),
    ("repair", [BILLING, REPAIR], REPAIR),
    ("repair", [GREETING_CLOSING, BILLING], BILLING),
    ("common", [GREETING_CLOSING, GREETING_CLOSING], GREETING_CLOSING),
    ("repair", [GREETING_CLOSING, OTHER], OTHER),
])
def test_utterance_intent_prefers_the_scenario_request_then_any_request(scenario, sentence_intents, expected):
    assert utterance_intent(scenario, sentence_intents) == expected


def test_summary_counts_every_intent_label(records_300):
    counts = summarize(records_300)["intent_counts"]
    assert list(counts) == list(INTENT_LABELS) and sum(counts.values()) == len(records_300)
