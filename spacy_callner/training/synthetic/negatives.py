"""Hard negatives: text that looks like an entity but is not one per ANNOTATION.md.

Card and account numbers, order and tracking IDs, dates, times, durations, data
amounts, percentages, partial phone numbers, company and plan names, services,
features and a brand's offices and stores named like products... Each
negative slot of a template has one writer here; lower-case slots draw from
word pools.
"""
from random import Random
from typing import Any, Callable, Dict, List

from .banks import load_bank
from .sampling import random_digits

NegativeWriter = Callable[[Random, str], str]
"""(rng, slot kind) -> the look-alike text."""

PATTERN_SLOTS = ("CARD", "ACCOUNT", "ORDER_NO", "TRACKING", "TICKET", "OTHER_ID", "SERIAL", "POSTAL")
"""Slots written by expanding an ID pattern of negatives.json; with a kind (`{ACCOUNT.named}`) the
pattern comes from the list `account_named`: banks' real groupings with the bank's name, 4-4-4 and
3-4-4 order and tracking numbers, masked card numbers, business registration numbers
(`{OTHER_ID.biz}`). `{BIRTH.rrn}` writes a 주민등록번호 (often masked) and `{PARTIAL_PHONE.masked}`
a phone number with digits hidden, which is not a complete number."""
ID_LETTERS = "ABCDEFGHJKLMNPQRSTUVWXYZ"


def fill_pattern(rng: Random, pattern: str) -> str:
    """Expand an ID pattern: # digit, A capital letter, {P} ID prefix, {Y} year, {D} yyyymmdd,
    {B} a yymmdd birth date, {G} the 주민등록번호 digit after it (1-4)."""
    neg = load_bank("negatives.json")
    out = pattern.replace("{P}", rng.choice(neg["id_prefixes"]))
    out = out.replace("{Y}", str(rng.randint(2019, 2027)))
    out = out.replace("{D}", f"{rng.randint(2023, 2026)}{rng.randint(1, 12):02d}{rng.randint(1, 28):02d}")
    birth_year = rng.choice((rng.randint(50, 99), rng.randint(0, 9)))
    out = out.replace("{B}", f"{birth_year:02d}{rng.randint(1, 12):02d}{rng.randint(1, 28):02d}")
    out = out.replace("{G}", str(rng.choice((1, 2)) if birth_year >= 50 else rng.choice((3, 4))))
    return "".join(
        rng.choice("0123456789") if c == "#" else rng.choice(ID_LETTERS) if c == "A" else c
        for c in out
    )


def _pattern_writer(slot: str) -> NegativeWriter:
    def write(rng: Random, kind: str) -> str:
        patterns = load_bank("negatives.json")["patterns"]
        shapes = patterns[f"{slot.lower()}_{kind}"] if kind else patterns[slot.lower()]
        return fill_pattern(rng, rng.choice(shapes))

    return write


def _date(rng: Random, kind: str) -> str:
    y, m, d = rng.randint(2023, 2027), rng.randint(1, 12), rng.randint(1, 28)
    return rng.choice((f"{y}-{m:02d}-{d:02d}", f"{y}.{m:02d}.{d:02d}", f"{y}년 {m}월 {d}일", f"{m}월 {d}일",
                       f"{m}월 {d}일", f"{d}일", f"{y % 100}년 {m}월", f"{m}/{d}"))


def _time(rng: Random, kind: str) -> str:
    h, mi = rng.randint(1, 12), rng.choice((0, 0, 10, 15, 20, 30, 30, 40, 45))
    part = rng.choice(("오전 ", "오후 ", "저녁 ", "아침 ", ""))
    return rng.choice((f"{part}{h}시", f"{part}{h}시 {mi}분" if mi else f"{part}{h}시 반",
                       f"{rng.randint(9, 20)}:{mi:02d}"))


def _duration(rng: Random, kind: str) -> str:
    if kind == "months":
        return f"{rng.choice((6, 12, 12, 24, 24, 24, 30, 36, 36, 48))}개월"
    return rng.choice((f"{rng.choice((6, 12, 24, 24, 30, 36, 48))}개월", f"{rng.randint(1, 4)}년",
                       f"{rng.randint(2, 14)}일", "일주일", "한 달", f"{rng.randint(2, 5)}주"))


def _data(rng: Random, kind: str) -> str:
    value = rng.choice((1, 2, 3, 5, 7, 10, 11, 15, 24, 30, 50, 71, 100, 110, 150))
    unit = rng.choice(load_bank("negatives.json")["data_units"])
    return f"{value}{'' if rng.random() < 0.8 else ' '}{unit}"


def _percent(rng: Random, kind: str) -> str:
    value = rng.choice((5, 10, 15, 20, 25, 30, 40, 50, 3.5, 5.9))
    return f"{value}{rng.choice(load_bank('negatives.json')['percent_units'])}"


