"""What every entity builder takes and returns.

Builders for phones, contracts, amounts and products differ in what they need
to decide, but all take one `EntityRequest` and return one `BuiltEntity`, so
the renderer places any entity the same way.
"""
from dataclasses import dataclass, field
from random import Random
from typing import Any, Callable, Dict, List, Optional


@dataclass(frozen=True)
class EntityRequest:
    """One entity slot of a template, with the text around it that a builder may look at."""

    label: str
    kind: str = ""
    role: str = ""
    following: str = ""
    """Template text right after the slot, so no modifier is doubled (정도 정도)."""
    preceding: str = ""
    """The last few characters already written, so no modifier is doubled before it (약 약)."""
    scenario: str = ""


@dataclass
class BuiltEntity:
    """An entity ready to be written: the span text plus what is said around it outside the span."""

    label: str
    text: str
    reading: str
    """How the span ends when read aloud (원 for 5만 원, 달러 for $20), for particle agreement."""
    tags: List[str] = field(default_factory=list)
    before: str = ""
    """Said right before the span, outside it (약, 월 ...)."""
    after: str = ""
    """Said right after the span, outside it, leading space included (` 정도`, ` 정수기`)."""
    value: Optional[Dict[str, Any]] = None
    """The value the builder rendered the span from (ANNOTATION.md, Values): it knows the amount."""

    @property
    def particle_reading(self) -> str:
        """What the particle glued after this entity has to agree with."""
        return self.after or self.reading


EntityBuilder = Callable[[Random, EntityRequest], BuiltEntity]
"""The one signature of the phone, contract, money and product builders."""
