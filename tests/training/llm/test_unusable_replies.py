"""Successful HTTP answers that hold no message: the real SDK client against a real local server.

A proxy's HTML error page sent with status 200, a JSON body whose `content` is
null, a body that is JSON `null`: the SDK passes each through in its own way
(a `str`, `json.JSONDecodeError`, a Message with `content=None`, None). Each is a
failed request, and the run goes on.
"""
import json

import pytest

from spacy_callner.training.llm.client import UnusableReply, checked_message, create_message
from spacy_callner.training.llm.parsing import response_text

from .fakes import MODEL, good_item, message, read_records, utterances
from .local_api import LocalAPIServer, Reply

PROXY_PAGE = b"<html><head><title>502 Bad Gateway</title></head><body><h1>502 Bad Gateway</h1></body></html>"


def message_body(**overrides) -> bytes:
    body = message(utterances(good_item(1), good_item(2), good_item(3))).model_dump(mode="json", exclude_none=True)
    return json.dumps({**body, **overrides}, ensure_ascii=False).encode("utf8")


UNUSABLE = {
    "html page as text/html": (Reply(PROXY_PAGE, "text/html"), "not JSON: '<html>"),
    "html page as application/json": (Reply(PROXY_PAGE, "application/json"), "not JSON (Expecting value"),
    "null content": (Reply(message_body(content=None)), "content None"),
    "json null": (Reply(b"null"), "got NoneType"),
    "json list": (Reply(b"[1, 2]"), "got list"),
}


@pytest.mark.parametrize("reply,why", UNUSABLE.values(), ids=UNUSABLE.keys())
def test_an_unusable_success_is_a_failed_request_and_the_run_goes_on(run_generator, reply, why):
    with LocalAPIServer([reply, Reply(message_body())]) as server:
        _, report, path = run_generator(server.client(), 3)
    assert len(server.requests) == 2
    assert report.failed_requests == 1 and report.malformed_responses == 0
    assert report.status == "complete" and report.accepted == 3 and len(read_records(path)) == 3
    assert why in report.samples["failed_request"][0] and "UnusableReply" in report.samples["failed_request"][0]


def test_a_proxy_that_keeps_failing_stops_the_run_as_failures_in_a_row_do(run_generator):
    with LocalAPIServer(factory=lambda _: Reply(PROXY_PAGE, "text/html")) as server:
        with pytest.raises(Exception, match="3 requests in a row failed"):
            run_generator(server.client(), 3, max_consecutive_failures=3)
    assert len(server.requests) == 3


def test_create_message_passes_a_real_message_through():
    with LocalAPIServer([Reply(message_body())]) as server:
        reply = create_message(server.client(), model=MODEL, max_tokens=16, messages=[{"role": "user", "content": "hi"}])
    assert reply.id.startswith("msg_") and "010-0001-5678" in response_text(reply)


@pytest.mark.parametrize("reply", ["<html>", b"<html>", None, [], {"content": None}])
def test_checked_message_refuses_what_is_not_a_message(reply):
    with pytest.raises(UnusableReply):
        checked_message(reply)


def test_response_text_skips_blocks_without_text():
    reply = message("ignored")
    reply.content[0].text = None
    assert response_text(reply) == ""
