"""The LLM generator's call intent: asked for with the scheme's labels, validated, counted when wrong."""
import pytest

from spacy_callner.scheme.intents import INTENT_DEFINITIONS, INTENT_LABELS
from spacy_callner.training.data import read_annotated_jsonl
from spacy_callner.training.llm import annotate, prompts
from spacy_callner.training.llm.annotate import annotate_reply_item

from .fakes import FakeAnthropic, good_item, message, read_records, utterances


def test_system_prompt_lists_every_intent_with_its_scheme_definition():
    system = prompts.PromptBank.load().system
    assert prompts.INTENT_DEFINITIONS_MARKER not in system
    for label, definition in INTENT_DEFINITIONS.items():
        assert f"- {label}: {definition}\n" in system + "\n"
    assert '"intent": "<intent>"' in system


def test_a_system_prompt_without_the_intent_marker_is_refused():
    with pytest.raises(ValueError, match="intent_definitions"):
        prompts.fill_system_prompt("Label the entities.")


def test_the_request_sent_to_the_sdk_carries_the_intent_labels(run_generator):
    client = FakeAnthropic([message(utterances(good_item(1)))])
    run_generator(client, 1, per_request=1)
    system = client.messages.calls[0]["system"]
    assert all(f"- {label}: " in system for label in INTENT_LABELS)


def test_a_valid_intent_is_written_after_the_entities(korean_nlp):
    annotation = annotate_reply_item(dict(good_item(2), intent="billing"), korean_nlp)
    assert list(annotation.record) == ["text", "entities", "intent"]
    assert annotation.record["intent"] == "billing"


@pytest.mark.parametrize("intent, reason, shown", [
    (None, annotate.MISSING_INTENT, "no intent"),
    ("refund", annotate.UNKNOWN_INTENT, "'refund'"),
    (7, annotate.UNKNOWN_INTENT, "7"),
])
def test_a_missing_or_unknown_intent_rejects_the_utterance(korean_nlp, intent, reason, shown):
    item = {k: v for k, v in good_item(3).items() if k != "intent"}
    if intent is not None:
        item["intent"] = intent
    annotation = annotate_reply_item(item, korean_nlp)
    assert annotation.record is None and annotation.reason == reason and shown in annotation.detail


def test_the_run_counts_intent_rejects_like_other_rejects_and_writes_valid_records(run_generator, korean_nlp):
    no_intent = {k: v for k, v in good_item(4).items() if k != "intent"}
    wrong_intent = dict(good_item(5), intent="complaint")
    client = FakeAnthropic([message(utterances(good_item(6), no_intent, wrong_intent, good_item(7)))])
    _, report, path = run_generator(client, 2, per_request=4)
    assert dict(report.rejected) == {annotate.MISSING_INTENT: 1, annotate.UNKNOWN_INTENT: 1}
    assert "'complaint'" in report.samples[annotate.UNKNOWN_INTENT][0]
    assert report.to_json()["rejected_by_reason"] == {"missing_intent": 1, "unknown_intent": 1}
    written = read_records(path)
    assert [record["intent"] for record in written] == ["billing", "billing"]
    records, validation = read_annotated_jsonl(path, korean_nlp, strict=True)
    assert validation.ok and [record.intent for record in records] == ["billing", "billing"]
