"""Which characters an entity may not start or end with, and trimming spans off them.

An entity never starts or ends with whitespace (any Unicode space, a tab, a line
break) or an invisible character (controls, format characters such as U+200B or
U+FEFF, unassigned code points): agent notes and STT output are full of them, and a
model trained on clean text puts them at span edges (``갤럭시 S25\\t``, ``₩\\u202f``).
The regex component trims both its own and the model's spans with these rules, and
the validator reports a gold span that breaks them (`rules.span_problem`).
"""
import unicodedata
from typing import Tuple


def is_edge_character(char: str) -> bool:
    """Whether ``char`` may not be the first or last character of an entity."""
    return char.isspace() or unicodedata.category(char)[0] in ("C", "Z")


def strip_span_edges(text: str, start: int, end: int) -> Tuple[int, int]:
    """``(start, end)`` shrunk off edge characters; ``start == end`` when nothing is left."""
    while start < end and is_edge_character(text[start]):
        start += 1
    while end > start and is_edge_character(text[end - 1]):
        end -= 1
    return start, end


def has_bad_edge(span_text: str) -> bool:
    """Whether a span's text starts or ends with an edge character (or is empty)."""
    return not span_text or is_edge_character(span_text[0]) or is_edge_character(span_text[-1])
