"""The HTTP service under load: a fixed number of requests at fixed concurrencies, on loopback.

Starts ``python -m spacy_callner serve`` in a subprocess (``ServiceProcess``, also what the
service tests use), warms it up, then for each concurrency sends ``n_requests`` single-utterance
requests from that many asyncio httpx workers and reports requests/s, p50/p95/p99 latency, the
error count and the server's RSS before and after. The same utterances called in-process
(``doc_to_record(nlp(text))``), each paired with the same request over HTTP, show what HTTP,
JSON and the thread hop add.
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
from typing import Dict, List, Optional, Sequence

from ..speed import percentile

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
    in_process: Optional[Dict[str, float]] = None

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


def paired_overhead(server: ServiceProcess, model: str, endpoint: str, texts: Sequence[str], n_requests: int,
                    warmup: int) -> Dict[str, float]:
    """The same utterance in-process (``doc_to_record(nlp(text))``) and over HTTP back to back,
    ``n_requests`` times, which of the two goes first alternating: on a shared machine whose load
    drifts each pair sees the same load, so the median of the paired differences is the service's
    overhead. The audit log's ``latency_ms`` (inside the server) splits it into the server's own
    part and the client's (HTTP, JSON)."""
    import httpx
    import spacy

    from spacy_callner.records import doc_to_record

    nlp = spacy.load(model)
    local, remote, ids = [], [], []
    with httpx.Client(base_url=server.url, timeout=300) as client:
        def over_http(text: str, request_id: str) -> float:
            started = time.perf_counter()
            response = client.post(endpoint, json={"text": text}, headers={"X-Request-ID": request_id})
            response.raise_for_status()
            return 1000 * (time.perf_counter() - started)

        def in_process(text: str) -> float:
            started = time.perf_counter()
            doc_to_record(nlp(text))
            return 1000 * (time.perf_counter() - started)

        for index in range(warmup + n_requests):
            text, request_id = texts[index % len(texts)], f"pair-{index}"
            first_local = index % 2 == 0
            local_ms = in_process(text) if first_local else None
            remote_ms = over_http(text, request_id)
            local_ms = in_process(text) if local_ms is None else local_ms
            if index >= warmup:
                local.append(local_ms)
                remote.append(remote_ms)
                ids.append(request_id)
    inside = audit_latencies(server.audit_path, ids)
    return {"pairs": len(ids), "in_process_p50_ms": round(percentile(local, 50), 2),
            "in_process_p95_ms": round(percentile(local, 95), 2), "http_p50_ms": round(percentile(remote, 50), 2),
            "http_p95_ms": round(percentile(remote, 95), 2), "server_p50_ms": round(percentile(inside, 50), 2),
            "overhead_p50_ms": round(percentile([r - l for r, l in zip(remote, local)], 50), 2),
            "client_side_p50_ms": round(percentile([r - i for r, i in zip(remote, inside)], 50), 2)}


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
    """Start the service, warm it up, measure each concurrency, stop it; then the in-process calls."""
    server = ServiceProcess.start(model, work_dir, "--max-queue", str(max(concurrencies) * 2), *serve_args)
    try:
        measure_level(server, endpoint, texts, max(concurrencies), warmup_requests)
        report = ServiceLoadReport(model=str(model), endpoint=endpoint, n_requests=n_requests,
                                   warmup_requests=warmup_requests, rss_after_warmup_mb=round(server.rss_mb(), 1),
                                   rss_final_mb=float("nan"))
        report.levels = [measure_level(server, endpoint, texts, c, n_requests) for c in concurrencies]
        report.rss_final_mb = round(server.rss_mb(), 1)
        report.in_process = paired_overhead(server, model, endpoint, texts, n_requests, warmup_requests)
    finally:
        server.stop()
    return report
