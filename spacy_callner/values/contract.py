"""CONTRACT values: the identifier to look up, `{"id"}` in canonical upper case.

ANNOTATION.md keeps the digits as written (`KR-2026-0042` keeps its four-digit
serial); only the letters' case and the dash character are normalised.
"""
import re
import unicodedata

from ..patterns import CONTRACT_REGEX
from .result import ValueResult

DASHES = re.compile(r"[\u2010-\u2015\u2212\uFE58\uFE63\uFF0D]")
"""Hyphen-like characters an editor or STT may write for `-`."""


def contract_value(surface: str) -> ValueResult:
    """`kr-2026-001` -> `{"id": "KR-2026-001"}`; anything not of the form `KR-YYYY-NNN...` has no value."""
    text = DASHES.sub("-", unicodedata.normalize("NFKC", surface).strip())
    if CONTRACT_REGEX.fullmatch(text) is None:
        return ValueResult.failed(f"not a contract ID of the form KR-YYYY-NNN: {surface!r}")
    return ValueResult({"id": text.upper()})
