"""The HTTP service under load: a fixed number of requests at fixed concurrencies, on loopback.

Starts ``python -m spacy_callner serve`` in a subprocess (``ServiceProcess``, also what the
service tests use), warms it up, then for each concurrency sends ``n_requests`` single-utterance
requests from that many asyncio httpx workers and reports requests/s, p50/p95/p99 latency, the
error count and the server's RSS before and after (RSS is read before the transport
measurement). Overhead two ways: on the same sequential requests, the client's latency minus the
server's own (audit log), and the same utterances called in-process (``doc_to_record(nlp(text))``)
after the server stopped, beside the concurrency-1 level.
Timings depend on the machine and its load: compare rows of one run, never across runs.
"""
from __future__ import annotations

import asyncio
import os
import signal
import socket
import subprocess
import sys
import time
from dataclasses import asdict, dataclass, field
from pathlib import Path
from typing import Callable, Dict, List, Optional, Sequence

from ..speed import percentile, time_single_calls

READY_WAIT_S = 600


def free_port() -> int:
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        return probe.getsockname()[1]


def process_rss_mb(pid: int) -> float:
    """Resident set size of process ``pid`` now, in MB (Linux /proc)."""
    with open(f"/proc/{pid}/status", encoding="ascii") as status:
        for line in status:
            if line.startswith("VmRSS:"):
                return int(line.split()[1]) / 1024
    return float("nan")


@dataclass
class ServiceProcess:
    """``serve`` running in a subprocess on a free loopback port, with its audit file and output."""

    process: subprocess.Popen
    url: str
    audit_path: Path
    output_path: Path

    @classmethod
    def start(cls, model: str, directory: Path, *args: str, env: Optional[Dict[str, str]] = None,
              python: str = sys.executable, wait_s: float = READY_WAIT_S) -> "ServiceProcess":
        """Start ``serve`` and wait until ``/readyz`` says ready; a process that dies fails at once."""
        import httpx

        directory.mkdir(parents=True, exist_ok=True)
        port = free_port()
        audit_path, output_path = directory / "audit.jsonl", directory / "server.log"
        command = [python, "-m", "spacy_callner", "serve", "--model", str(model), "--port", str(port),
                   "--audit-log", str(audit_path), *map(str, args)]
        process = subprocess.Popen(command, env={**os.environ, **(env or {})}, stdout=output_path.open("w"),
                                   stderr=subprocess.STDOUT)
        server = cls(process, f"http://127.0.0.1:{port}", audit_path, output_path)
        deadline = time.monotonic() + wait_s
        while time.monotonic() < deadline:
            if process.poll() is not None:
                raise RuntimeError(f"serve exited with {process.returncode}:\n{server.output()[-3000:]}")
            try:
                if httpx.get(f"{server.url}/readyz", timeout=5).status_code == 200:
                    return server
            except httpx.TransportError:
                pass
            time.sleep(0.2)
        server.stop()
        raise RuntimeError(f"serve was not ready after {wait_s} s:\n{server.output()[-3000:]}")

    def output(self) -> str:
        return self.output_path.read_text(encoding="utf8", errors="replace")

    def rss_mb(self) -> float:
        return process_rss_mb(self.process.pid)

    def stop(self) -> int:
        """SIGTERM (uvicorn's graceful shutdown) and the exit status."""
        if self.process.poll() is None:
            self.process.send_signal(signal.SIGTERM)
        return self.process.wait(timeout=120)


@dataclass
class LoadLevel:
    """One concurrency's figures."""

    concurrency: int
    requests: int
    errors: int
    seconds: float
    requests_per_s: float
    p50_ms: float
    p95_ms: float
    p99_ms: float
    rss_start_mb: float
    rss_end_mb: float


@dataclass
class ServiceLoadReport:
    model: str
    endpoint: str
    n_requests: int
    warmup_requests: int
    rss_after_warmup_mb: float
    rss_final_mb: float
    levels: List[LoadLevel] = field(default_factory=list)
    transport: Optional[Dict[str, float]] = None
    in_process: Optional[Dict[str, Dict]] = None

    @property
    def rss_growth(self) -> float:
        """Final RSS over the RSS after warm-up, minus one (0.05: grew by 5 %)."""
        return self.rss_final_mb / self.rss_after_warmup_mb - 1

    def to_json(self) -> dict:
        return {**asdict(self), "rss_growth": round(self.rss_growth, 4)}


async def send_requests(url: str, endpoint: str, texts: Sequence[str], *, concurrency: int,
                        n_requests: int) -> tuple:
    """``n_requests`` POSTs of one text each from ``concurrency`` workers: latencies (ms), errors, seconds."""
    import httpx

    latencies: List[float] = []
    errors = 0
    next_index = 0

    async def worker(client) -> None:
        nonlocal errors, next_index
        while next_index < n_requests:
            index, next_index = next_index, next_index + 1
            started = time.perf_counter()
            try:
                response = await client.post(endpoint, json={"text": texts[index % len(texts)]})
                ok = response.status_code == 200
            except httpx.HTTPError:
                ok = False
            latencies.append(1000 * (time.perf_counter() - started))
            errors += not ok

    limits = httpx.Limits(max_connections=concurrency, max_keepalive_connections=concurrency)
    async with httpx.AsyncClient(base_url=url, timeout=300, limits=limits) as client:
        started = time.perf_counter()
        await asyncio.gather(*(worker(client) for _ in range(concurrency)))
        seconds = time.perf_counter() - started
    return latencies, errors, seconds


