"""Phone numbers in every format ANNOTATION.md lists: written (mobile, landline, 1588, +82, 0082,
spaces around separators, bracketed area codes, mixed separators) and spoken.

Each format is one named writer; `PHONE_FORMAT_WEIGHTS` sets how often each is
said, and the slot kind (personal or representative number) limits the choice.
Every writer returns the digits it drew and the kind of number it chose to write,
the entity's value (ANNOTATION.md, Values), so the value never comes from reading the text.
"""
from random import Random
from typing import Any, Callable, Dict, List, NamedTuple, Tuple

from spacy_callner.scheme import PHONE

from .banks import load_bank
from .entities import BuiltEntity, EntityRequest
from .phonology import SPOKEN_SYLLABLE_OF_DIGIT
from .sampling import random_digits, weighted

PHONE_FORMAT_WEIGHTS: Dict[str, float] = {
    "mobile_dash": 0.24,
    "mobile_space": 0.07,
    "mobile_dot": 0.05,
    "mobile_plain": 0.08,
    "landline_seoul": 0.08,
    "landline_regional": 0.10,
    "representative": 0.16,
    "toll_free_080": 0.07,
    "internet_070": 0.04,
    "international": 0.06,
    "spoken": 0.13,
    "spaced_separators": 0.035,
    "international_0082": 0.025,
    "bracketed_area_code": 0.045,
    "mixed_separators": 0.03,
    "digits_with_joiner": 0.02,
}
PHONE_KIND_FORMATS: Dict[str, Tuple[str, ...]] = {
    "personal": ("mobile_dash", "mobile_space", "mobile_dot", "mobile_plain", "landline_seoul",
                 "landline_regional", "internet_070", "international", "spoken", "spaced_separators",
                 "international_0082", "bracketed_area_code", "mixed_separators", "digits_with_joiner"),
    "rep": ("representative", "toll_free_080", "landline_seoul", "landline_regional", "internet_070", "spoken",
            "spaced_separators", "bracketed_area_code"),
}
MOBILE_SEPARATORS = {"mobile_dash": "-", "mobile_space": " ", "mobile_dot": ".", "mobile_plain": ""}
LANDLINE_PREFIX_KEYS = {
    "landline_seoul": "seoul",
    "landline_regional": "area_codes",
    "toll_free_080": "toll_free",
    "internet_070": "internet",
}
FORMAT_PHONE_KINDS = {
    "landline_seoul": "landline",
    "landline_regional": "landline",
    "toll_free_080": "toll_free",
    "internet_070": "internet",
}
"""The value's `kind` of each landline-like format."""
INTERNATIONAL_AREA_KINDS = {"10": "mobile", "70": "internet"}
"""Kinds of the first group after +82; any other (2, 31, 51 ...) is an area code."""
LEGACY_MOBILE_PROB = 0.12


class WrittenPhone(NamedTuple):
    """A number as written, with the national digits and kind it was written from."""

    text: str
    digits: str
    kind: str

    @property
    def value(self) -> Dict[str, Any]:
        """`{"digits", "kind"}` as ANNOTATION.md defines a PHONE value."""
        return {"digits": self.digits, "kind": self.kind}


PhoneWriter = Callable[[Random, str, str, List[str]], WrittenPhone]
"""(rng, format, slot kind, tags to extend) -> the number as written, with its value."""


def _separator(rng: Random, weights: Tuple[float, float, float]) -> str:
    return rng.choices(("-", " ", ""), weights=weights)[0]


def _mobile(rng: Random, fmt: str, kind: str, tags: List[str]) -> WrittenPhone:
    plan = load_bank("numbers.json")["phone"]
    legacy = rng.random() < LEGACY_MOBILE_PROB
    prefix = rng.choice(plan["mobile_legacy"] if legacy else plan["mobile"])
    middle = random_digits(rng, rng.choice((3, 4)) if legacy else 4, "123456789")
    last = random_digits(rng, 4)
    if legacy:
        tags.append("phone_mobile_legacy")
    groups = (prefix, middle, last)
    return WrittenPhone(MOBILE_SEPARATORS[fmt].join(groups), "".join(groups), "mobile")


