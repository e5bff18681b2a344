"""Every limit and every kind of malformed request: a 4xx with a JSON message, never a 500."""
import pytest

from .texts import PHONE_TEXT, transcript


def post(server, path, **kwargs):
    with server.client() as client:
        return client.post(path, **kwargs)


def assert_error(response, status, error, limit=None):
    assert response.status_code == status, response.text
    body = response.json()
    assert body["error"] == error and body["message"]
    if limit is not None:
        assert body["limit"] == limit and limit in body["message"]
    return body


@pytest.mark.parametrize("path", ["/v1/annotate", "/v1/redact"])
def test_a_text_over_max_text_chars(service, path):
    body = assert_error(post(service, path, json={"texts": [PHONE_TEXT, "가" * 60_001]}), 413, "limit_exceeded",
                        "max_text_chars")
    assert "text 1 has 60001 characters" in body["message"] and "60000" in body["message"]


def test_a_text_at_max_text_chars_is_taken(service):
    text = transcript(60_000)
    text += "네" * (60_000 - len(text))
    assert post(service, "/v1/redact", json={"text": text}).status_code == 200


@pytest.mark.parametrize("path", ["/v1/annotate", "/v1/redact"])
def test_a_batch_over_max_batch(service, path):
    body = assert_error(post(service, path, json={"texts": [PHONE_TEXT] * 5}), 413, "limit_exceeded", "max_batch")
    assert "5 texts" in body["message"]
    assert post(service, path, json={"texts": [PHONE_TEXT] * 4}).status_code == 200


def test_a_body_over_max_body_bytes_is_refused_before_parsing(service):
    body = ('{"texts": ["' + "가" * 140_000 + '"]').encode("utf8")  # not even valid JSON: it is never read
    assert_error(post(service, "/v1/annotate", content=body, headers={"Content-Type": "application/json"}),
                 413, "limit_exceeded", "max_body_bytes")


@pytest.mark.parametrize("body", [b"{", b'{"text": "abc"', b"not json", b'{"text": "a",}'])
def test_malformed_json_is_400(service, body):
    assert_error(post(service, "/v1/annotate", content=body, headers={"Content-Type": "application/json"}),
                 400, "invalid_json")


def test_a_body_that_is_not_utf8_is_400(service):
    assert_error(post(service, "/v1/annotate", content=b'{"text": "\xff\xfe"}',
                      headers={"Content-Type": "application/json"}), 400, "invalid_body")


@pytest.mark.parametrize("body, where", [
    ({}, "exactly one of"),
    ({"text": "a", "texts": ["b"]}, "exactly one of"),
    ({"texts": []}, "empty batch"),
    ({"text": 5}, "text"),
    ({"text": None}, "exactly one of"),
    ({"texts": "one string"}, "texts"),
    ({"texts": ["ok", 3]}, "texts.1"),
    ({"text": "a", "labels": ["NAME"]}, "labels.0"),
    ({"text": "a", "labels": []}, "labels"),
    ({"text": "a", "thresholds": {"PHONE": "high"}}, "thresholds.PHONE"),
    ({"text": "a", "thresholds": {"PHONE": 1.5}}, "0..1"),
    ({"text": "a", "thresholds": {"NAME": 0.5}}, "thresholds.NAME"),
    ({"text": "a", "thresholds": [0.5]}, "thresholds"),
    ({"text": "a", "render_html": "yes"}, "render_html"),
    ({"text": "a", "colour": "red"}, "colour"),
    ([PHONE_TEXT], "body"),
    ("just a string", "body"),
])
def test_wrong_shapes_are_422(service, body, where):
    error = assert_error(post(service, "/v1/annotate", json=body), 422, "invalid_request")
    assert where in error["message"]


@pytest.mark.parametrize("body, where", [
    ({"text": "a", "style": "blur"}, "style"),
    ({"text": "a", "keep_visible": -1}, "keep_visible"),
    ({"text": "a", "keep_visible": "4"}, "keep_visible"),
    ({"text": "a", "candidate_threshold": 2}, "candidate_threshold"),
    ({"text": "a", "render_html": True}, "render_html"),
])
def test_wrong_redact_options_are_422(service, body, where):
    assert where in assert_error(post(service, "/v1/redact", json=body), 422, "invalid_request")["message"]


def test_no_body_and_wrong_methods_are_4xx(service):
    assert_error(post(service, "/v1/redact"), 422, "invalid_request")
    with service.client() as client:
        assert_error(client.get("/v1/annotate"), 405, "method_not_allowed")
        assert_error(client.get("/v1/nothing"), 404, "not_found")


def test_hash_without_a_server_key_is_refused(auth_service):
    from .conftest import API_KEY

    with auth_service.client(headers={"X-API-Key": API_KEY}) as client:
        response = client.post("/v1/redact", json={"text": PHONE_TEXT, "style": "hash"})
    assert_error(response, 422, "invalid_request", "hash_key")


HOSTILE_BODIES = [b"", b"\x00" * 64, b"[" * 5000 + b"]" * 5000, b'{"text": "a", "thresholds": {"PHONE": 1e999}}',
                  b'{"text": "\\ud800"}', b'{"texts": [' + b'"a",' * 3 + b'null]}', b'{"text": {"nested": ["x"]}}',
                  b'{"text": "a", "keep_visible": 1e20}', b'{"text": "a", "labels": "PHONE"}', b"true", b"null"]


@pytest.mark.parametrize("path", ["/v1/annotate", "/v1/redact"])
def test_hostile_bodies_get_a_4xx_and_an_audit_line_never_a_5xx(service, path):
    with service.client() as client:
        for number, body in enumerate(HOSTILE_BODIES):
            response = client.post(path, content=body, headers={"Content-Type": "application/json",
                                                                "X-Request-ID": f"hostile-{path[4:]}-{number}"})
            assert 400 <= response.status_code < 500, (body[:40], response.status_code, response.text[:200])
            assert response.json()["error"]
    statuses = {line["request_id"]: line["status"] for line in service.audit_lines()}
    assert all(400 <= statuses[f"hostile-{path[4:]}-{number}"] < 500 for number in range(len(HOSTILE_BODIES)))
