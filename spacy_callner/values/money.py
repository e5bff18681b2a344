"""MONEY values: the amount to refund or charge, `{"amount", "currency"}` (ANNOTATION.md, Values).

An amount is written in digits (`140,000원`, `$1,299.99`), in Sino-Korean
numerals (`삼만 오천 원`), or both mixed (`38만 2천 원`, `5천500원`,
`1.5만 원`). 십/백/천 combine inside each 만/억/조 group; a unit with no numeral
before it means one (`만 천 원` = 11000). The currency is a word after the
amount or a symbol before it, both from the scheme. Arithmetic is decimal, so
`1.1만` is exactly 11000.

No PyPI Korean-number package was adopted: `korean-number` (kor2num) reads
Hangul only and silently drops digits (`38만2천` -> 11000, `5천500` -> 1000),
`korcount` ships no code and `korNum` finds numerals in text without values.
"""
import re
import unicodedata
from decimal import Decimal, InvalidOperation
from typing import Iterator, List, Optional, Tuple, Union

from ..scheme import CURRENCY_SYMBOL_CODES, CURRENCY_WORD_CODES, GROUP_UNITS, SINO_DIGITS, SMALL_UNITS
from .result import ValueResult

Amount = Union[int, float]

SINO_DIGIT_VALUES = {syllable: value for value, syllable in enumerate(SINO_DIGITS) if syllable}
"""일 1 ... 구 9: the numerals before a unit."""

ISO_CODES = frozenset(CURRENCY_WORD_CODES.values()) | frozenset(CURRENCY_SYMBOL_CODES.values())
"""`KRW`, `USD` ...: also accepted where a currency word stands (`20 USD`)."""

CURRENCY_WORDS_LONGEST_FIRST = sorted(CURRENCY_WORD_CODES, key=len, reverse=True)

DIGIT_NUMBER = re.compile(r"[0-9]+(?:[,.][0-9]+)*")
"""A number in digits, with thousands separators and a decimal point."""


class AmountError(ValueError):
    """The body of an amount is not a well-formed number."""


def _split_currency(text: str) -> Tuple[str, Optional[str], Optional[str]]:
    """(amount text, currency code, reason): a symbol before or after it, a word or ISO code after it."""
    codes: List[str] = []
    if text[:1] in CURRENCY_SYMBOL_CODES:
        codes.append(CURRENCY_SYMBOL_CODES[text[0]])
        text = text[1:].lstrip()
    if text[-1:] in CURRENCY_SYMBOL_CODES:
        codes.append(CURRENCY_SYMBOL_CODES[text[-1]])
        text = text[:-1].rstrip()
    if text[-3:].upper() in ISO_CODES:
        codes.append(text[-3:].upper())
        text = text[:-3].rstrip()
    else:
        for word in CURRENCY_WORDS_LONGEST_FIRST:
            if text.endswith(word):
                codes.append(CURRENCY_WORD_CODES[word])
                text = text[: -len(word)].rstrip()
                break
    if not codes:
        return text, None, "no currency word or symbol"
    if len(set(codes)) > 1:
        return text, None, f"conflicting currencies {sorted(set(codes))}"
    return text, codes[0], None


def _digit_number(text: str) -> Decimal:
    """`1,200,000` -> 1200000, `1.5` -> 1.5, `1.200.000` -> 1200000; misplaced separators raise."""
    if "," in text or text.count(".") > 1:
        thousands = "," if "," in text else "."
        whole, _, fraction = text.partition("." if thousands == "," else "\0")
        groups = whole.split(thousands)
        if not 1 <= len(groups[0]) <= 3 or any(len(group) != 3 for group in groups[1:]):
            raise AmountError(f"misplaced thousands separator in {text!r}")
        text = "".join(groups) + ("." + fraction if fraction else "")
    try:
        return Decimal(text)
    except InvalidOperation as error:
        raise AmountError(f"not a number: {text!r}") from error


def _tokens(text: str) -> Iterator[Tuple[str, Decimal]]:
    """("number", value) and ("small"/"group", unit value) tokens; whitespace between them is skipped."""
    position = 0
    while position < len(text):
        char = text[position]
        match = DIGIT_NUMBER.match(text, position)
        if match:
            yield "number", _digit_number(match.group())
            position = match.end()
            continue
        if char.isspace():
            pass
        elif char in SINO_DIGIT_VALUES:
            yield "number", Decimal(SINO_DIGIT_VALUES[char])
        elif char in SMALL_UNITS:
            yield "small", Decimal(SMALL_UNITS[char])
        elif char in GROUP_UNITS:
            yield "group", Decimal(GROUP_UNITS[char])
        else:
            raise AmountError(f"{char!r} is not part of an amount")
        position += 1


class _AmountReader:
    """Adds up tokens: numbers times 십/백/천 inside a group, each group times 만/억/조."""

    def __init__(self) -> None:
        self.total = Decimal(0)
        self.group = Decimal(0)
        self.pending: Optional[Decimal] = None
        self.group_has_numeral = False
        self.last_small: Optional[Decimal] = None
        self.last_group: Optional[Decimal] = None

    def number(self, value: Decimal) -> None:
        if self.pending is not None:
            raise AmountError("two numbers without a unit between them")
        if self.last_small is not None and value >= self.last_small:
            raise AmountError(f"{value} cannot follow a unit of {self.last_small}")
        if self.last_group is not None and value >= self.last_group:
            raise AmountError(f"{value} cannot follow a unit of {self.last_group}")
        self.pending = value

    def small(self, unit: Decimal) -> None:
        if self.last_small is not None and unit >= self.last_small:
            raise AmountError("십/백/천 out of order")
        self.group += (Decimal(1) if self.pending is None else self.pending) * unit
        self.group_has_numeral = True
        self.pending, self.last_small = None, unit

    def group_unit(self, unit: Decimal) -> None:
        if self.last_group is not None and unit >= self.last_group:
            raise AmountError("만/억/조 out of order")
        value = self.group + (self.pending or 0)
        if not self.group_has_numeral and self.pending is None:
            value = Decimal(1)
        self.total += value * unit
        self.group, self.pending, self.last_small, self.last_group = Decimal(0), None, None, unit
        self.group_has_numeral = False

    def result(self) -> Decimal:
        return self.total + self.group + (self.pending or 0)


def parse_amount(text: str) -> Decimal:
    """The number an amount body says: `38만 2천` -> 382000, `삼만 오천` -> 35000; raises AmountError."""
    reader = _AmountReader()
    seen = False
    for kind, value in _tokens(text):
        seen = True
        if kind == "number":
            reader.number(value)
        elif kind == "small":
            reader.small(value)
        else:
            reader.group_unit(value)
    if not seen:
        raise AmountError("no number")
    return reader.result()


def as_json_number(value: Decimal) -> Amount:
    """An int when whole, else a float."""
    return int(value) if value == value.to_integral_value() else float(value)


def money_value(surface: str) -> ValueResult:
    """`14만 원` -> `{"amount": 140000, "currency": "KRW"}`; `$1,299` -> 1299 USD."""
    text = unicodedata.normalize("NFKC", surface).strip()
    if not text:
        return ValueResult.failed("empty amount")
    body, currency, reason = _split_currency(text)
    if currency is None:
        return ValueResult.failed(f"{reason}: {surface!r}")
    try:
        amount = parse_amount(body)
    except AmountError as error:
        return ValueResult.failed(f"{error}: {surface!r}")
    return ValueResult({"amount": as_json_number(amount), "currency": currency})
