"""What an operator sets for the HTTP service: where it listens, its limits, its keys.

Plain data, no web framework, so ``serve`` can check its options before importing FastAPI.
A limit's field name is the name the service's error messages give (``max_text_chars``).
"""
from dataclasses import dataclass, field
from pathlib import Path
from typing import Optional

from ..redact import load_key


@dataclass(frozen=True)
class ServiceSettings:
    """The model to serve and how.

    model: installed pipeline name or a pipeline directory.
    max_text_chars: the most characters of one text (longer: 413).
    max_batch: the most texts of one request (more: 413).
    max_body_bytes: the most bytes of a request body (more: 413, before it is parsed).
    request_timeout: seconds a request may wait for and use the model (over: 504).
    concurrency: model calls running at once (threads; the encoder itself takes a lock).
    max_queue: requests waiting for a model slot beyond those running (more: 503).
    api_key: clients must send it (``X-API-Key`` or ``Authorization: Bearer``); None: no auth.
    hash_key: the HMAC key of the ``hash`` redaction style; None: that style is refused.
    audit_log: the audit file (JSON lines, appended); None: standard error.
    memory_zone: wrap each model call in ``nlp.memory_zone()`` so the vocabulary stays flat;
        spaCy's zones must not overlap, so it applies only with ``concurrency`` 1.
    """

    model: str = "ko_callner"
    host: str = "127.0.0.1"
    port: int = 8080
    max_text_chars: int = 100_000
    max_batch: int = 64
    max_body_bytes: int = 8_000_000
    request_timeout: float = 60.0
    concurrency: int = 1
    max_queue: int = 64
    api_key: Optional[bytes] = field(default=None, repr=False)
    hash_key: Optional[bytes] = field(default=None, repr=False)
    audit_log: Optional[Path] = None
    memory_zone: bool = True

    def __post_init__(self) -> None:
        for name in ("max_text_chars", "max_batch", "max_body_bytes", "concurrency", "port"):
            value = getattr(self, name)
            if isinstance(value, bool) or not isinstance(value, int) or value < 1:
                raise ValueError(f"{name} must be a whole number >= 1, got {value!r}")
        if self.max_queue < 0:
            raise ValueError(f"max_queue must be >= 0, got {self.max_queue!r}")
        if not self.request_timeout > 0:
            raise ValueError(f"request_timeout must be > 0 seconds, got {self.request_timeout!r}")

    @property
    def uses_memory_zone(self) -> bool:
        return self.memory_zone and self.concurrency == 1


def optional_key(key_file: Optional[Path], key_env: Optional[str]) -> Optional[bytes]:
    """A key from a file or an environment variable (``redact.load_key``), or None when neither is named."""
    if key_file is None and key_env is None:
        return None
    return load_key(key_file, key_env)
