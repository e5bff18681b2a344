"""PRODUCT values: the product to count, `{"brand", "name"}` and its knowledge-base id.

ANNOTATION.md ("Values"): a lower-case brand key, or null when no brand can be inferred;
the canonical name as its maker writes it, or null when the product is not known. An
unknown product is still a value (the brand alone helps product analytics); only a
surface with no product words in it has none.
"""
from typing import Optional

from .product_kb import ProductKB, product_key
from .result import ValueResult


def product_value(surface: str, kb: Optional[ProductKB] = None) -> ValueResult:
    """`갤럭시 S25 울트라` -> `{"brand": "samsung", "name": "Galaxy S25 Ultra"}`, kb_id `samsung:galaxy-s25-ultra`."""
    if not isinstance(surface, str):
        return ValueResult.failed(f"surface is not text: {type(surface).__name__}")
    if not product_key(surface):
        return ValueResult.failed(f"no product words in {surface!r}")
    kb = kb if kb is not None else ProductKB.default()
    entry = kb.link(surface)
    if entry is None:
        return ValueResult({"brand": kb.brand_of(surface), "name": None})
    return ValueResult({"brand": entry.brand, "name": entry.name}, kb_id=entry.id)
