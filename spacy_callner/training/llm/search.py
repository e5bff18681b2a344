"""Finding a surface in an utterance in time linear in the text, however hostile the reply.

A reply is untrusted input: a surface repeated thousands of times, or one
that nearly matches everywhere, made the naive searches quadratic (`str.find`
restarted after every overlapping match, a regex `a\\s?b\\s?c...` tried at every
position, `Doc.char_span` per candidate). Overlapping occurrences come from the
Knuth-Morris-Pratt automaton, spacing-insensitive ones from a plain search in
the text with its spaces taken out, and token alignment from two sets of
character offsets built once per text.
"""
from typing import FrozenSet, List, Tuple

from spacy.tokens import Doc

Offsets = Tuple[int, int]


def _failure_table(pattern: str) -> List[int]:
    """`table[i]`: the length of the longest proper border of `pattern[:i + 1]`."""
    table = [0] * len(pattern)
    border = 0
    for i in range(1, len(pattern)):
        while border and pattern[i] != pattern[border]:
            border = table[border - 1]
        if pattern[i] == pattern[border]:
            border += 1
        table[i] = border
    return table


def occurrences(text: str, surface: str) -> List[Offsets]:
    """Every occurrence of `surface` in `text`, overlapping ones included, in O(len(text) + len(surface))."""
    if not surface:
        return []
    first = text.find(surface)
    if first < 0:
        return []
    table, found, matched = _failure_table(surface), [], 0
    for i in range(first, len(text)):
        while matched and text[i] != surface[matched]:
            matched = table[matched - 1]
        if text[i] == surface[matched]:
            matched += 1
        if matched == len(surface):
            found.append((i + 1 - matched, i + 1))
            matched = table[matched - 1]
    return found


def spacing_insensitive_occurrences(text: str, surface: str) -> List[Offsets]:
    """Non-overlapping occurrences of `surface` with any single spaces added or dropped (`5만원` for `5만 원`).

    `text` has single spaces between words (as `annotate_utterance` makes it),
    so this finds what the regex `5\\s?만\\s?원` finds, leftmost first.
    """
    wanted = "".join(surface.split())
    if not wanted:
        return []
    positions = [i for i, ch in enumerate(text) if not ch.isspace()]
    squeezed = "".join(text[i] for i in positions)
    found, start = [], squeezed.find(wanted)
    while start >= 0:
        end = start + len(wanted)
        found.append((positions[start], positions[end - 1] + 1))
        start = squeezed.find(wanted, end)
    return found


class TokenBounds:
    """Token start and end offsets of a Doc: `aligned(span)` is `doc.char_span(*span, "strict") is not None`."""

    def __init__(self, doc: Doc):
        offsets = doc.to_array(["IDX", "LENGTH"]).reshape(-1, 2).tolist()  # no Token objects: 80k of them cost seconds
        self.starts: FrozenSet[int] = frozenset(start for start, _ in offsets)
        self.ends: FrozenSet[int] = frozenset(start + length for start, length in offsets)

    def aligned(self, span: Offsets) -> bool:
        return span[0] in self.starts and span[1] in self.ends
