"""The outcome of normalising one entity: its value, or why there is none.

Kept apart from the normalisers so each of them (and the component that sets
``ent._.value``) shares one small type without importing the others.
"""
from dataclasses import dataclass
from typing import Any, Dict, Optional


@dataclass(frozen=True)
class ValueResult:
    """A JSON-able value per ANNOTATION.md ("Values"), or ``None`` with a readable reason."""

    value: Optional[Dict[str, Any]]
    error: Optional[str] = None
    kb_id: Optional[str] = None
    """The linked knowledge-base entry (PRODUCT only), for ``ent.kb_id_``."""

    @classmethod
    def failed(cls, reason: str) -> "ValueResult":
        """No value: the surface cannot be read as its label's value, for ``reason``."""
        return cls(None, reason)
