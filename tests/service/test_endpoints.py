"""Every endpoint of a real server: health, readiness, annotate, redact, the schema, the page."""
import re

from spacy_callner.redact import hash_token

from .conftest import HASH_KEY
from .texts import CONTRACT_SURFACE, CONTRACT_TEXT, PHONE_SURFACE, PHONE_TEXT, PLAIN_TEXT, transcript


def annotate(server, **body):
    with server.client() as client:
        response = client.post("/v1/annotate", json=body)
    assert response.status_code == 200, response.text
    return response.json()


def redact(server, **body):
    with server.client() as client:
        response = client.post("/v1/redact", json=body)
    assert response.status_code == 200, response.text
    return response.json()


def test_health_and_readiness(service):
    with service.client() as client:
        assert client.get("/healthz").json() == {"status": "ok"}
        ready = client.get("/readyz")
    assert ready.status_code == 200
    assert ready.json()["ready"] is True and ready.json()["in_flight"] == 0


def test_annotate_one_text_gives_the_record_of_each_entity(service):
    result = annotate(service, text=PHONE_TEXT)["results"][0]
    assert result["text"] == PHONE_TEXT and "html" not in result or result["html"] is None
    phones = [entity for entity in result["entities"] if entity["label"] == "PHONE"]
    assert [phone["text"] for phone in phones] == [PHONE_SURFACE]
    phone = phones[0]
    assert PHONE_TEXT[phone["start"]:phone["end"]] == PHONE_SURFACE
    assert phone["value"] == {"digits": "01023456789", "kind": "mobile"}
    assert 0.0 < phone["score"] <= 1.0
    assert set(phone) == {"label", "text", "start", "end", "score", "value", "value_error", "kb_id"}


def test_annotate_a_batch_keeps_its_order_and_renders_displacy_html(service):
    body = annotate(service, texts=[CONTRACT_TEXT, PLAIN_TEXT, PHONE_TEXT], render_html=True)
    results = body["results"]
    assert [result["text"] for result in results] == [CONTRACT_TEXT, PLAIN_TEXT, PHONE_TEXT]
    assert CONTRACT_SURFACE in [entity["text"] for entity in results[0]["entities"]]
    assert re.search(r'<mark class="entity" style="background: #7aecec;[^>]*>\s*010-2345-6789\s*<span[^>]*>PHONE',
                     results[2]["html"])


def test_labels_choose_what_comes_back(service):
    result = annotate(service, text=f"{PHONE_TEXT} {CONTRACT_TEXT}", labels=["CONTRACT"])["results"][0]
    assert [entity["label"] for entity in result["entities"]] == ["CONTRACT"]


def test_thresholds_apply_to_one_request_only(service):
    strict = annotate(service, text=PHONE_TEXT, thresholds={"PHONE": 1.0})["results"][0]
    assert all(entity["score"] is None or entity["score"] >= 1.0 for entity in strict["entities"]
               if entity["label"] == "PHONE")
    assert not [entity for entity in strict["entities"] if entity["text"] == PHONE_SURFACE]
    again = annotate(service, text=PHONE_TEXT)["results"][0]
    assert PHONE_SURFACE in [entity["text"] for entity in again["entities"]]


def test_redact_styles(service):
    text = f"{PHONE_TEXT} {CONTRACT_TEXT}"
    tag = redact(service, text=text)["results"][0]
    assert PHONE_SURFACE not in tag["text"] and CONTRACT_SURFACE not in tag["text"]
    assert "[PHONE]" in tag["text"] and "[CONTRACT]" in tag["text"]
    assert [(r["label"], r["style"], r["source"]) for r in tag["redactions"]][0] == ("PHONE", "tag", "entity")
    mask = redact(service, text=PHONE_TEXT, style="mask", keep_visible=2)["results"][0]
    assert "010-****-**89" in mask["text"]
    hashed = redact(service, text=PHONE_TEXT, style="hash")["results"][0]
    assert f"[PHONE:{hash_token(HASH_KEY.encode('utf8'), 'PHONE', '01023456789')}]" in hashed["text"]


def test_redact_chosen_labels_only(service):
    result = redact(service, text=f"{PHONE_TEXT} {CONTRACT_TEXT}", labels=["CONTRACT"])["results"][0]
    assert PHONE_SURFACE in result["text"] and CONTRACT_SURFACE not in result["text"]


def test_a_50000_character_transcript_within_the_limit(service):
    text = transcript(50_000)
    assert 49_000 < len(text) <= 50_000
    result = annotate(service, text=text)["results"][0]
    said = {(match.start(), match.end()) for match in re.finditer(r"010-\d{4}-5678", text)}
    found = {(entity["start"], entity["end"]) for entity in result["entities"] if entity["label"] == "PHONE"}
    assert len(said) == text.count("-5678이고요") and said <= found
    assert all(text[entity["start"]:entity["end"]] == entity["text"] for entity in result["entities"])
    redacted = redact(service, text=text)["results"][0]["text"]
    assert "-5678" not in redacted and redacted.count("[PHONE]") >= len(said)


def test_request_id_is_echoed_or_made(service):
    with service.client() as client:
        given = client.post("/v1/annotate", json={"text": PLAIN_TEXT}, headers={"X-Request-ID": "call-42.a"})
        unsafe = client.post("/v1/annotate", json={"text": PLAIN_TEXT}, headers={"X-Request-ID": "a b\tc"})
        health = client.get("/healthz")
    assert given.headers["X-Request-ID"] == "call-42.a" == given.json()["request_id"]
    assert re.fullmatch(r"[0-9a-f]{32}", unsafe.headers["X-Request-ID"])
    assert unsafe.json()["request_id"] == unsafe.headers["X-Request-ID"]
    assert health.headers["X-Request-ID"]


def test_openapi_schema_and_docs(service):
    with service.client() as client:
        schema = client.get("/openapi.json").json()
        docs = client.get("/docs")
    assert {"/v1/annotate", "/v1/redact", "/healthz", "/readyz"} <= set(schema["paths"])
    assert {"AnnotateRequest", "RedactRequest", "AnnotateResponse", "RedactResponse", "ErrorResponse"} \
        <= set(schema["components"]["schemas"])
    assert docs.status_code == 200 and "swagger" in docs.text.lower()


def test_page_and_its_script_are_served(service):
    with service.client() as client:
        page = client.get("/")
        script = client.get("/static/app.js")
    assert page.status_code == 200 and '<textarea id="text"' in page.text and "/static/app.js" in page.text
    assert script.status_code == 200 and "/v1/annotate" in script.text and "/v1/redact" in script.text
