"""Small random draws every builder uses, written once so their order stays fixed.

Determinism depends on the exact sequence of calls on the example's
``random.Random``; these helpers keep the draw order in one place.
"""
from random import Random
from typing import Dict, Iterable, Optional

DIGITS = "0123456789"


def weighted(rng: Random, weights: Dict[str, float], allowed: Optional[Iterable[str]] = None) -> str:
    """One key of ``weights`` (restricted to ``allowed``), in the dict's fixed order for determinism."""
    keys = [k for k in weights if allowed is None or k in allowed]
    return rng.choices(keys, weights=[weights[k] for k in keys])[0]


def random_digits(rng: Random, n: int, first: str = DIGITS) -> str:
    """``n`` random digits; ``first`` limits the leading one (no 0 where a number must not look like a prefix)."""
    return rng.choice(first) + "".join(rng.choice(DIGITS) for _ in range(n - 1))