def _landline(rng: Random, fmt: str, kind: str, tags: List[str]) -> WrittenPhone:
    prefixes = load_bank("numbers.json")["phone"][LANDLINE_PREFIX_KEYS[fmt]]
    sep = _separator(rng, (0.85, 0.1, 0.05))
    middle_len = 4 if fmt == "internet_070" and rng.random() < 0.8 else rng.choice((3, 4))
    groups = (rng.choice(prefixes), random_digits(rng, middle_len, "23456789"), random_digits(rng, 4))
    return WrittenPhone(sep.join(groups), "".join(groups), FORMAT_PHONE_KINDS[fmt])


def _representative(rng: Random, fmt: str, kind: str, tags: List[str]) -> WrittenPhone:
    sep = _separator(rng, (0.85, 0.08, 0.07))
    groups = (rng.choice(load_bank("numbers.json")["phone"]["representative"]), random_digits(rng, 4))
    return WrittenPhone(sep.join(groups), "".join(groups), "representative")


def _international(rng: Random, fmt: str, kind: str, tags: List[str]) -> WrittenPhone:
    country = rng.choice(load_bank("numbers.json")["phone"]["international_prefixes"])
    if rng.random() < 0.75:
        body = ["10", random_digits(rng, 4, "123456789"), random_digits(rng, 4)]
    else:
        area = rng.choice(["2", "31", "51", "32", "70"])
        body = [area, random_digits(rng, rng.choice((3, 4)), "23456789"), random_digits(rng, 4)]
    sep = _separator(rng, (0.8, 0.12, 0.08))
    if sep != "-":
        country = "+82" + sep
    number_kind = INTERNATIONAL_AREA_KINDS.get(body[0], "landline")
    return WrittenPhone(country + sep.join(body), "0" + "".join(body), number_kind)


def _spoken(rng: Random, fmt: str, kind: str, tags: List[str]) -> WrittenPhone:
    return build_spoken_phone(rng, kind)


def _national_groups(rng: Random, kind: str) -> Tuple[List[str], str]:
    """Digit groups of a mobile, landline or (for a representative slot) 15XX number, and its kind."""
    plan = load_bank("numbers.json")["phone"]
    if kind == "rep" and rng.random() < 0.5:
        return [rng.choice(plan["representative"]), random_digits(rng, 4)], "representative"
    if kind != "rep" and rng.random() < 0.6:
        return [rng.choice(plan["mobile"]), random_digits(rng, 4, "123456789"), random_digits(rng, 4)], "mobile"
    area = rng.choice(plan["seoul"] + plan["area_codes"])
    return [area, random_digits(rng, rng.choice((3, 4)), "23456789"), random_digits(rng, 4)], "landline"


def _spaced_separators(rng: Random, fmt: str, kind: str, tags: List[str]) -> WrittenPhone:
    """`010 - 1234 - 5678`: a dash (now and then a dot) with spaces around it."""
    groups, number_kind = _national_groups(rng, kind)
    separator = rng.choices((" - ", " . ", " -", "- "), weights=(0.8, 0.08, 0.06, 0.06))[0]
    return WrittenPhone(separator.join(groups), "".join(groups), number_kind)


def _international_0082(rng: Random, fmt: str, kind: str, tags: List[str]) -> WrittenPhone:
    """`0082-10-1234-5678`: the `00` international call prefix before the country code."""
    groups, number_kind = _national_groups(rng, "personal")
    body = [groups[0][1:], *groups[1:]]
    separator = rng.choices(("-", " ", ""), weights=(0.65, 0.25, 0.1))[0]
    return WrittenPhone(separator.join(["0082", *body]), "".join(groups), number_kind)


def _bracketed_area_code(rng: Random, fmt: str, kind: str, tags: List[str]) -> WrittenPhone:
    """`(02) 1234-5678`, `(031)123-4567`: the brackets belong to the span."""
    plan = load_bank("numbers.json")["phone"]
    area = rng.choice(plan["seoul"] * 4 + plan["area_codes"] + (plan["mobile"] * 3 if kind != "rep" else []))
    middle = random_digits(rng, 4 if area in plan["mobile"] else rng.choice((3, 4)), "23456789")
    groups = [area, middle, random_digits(rng, 4)]
    after = rng.choices((" ", "", "-"), weights=(0.55, 0.4, 0.05))[0]
    separator = rng.choices(("-", " ", "."), weights=(0.85, 0.1, 0.05))[0]
    number_kind = "mobile" if area in plan["mobile"] else "landline"
    return WrittenPhone(f"({area}){after}{middle}{separator}{groups[2]}", "".join(groups), number_kind)