def measure_level(server: ServiceProcess, endpoint: str, texts: Sequence[str], concurrency: int,
                  n_requests: int) -> LoadLevel:
    rss_start = server.rss_mb()
    latencies, errors, seconds = asyncio.run(send_requests(server.url, endpoint, texts, concurrency=concurrency,
                                                           n_requests=n_requests))
    return LoadLevel(concurrency=concurrency, requests=n_requests, errors=errors, seconds=round(seconds, 2),
                     requests_per_s=round(n_requests / seconds, 2), p50_ms=round(percentile(latencies, 50), 2),
                     p95_ms=round(percentile(latencies, 95), 2), p99_ms=round(percentile(latencies, 99), 2),
                     rss_start_mb=round(rss_start, 1), rss_end_mb=round(server.rss_mb(), 1))


def transport_overhead(server: ServiceProcess, endpoint: str, texts: Sequence[str],
                       n_requests: int) -> Dict[str, float]:
    """One request at a time, each timed by the client and by the server (the audit log's
    ``latency_ms``, from the request's arrival to its answer): their difference is what HTTP, the
    connection and JSON parsing on the client add, measured on the very same requests."""
    import httpx

    client_ms, ids = [], [f"transport-{index}" for index in range(n_requests)]
    with httpx.Client(base_url=server.url, timeout=300) as client:
        for index, request_id in enumerate(ids):
            started = time.perf_counter()
            response = client.post(endpoint, json={"text": texts[index % len(texts)]},
                                   headers={"X-Request-ID": request_id})
            response.raise_for_status()
            client_ms.append(1000 * (time.perf_counter() - started))
    server_ms = audit_latencies(server.audit_path, ids)
    return {"requests": n_requests, "http_p50_ms": round(percentile(client_ms, 50), 2),
            "server_p50_ms": round(percentile(server_ms, 50), 2),
            "transport_p50_ms": round(percentile([c - s for c, s in zip(client_ms, server_ms)], 50), 2)}


def in_process_latency(model: str, texts: Sequence[str], n_requests: int, warmup: int) -> Dict[str, Dict]:
    """The same single-utterance calls without HTTP, ``doc_to_record(nlp(text))`` after ``warmup``
    calls, on the main thread and on one worker thread as the service makes them; run once the
    server has stopped, so the two never compete for the cores."""
    from concurrent.futures import ThreadPoolExecutor

    import spacy

    from spacy_callner.records import doc_to_record

    nlp = spacy.load(model)

    def call(text: str) -> dict:
        return doc_to_record(nlp(text))

    def measure(run: Callable[[str], object]) -> Dict[str, float]:
        time_single_calls(run, texts, n=warmup)
        started = time.perf_counter()
        stats = time_single_calls(run, texts, n=n_requests)
        seconds = time.perf_counter() - started
        return {"calls": n_requests, "calls_per_s": round(n_requests / seconds, 2), "p50_ms": round(stats.p50_ms, 2),
                "p95_ms": round(stats.p95_ms, 2)}

    with ThreadPoolExecutor(max_workers=1) as worker:
        return {"main_thread": measure(call), "worker_thread": measure(lambda text: worker.submit(call, text).result())}


def audit_latencies(audit_path: Path, request_ids: Sequence[str]) -> List[float]:
    """The audit log's ``latency_ms`` of each request id, in the order given."""
    import json

    found = {}
    for line in audit_path.read_text(encoding="utf8").splitlines():
        entry = json.loads(line)
        found[entry["request_id"]] = entry["latency_ms"]
    return [found[request_id] for request_id in request_ids]


def run_service_load(model: str, texts: Sequence[str], work_dir: Path, *, concurrencies: Sequence[int] = (1, 8, 32),
                     n_requests: int = 500, warmup_requests: int = 100, endpoint: str = "/v1/annotate",
                     serve_args: Sequence[str] = ()) -> ServiceLoadReport:
    """Start the service, warm it up, measure each concurrency and the transport, stop it; then the
    in-process calls."""
    server = ServiceProcess.start(model, work_dir, "--max-queue", str(max(concurrencies) * 2), *serve_args)
    try:
        measure_level(server, endpoint, texts, max(concurrencies), warmup_requests)
        report = ServiceLoadReport(model=str(model), endpoint=endpoint, n_requests=n_requests,
                                   warmup_requests=warmup_requests, rss_after_warmup_mb=round(server.rss_mb(), 1),
                                   rss_final_mb=float("nan"))
        report.levels = [measure_level(server, endpoint, texts, c, n_requests) for c in concurrencies]
        report.rss_final_mb = round(server.rss_mb(), 1)
        report.transport = transport_overhead(server, endpoint, texts, n_requests)
    finally:
        server.stop()
    report.in_process = in_process_latency(model, texts, n_requests, warmup_requests)
    return report
