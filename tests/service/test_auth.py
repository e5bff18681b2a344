"""API-key auth: 401 without or with a wrong key (logged without content), through with the right one."""
import pytest

from .conftest import API_KEY
from .texts import PHONE_SURFACE, PHONE_TEXT


@pytest.mark.parametrize("headers", [{}, {"X-API-Key": "wrong"}, {"X-API-Key": API_KEY[:-1]},
                                     {"Authorization": f"Basic {API_KEY}"}, {"X-API-Key": ""}])
def test_no_or_a_wrong_key_is_401(auth_service, headers):
    with auth_service.client(headers=headers) as client:
        for path in ("/v1/annotate", "/v1/redact"):
            response = client.post(path, json={"text": PHONE_TEXT})
            assert response.status_code == 401
            assert response.json()["error"] == "unauthorized"
            assert response.headers["WWW-Authenticate"] == "Bearer"


def test_the_key_lets_a_request_through(auth_service):
    with auth_service.client() as client:
        by_header = client.post("/v1/annotate", json={"text": PHONE_TEXT}, headers={"X-API-Key": API_KEY})
        by_bearer = client.post("/v1/redact", json={"text": PHONE_TEXT}, headers={"Authorization": f"Bearer {API_KEY}"})
    assert by_header.status_code == by_bearer.status_code == 200
    assert PHONE_SURFACE in [entity["text"] for entity in by_header.json()["results"][0]["entities"]]
    assert "[PHONE]" in by_bearer.json()["results"][0]["text"]


def test_probes_and_page_need_no_key(auth_service):
    with auth_service.client() as client:
        assert client.get("/healthz").status_code == 200
        assert client.get("/readyz").status_code == 200
        assert client.get("/").status_code == 200


def test_a_refused_request_is_logged_without_content(auth_service):
    with auth_service.client() as client:
        response = client.post("/v1/annotate", json={"text": PHONE_TEXT}, headers={"X-Request-ID": "no-key-1"})
    assert response.status_code == 401
    [line] = [line for line in auth_service.audit_lines() if line["request_id"] == "no-key-1"]
    assert line["status"] == 401 and line["error"] == "unauthorized"
    assert "n_texts" not in line and "entities" not in line
    log = auth_service.audit_path.read_text(encoding="utf8")
    assert PHONE_TEXT not in log and PHONE_SURFACE not in log and API_KEY not in log
