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
