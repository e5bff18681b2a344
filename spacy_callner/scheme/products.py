"""Words said after a product that stay outside the PRODUCT span: colour, capacity, condition.

ANNOTATION.md: the span covers brand plus model words, "not a colour, capacity or
condition after it" (`갤럭시 S25 블루 256기가` → `갤럭시 S25`). The words are data
(`product_attributes.json`); `CAPACITY_REGEX` covers capacities not listed.
"""
import json
import re
from functools import lru_cache
from importlib import resources
from typing import Dict, Pattern, Tuple

ATTRIBUTE_KINDS: Tuple[str, ...] = ("colour", "capacity", "condition")

CAPACITY_REGEX: Pattern[str] = re.compile(
    r"[0-9]+\s?(?:GB|TB|기가|테라|기가바이트|테라바이트)", re.IGNORECASE
)
"""A storage capacity in any amount (`64GB`, `2테라`)."""


@lru_cache(maxsize=1)
def product_attribute_words() -> Dict[str, Tuple[str, ...]]:
    """The attribute phrases by kind, as `product_attributes.json` lists them."""
    text = resources.files(__package__).joinpath("product_attributes.json").read_text(encoding="utf8")
    data = json.loads(text)
    return {kind: tuple(data[kind]) for kind in ATTRIBUTE_KINDS}


@lru_cache(maxsize=1)
def product_attribute_phrases() -> Tuple[Tuple[str, ...], ...]:
    """Every attribute phrase as a tuple of words, longest first (for trimming surfaces)."""
    phrases = {tuple(p.split()) for words in product_attribute_words().values() for p in words if p.split()}
    return tuple(sorted(phrases, key=len, reverse=True))
