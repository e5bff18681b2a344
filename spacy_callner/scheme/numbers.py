"""Number words and currencies: how amounts and spoken digits are said (ANNOTATION.md, Values).

The tokenizer splits on them, the validator checks MONEY shapes with them, the
generators write them, and value normalisers read them back.
"""
from typing import Dict, Tuple

SPOKEN_DIGIT_VALUES: Dict[str, int] = {
    "공": 0, "영": 0, "일": 1, "이": 2, "삼": 3, "사": 4, "오": 5, "육": 6, "칠": 7, "팔": 8, "구": 9,
}
"""One digit a syllable, as a transcript keeps a spoken phone number."""

SPOKEN_DIGITS = "".join(SPOKEN_DIGIT_VALUES)
"""The syllables of `SPOKEN_DIGIT_VALUES`, for character classes."""

SINO_DIGITS: Tuple[str, ...] = ("", "일", "이", "삼", "사", "오", "육", "칠", "팔", "구")
"""Sino-Korean numerals 0-9 by value (zero is unsaid inside a number)."""

SMALL_UNITS: Dict[str, int] = {"십": 10, "백": 100, "천": 1000}
"""Units combined inside one 만/억 group (`구천구백` = 9900)."""

GROUP_UNITS: Dict[str, int] = {"만": 10_000, "억": 100_000_000, "조": 1_000_000_000_000}
"""Units that close a group of four digits (`삼만 오천` = 35000)."""

HANGUL_NUMERALS = "".join(SINO_DIGITS) + "".join(SMALL_UNITS) + "".join(GROUP_UNITS)
"""Every syllable that can be part of a Sino-Korean amount."""

CURRENCY_WORD_CODES: Dict[str, str] = {
    "원": "KRW", "달러": "USD", "엔": "JPY", "유로": "EUR", "위안": "CNY", "파운드": "GBP", "불": "USD",
}
"""Currency words written after an amount, with their ISO 4217 code."""

NUMERAL_ONLY_CURRENCY_WORDS: Tuple[str, ...] = ("불",)
"""Currency words that only count right after a numeral: at a word start `불` is 불편, 불만."""

CURRENCY_WORDS: Tuple[str, ...] = tuple(CURRENCY_WORD_CODES)
"""All currency words, `불` included."""

CURRENCY_SYMBOL_CODES: Dict[str, str] = {"$": "USD", "₩": "KRW", "€": "EUR", "¥": "JPY", "£": "GBP"}
"""Currency symbols written before an amount, with their ISO 4217 code."""

CURRENCY_SYMBOLS = "".join(CURRENCY_SYMBOL_CODES)
