"""A reply → its utterance items: prose, code fences, cut-off replies, malformed replies."""
import pytest

from spacy_callner.training.llm import parsing
from spacy_callner.training.llm.parsing import MalformedResponse, parse_utterances, response_text

from .fakes import message, utterances


def test_reply_parsing_strips_code_fences_and_prose():
    items, salvaged = parse_utterances('Here you go:\n```json\n{"utterances": [{"text": "네", "entities": []}]}\n```')
    assert items == [{"text": "네", "entities": []}] and not salvaged


def test_cut_off_reply_keeps_its_complete_items():
    items, salvaged = parse_utterances('{"utterances": [{"text": "네", "entities": []}, {"text": "안녕하')
    assert items == [{"text": "네", "entities": []}] and salvaged


@pytest.mark.parametrize("reply", ["I cannot help with that.", '{"utterances": [{"text": ', '{"items": []}', "[1, 2]"])
def test_malformed_replies_raise(reply):
    with pytest.raises(parsing.MalformedResponse):
        parse_utterances(reply)


def test_response_text_reads_the_text_blocks_of_a_message():
    reply = message(utterances({"text": "네", "entities": []}))
    assert parse_utterances(response_text(reply)) == ([{"text": "네", "entities": []}], False)


def test_json_nested_past_the_recursion_limit_is_a_malformed_reply():
    with pytest.raises(MalformedResponse, match="recursion"):
        parse_utterances('{"utterances": ' + "[" * 100_000)


def test_complete_items_before_deeply_nested_json_are_salvaged():
    items, salvaged = parse_utterances('{"utterances": [{"text": "네", "entities": []}, ' + "[" * 100_000)
    assert salvaged and items == [{"text": "네", "entities": []}]
