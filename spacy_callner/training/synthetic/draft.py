"""The text builder that records entity offsets while the text is written.

Spans are exact by construction: an entity's start and end are the builder's
length before and after it is appended, so no offset is ever searched for.
"""
import re
from dataclasses import dataclass, field
from typing import Any, Dict, List, Optional

HANGUL_SYLLABLE = re.compile(r"[가-힣]")


@dataclass
class Draft:
    """Text under construction with entity offsets recorded as pieces are appended."""

    parts: List[str] = field(default_factory=list)
    length: int = 0
    entities: List[Dict[str, Any]] = field(default_factory=list)
    formats: List[str] = field(default_factory=list)
    negatives: List[str] = field(default_factory=list)
    last_is_entity: bool = False

    def add(self, text: str) -> None:
        """Append context text, never doubling a space at the join."""
        if not text:
            return
        if text.startswith(" ") and (not self.parts or self.parts[-1].endswith(" ")):
            text = text.lstrip(" ")
            if not text:
                return
        self.parts.append(text)
        self.length += len(text)
        self.last_is_entity = False

    def add_entity(self, text: str, label: str, value: Optional[Dict[str, Any]] = None) -> None:
        """Append an entity and record its span, and its value when the builder gave one."""
        assert text == text.strip() and text, text
        start = self.length
        self.parts.append(text)
        self.length += len(text)
        entity: Dict[str, Any] = {"start": start, "end": self.length, "label": label}
        if value is not None:
            entity["value"] = value
        self.entities.append(entity)
        self.last_is_entity = True

    def drop_trailing_space(self) -> bool:
        """Remove a space before the next piece if it follows a Hangul syllable (glued writing)."""
        if self.last_is_entity or not self.parts:
            return False
        last = self.parts[-1]
        if len(last) >= 2 and last.endswith(" ") and HANGUL_SYLLABLE.match(last[-2]):
            self.parts[-1] = last[:-1]
            self.length -= 1
            return True
        return False

    def tail(self, n: int = 1) -> str:
        """The last ``n`` characters written so far."""
        out = ""
        for part in reversed(self.parts):
            out = part + out
            if len(out) >= n:
                break
        return out[-n:]

    def tag(self, name: str) -> None:
        """Record a format class once, in order of first appearance."""
        if name not in self.formats:
            self.formats.append(name)

    def note_negative(self, slot: str) -> None:
        """Record a hard-negative slot once, in order of first appearance."""
        if slot.lower() not in self.negatives:
            self.negatives.append(slot.lower())

    def text(self) -> str:
        """The text written so far."""
        return "".join(self.parts)
