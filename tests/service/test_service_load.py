"""The load generator of ``benchmark-service`` against a real server: every request answered, none
an error, and the figures it reports computed from them (timings are never asserted)."""
from spacy_callner.training.benchmark.service_load import measure_level

from .texts import CONTRACT_TEXT, PHONE_TEXT, PLAIN_TEXT


def test_a_load_level_counts_its_requests_and_reads_the_servers_rss(service):
    before = len(service.audit_lines())
    level = measure_level(service, "/v1/annotate", [PHONE_TEXT, CONTRACT_TEXT, PLAIN_TEXT], 4, 24)
    assert (level.concurrency, level.requests, level.errors) == (4, 24, 0)
    assert 0 < level.p50_ms <= level.p95_ms <= level.p99_ms
    assert level.rss_start_mb > 50 and level.rss_end_mb > 50
    added = service.audit_lines()[before:]
    assert sum(line["path"] == "/v1/annotate" and line["status"] == 200 for line in added) == 24


def test_redact_requests_under_load_are_errors_when_refused(service):
    level = measure_level(service, "/v1/redact", ["가" * 60_001], 2, 4)
    assert level.errors == 4


def test_transport_overhead_reads_the_servers_own_latency_of_the_same_requests(service):
    from spacy_callner.training.benchmark.service_load import transport_overhead

    result = transport_overhead(service, "/v1/annotate", [PHONE_TEXT, PLAIN_TEXT], 6)
    assert result["requests"] == 6 and result["server_p50_ms"] > 0
    assert result["transport_p50_ms"] >= 0, "the server's time lies within the client's"
    ids = {line["request_id"] for line in service.audit_lines()}
    assert {f"transport-{index}" for index in range(6)} <= ids
