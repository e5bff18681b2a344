"""The audit log: one JSON line per request with counts, settings and latency, and no text or value."""
from .texts import CONTRACT_TEXT, PHONE_TEXT, SURFACES


def entries(server, request_id):
    found = [line for line in server.audit_lines() if line["request_id"] == request_id]
    assert len(found) == 1, found
    return found[0]


def test_one_line_per_request_with_counts_and_settings(service):
    with service.client() as client:
        annotate = client.post("/v1/annotate", headers={"X-Request-ID": "audit-annotate-1"},
                               json={"texts": [PHONE_TEXT, CONTRACT_TEXT], "thresholds": {"PHONE": 0.2}})
        redact = client.post("/v1/redact", json={"text": PHONE_TEXT, "style": "mask", "labels": ["PHONE"]},
                             headers={"X-Request-ID": "audit-redact-1"})
    assert annotate.status_code == redact.status_code == 200
    line = entries(service, "audit-annotate-1")
    assert {"time", "client", "latency_ms"} <= set(line) and line["client"] == "127.0.0.1"
    assert (line["method"], line["path"], line["status"], line["n_texts"]) == ("POST", "/v1/annotate", 200, 2)
    assert line["n_chars"] == len(PHONE_TEXT) + len(CONTRACT_TEXT)
    assert line["thresholds"] == {"PHONE": 0.2} and line["latency_ms"] >= 0
    returned = [entity["label"] for result in annotate.json()["results"] for entity in result["entities"]]
    assert line["entities"] == {label: returned.count(label) for label in sorted(set(returned))}
    line = entries(service, "audit-redact-1")
    assert (line["style"], line["labels"], line["keep_visible"]) == ("mask", ["PHONE"], 4)
    assert line["redactions"] == {"PHONE": 1}


def test_the_log_holds_no_text_surface_or_value(service):
    sent = [PHONE_TEXT, CONTRACT_TEXT]
    with service.client() as client:
        surfaces = set(SURFACES)
        for text in sent:
            for path in ("/v1/annotate", "/v1/redact"):
                response = client.post(path, json={"text": text})
                for result in response.json()["results"]:
                    surfaces |= {entity["text"] for entity in result.get("entities", [])}
        client.post("/v1/annotate", json={"text": PHONE_TEXT, "labels": ["NAME"]})
        client.post("/v1/annotate", content=f'{{"text": "{PHONE_TEXT}"'.encode("utf8"),
                    headers={"Content-Type": "application/json"})
        client.post("/v1/annotate", json={"texts": [PHONE_TEXT] * 9})
    log = service.audit_path.read_text(encoding="utf8")
    for needle in sent + sorted(surfaces):
        assert needle not in log, needle