def _count(rng: Random, kind: str) -> str:
    return f"{rng.randint(1, 6)}{rng.choice(load_bank('negatives.json')['count_units'])}"


def _partial_phone(rng: Random, kind: str) -> str:
    if kind == "masked":
        return fill_pattern(rng, rng.choice(load_bank("negatives.json")["patterns"]["partial_phone_masked"]))
    word = rng.choice(load_bank("negatives.json")["partial_phone_words"])
    return f"{word} {random_digits(rng, 4)}"


def _grouped_writer(key: str) -> NegativeWriter:
    """A word of the group named by the slot kind, or of a random group."""
    def write(rng: Random, kind: str) -> str:
        groups = load_bank("negatives.json")[key]
        return rng.choice(groups[kind] if kind in groups else groups[rng.choice(list(groups))])

    return write


def _listed_writer(key: str) -> NegativeWriter:
    def write(rng: Random, kind: str) -> str:
        return rng.choice(load_bank("negatives.json")[key])

    return write


def _bare_number(rng: Random, kind: str) -> str:
    if kind == "extension":
        return str(rng.randint(1, 9)) if rng.random() < 0.4 else random_digits(rng, rng.choice((3, 4)), "123456789")
    value = rng.choice((rng.randint(1, 9), rng.randint(10, 99), rng.randint(100, 99999)))
    unit = rng.choice(load_bank("negatives.json")["bare_number_units"])
    return rng.choice((f"{value:,}{unit}", f"{value} {unit}", f"{value:,}", f"{value}"))


def _birth(rng: Random, kind: str) -> str:
    if kind == "rrn":
        return fill_pattern(rng, rng.choice(load_bank("negatives.json")["patterns"]["birth_rrn"]))
    y, m, d = rng.randint(55, 99), rng.randint(1, 12), rng.randint(1, 28)
    return rng.choice((f"{y}{m:02d}{d:02d}", f"19{y}년 {m}월 {d}일", f"{y}년생", f"19{y}.{m:02d}.{d:02d}"))


def _kinds(groups: Dict[str, Any]) -> List[str]:
    """The kinds of a grouped pool, without its `_about` note."""
    return [kind for kind in groups if not kind.startswith("_")]


def _kinded_writer(key: str) -> NegativeWriter:
    """A word of the kind named by the slot (`{SERVICE.care}`), or of a random kind."""
    def write(rng: Random, kind: str) -> str:
        groups = load_bank("negatives.json")[key]
        return rng.choice(groups[kind if kind in _kinds(groups) else rng.choice(_kinds(groups))])

    return write


def _maker_noun(rng: Random, kind: str) -> str:
    """A maker before a generic noun of what it makes (`SK매직 정수기`, `LG 세탁기`): a company, no PRODUCT.

    A kind of `generic_nouns` (`{MAKER_NOUN.rental}`) keeps to its nouns.
    """
    negatives = load_bank("negatives.json")
    makers = negatives["maker_nouns"]
    allowed = set(negatives["generic_nouns"].get(kind, ()))
    pairs = [(maker, noun) for maker in _kinds(makers) for noun in makers[maker] if not allowed or noun in allowed]
    maker, noun = rng.choice(pairs)
    return f"{maker}{'' if rng.random() < 0.1 else ' '}{noun}"


NEGATIVE_WRITERS: Dict[str, NegativeWriter] = {
    **{slot: _pattern_writer(slot) for slot in PATTERN_SLOTS},
    "DATE": _date,
    "TIME": _time,
    "DURATION": _duration,
    "DATA": _data,
    "PERCENT": _percent,
    "COUNT": _count,
    "PARTIAL_PHONE": _partial_phone,
    "COMPANY": _grouped_writer("companies"),
    "CARD_ISSUER": _listed_writer("card_issuers"),
    "PLAN": _listed_writer("plans"),
    "GENERIC": _grouped_writer("generic_nouns"),
    "BARE_NUMBER": _bare_number,
    "BIRTH": _birth,
    "SERVICE": _kinded_writer("services"),
    "FEATURE": _kinded_writer("features"),
    "BRAND_OFFICE": _kinded_writer("brand_offices"),
    "MAKER_NOUN": _maker_noun,
}


def build_negative(rng: Random, slot: str, kind: str) -> str:
    """Text that looks like an entity but is not one per ANNOTATION.md."""
    return NEGATIVE_WRITERS[slot](rng, kind)


def pool_word(rng: Random, name: str) -> str:
    """A word for a lower-case template slot ({name}, {bank}, {period}, ...)."""
    pools = load_bank("pools.json")
    if name == "name":
        return rng.choice(pools["surname"]) + rng.choice(pools["given"])
    if name == "bank":
        return rng.choice(load_bank("negatives.json")["banks"])
    return rng.choice(pools[name])
