"""Hard negatives: text that looks like an entity but is not one per ANNOTATION.md.

Card and account numbers, order and tracking IDs, dates, times, durations, data
amounts, percentages, partial phone numbers, company and plan names... Each
negative slot of a template has one writer here; lower-case slots draw from
word pools.
"""
from random import Random
from typing import Callable, Dict

from .banks import load_bank
from .sampling import random_digits

NegativeWriter = Callable[[Random, str], str]
"""(rng, slot kind) -> the look-alike text."""

PATTERN_SLOTS = ("CARD", "ACCOUNT", "ORDER_NO", "TRACKING", "TICKET", "OTHER_ID", "SERIAL", "POSTAL")
"""Slots written by expanding an ID pattern of negatives.json."""
ID_LETTERS = "ABCDEFGHJKLMNPQRSTUVWXYZ"


def fill_pattern(rng: Random, pattern: str) -> str:
    """Expand an ID pattern: # digit, A capital letter, {P} ID prefix, {Y} year, {D} yyyymmdd."""
    neg = load_bank("negatives.json")
    out = pattern.replace("{P}", rng.choice(neg["id_prefixes"]))
    out = out.replace("{Y}", str(rng.randint(2019, 2027)))
    out = out.replace("{D}", f"{rng.randint(2023, 2026)}{rng.randint(1, 12):02d}{rng.randint(1, 28):02d}")
    return "".join(
        rng.choice("0123456789") if c == "#" else rng.choice(ID_LETTERS) if c == "A" else c
        for c in out
    )


def _pattern_writer(slot: str) -> NegativeWriter:
    def write(rng: Random, kind: str) -> str:
        return fill_pattern(rng, rng.choice(load_bank("negatives.json")["patterns"][slot.lower()]))

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
    y, m, d = rng.randint(55, 99), rng.randint(1, 12), rng.randint(1, 28)
    return rng.choice((f"{y}{m:02d}{d:02d}", f"19{y}년 {m}월 {d}일", f"{y}년생", f"19{y}.{m:02d}.{d:02d}"))


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