def _mixed_separators(rng: Random, fmt: str, kind: str, tags: List[str]) -> WrittenPhone:
    """`010.1234-5678`, `010 1234-5678`: two different separators in one number."""
    groups, number_kind = _national_groups(rng, kind)
    separators = rng.choice(((".", "-"), ("-", "."), (" ", "-"), ("-", " "), (".", " ")))
    text = groups[0] + "".join(sep + group for sep, group in zip(separators, groups[1:]))
    return WrittenPhone(text, "".join(groups), number_kind)


def _digits_with_joiner(rng: Random, fmt: str, kind: str, tags: List[str]) -> WrittenPhone:
    """`010에 6628에 1174`: written digits read out group by group with the spoken joiner."""
    groups, number_kind = _national_groups(rng, kind)
    return WrittenPhone("에 ".join(groups), "".join(groups), number_kind)


PHONE_WRITERS: Dict[str, PhoneWriter] = {
    **{fmt: _mobile for fmt in MOBILE_SEPARATORS},
    **{fmt: _landline for fmt in LANDLINE_PREFIX_KEYS},
    "representative": _representative,
    "international": _international,
    "spoken": _spoken,
    "spaced_separators": _spaced_separators,
    "international_0082": _international_0082,
    "bracketed_area_code": _bracketed_area_code,
    "mixed_separators": _mixed_separators,
    "digits_with_joiner": _digits_with_joiner,
}


def build_phone(rng: Random, kind: str) -> Tuple[WrittenPhone, List[str]]:
    """A complete phone number in one of the formats ANNOTATION.md lists (with its value), and its format tags."""
    fmt = weighted(rng, PHONE_FORMAT_WEIGHTS, PHONE_KIND_FORMATS.get(kind))
    tags = ["phone_" + fmt]
    return PHONE_WRITERS[fmt](rng, fmt, kind, tags), tags


def _spoken_groups(rng: Random, kind: str) -> Tuple[List[str], str]:
    """The digit groups of a number to be read out, and its kind: mobile, landline or representative."""
    plan = load_bank("numbers.json")["phone"]
    shape_weights = (0.0, 0.4, 0.6) if kind == "rep" else (0.7, 0.2, 0.1)
    shape = rng.choices(("mobile", "landline", "representative"), weights=shape_weights)[0]
    if shape == "mobile":
        return [rng.choice(plan["mobile"]), random_digits(rng, 4, "123456789"), random_digits(rng, 4)], shape
    if shape == "landline":
        area = rng.choice(plan["seoul"] + plan["area_codes"])
        return [area, random_digits(rng, rng.choice((3, 4)), "23456789"), random_digits(rng, 4)], shape
    return [rng.choice(plan["representative"]), random_digits(rng, 4)], shape


def build_spoken_phone(rng: Random, kind: str = "") -> WrittenPhone:
    """A phone number as a transcript keeps spoken digits: 공일공 일이삼사 오육칠팔."""
    groups, number_kind = _spoken_groups(rng, kind)
    zero_style = rng.choices(("공", "영", "mixed"), weights=(0.65, 0.25, 0.1))[0]

    def read(digit: str) -> str:
        if digit != "0":
            return SPOKEN_SYLLABLE_OF_DIGIT[digit]
        return rng.choice(("공", "영")) if zero_style == "mixed" else zero_style

    joiner = rng.choice(load_bank("numbers.json")["spoken_group_joiners"])
    text = joiner.join("".join(read(d) for d in group) for group in groups)
    return WrittenPhone(text, "".join(groups), number_kind)


def build_phone_entity(rng: Random, request: EntityRequest) -> BuiltEntity:
    """A PHONE for a template slot; it is read as written."""
    written, tags = build_phone(rng, request.kind)
    return BuiltEntity(PHONE, written.text, written.text, tags, value=written.value)
