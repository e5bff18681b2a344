"""Bounded model calls and graceful shutdown on real servers: a request over the queue is told
the server is busy, one over the request timeout gets 504, and SIGTERM lets a slow batch finish."""
import signal
import threading
import time

import httpx
import pytest

from .conftest import start_server
from .texts import PHONE_TEXT, transcript

SLOW_BATCH = 16
SLOW_TEXT_CHARS = 30_000
STOPPED_BY_SIGTERM = -signal.SIGTERM
"""uvicorn shuts down gracefully, then raises the signal it caught again, so the exit says SIGTERM."""


def wait_for_in_flight(server, done: threading.Event, wanted: int = 1) -> None:
    """Poll ``/readyz`` until ``wanted`` requests use or wait for the model (the slow one has not ended)."""
    deadline = time.monotonic() + 120
    with server.client() as client:
        while time.monotonic() < deadline and not done.is_set():
            if client.get("/readyz").json()["in_flight"] >= wanted:
                return
            time.sleep(0.02)
    pytest.fail("the slow batch ended (or never started) before the check could run; make SLOW_BATCH larger")


def post_in_background(server, body):
    outcome, done = {}, threading.Event()

    def send():
        try:
            with server.client(timeout=300) as client:
                outcome["response"] = client.post("/v1/annotate", json=body, headers={"X-Request-ID": "slow-batch"})
        finally:
            done.set()

    thread = threading.Thread(target=send, daemon=True)
    thread.start()
    return thread, outcome, done


def test_sigterm_finishes_the_request_in_flight_and_a_full_queue_is_busy(cli_pipeline, tmp_path):
    server = start_server(cli_pipeline, tmp_path, "--max-batch", str(SLOW_BATCH), "--max-text-chars",
                          str(SLOW_TEXT_CHARS), "--max-queue", "0", "--concurrency", "1")
    try:
        texts = [transcript(SLOW_TEXT_CHARS)] * SLOW_BATCH
        thread, outcome, done = post_in_background(server, {"texts": texts})
        wait_for_in_flight(server, done)
        with server.client() as client:
            busy = client.post("/v1/annotate", json={"text": PHONE_TEXT}, headers={"X-Request-ID": "while-busy"})
        assert busy.status_code == 503 and busy.json()["limit"] == "max_queue", busy.text
        assert not done.is_set(), "the slow batch must still be running when SIGTERM is sent"
        server.process.send_signal(signal.SIGTERM)
        thread.join(timeout=300)
        response = outcome["response"]
        assert response.status_code == 200
        results = response.json()["results"]
        assert len(results) == SLOW_BATCH and all(result["entities"] for result in results)
        assert server.process.wait(timeout=60) == STOPPED_BY_SIGTERM
        with pytest.raises(httpx.TransportError):
            httpx.get(f"{server.url}/healthz", timeout=5)
        statuses = {line["request_id"]: line["status"] for line in server.audit_lines()}
        assert statuses["slow-batch"] == 200 and statuses["while-busy"] == 503
        output = server.output()
        assert "Waiting for connections to close" in output and "Application shutdown complete" in output
    finally:
        server.stop()


def test_a_request_over_the_timeout_is_504_and_the_server_stays_up(cli_pipeline, tmp_path):
    server = start_server(cli_pipeline, tmp_path, "--request-timeout", "0.001")
    try:
        with server.client() as client:
            response = client.post("/v1/redact", json={"text": transcript(20_000)})
            assert response.status_code == 504, response.text
            assert response.json()["limit"] == "request_timeout" and "request_timeout" in response.json()["message"]
            assert client.get("/healthz").status_code == 200
            assert client.get("/readyz").status_code == 200
        assert server.stop() == STOPPED_BY_SIGTERM
    finally:
        server.stop()


def test_a_model_that_cannot_load_stops_the_server_with_status_1(tmp_path):
    import subprocess

    from spacy_callner.training.benchmark.service_load import free_port

    from ..cli.conftest import cli_command, cli_env

    completed = subprocess.run(cli_command("serve", "--model", tmp_path / "no_such_pipeline", "--port", free_port()),
                               env=cli_env(), capture_output=True, text=True, timeout=300)
    assert completed.returncode == 1
    assert "the model failed to load" in completed.stderr and "no_such_pipeline" in completed.stderr
