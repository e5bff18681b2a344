"""Contract identifiers `KR-YYYY-NNN`, sometimes with a longer serial or in lower case.

The builder returns the identifier it drew in canonical form, the entity's value
(ANNOTATION.md, Values: upper case, the serial's digits as written).
"""
from random import Random
from typing import Dict, List, Tuple

from spacy_callner.scheme import CONTRACT

from .entities import BuiltEntity, EntityRequest

CONTRACT_YEAR_WEIGHTS = {
    2026: 0.33, 2025: 0.24, 2024: 0.14, 2023: 0.08, 2027: 0.06, 2022: 0.05, 2021: 0.04, 2020: 0.03, 2019: 0.03,
}
SERIAL_WIDTH_WEIGHTS = {3: 0.66, 4: 0.25, 5: 0.09}
CANONICAL_PREFIX = "KR"
PREFIX_WEIGHTS = {CANONICAL_PREFIX: 0.86, "kr": 0.11, "Kr": 0.03}
"""How the prefix is written; every spelling is the canonical `KR` in another case."""


def build_contract(rng: Random) -> Tuple[str, List[str], Dict[str, str]]:
    """A KR-YYYY-NNN contract identifier as written, its format tags, and its value `{"id"}`."""
    year = rng.choices(list(CONTRACT_YEAR_WEIGHTS), weights=list(CONTRACT_YEAR_WEIGHTS.values()))[0]
    width = rng.choices(list(SERIAL_WIDTH_WEIGHTS), weights=list(SERIAL_WIDTH_WEIGHTS.values()))[0]
    high = 10 ** width - 1
    serial = rng.randint(1, 150) if rng.random() < 0.5 else rng.randint(1, high)
    prefix = rng.choices(list(PREFIX_WEIGHTS), weights=list(PREFIX_WEIGHTS.values()))[0]
    tags = ["contract_canonical" if width == 3 else "contract_long_serial"]
    if prefix != CANONICAL_PREFIX:
        tags.append("contract_lowercase")
    serial_text = f"{serial:0{width}d}"
    return f"{prefix}-{year}-{serial_text}", tags, {"id": f"{CANONICAL_PREFIX}-{year}-{serial_text}"}


def build_contract_entity(rng: Random, request: EntityRequest) -> BuiltEntity:
    """A CONTRACT for a template slot; it is read as written."""
    text, tags, value = build_contract(rng)
    return BuiltEntity(CONTRACT, text, text, tags, value=value)
