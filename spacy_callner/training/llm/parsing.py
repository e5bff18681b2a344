"""A model reply → the utterance items it holds.

Replies are asked to be one JSON object `{"utterances": [...]}`; models wrap it
in prose or code fences, and a reply that hit max_tokens is cut off mid-array.
This module finds the object, salvages the complete items of a cut-off reply,
and raises `MalformedResponse` when nothing usable is there. Decoding is
linear in the reply, and JSON nested deeper than Python's recursion limit
(`[[[[...`) is a malformed reply, not a RecursionError.
"""
import json
import re
from typing import Any, List, Tuple

CODE_FENCE = re.compile(r"```(?:json)?\s*(.*?)(?:```|$)", re.DOTALL)
UTTERANCES_ARRAY_START = re.compile(r'"utterances"\s*:\s*\[')
ITEM_SEPARATORS = " \t\r\n,"


class MalformedResponse(ValueError):
    """The model's reply is not the JSON object the prompt asks for."""


def response_text(message: Any) -> str:
    """The text blocks of a Messages API reply, joined; blocks without a string text are skipped."""
    texts = (getattr(block, "text", None) for block in getattr(message, "content", None) or ()
             if getattr(block, "type", None) == "text")
    return "".join(text for text in texts if isinstance(text, str))


def strip_code_fence(text: str) -> str:
    fenced = CODE_FENCE.search(text)
    return fenced.group(1) if fenced else text


def salvage_utterances(text: str) -> List[Any]:
    """Complete items of a cut-off `"utterances": [...]` array (a reply that hit max_tokens)."""
    match = UTTERANCES_ARRAY_START.search(text)
    if not match:
        return []
    decoder = json.JSONDecoder()
    items, position = [], match.end()
    while True:
        while position < len(text) and text[position] in ITEM_SEPARATORS:
            position += 1
        if position >= len(text) or text[position] == "]":
            return items
        try:
            item, position = decoder.raw_decode(text, position)
        except (ValueError, RecursionError):
            return items
        items.append(item)


def parse_utterances(text: str) -> Tuple[List[Any], bool]:
    """The utterance items of a reply, and whether they were salvaged from a cut-off reply.

    Raises MalformedResponse when nothing usable is there.
    """
    body = strip_code_fence(text).strip()
    start = body.find("{")
    if start < 0:
        raise MalformedResponse("no JSON object in the reply")
    try:
        obj, _ = json.JSONDecoder().raw_decode(body, start)
    except (ValueError, RecursionError) as err:
        salvaged = salvage_utterances(body)
        if salvaged:
            return salvaged, True
        raise MalformedResponse(f"invalid JSON ({err})") from None
    if not isinstance(obj, dict) or not isinstance(obj.get("utterances"), list):
        raise MalformedResponse('expected an object with an "utterances" list')
    return obj["utterances"], False
