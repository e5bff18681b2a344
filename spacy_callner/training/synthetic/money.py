"""Amounts of money as people say and STT writes them, with the modifiers said around them.

Each written format (`14,000원`, `5만 원`, `3만5천원`, `1억 2천만 원`, `삼만 오천 원`,
`$20`...) is one named writer; the amount range of the slot decides which
formats can express it. Modifiers (`약`, `정도`) stay outside the span.
Every writer returns the amount it drew and rendered with its currency, the
entity's value (ANNOTATION.md, Values), so the value never comes from reading the text.
"""
from dataclasses import dataclass
from decimal import Decimal
from random import Random
from typing import Any, Callable, Dict, List, NamedTuple, Optional, Tuple, Union

from spacy_callner.scheme import (
    CURRENCY_SYMBOL_CODES, CURRENCY_WORD_CODES, GROUP_UNITS, MONEY, MONEY_PERIOD_WORDS, MONEY_PREFIX_MODIFIERS,
    MONEY_SUFFIX_MODIFIERS, PARTICLES,
)

from .banks import load_bank
from .entities import BuiltEntity, EntityRequest
from .phonology import sino_korean
from .sampling import weighted

MONEY_FORMAT_WEIGHTS: Dict[str, float] = {
    "comma_won": 0.22,
    "plain_won": 0.05,
    "man_spaced": 0.14,
    "man_glued": 0.11,
    "compound": 0.12,
    "cheon": 0.05,
    "cheon_mixed": 0.04,
    "eok": 0.04,
    "hangul": 0.10,
    "foreign": 0.025,
    "spaced_number": 0.03,
}
LARGE_MONEY_FORMAT_WEIGHTS: Dict[str, float] = {"eok": 0.75, "comma_won": 0.2, "plain_won": 0.05}
"""Amounts of 억 are mostly said with 억 (1억 2천만 원), sometimes written out in digits."""

PREFIX_MODIFIER_PROB = 0.16
SUFFIX_MODIFIER_PROB = 0.10
SUFFIX_MODIFIER_ROLES = ("", "none", "subj", "obj", "top", "cop", "cop_link", "cop_q", "dir", "also")
"""Particle roles after which "정도", "이상" etc. can stand between the amount and the particle."""
SPACED_MONEY_SUFFIX_MODIFIERS = tuple(m for m in MONEY_SUFFIX_MODIFIERS if m not in PARTICLES)
"""Modifiers said after an amount with a space; glued ones (씩, 쯤) are particle roles."""
MODIFIER_ROLES = ("each", "worth")
"""Particle roles that are themselves money modifiers (씩, 짜리)."""
SYMBOL_READINGS = {
    symbol: next(word for word, word_code in CURRENCY_WORD_CODES.items() if word_code == code)
    for symbol, code in CURRENCY_SYMBOL_CODES.items()
}
"""How a currency symbol is read, for particle choice: the first currency word of its code ($ -> 달러)."""


@dataclass(frozen=True)
class AmountRange:
    """The amount range a slot asks for, as numbers.json defines it."""

    name: str
    low: int
    high: int


KRW = "KRW"
MAN, EOK = GROUP_UNITS["만"], GROUP_UNITS["억"]
Amount = Union[int, float]


class WrittenAmount(NamedTuple):
    """An amount as written: the span, its reading for particle choice, and the value it renders."""

    text: str
    reading: str
    amount: Amount
    currency: str = KRW

    @property
    def value(self) -> Dict[str, Any]:
        """`{"amount", "currency"}` as ANNOTATION.md defines a MONEY value."""
        return {"amount": self.amount, "currency": self.currency}


MoneyWriter = Callable[[Random, AmountRange, str], WrittenAmount]
"""(rng, range, how 원 is joined: "원" or " 원") -> the written amount."""


def _round_amount(rng: Random, range_name: str, step: Optional[int] = None) -> int:
    """A realistic amount for the named range, rounded to a step people actually quote."""
    low, high, steps = load_bank("numbers.json")["amount_ranges"][range_name]
    step = step or rng.choice(steps)
    value = rng.randint(low, high)
    return max(step, value - value % step)


def money_formats_for(range_name: str) -> Tuple[str, ...]:
    """Money formats that can express amounts of this range (no 만 for a 5,000 won fee, no 천 for a phone)."""
    if range_name == "foreign":
        return ("foreign",)
    if range_name == "large":
        return ("eok", "comma_won", "plain_won")
    low, high, _ = load_bank("numbers.json")["amount_ranges"][range_name]
    excluded = set()
    if high < 20000:
        excluded |= {"man_spaced", "man_glued", "compound", "spaced_number"}
    if low >= 10000:
        excluded |= {"cheon", "cheon_mixed"}
    if high < 10 ** 8:
        excluded.add("eok")
    return tuple(f for f in MONEY_FORMAT_WEIGHTS if f not in excluded)


