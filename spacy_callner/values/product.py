"""PRODUCT values: the product to count, `{"brand", "name"}` and its knowledge-base id.

ANNOTATION.md ("Values"): a lower-case brand key, or null when no brand can be inferred;
the canonical name as its maker writes it, or null when the product is not known. An
unknown product is still a value (the brand alone helps product analytics); only a
surface with no product words in it has none.
"""
import re
from functools import lru_cache
from typing import FrozenSet, Optional, Sequence, Tuple

from .product_kb import ProductKB, hangul_product_words, product_key
from .result import ValueResult

HANGUL_WORD = re.compile(r"[가-힣]+")


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


@lru_cache(maxsize=1)
def _model_words() -> FrozenSet[str]:
    """The shipped Hangul product words as a set, built once: the repair runs on every PRODUCT."""
    return frozenset(hangul_product_words())


def _joined(words: Sequence[str], spaces: Sequence[str], n: int) -> str:
    return "".join(word + space for word, space in zip(words[:n - 1], spaces)) + words[n - 1]


def product_words_to_keep(words: Sequence[str], spaces: Sequence[str], kb: Optional[ProductKB] = None) -> int:
    """How many leading words of a PRODUCT span name the product (ANNOTATION.md: brand and model
    words, not what is said after them).

    All of them, unless the whole span links to no product while a shorter start links to a named
    one and every word left out is a Hangul word no shipped product name uses: a colour, category
    noun, accessory or bundle word the model swallowed (`버즈2 프로 보라퍼플`, `다이슨 슈퍼소닉
    드라이기`, `닌텐도 스위치 2 마리오카트`). Model words (digits, Latin, `프로`, `울트라`, `펜`) are never
    left out, and a product the catalogue does not know keeps its span. ``spaces`` holds the
    whitespace after each word but the last.
    """
    n = len(words)
    kb = kb if kb is not None else ProductKB.default()
    if n < 2 or kb.link(_joined(words, spaces, n)) is not None:
        return n
    model_words = _model_words()
    for keep in range(n - 1, 0, -1):
        if not HANGUL_WORD.fullmatch(words[keep]) or words[keep] in model_words:
            return n
        entry = kb.link(_joined(words, spaces, keep))
        if entry is not None and entry.name:
            return keep
    return n


def _named_id(kb: ProductKB, text: str) -> Optional[str]:
    entry = kb.link(text)
    return entry.id if entry is not None and entry.name else None


def product_words_to_add(words: Sequence[str], spaces: Sequence[str], start: int, end: int,
                         kb: Optional[ProductKB] = None, most: int = 2) -> Tuple[int, int]:
    """How many of the words before and after ``words[start:end]`` (a PRODUCT span inside a window of
    words; ``spaces`` the whitespace after each) belong to the product: the model cut a model word
    off (`에어팟 프로` + `투`, `8 프로` after `픽셀`, `플레이스테이션 5 디지털` + `에디션`).

    At most ``most`` words each side, and only when the longer span links to a named product other
    than the one the span links to now: a longer name is a more specific product.
    """
    kb = kb if kb is not None else ProductKB.default()

    def text(first: int, last: int) -> str:
        return "".join(w + s for w, s in zip(words[first:last - 1], spaces[first:last - 1])) + words[last - 1]

    current = _named_id(kb, text(start, end))
    after = max((k for k in range(1, most + 1) if end + k <= len(words)
                 and _named_id(kb, text(start, end + k)) not in (None, current)), default=0)
    current = _named_id(kb, text(start, end + after))
    before = max((k for k in range(1, most + 1) if start - k >= 0
                  and _named_id(kb, text(start - k, end + after)) not in (None, current)), default=0)
    return before, after
