"""Normalised values of entities (ANNOTATION.md, Values): the number to dial, the amount, the contract, the product.

`compute_value(label, surface, product_kb)` reads a span's text alone, never its context,
and never raises: a value that cannot be computed is `ValueResult(None, reason)`.
Runtime code: only the standard library, the scheme and the patterns.
"""
from typing import Callable, Dict, Optional

from ..scheme import CONTRACT, MONEY, PHONE, PRODUCT
from .contract import contract_value
from .money import money_value
from .phone import phone_kind, phone_value
from .product import product_value
from .product_kb import ProductEntry, ProductKB
from .result import ValueResult

VALUE_FUNCTIONS: Dict[str, Callable[[str], ValueResult]] = {
    PHONE: phone_value,
    MONEY: money_value,
    CONTRACT: contract_value,
    PRODUCT: product_value,
}
"""The normaliser of each label that has one (PRODUCT with the shipped knowledge base)."""


def compute_value(label: str, surface: str, product_kb: Optional[ProductKB] = None) -> ValueResult:
    """The value of an entity with ``label`` and text ``surface``, or None with the reason.

    PRODUCT surfaces are linked in ``product_kb`` (the shipped knowledge base when None).
    """
    if label == PRODUCT:
        return product_value(surface, product_kb)
    function = VALUE_FUNCTIONS.get(label)
    if function is None:
        return ValueResult.failed(f"no value for label {label!r}")
    if not isinstance(surface, str):
        return ValueResult.failed(f"surface is not text: {type(surface).__name__}")
    return function(surface)


__all__ = [
    "ValueResult", "compute_value", "contract_value", "money_value", "phone_kind", "phone_value",
    "product_value", "ProductEntry", "ProductKB", "VALUE_FUNCTIONS",
]
