"""Real servers for the service tests: ``python -m spacy_callner serve`` in a subprocess on a free
loopback port, over the tiny assembled pipeline of the command-line tests, with a real httpx client."""
import signal
import socket
import subprocess
import time
from dataclasses import dataclass
from pathlib import Path
from typing import List, Optional

import httpx
import pytest

from ..cli.conftest import cli_command, cli_env, cli_pipeline  # noqa: F401  (cli_pipeline: the shared fixture)
from ..conftest import REPO_ROOT

API_KEY = "test-api-key-3f9a"
HASH_KEY = "test-hash-key-77c1"
READY_WAIT_S = 240
LIMITS = ("--max-text-chars", "60000", "--max-batch", "4", "--max-body-bytes", "400000")
"""Server ``service``'s limits: a 50,000-character transcript fits, 60,001 characters or 5 texts do not."""


def free_port() -> int:
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        return probe.getsockname()[1]


@dataclass
class Server:
    """A running ``serve`` process, its base URL and its audit and output files."""

    process: subprocess.Popen
    url: str
    audit_path: Path
    output_path: Path

    def client(self, **kwargs) -> httpx.Client:
        return httpx.Client(base_url=self.url, **{"timeout": 120, **kwargs})

    def audit_lines(self) -> List[dict]:
        import json

        return [json.loads(line) for line in self.audit_path.read_text(encoding="utf8").splitlines()]

    def output(self) -> str:
        return self.output_path.read_text(encoding="utf8", errors="replace")

    def stop(self) -> int:
        if self.process.poll() is None:
            self.process.send_signal(signal.SIGTERM)
        return self.process.wait(timeout=60)


def start_server(pipeline: Path, directory: Path, *args: str, env: Optional[dict] = None) -> Server:
    """Start ``serve`` and wait until ``/readyz`` says ready (the process dying fails at once)."""
    port = free_port()
    audit_path, output_path = directory / "audit.jsonl", directory / "server.log"
    command = cli_command("serve", "--model", pipeline, "--port", port, "--audit-log", audit_path, *args)
    process = subprocess.Popen(command, cwd=REPO_ROOT, env={**cli_env(), **(env or {})},
                               stdout=output_path.open("w"), stderr=subprocess.STDOUT)
    server = Server(process, f"http://127.0.0.1:{port}", audit_path, output_path)
    deadline = time.monotonic() + READY_WAIT_S
    while time.monotonic() < deadline:
        if process.poll() is not None:
            raise AssertionError(f"serve exited with {process.returncode}:\n{server.output()[-3000:]}")
        try:
            if httpx.get(f"{server.url}/readyz", timeout=5).status_code == 200:
                return server
        except httpx.TransportError:
            pass
        time.sleep(0.2)
    server.stop()
    raise AssertionError(f"serve was not ready after {READY_WAIT_S} s:\n{server.output()[-3000:]}")


@pytest.fixture(scope="session")
def service(cli_pipeline, tmp_path_factory):  # noqa: F811
    """No auth, small limits, a hash key from the environment."""
    server = start_server(cli_pipeline, tmp_path_factory.mktemp("service"), *LIMITS, "--hash-key-env",
                          "CALLNER_TEST_HASH_KEY", env={"CALLNER_TEST_HASH_KEY": HASH_KEY})
    yield server
    server.stop()


@pytest.fixture(scope="session")
def auth_service(cli_pipeline, tmp_path_factory):  # noqa: F811
    """An API key from a key file (trailing newline, as editors write it)."""
    directory = tmp_path_factory.mktemp("auth_service")
    key_file = directory / "api.key"
    key_file.write_text(API_KEY + "\n", encoding="utf8")
    server = start_server(cli_pipeline, directory, "--api-key-file", str(key_file))
    yield server
    server.stop()
