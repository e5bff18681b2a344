"""Stand-ins at the SDK boundary (`client.messages.create`) for the LLM generator tests.

No network: the fake client returns real `anthropic.types.Message` objects and
raises the SDK's own exception classes, built on `httpx2` requests and
responses as the SDK builds them.
"""
import itertools
import json
import threading
import time

import anthropic
import httpx2
import srsly
from anthropic.types import Message, TextBlock, Usage

MODEL = "claude-haiku-4-5"
API_URL = "https://api.anthropic.com/v1/messages"
FEW_SHOTS = [
    {"text": "번호 010-2222-3333으로 변경해 주세요", "entities": [{"text": "010-2222-3333", "label": "PHONE"}],
     "intent": "account_contact"},
    {"text": "네 잠시만 기다려 주세요", "entities": [], "intent": "greeting_closing"},
    {"text": "갤럭시 S24 할부금이 3만 원이에요", "entities": [
        {"text": "갤럭시 S24", "label": "PRODUCT"}, {"text": "3만 원", "label": "MONEY"}], "intent": "billing"},
]
_message_ids = itertools.count(1)


def message(payload, *, input_tokens=1000, output_tokens=400, stop_reason="end_turn", model=MODEL) -> Message:
    """A Messages API reply as the SDK returns it."""
    text = payload if isinstance(payload, str) else json.dumps(payload, ensure_ascii=False)
    return Message(
        id=f"msg_{next(_message_ids):04d}", type="message", role="assistant", model=model,
        content=[TextBlock(type="text", text=text)], stop_reason=stop_reason,
        usage=Usage(input_tokens=input_tokens, output_tokens=output_tokens),
    )


def api_error(error_class, status: int, error_type: str, text: str):
    """An SDK status error, built the way the SDK builds it from an HTTP response."""
    body = {"type": "error", "error": {"type": error_type, "message": text}}
    response = httpx2.Response(status, request=httpx2.Request("POST", API_URL), json=body)
    return error_class(text, response=response, body=body)


def rate_limit_error():
    return api_error(anthropic.RateLimitError, 429, "rate_limit_error", "Number of request tokens has exceeded your rate limit")


def utterances(*items):
    return {"utterances": list(items)}


def good_item(k: int):
    """A correct utterance, unique per k."""
    return {
        "text": f"이번 달 요금은 {k}만 원이고 연락처는 010-{k:04d}-5678로 등록돼 있어요",
        "entities": [{"text": f"{k}만 원", "label": "MONEY"}, {"text": f"010-{k:04d}-5678", "label": "PHONE"}],
        "intent": "billing",
    }


class FakeMessages:
    """`client.messages`: replays a script of replies and errors, then a reply factory."""

    def __init__(self, script=(), factory=None, delay=0.0):
        self.script = list(script)
        self.factory = factory
        self.delay = delay
        self.calls = []
        self.active = 0
        self.max_active = 0
        self._lock = threading.Lock()

    def create(self, **kwargs):
        with self._lock:
            self.calls.append(kwargs)
            number = len(self.calls)
            step = self.script.pop(0) if self.script else None
            self.active += 1
            self.max_active = max(self.max_active, self.active)
        try:
            time.sleep(self.delay)
            if step is None:
                if self.factory is None:
                    raise AssertionError("fake client called more often than scripted")
                step = self.factory(number)
            if isinstance(step, BaseException):
                raise step
            return step
        finally:
            with self._lock:
                self.active -= 1


class FakeAnthropic:
    def __init__(self, script=(), factory=None, delay=0.0):
        self.messages = FakeMessages(script, factory, delay)


def unique_replies(per_reply: int = 3):
    """A factory of replies whose utterances never repeat."""
    counter = itertools.count(1)

    def reply(_call_number):
        return message(utterances(*(good_item(next(counter)) for _ in range(per_reply))))

    return reply


def read_records(path):
    return list(srsly.read_jsonl(path))


def surfaces(record):
    return [(record["text"][e["start"]:e["end"]], e["label"]) for e in record["entities"]]