def _digits_won(rng: Random, amounts: AmountRange, won: str, fmt: str) -> WrittenAmount:
    amount = _round_amount(rng, amounts.name)
    if fmt == "plain_won" and amount < 1000:
        amount *= 10
    body = f"{amount:,}" if fmt == "comma_won" else str(amount)
    if fmt == "comma_won" and rng.random() < 0.04:
        return WrittenAmount("₩" + body, "원", amount)
    return WrittenAmount(body + ("원" if rng.random() < 0.88 else " 원"), "원", amount)


def _comma_won(rng: Random, amounts: AmountRange, won: str) -> WrittenAmount:
    return _digits_won(rng, amounts, won, "comma_won")


def _plain_won(rng: Random, amounts: AmountRange, won: str) -> WrittenAmount:
    return _digits_won(rng, amounts, won, "plain_won")


def _man(rng: Random, amounts: AmountRange, unit: str) -> WrittenAmount:
    man = _round_amount(rng, amounts.name, 10000) // 10000
    return WrittenAmount(f"{man}만{unit}", "원", man * MAN)


def _man_spaced(rng: Random, amounts: AmountRange, won: str) -> WrittenAmount:
    return _man(rng, amounts, " 원")


def _man_glued(rng: Random, amounts: AmountRange, won: str) -> WrittenAmount:
    return _man(rng, amounts, "원")


