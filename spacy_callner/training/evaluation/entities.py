"""Entities by character offsets, and one example's gold and predicted entities on the gold tokens."""
from dataclasses import dataclass, field
from typing import List, Optional, Sequence, Tuple

from spacy.tokens import Doc, Span


@dataclass(frozen=True)
class Entity:
    """An entity by character offsets, with its gold-token offsets for IOB2 tags."""

    start_char: int
    end_char: int
    label: str
    start: int
    end: int

    @property
    def key(self) -> Tuple[int, int, str]:
        return (self.start_char, self.end_char, self.label)

    def overlaps(self, other: "Entity") -> bool:
        return self.start_char < other.end_char and other.start_char < self.end_char

    def to_json(self, text: str) -> dict:
        return {"start": self.start_char, "end": self.end_char, "label": self.label,
                "text": text[self.start_char:self.end_char]}


@dataclass
class ScoredDoc:
    """One example after prediction: what was scored, what was ignored, what went wrong."""

    index: int
    text: str
    n_tokens: int
    gold: List[Entity]
    predicted: List[Entity]
    ignored: List[Entity] = field(default_factory=list)
    errors: List[dict] = field(default_factory=list)

    def tags(self, entities: Sequence[Entity]) -> List[str]:
        """IOB2 tags over the gold tokens; an entity that overlaps an earlier one is left out."""
        tags = ["O"] * self.n_tokens
        for ent in entities:
            if any(tag != "O" for tag in tags[ent.start:ent.end]):
                continue
            tags[ent.start] = f"B-{ent.label}"
            for i in range(ent.start + 1, ent.end):
                tags[i] = f"I-{ent.label}"
        return tags


def project_onto_gold(gold_doc: Doc, ent: Span) -> Optional[Tuple[Entity, bool]]:
    """A predicted entity on the gold tokens (expanded to whole tokens, as spaCy's alignment does),
    and whether it lies over tokens whose gold annotation is unknown; None if it covers no text."""
    span = gold_doc.char_span(ent.start_char, ent.end_char, alignment_mode="expand")
    if span is None or not span.text.strip():
        return None
    projected = Entity(span.start_char, span.end_char, ent.label_, span.start, span.end)
    return projected, any(token.ent_iob == 0 for token in span)
