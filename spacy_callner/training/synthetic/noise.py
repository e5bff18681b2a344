"""Light STT noise inside the context text between slots: typos, dropped spaces, repeated words.

Only context is touched, never an entity, and the edges of a piece stay put so
the joins to the entities beside it are unchanged.
"""
import re
from random import Random
from typing import Tuple

from .banks import load_bank
from .draft import HANGUL_SYLLABLE

TYPO_PROB = 0.10
DROPPED_SPACE_PROB = 0.07
REPEATED_WORD_PROB = 0.04
_SHORT_WORD = re.compile(r"(?<= )[가-힣]{1,3}(?= )")


def _typo(rng: Random, text: str) -> Tuple[str, bool]:
    applicable = [(a, b) for a, b in load_bank("noise.json")["typos"] if a in text[1:-1]]
    if not applicable:
        return text, False
    old, new = rng.choice(applicable)
    at = text.find(old, 1)
    if 0 < at and at + len(old) < len(text):
        return text[:at] + new + text[at + len(old):], True
    return text, False


def _dropped_space(rng: Random, text: str) -> Tuple[str, bool]:
    spaces = [i for i in range(1, len(text) - 1)
              if text[i] == " " and HANGUL_SYLLABLE.match(text[i - 1]) and HANGUL_SYLLABLE.match(text[i + 1])]
    if not spaces:
        return text, False
    i = rng.choice(spaces)
    return text[:i] + text[i + 1:], True


def _repeated_word(rng: Random, text: str) -> Tuple[str, bool]:
    words = list(_SHORT_WORD.finditer(text))
    if not words:
        return text, False
    m = rng.choice(words)
    return text[: m.end()] + " " + m.group(0) + text[m.end():], True


def add_context_noise(rng: Random, text: str) -> Tuple[str, bool]:
    """``text`` with light STT noise, and whether anything changed."""
    changed = False
    if len(text) > 3 and rng.random() < TYPO_PROB:
        text, hit = _typo(rng, text)
        changed |= hit
    if rng.random() < DROPPED_SPACE_PROB:
        text, hit = _dropped_space(rng, text)
        changed |= hit
    if rng.random() < REPEATED_WORD_PROB:
        text, hit = _repeated_word(rng, text)
        changed |= hit
    return text, changed
