"""Whitespace as speech-to-text output and agent notes write it: tabs, NBSP, ideographic and thin
spaces, doubled spaces, line breaks.

spaCy keeps any whitespace other than one plain space as a token of its own, so a
model that only ever saw plain spaces reads `25만\t원` as two things. Some utterances
get their spaces replaced after they are built; entity offsets are moved with the
text. A line break goes inside an entity only where a whole note is broken that way
(`14만\n원`), never inside a phone number: two numbers on two lines must stay two.
"""
from random import Random
from typing import Any, Callable, Dict, List, Optional, Sequence, Tuple

from spacy_callner.scheme import PHONE

WHITESPACE_VARIANT_PROB = 0.2
"""Share of utterances whose spaces are rewritten."""
UNIFORM_VARIANT_PROB = 0.5
"""Of those, the share where every space gets the same variant (a tab-separated note, an NBSP-only
export); the others get a random variant at some of their spaces."""
SCATTERED_SPACE_PROB = 0.35

INLINE_VARIANTS: Sequence[str] = ("\t", "\u00a0", "\u3000", "\u2009", "\u202f", "  ")
"""Variants that may stand inside any entity (`25만\u00a0원`, `갤럭시\tS25`)."""
LINE_BREAKS: Sequence[str] = ("\n", "\r\n")
"""Variants put inside a non-PHONE entity only when the whole utterance uses them."""

Entity = Dict[str, Any]
SpaceReplacement = Callable[[Optional[str]], str]
"""Given the label of the entity a space lies in (None outside), the text to write instead."""


def _label_at(entities: Sequence[Entity]) -> List[Optional[str]]:
    """Per character position: the label of the entity it lies in, or None."""
    end = max((e["end"] for e in entities), default=0)
    labels: List[Optional[str]] = [None] * (end + 1)
    for entity in entities:
        for i in range(entity["start"], entity["end"]):
            labels[i] = entity["label"]
    return labels


def rewrite_spaces(text: str, entities: Sequence[Entity], replace: SpaceReplacement) -> Tuple[str, List[Entity]]:
    """`text` with every plain space replaced by `replace(label)`, and the entities moved with it."""
    label_at = _label_at(entities)
    pieces, new_index, position = [], [], 0
    for i, char in enumerate(text):
        new_index.append(position)
        piece = replace(label_at[i] if i < len(label_at) else None) if char == " " else char
        pieces.append(piece)
        position += len(piece)
    new_index.append(position)
    moved = [{**e, "start": new_index[e["start"]], "end": new_index[e["end"]]} for e in entities]
    return "".join(pieces), moved


def vary_whitespace(rng: Random, text: str, entities: List[Entity]) -> Tuple[str, List[Entity], bool]:
    """(text, entities, changed): spaces rewritten for a share of utterances, else unchanged."""
    if " " not in text or rng.random() >= WHITESPACE_VARIANT_PROB:
        return text, entities, False
    everything = tuple(INLINE_VARIANTS) + tuple(LINE_BREAKS)
    uniform = rng.choice(everything) if rng.random() < UNIFORM_VARIANT_PROB else None

    def replace(label: Optional[str]) -> str:
        if uniform is None and rng.random() >= SCATTERED_SPACE_PROB:
            return " "
        piece = uniform or rng.choice(everything)
        if piece in LINE_BREAKS and label is not None and (uniform is None or label == PHONE):
            return rng.choice(INLINE_VARIANTS)
        return piece

    new_text, moved = rewrite_spaces(text, entities, replace)
    return new_text, moved, True
