"""One JSON line per HTTP request, for the record: who asked what kind of thing, and what came of it.

A line holds the request id, the time, the client address, method, path, status, latency,
the number of texts and characters, entity counts per label, the thresholds, labels and style
used, and an error kind; never a text, an entity's surface or value, or an error message (a
validation message can quote the input). The id is the client's ``X-Request-ID`` when it is a
plain token, else a new one, and goes back in the response's ``X-Request-ID`` header.
"""
import json
import re
import sys
import threading
import uuid
from collections import Counter
from datetime import datetime, timezone
from pathlib import Path
from typing import Any, Dict, Iterable, Optional, TextIO

REQUEST_ID_HEADER = "X-Request-ID"
CLIENT_REQUEST_ID = re.compile(r"[A-Za-z0-9._:-]{1,64}")


def request_id_from(header: Optional[str]) -> str:
    """The client's request id when it is a short plain token (it is logged), else a fresh UUID."""
    if header is not None and CLIENT_REQUEST_ID.fullmatch(header):
        return header
    return uuid.uuid4().hex


def label_counts(entity_labels: Iterable[str]) -> Dict[str, int]:
    """How many entities of each label, labels sorted."""
    return dict(sorted(Counter(entity_labels).items()))


class AuditLog:
    """Appends audit lines to a file (or standard error), whole lines, one writer at a time."""

    def __init__(self, path: Optional[Path] = None):
        self.path = Path(path) if path is not None else None
        if self.path is not None:
            self.path.parent.mkdir(parents=True, exist_ok=True)
        self._stream: TextIO = open(self.path, "a", encoding="utf8") if self.path is not None else sys.stderr
        self._lock = threading.Lock()

    def write(self, entry: Dict[str, Any]) -> None:
        line = json.dumps({"time": datetime.now(timezone.utc).isoformat(timespec="milliseconds"), **entry},
                          ensure_ascii=False, sort_keys=False)
        with self._lock:
            self._stream.write(line + "\n")
            self._stream.flush()

    def close(self) -> None:
        if self.path is not None:
            with self._lock:
                self._stream.close()
