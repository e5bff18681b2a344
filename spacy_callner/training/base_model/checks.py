"""The result of one verification check, and the rule that a failed check raises.

Every check either passes, is skipped (with the reason), or raises
`BaseModelError("verification '<name>' failed: ...")`; only passed and skipped
checks are recorded, in the provenance file and the build report.
"""
from __future__ import annotations

from dataclasses import dataclass

from .errors import BaseModelError

PASSED = "passed"
SKIPPED = "skipped"


@dataclass(frozen=True)
class Check:
    name: str
    status: str
    detail: str

    def as_dict(self) -> dict:
        return {"name": self.name, "status": self.status, "detail": self.detail}


def skipped(name: str, detail: str) -> Check:
    return Check(name, SKIPPED, detail)


def require(ok: bool, name: str, detail: str, failure: str) -> Check:
    """A passed check described by `detail`, or BaseModelError describing `failure`."""
    if not ok:
        raise BaseModelError(f"verification '{name}' failed: {failure}")
    return Check(name, PASSED, detail)
