"""Real servers for the service tests: ``python -m spacy_callner serve`` in a subprocess on a free
loopback port, over the tiny assembled pipeline of the command-line tests, with a real httpx client."""
import json
from pathlib import Path
from typing import List, Optional

import httpx
import pytest

from spacy_callner.training.benchmark.service_load import ServiceProcess

from ..cli.conftest import cli_env, cli_pipeline  # noqa: F401  (cli_pipeline: the shared fixture)

API_KEY = "test-api-key-3f9a"
HASH_KEY = "test-hash-key-77c1"
READY_WAIT_S = 240
LIMITS = ("--max-text-chars", "60000", "--max-batch", "4", "--max-body-bytes", "400000")
"""Server ``service``'s limits: a 50,000-character transcript fits, 60,001 characters or 5 texts do not."""


class Server(ServiceProcess):
    """A running ``serve`` process with a client and its audit lines."""

    def client(self, **kwargs) -> httpx.Client:
        return httpx.Client(base_url=self.url, **{"timeout": 120, **kwargs})

    def audit_lines(self) -> List[dict]:
        return [json.loads(line) for line in self.audit_path.read_text(encoding="utf8").splitlines()]


def start_server(pipeline: Path, directory: Path, *args: str, env: Optional[dict] = None) -> Server:
    """``serve`` over ``pipeline``, ready, offline (the benchmark's launcher, so both start it one way)."""
    return Server.start(str(pipeline), directory, *args, env={**cli_env(), **(env or {})}, wait_s=READY_WAIT_S)


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