def _compound_rest(rng: Random) -> Tuple[str, int]:
    """The part below 만 of a compound amount, as written (5천, 5천500, 5,500 or 5500) and its amount."""
    rest_step = rng.choice((1000, 1000, 100, 10))
    rest = rng.randint(1, 9999 // rest_step) * rest_step
    if rest % 1000 == 0:
        return f"{rest // 1000}천", rest
    if rest % 100 == 0 and rest >= 1000 and rng.random() < 0.6:
        return f"{rest // 1000}천{rest % 1000}", rest
    return (f"{rest:,}" if rng.random() < 0.6 else str(rest)), rest


def _compound(rng: Random, amounts: AmountRange, won: str) -> WrittenAmount:
    man = max(1, _round_amount(rng, amounts.name, 10000) // 10000)
    rest_text, rest = _compound_rest(rng)
    gap = " " if rng.random() < 0.6 else ""
    unit = won if rest_text.endswith("천") else ("원" if rng.random() < 0.8 else " 원")
    if not gap and rng.random() < 0.7:
        unit = "원"
    return WrittenAmount(f"{man}만{gap}{rest_text}{unit}", "원", man * MAN + rest)


def _cheon(rng: Random, amounts: AmountRange, won: str) -> WrittenAmount:
    thousands = rng.randint(1, 9)
    return WrittenAmount(f"{thousands}천{won}", "원", thousands * 1000)


def _cheon_mixed(rng: Random, amounts: AmountRange, won: str) -> WrittenAmount:
    thousands, hundreds = rng.randint(1, 9), rng.randint(1, 9) * 100
    gap = " " if rng.random() < 0.15 else ""
    return WrittenAmount(f"{thousands}천{gap}{hundreds}원", "원", thousands * 1000 + hundreds)


def _eok(rng: Random, amounts: AmountRange, won: str) -> WrittenAmount:
    eok = rng.randint(1, 9)
    cheonman = rng.choice((0, 0, 1, 2, 3, 5, 7))
    gap = " " if rng.random() < 0.7 else ""
    tail = f"{gap}{cheonman}천만" if cheonman else ""
    unit = won if gap else "원"
    return WrittenAmount(f"{eok}억{tail}{unit}", "원", eok * EOK + cheonman * 10 ** 7)


def _hangul(rng: Random, amounts: AmountRange, won: str) -> WrittenAmount:
    step = rng.choice((10000, 5000, 1000, 1000, 100))
    amount = _round_amount(rng, amounts.name, min(step, max(100, amounts.high // 20)))
    head, rest = sino_korean(amount)
    gap = " " if rng.random() < 0.7 else ""
    body = head + (gap if head and rest else "") + rest
    unit = won if gap or not rest else "원"
    return WrittenAmount(body + unit, "원", amount)


def _spaced_number(rng: Random, amounts: AmountRange, won: str) -> WrittenAmount:
    if rng.random() < 0.75:
        value, unit_word, unit = _round_amount(rng, amounts.name, MAN) // MAN, "만", MAN
    else:
        value, unit_word, unit = rng.randint(1, 9), "천", 1000
    tail = rng.choice(("원", " 원"))
    return WrittenAmount(f"{value} {unit_word}{tail}", "원", value * unit)


def _foreign(rng: Random, amounts: AmountRange, won: str) -> WrittenAmount:
    currencies = load_bank("numbers.json")["currencies"]
    if rng.random() < 0.65:
        word, (lo, hi) = rng.choice(currencies["foreign_words"])
        value = rng.randint(lo, hi)
        if hi > 1000 and rng.random() < 0.7:
            value -= value % 100
        body = f"{value:,}" if rng.random() < 0.5 else str(value)
        gap = " " if rng.random() < 0.2 else ""
        return WrittenAmount(f"{body}{gap}{word}", word, value, CURRENCY_WORD_CODES[word])
    symbol, (lo, hi) = rng.choice(currencies["foreign_symbols"])
    value = rng.randint(lo, hi)
    code = CURRENCY_SYMBOL_CODES[symbol]
    if symbol == "$" and rng.random() < 0.25:
        cents = rng.randint(0, 99)
        amount = float(value + Decimal(cents) / 100) if cents else value
        return WrittenAmount(f"${value}.{cents:02d}", SYMBOL_READINGS[symbol], amount, code)
    return WrittenAmount(f"{symbol}{value:,}", SYMBOL_READINGS[symbol], value, code)


MONEY_WRITERS: Dict[str, MoneyWriter] = {
    "comma_won": _comma_won,
    "plain_won": _plain_won,
    "man_spaced": _man_spaced,
    "man_glued": _man_glued,
    "compound": _compound,
    "cheon": _cheon,
    "cheon_mixed": _cheon_mixed,
    "eok": _eok,
    "hangul": _hangul,
    "spaced_number": _spaced_number,
    "foreign": _foreign,
}


def build_money(rng: Random, range_name: str) -> Tuple[WrittenAmount, List[str]]:
    """An amount with its currency word or symbol (text, reading for particles, value) and its format tags."""
    weights = LARGE_MONEY_FORMAT_WEIGHTS if range_name == "large" else MONEY_FORMAT_WEIGHTS
    fmt = weighted(rng, weights, money_formats_for(range_name))
    numbers_range = "small" if range_name == "foreign" else range_name
    low, high, _ = load_bank("numbers.json")["amount_ranges"][numbers_range]
    won = "원" if rng.random() < 0.4 else " 원"
    written = MONEY_WRITERS[fmt](rng, AmountRange(numbers_range, low, high), won)
    return written, ["money_" + fmt]


def _prefix_modifier(rng: Random, preceding: str) -> str:
    """Now and then 약, 총, 최대 ... before the amount, unless the text already says one."""
    already = preceding.strip().endswith(MONEY_PREFIX_MODIFIERS + MONEY_PERIOD_WORDS)
    if rng.random() < PREFIX_MODIFIER_PROB and not already:
        return rng.choice(MONEY_PREFIX_MODIFIERS) + " "
    return ""


def _suffix_modifier(rng: Random, role: str, following: str) -> str:
    """Now and then 정도, 이상 ... after the amount, unless the template says one right after."""
    modifier_follows = following.strip().startswith(MONEY_SUFFIX_MODIFIERS + ("밖에",))
    if role in SUFFIX_MODIFIER_ROLES and not modifier_follows and rng.random() < SUFFIX_MODIFIER_PROB:
        after = " " + rng.choice(SPACED_MONEY_SUFFIX_MODIFIERS)
        if after == " 정도" and rng.random() < 0.2:
            after = "정도"
        return after
    return ""


def build_money_entity(rng: Random, request: EntityRequest) -> BuiltEntity:
    """A MONEY for a template slot, with the modifiers said before and after it outside the span."""
    range_name = request.kind or load_bank("scenarios.json")["scenarios"][request.scenario]["money"]
    written, tags = build_money(rng, range_name)
    before = _prefix_modifier(rng, request.preceding)
    after = _suffix_modifier(rng, request.role, request.following)
    if before:
        tags.append("money_modifier")
    if after:
        tags.append("money_modifier")
    if request.role in MODIFIER_ROLES:
        tags.append("money_modifier")
    return BuiltEntity(MONEY, written.text, written.reading, tags, before=before, after=after, value=written.value)
