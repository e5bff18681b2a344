"""Whitespace as speech-to-text output and agent notes write it: tabs, NBSP, ideographic and thin
spaces, doubled spaces, line breaks.

spaCy keeps any whitespace other than one plain space as a token of its own, so a
model that only ever saw plain spaces reads `25만\t원` as two things. Some utterances
get their spaces replaced after they are built; entity offsets are moved with the
text, and a line break is never put inside an entity.
"""
from random import Random
from typing import Any, Dict, List, Sequence

WHITESPACE_VARIANT_PROB = 0.08
"""Share of utterances whose spaces are rewritten."""
UNIFORM_VARIANT_PROB = 0.5
"""Of those, the share where every space gets the same variant (a tab-separated note, an NBSP-only
export); the others get a random variant at some of their spaces."""
SCATTERED_SPACE_PROB = 0.35

INLINE_VARIANTS: Sequence[str] = ("\t", "\u00a0", "\u3000", "\u2009", "\u202f", "  ")
"""Variants that may stand inside an entity (`25만\u00a0원`, `갤럭시\tS25`)."""
LINE_BREAKS: Sequence[str] = ("\n", "\r\n")
"""Variants only ever put between entities."""


def _inside_entity(entities: Sequence[Dict[str, Any]]) -> List[bool]:
    """Per character position: whether it lies strictly inside an entity span."""
    end = max((e["end"] for e in entities), default=0)
    inside = [False] * (end + 1)
    for entity in entities:
        for i in range(entity["start"], entity["end"]):
            inside[i] = True
    return inside


def vary_whitespace(rng: Random, text: str, entities: List[Dict[str, Any]]) -> tuple:
    """(text, entities) with spaces rewritten; unchanged (and False) when the draw says so.

    Returns (text, entities, changed).
    """
    if " " not in text or rng.random() >= WHITESPACE_VARIANT_PROB:
        return text, entities, False
    inside = _inside_entity(entities)
    uniform = rng.choice(tuple(INLINE_VARIANTS) + tuple(LINE_BREAKS)) if rng.random() < UNIFORM_VARIANT_PROB else None
    pieces, new_index = [], []
    position = 0
    for i, char in enumerate(text):
        new_index.append(position)
        piece = char
        if char == " " and (uniform is not None or rng.random() < SCATTERED_SPACE_PROB):
            in_span = i < len(inside) and inside[i]
            piece = uniform or rng.choice(tuple(INLINE_VARIANTS) + tuple(LINE_BREAKS))
            if in_span and piece in LINE_BREAKS:
                piece = rng.choice(INLINE_VARIANTS)
        pieces.append(piece)
        position += len(piece)
    new_index.append(position)
    moved = [{**e, "start": new_index[e["start"]], "end": new_index[e["end"]]} for e in entities]
    return "".join(pieces), moved, True
