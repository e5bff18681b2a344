"""The one reader of the generator's data banks (`spacy_callner/training/banks/`).

All word lists, catalogues and templates are data files; this module loads them
(cached) and answers the few questions about the product banks that several
builders ask (which nouns follow a product, which words may trail it).
The products themselves live in the runtime knowledge base
(`spacy_callner/values/product_catalogue.json`); `products.json` is read joined with it.
"""
from functools import lru_cache
from importlib import resources
from typing import Any, Dict, Tuple

import srsly

from spacy_callner.scheme import product_attribute_words
from spacy_callner.values.product_kb import product_knowledge

BANK_PACKAGE = "spacy_callner.training"
BANK_DIR = "banks"

CatalogueRow = Tuple[str, str, str, str]
"""A real product as (brand, category, Hangul spelling, Latin spelling)."""


PRODUCT_BANK = "products.json"
"""Training-only product words (attributes, category nouns), read together with the runtime product knowledge."""


@lru_cache(maxsize=None)
def load_bank(name: str) -> Any:
    """Read one data file from ``banks/`` (JSON parsed, TXT as text), cached.

    ``products.json`` comes joined with the runtime product knowledge (brands, catalogue,
    bare brands, short forms, series), so every reader sees one product bank and no
    product is listed twice.
    """
    text = resources.files(BANK_PACKAGE).joinpath(BANK_DIR, name).read_text(encoding="utf-8")
    if not name.endswith(".json"):
        return text
    bank = srsly.json_loads(text)
    if name == PRODUCT_BANK:
        bank = {**product_knowledge(), **bank}
    return bank


@lru_cache(maxsize=None)
def product_catalogue() -> Tuple[CatalogueRow, ...]:
    """The real-product catalogue as (brand, category, Hangul, Latin) rows."""
    return tuple(tuple(row[:4]) for row in load_bank(PRODUCT_BANK)["catalogue"])


def category_nouns_for(reading: str, category: str) -> Tuple[str, ...]:
    """Generic nouns said after this product (정수기 after 코웨이 아이콘): by name prefix, else by category."""
    nouns = load_bank(PRODUCT_BANK)["category_nouns"]
    keys = [k for k in nouns["by_name"] if reading.startswith(k)]
    if keys:
        return tuple(nouns["by_name"][max(keys, key=len)])
    return tuple(nouns["by_category"].get(category, ()))


@lru_cache(maxsize=None)
def all_category_nouns() -> Tuple[str, ...]:
    """Every generic category noun of the bank (none may end or sit inside a PRODUCT span)."""
    nouns = load_bank(PRODUCT_BANK)["category_nouns"]
    words = {w for group in nouns["by_category"].values() for w in group}
    words |= {w for group in nouns["by_name"].values() for w in group}
    return tuple(sorted(words))


@lru_cache(maxsize=None)
def product_attributes() -> Dict[str, Any]:
    """What may be said after a product, outside its span: the scheme's colour, capacity and
    condition words, plus the bank's connectivity, size, year, bundle and accessory words."""
    return {**load_bank(PRODUCT_BANK)["attributes"], **product_attribute_words()}


@lru_cache(maxsize=None)
def all_trailing_words() -> Tuple[str, ...]:
    """Every word or phrase the generator may say after a product outside its span."""
    words = set(all_category_nouns())
    for key, value in product_attributes().items():
        if key in ("_about", "applies_to"):
            continue
        groups = value.values() if isinstance(value, dict) else [value]
        words |= {w for group in groups for w in group}
    return tuple(sorted(words))
