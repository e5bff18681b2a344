"""Seeded synthetic generator of labelled Korean call-center utterances.

The generator exists to teach a NER model the *variety* of real transcripts
(number formats, unseen product names, particles glued to entities, hard
negatives), not a fixed set of templates. Every text is built piece by piece and
each entity's character offsets are recorded while it is appended, so spans are
exact by construction and follow /work/shared/ANNOTATION.md.

All word lists, catalogues and templates live in ``banks/`` as data files; this
module holds only the sampling logic. Randomness comes from one
``random.Random`` per example, seeded from ``(seed, index)``, so output is
byte-for-byte reproducible and a shorter run is a prefix of a longer one.
"""
from __future__ import annotations

import re
from dataclasses import dataclass, field
from functools import lru_cache
from importlib import resources
from pathlib import Path
from random import Random
from typing import Any, Dict, Iterable, Iterator, List, Optional, Sequence, Tuple

import srsly

from spacy_callner.scheme import (
    CONTRACT, LABELS, MONEY, MONEY_PERIOD_WORDS, MONEY_PREFIX_MODIFIERS, MONEY_SUFFIX_MODIFIERS, PARTICLES,
    PHONE, PRODUCT, SINO_DIGITS, SPOKEN_DIGIT_VALUES, product_attribute_words,
)

BANK_PACKAGE = "spacy_callner.training"
BANK_DIR = "banks"

# Minimum share of examples (on a few thousand) that carry each format class.
# Tests check these; meta["formats"] of every record lists the classes it shows.
FORMAT_CLASSES: Dict[str, float] = {
    "phone_mobile_dash": 0.06,
    "phone_mobile_space": 0.015,
    "phone_mobile_dot": 0.012,
    "phone_mobile_plain": 0.02,
    "phone_mobile_legacy": 0.012,
    "phone_landline_seoul": 0.03,
    "phone_landline_regional": 0.035,
    "phone_representative": 0.025,
    "phone_toll_free_080": 0.01,
    "phone_internet_070": 0.014,
    "phone_international": 0.014,
    "phone_spoken": 0.045,
    "money_comma_won": 0.13,
    "money_plain_won": 0.03,
    "money_man_spaced": 0.07,
    "money_man_glued": 0.05,
    "money_compound": 0.055,
    "money_cheon": 0.015,
    "money_cheon_mixed": 0.012,
    "money_eok": 0.01,
    "money_hangul": 0.07,
    "money_foreign": 0.04,
    "money_spaced_number": 0.015,
    "money_modifier": 0.14,
    "product_catalogue_hangul": 0.16,
    "product_catalogue_latin": 0.07,
    "product_synthesised": 0.11,
    "product_bare_brand": 0.04,
    "product_short_form": 0.035,
    "product_spacing_variant": 0.06,
    "product_lowercase": 0.03,
    "product_brand_prefix": 0.012,
    "product_attribute_after": 0.04,
    "product_trailing_word": 0.09,
    "contract_canonical": 0.08,
    "contract_long_serial": 0.045,
    "contract_lowercase": 0.015,
    "contract_glued_hangul": 0.012,
    "contract_counter_beon": 0.04,
    "particle_glued": 0.7,
    "particle_wrong_batchim": 0.025,
    "multi_entity": 0.25,
    "long_text": 0.06,
    "entity_free": 0.07,
    "hard_negative": 0.3,
    "filler": 0.2,
    "context_noise": 0.2,
}

# How an utterance is planned: share of each mode.
MODE_WEIGHTS: Dict[str, float] = {"normal": 0.62, "multi": 0.17, "long": 0.10, "entity_free": 0.11}

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
}
PHONE_KIND_FORMATS: Dict[str, Tuple[str, ...]] = {
    "personal": ("mobile_dash", "mobile_space", "mobile_dot", "mobile_plain", "landline_seoul",
                 "landline_regional", "internet_070", "international", "spoken"),
    "rep": ("representative", "toll_free_080", "landline_seoul", "landline_regional", "internet_070", "spoken"),
}

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

# Amounts of 억 are mostly said with 억 (1억 2천만 원), sometimes written out in digits.
LARGE_MONEY_FORMAT_WEIGHTS: Dict[str, float] = {"eok": 0.75, "comma_won": 0.2, "plain_won": 0.05}

PRODUCT_MODE_WEIGHTS: Dict[str, float] = {"catalogue": 0.46, "synthesised": 0.32, "bare": 0.12, "short": 0.10}

ENTITY_SLOTS = {"PHONE": PHONE, "MONEY": MONEY, "PRODUCT": PRODUCT, "CONTRACT": CONTRACT}
NEGATIVE_SLOTS = (
    "CARD", "ACCOUNT", "ORDER_NO", "TRACKING", "TICKET", "OTHER_ID", "DATE", "TIME", "DURATION", "DATA",
    "PERCENT", "COUNT", "PARTIAL_PHONE", "COMPANY", "CARD_ISSUER", "PLAN", "GENERIC", "BARE_NUMBER",
    "POSTAL", "BIRTH", "SERIAL",
)
# Particle roles after which a colour/capacity/condition phrase still reads naturally.
ATTRIBUTE_ROLES = ("", "none", "obj", "subj", "top", "dir", "cop", "cop_q", "with", "also")
# Words said after a product, outside its span (products.json "attributes" and "category_nouns"):
# share of product mentions that get one or two, which kinds, and the order they are said in.
PRODUCT_TRAILING_PROB = 0.25
PRODUCT_TRAILING_KINDS: Dict[str, float] = {
    "category": 0.34, "accessory": 0.14, "colour": 0.11, "connectivity": 0.10, "size": 0.08,
    "year": 0.08, "bundle": 0.06, "capacity": 0.05, "condition": 0.04,
}
PRODUCT_TRAILING_ORDER = ("year", "size", "colour", "capacity", "connectivity", "condition", "category", "bundle", "accessory")
# At most one of these per mention (no "정수기 필터 세트" pile-ups).
PRODUCT_TRAILING_EXCLUSIVE = ("category", "bundle", "accessory")
# Kinds that count as product_attribute_after (colour, capacity, condition); the rest as product_trailing_word.
PRODUCT_ATTRIBUTE_KINDS = ("colour", "capacity", "condition")
# Particle roles after which a category noun, accessory or attribute word still reads naturally.
TRAILING_ROLES = ATTRIBUTE_ROLES + ("loc", "gen")
# Probability that an entity is written glued to the Hangul word before it (STT spacing); only
# entities that start with a digit, Latin letter or symbol, so a tokenizer can still split them off.
GLUE_LEFT_PROB = {CONTRACT: 0.12, PHONE: 0.03, MONEY: 0.02, PRODUCT: 0.02}
WRONG_PARTICLE_PROB = 0.03
# Particle roles after which "정도", "이상" etc. can stand between the amount and the particle.
SUFFIX_MODIFIER_ROLES = ("", "none", "subj", "obj", "top", "cop", "cop_link", "cop_q", "dir", "also")

# Modifiers said after an amount with a space; glued ones (씩, 쯤) are particle roles.
SPACED_MONEY_SUFFIX_MODIFIERS = tuple(m for m in MONEY_SUFFIX_MODIFIERS if m not in PARTICLES)
# The syllable read for each digit in a spoken phone number (0 as 공; 영 is chosen separately).
SPOKEN_SYLLABLE_OF_DIGIT = {str(v): syllable for syllable, v in reversed(list(SPOKEN_DIGIT_VALUES.items()))}

_SLOT_RE = re.compile(r"\{([A-Za-z_]+)(?:\.([a-z_]*))?(?:\|([a-z_]+))?\}")
_CHOICE_RE = re.compile(r"\[([^\[\]]*)\]")
_CHOICE_SPLIT_RE = re.compile(r"\|(?![^{]*\})")
_HANGUL_SYLLABLE = re.compile(r"[가-힣]")


# --------------------------------------------------------------------------- banks


@lru_cache(maxsize=None)
def load_bank(name: str) -> Any:
    """Read one data file from ``banks/`` (JSON parsed, TXT as text), cached."""
    text = resources.files(BANK_PACKAGE).joinpath(BANK_DIR, name).read_text(encoding="utf-8")
    return srsly.json_loads(text) if name.endswith(".json") else text


@dataclass(frozen=True)
class Template:
    """One sentence pattern; ``has_entity`` says whether any entity slot can appear in it."""

    scenario: str
    speaker: str
    text: str
    has_entity: bool
    has_negative: bool


@lru_cache(maxsize=None)
def load_templates() -> Dict[Tuple[str, str], Tuple[Template, ...]]:
    """Parse templates.txt into blocks keyed by (scenario, speaker)."""
    blocks: Dict[Tuple[str, str], List[Template]] = {}
    key: Optional[Tuple[str, str]] = None
    for raw in load_bank("templates.txt").splitlines():
        line = raw.strip()
        if not line or line.startswith("#"):
            continue
        if line.startswith("@"):
            scenario, speaker = line[1:].split()
            key = (scenario, speaker)
            blocks.setdefault(key, [])
            continue
        if key is None:
            raise ValueError(f"template before any @block header: {line!r}")
        slots = [m.group(1) for m in _SLOT_RE.finditer(line)]
        blocks[key].append(
            Template(
                scenario=key[0],
                speaker=key[1],
                text=line,
                has_entity=any(s in ENTITY_SLOTS for s in slots),
                has_negative=any(s in NEGATIVE_SLOTS for s in slots),
            )
        )
    return {k: tuple(v) for k, v in blocks.items()}


@dataclass(frozen=True)
class ProductName:
    """A product's surface form plus the Hangul reading used to pick particles."""

    text: str
    reading: str
    brand: str
    category: str


@lru_cache(maxsize=None)
def product_catalogue() -> Tuple[Tuple[str, str, str, str], ...]:
    """The real-product catalogue as (brand, category, Hangul, Latin) rows."""
    return tuple(tuple(row) for row in load_bank("products.json")["catalogue"])


def category_nouns_for(reading: str, category: str) -> Tuple[str, ...]:
    """Generic nouns said after this product (정수기 after 코웨이 아이콘): by name prefix, else by category."""
    nouns = load_bank("products.json")["category_nouns"]
    keys = [k for k in nouns["by_name"] if reading.startswith(k)]
    if keys:
        return tuple(nouns["by_name"][max(keys, key=len)])
    return tuple(nouns["by_category"].get(category, ()))


@lru_cache(maxsize=None)
def all_category_nouns() -> Tuple[str, ...]:
    """Every generic category noun of the bank (none may end or sit inside a PRODUCT span)."""
    nouns = load_bank("products.json")["category_nouns"]
    words = {w for group in nouns["by_category"].values() for w in group}
    words |= {w for group in nouns["by_name"].values() for w in group}
    return tuple(sorted(words))


@lru_cache(maxsize=None)
def product_attributes() -> Dict[str, Any]:
    """What may be said after a product, outside its span: the scheme's colour, capacity and
    condition words, plus the bank's connectivity, size, year, bundle and accessory words."""
    return {**load_bank("products.json")["attributes"], **product_attribute_words()}


@lru_cache(maxsize=None)
def all_trailing_words() -> Tuple[str, ...]:
    """Every word or phrase the generator may say after a product outside its span."""
    attrs = product_attributes()
    words = set(all_category_nouns())
    for key, value in attrs.items():
        if key in ("_about", "applies_to"):
            continue
        groups = value.values() if isinstance(value, dict) else [value]
        words |= {w for group in groups for w in group}
    return tuple(sorted(words))


# --------------------------------------------------------------------------- Korean helpers


def final_sound(text: str) -> str:
    """How ``text`` ends when read aloud: 'v' vowel, 'r' final ㄹ, 'c' other final consonant."""
    numbers = load_bank("numbers.json")
    for ch in reversed(text):
        if "가" <= ch <= "힣":
            coda = (ord(ch) - 0xAC00) % 28
            return "v" if coda == 0 else ("r" if coda == 8 else "c")
        if ch.isdigit():
            return numbers["digit_final_sounds"][ch]
        if ch.isascii() and ch.isalpha():
            return numbers["letter_final_sounds"][ch.lower()]
    return "v"


def choose_particle(rng: Random, role: str, reading: str, wrong_prob: float = WRONG_PARTICLE_PROB) -> Tuple[str, bool]:
    """Pick a particle of ``role`` agreeing with the reading's final sound; sometimes the wrong form (STT)."""
    options = load_bank("particles.json")["roles"][role]
    option = rng.choice(options)
    sound = final_sound(reading)
    after_consonant, after_vowel = option[0], option[1]
    after_rieul = option[2] if len(option) > 2 else after_consonant
    right = {"v": after_vowel, "r": after_rieul, "c": after_consonant}[sound]
    if after_consonant != after_vowel and rng.random() < wrong_prob:
        wrong = after_vowel if right != after_vowel else after_consonant
        return wrong, True
    return right, False


def sino_korean(n: int) -> Tuple[str, str]:
    """Sino-Korean reading of 1 <= n < 10**8 as (만 part, rest), as in money talk (만 not 일만, 천 not 일천)."""
    digits = SINO_DIGITS

    def below_10000(value: int) -> str:
        out = []
        for unit_value, unit in ((1000, "천"), (100, "백"), (10, "십")):
            d, value = divmod(value, unit_value)
            if d:
                out.append(("" if d == 1 else digits[d]) + unit)
        if value:
            out.append(digits[value])
        return "".join(out)

    man, rest = divmod(n, 10000)
    head = "" if man == 0 else ("만" if man == 1 else below_10000(man) + "만")
    return head, below_10000(rest)


# --------------------------------------------------------------------------- text builder


@dataclass
class Draft:
    """Text under construction with entity offsets recorded as pieces are appended."""

    parts: List[str] = field(default_factory=list)
    length: int = 0
    entities: List[Dict[str, Any]] = field(default_factory=list)
    formats: List[str] = field(default_factory=list)
    negatives: List[str] = field(default_factory=list)
    last_is_entity: bool = False

    def add(self, text: str) -> None:
        """Append context text, never doubling a space at the join."""
        if not text:
            return
        if text.startswith(" ") and (not self.parts or self.parts[-1].endswith(" ")):
            text = text.lstrip(" ")
            if not text:
                return
        self.parts.append(text)
        self.length += len(text)
        self.last_is_entity = False

    def add_entity(self, text: str, label: str) -> None:
        """Append an entity and record its span."""
        assert text == text.strip() and text, text
        start = self.length
        self.parts.append(text)
        self.length += len(text)
        self.entities.append({"start": start, "end": self.length, "label": label})
        self.last_is_entity = True

    def drop_trailing_space(self) -> bool:
        """Remove a space before the next piece if it follows a Hangul syllable (glued writing)."""
        if self.last_is_entity or not self.parts:
            return False
        last = self.parts[-1]
        if len(last) >= 2 and last.endswith(" ") and _HANGUL_SYLLABLE.match(last[-2]):
            self.parts[-1] = last[:-1]
            self.length -= 1
            return True
        return False

    def tail(self, n: int = 1) -> str:
        """The last ``n`` characters written so far."""
        out = ""
        for part in reversed(self.parts):
            out = part + out
            if len(out) >= n:
                break
        return out[-n:]

    def tag(self, name: str) -> None:
        """Record a format class once, in order of first appearance."""
        if name not in self.formats:
            self.formats.append(name)

    def text(self) -> str:
        """The text written so far."""
        return "".join(self.parts)


# --------------------------------------------------------------------------- entity builders


def _weighted(rng: Random, weights: Dict[str, float], allowed: Optional[Iterable[str]] = None) -> str:
    """One key of ``weights`` (restricted to ``allowed``), in the dict's fixed order for determinism."""
    keys = [k for k in weights if allowed is None or k in allowed]
    return rng.choices(keys, weights=[weights[k] for k in keys])[0]


def _digits(rng: Random, n: int, first: str = "0123456789") -> str:
    """``n`` random digits; ``first`` limits the leading one (no 0 where a number must not look like a prefix)."""
    return rng.choice(first) + "".join(rng.choice("0123456789") for _ in range(n - 1))


def build_phone(rng: Random, kind: str) -> Tuple[str, List[str]]:
    """A complete phone number in one of the formats ANNOTATION.md lists, with its format tags."""
    plan = load_bank("numbers.json")["phone"]
    fmt = _weighted(rng, PHONE_FORMAT_WEIGHTS, PHONE_KIND_FORMATS.get(kind))
    tags = ["phone_" + ("toll_free_080" if fmt == "toll_free_080" else fmt)]
    if fmt.startswith("mobile"):
        legacy = rng.random() < 0.12
        prefix = rng.choice(plan["mobile_legacy"] if legacy else plan["mobile"])
        middle = _digits(rng, rng.choice((3, 4)) if legacy else 4, "123456789")
        last = _digits(rng, 4)
        sep = {"mobile_dash": "-", "mobile_space": " ", "mobile_dot": ".", "mobile_plain": ""}[fmt]
        if legacy:
            tags.append("phone_mobile_legacy")
        return sep.join((prefix, middle, last)), tags
    if fmt in ("landline_seoul", "landline_regional", "toll_free_080", "internet_070"):
        prefix = {
            "landline_seoul": plan["seoul"],
            "landline_regional": plan["area_codes"],
            "toll_free_080": plan["toll_free"],
            "internet_070": plan["internet"],
        }[fmt]
        sep = rng.choices(("-", " ", ""), weights=(0.85, 0.1, 0.05))[0]
        middle_len = 4 if fmt == "internet_070" and rng.random() < 0.8 else rng.choice((3, 4))
        return sep.join((rng.choice(prefix), _digits(rng, middle_len, "23456789"), _digits(rng, 4))), tags
    if fmt == "representative":
        sep = rng.choices(("-", " ", ""), weights=(0.85, 0.08, 0.07))[0]
        return rng.choice(plan["representative"]) + sep + _digits(rng, 4), tags
    if fmt == "international":
        country = rng.choice(plan["international_prefixes"])
        if rng.random() < 0.75:
            body = ["10", _digits(rng, 4, "123456789"), _digits(rng, 4)]
        else:
            body = [rng.choice(["2", "31", "51", "32", "70"]), _digits(rng, rng.choice((3, 4)), "23456789"), _digits(rng, 4)]
        sep = rng.choices(("-", " ", ""), weights=(0.8, 0.12, 0.08))[0]
        if sep != "-":
            country = "+82" + sep
        return country + sep.join(body), tags
    return build_spoken_phone(rng, kind), tags


def build_spoken_phone(rng: Random, kind: str = "") -> str:
    """A phone number as a transcript keeps spoken digits: 공일공 일이삼사 오육칠팔."""
    numbers = load_bank("numbers.json")
    plan = numbers["phone"]
    shape_weights = (0.0, 0.4, 0.6) if kind == "rep" else (0.7, 0.2, 0.1)
    shape = rng.choices(("mobile", "landline", "representative"), weights=shape_weights)[0]
    if shape == "mobile":
        groups = [rng.choice(plan["mobile"]), _digits(rng, 4, "123456789"), _digits(rng, 4)]
    elif shape == "landline":
        groups = [rng.choice(plan["seoul"] + plan["area_codes"]), _digits(rng, rng.choice((3, 4)), "23456789"), _digits(rng, 4)]
    else:
        groups = [rng.choice(plan["representative"]), _digits(rng, 4)]
    zero_style = rng.choices(("공", "영", "mixed"), weights=(0.65, 0.25, 0.1))[0]

    def read(d: str) -> str:
        if d != "0":
            return SPOKEN_SYLLABLE_OF_DIGIT[d]
        return rng.choice(("공", "영")) if zero_style == "mixed" else zero_style

    joiner = rng.choice(numbers["spoken_group_joiners"])
    words = ["".join(read(d) for d in g) for g in groups]
    if joiner == "에 ":
        return "에 ".join(words)
    return joiner.join(words)


def build_contract(rng: Random) -> Tuple[str, List[str]]:
    """A KR-YYYY-NNN contract identifier, sometimes with a longer serial or in lower case."""
    year = rng.choices(
        (2026, 2025, 2024, 2023, 2027, 2022, 2021, 2020, 2019),
        weights=(0.33, 0.24, 0.14, 0.08, 0.06, 0.05, 0.04, 0.03, 0.03),
    )[0]
    width = rng.choices((3, 4, 5), weights=(0.66, 0.25, 0.09))[0]
    high = 10 ** width - 1
    serial = rng.randint(1, 150) if rng.random() < 0.5 else rng.randint(1, high)
    prefix = rng.choices(("KR", "kr", "Kr"), weights=(0.86, 0.11, 0.03))[0]
    tags = ["contract_canonical" if width == 3 else "contract_long_serial"]
    if prefix != "KR":
        tags.append("contract_lowercase")
    return f"{prefix}-{year}-{serial:0{width}d}", tags


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


def build_money(rng: Random, range_name: str) -> Tuple[str, str, List[str]]:
    """An amount with its currency word or symbol: (text, reading for particles, format tags)."""
    numbers = load_bank("numbers.json")
    weights = LARGE_MONEY_FORMAT_WEIGHTS if range_name == "large" else MONEY_FORMAT_WEIGHTS
    fmt = _weighted(rng, weights, money_formats_for(range_name))
    if range_name == "foreign":
        range_name = "small"
    low, high, _ = numbers["amount_ranges"][range_name]
    won = "원" if rng.random() < 0.4 else " 원"
    if fmt == "comma_won" or fmt == "plain_won":
        amount = _round_amount(rng, range_name)
        if fmt == "plain_won" and amount < 1000:
            amount *= 10
        body = f"{amount:,}" if fmt == "comma_won" else str(amount)
        if fmt == "comma_won" and rng.random() < 0.04:
            return "₩" + body, "원", ["money_comma_won"]
        return body + ("원" if rng.random() < 0.88 else " 원"), "원", ["money_" + fmt]
    if fmt in ("man_spaced", "man_glued"):
        amount = _round_amount(rng, range_name, 10000)
        unit = " 원" if fmt == "man_spaced" else "원"
        return f"{amount // 10000}만{unit}", "원", ["money_" + fmt]
    if fmt == "compound":
        man = max(1, _round_amount(rng, range_name, 10000) // 10000)
        rest_step = rng.choice((1000, 1000, 100, 10))
        rest = rng.randint(1, 9999 // rest_step) * rest_step
        if rest % 1000 == 0:
            rest_text = f"{rest // 1000}천"
        elif rest % 100 == 0 and rest >= 1000 and rng.random() < 0.6:
            rest_text = f"{rest // 1000}천{rest % 1000}"
        else:
            rest_text = f"{rest:,}" if rng.random() < 0.6 else str(rest)
        gap = " " if rng.random() < 0.6 else ""
        unit = won if rest_text.endswith("천") else ("원" if rng.random() < 0.8 else " 원")
        if not gap and rng.random() < 0.7:
            unit = "원"
        return f"{man}만{gap}{rest_text}{unit}", "원", ["money_compound"]
    if fmt == "cheon":
        amount = rng.randint(1, 9) * 1000
        return f"{amount // 1000}천{won}", "원", ["money_cheon"]
    if fmt == "cheon_mixed":
        thousands, hundreds = rng.randint(1, 9), rng.randint(1, 9) * 100
        gap = " " if rng.random() < 0.15 else ""
        return f"{thousands}천{gap}{hundreds}원", "원", ["money_cheon_mixed"]
    if fmt == "eok":
        eok = rng.randint(1, 9)
        cheonman = rng.choice((0, 0, 1, 2, 3, 5, 7))
        gap = " " if rng.random() < 0.7 else ""
        tail = f"{gap}{cheonman}천만" if cheonman else ""
        unit = won if gap else "원"
        return f"{eok}억{tail}{unit}", "원", ["money_eok"]
    if fmt == "hangul":
        step = rng.choice((10000, 5000, 1000, 1000, 100))
        amount = _round_amount(rng, range_name, min(step, max(100, high // 20)))
        head, rest = sino_korean(amount)
        gap = " " if rng.random() < 0.7 else ""
        body = head + (gap if head and rest else "") + rest
        unit = won if gap or not rest else "원"
        return body + unit, "원", ["money_hangul"]
    if fmt == "spaced_number":
        if rng.random() < 0.75:
            value, unit_word = _round_amount(rng, range_name, 10000) // 10000, "만"
        else:
            value, unit_word = rng.randint(1, 9), "천"
        tail = rng.choice(("원", " 원"))
        return f"{value} {unit_word}{tail}", "원", ["money_spaced_number"]
    if rng.random() < 0.65:
        word, (lo, hi) = rng.choice(numbers["currencies"]["foreign_words"])
        value = rng.randint(lo, hi)
        if hi > 1000 and rng.random() < 0.7:
            value -= value % 100
        body = f"{value:,}" if rng.random() < 0.5 else str(value)
        gap = " " if rng.random() < 0.2 else ""
        return f"{body}{gap}{word}", word, ["money_foreign"]
    symbol, (lo, hi) = rng.choice(numbers["currencies"]["foreign_symbols"])
    value = rng.randint(lo, hi)
    reading = {"$": "달러", "€": "유로", "¥": "엔"}[symbol]
    if symbol == "$" and rng.random() < 0.25:
        return f"${value}.{rng.randint(0, 99):02d}", reading, ["money_foreign"]
    return f"{symbol}{value:,}", reading, ["money_foreign"]


def _variant_forms(rng: Random, series: Dict[str, Any]) -> Tuple[str, str]:
    """One synthesised model of a series as (Hangul form, Latin form): brand+series+number+variant."""
    if "numbers" in series:
        number = rng.choice(series["numbers"])
    else:
        low, high = series["range"]
        number = str(rng.randint(low, high))
    gap = "" if series["glue"] else " "
    ko_variant, en_variant, glued = rng.choice(series["variants"])
    ko = f"{series['ko']}{gap}{number}"
    en = f"{series['en']}{gap}{number}"
    if ko_variant:
        ko += ("" if glued else " ") + ko_variant
    if en_variant:
        en += ("" if glued else " ") + en_variant
    return ko, en


def _respace(rng: Random, text: str) -> str:
    """Spacing as people and STT write product names: 갤럭시S25, 아이폰16 프로, 갤럭시 S25울트라."""
    tokens = text.split(" ")
    if len(tokens) < 2 or "-" in text:
        return text
    style = rng.choice(("all", "before_model", "before_last"))
    if style == "all" and len(tokens) <= 4:
        return "".join(tokens)
    if style == "before_model":
        for i in range(1, len(tokens)):
            if tokens[i][:1].isdigit() or tokens[i][:1].isascii() and tokens[i][:1].isupper():
                return " ".join(tokens[: i - 1] + [tokens[i - 1] + tokens[i]] + tokens[i + 1:])
    return " ".join(tokens[:-2] + [tokens[-2] + tokens[-1]])


def build_product(rng: Random, category: str) -> Tuple[ProductName, List[str]]:
    """A product name: catalogue, synthesised, bare brand or short form, in Hangul or Latin spelling."""
    bank = load_bank("products.json")
    mode = _weighted(rng, PRODUCT_MODE_WEIGHTS)
    rows: Sequence[Sequence[str]]
    latin = rng.random() < 0.27
    tags: List[str] = []
    if mode == "synthesised":
        candidates = [s for s in load_bank("product_series.json")["series"] if s["category"] == category]
        if not candidates:
            mode = "catalogue"
        else:
            series = rng.choice(candidates)
            ko, en = _variant_forms(rng, series)
            if "short" in series and rng.random() < 0.15:
                ko = series["short"][0] + ko[len(series["ko"]):]
                en = series["short"][1] + en[len(series["en"]):]
                tags.append("product_short_form")
            name = ProductName(en if latin else ko, ko, series["brand"], category)
            tags.append("product_synthesised")
    if mode in ("bare", "short"):
        rows = [r for r in bank["bare_brands" if mode == "bare" else "short_forms"] if r[1] == category]
        if not rows:
            mode = "catalogue"
        else:
            brand, cat, ko, en = rng.choice(rows)
            name = ProductName(en if latin else ko, ko, brand, cat)
            tags.append("product_bare_brand" if mode == "bare" else "product_short_form")
    if mode == "catalogue":
        rows = [r for r in product_catalogue() if r[1] == category] or list(product_catalogue())
        brand, cat, ko, en = rng.choice(rows)
        name = ProductName(en if latin else ko, ko, brand, cat)
        tags.append("product_catalogue_latin" if latin else "product_catalogue_hangul")
    text = name.text
    if mode in ("catalogue", "synthesised") and rng.random() < 0.06:
        brand_ko, brand_en = bank["brands"][name.brand]
        brand_word = brand_en if latin else brand_ko
        if not text.lower().startswith((brand_ko.lower(), brand_en.lower())):
            text = f"{brand_word} {text}"
            tags.append("product_brand_prefix")
    if rng.random() < 0.15:
        spaced = _respace(rng, text)
        if spaced != text:
            text = spaced
            tags.append("product_spacing_variant")
    if re.search(r"[A-Z]", text) and rng.random() < (0.18 if latin else 0.06):
        text = text.lower()
        tags.append("product_lowercase")
    return ProductName(text, name.reading, name.brand, name.category), tags


# --------------------------------------------------------------------------- negatives


def _fill_pattern(rng: Random, pattern: str) -> str:
    """Expand an ID pattern: # digit, A capital letter, {P} ID prefix, {Y} year, {D} yyyymmdd."""
    neg = load_bank("negatives.json")
    out = pattern.replace("{P}", rng.choice(neg["id_prefixes"]))
    out = out.replace("{Y}", str(rng.randint(2019, 2027)))
    out = out.replace("{D}", f"{rng.randint(2023, 2026)}{rng.randint(1, 12):02d}{rng.randint(1, 28):02d}")
    return "".join(
        rng.choice("0123456789") if c == "#" else rng.choice("ABCDEFGHJKLMNPQRSTUVWXYZ") if c == "A" else c
        for c in out
    )


def build_negative(rng: Random, slot: str, kind: str) -> str:
    """Text that looks like an entity but is not one per ANNOTATION.md."""
    neg = load_bank("negatives.json")
    patterns = neg["patterns"]
    if slot in ("CARD", "ACCOUNT", "ORDER_NO", "TRACKING", "TICKET", "OTHER_ID", "SERIAL", "POSTAL"):
        return _fill_pattern(rng, rng.choice(patterns[slot.lower()]))
    if slot == "DATE":
        y, m, d = rng.randint(2023, 2027), rng.randint(1, 12), rng.randint(1, 28)
        return rng.choice((f"{y}-{m:02d}-{d:02d}", f"{y}.{m:02d}.{d:02d}", f"{y}년 {m}월 {d}일", f"{m}월 {d}일",
                           f"{m}월 {d}일", f"{d}일", f"{y % 100}년 {m}월", f"{m}/{d}"))
    if slot == "TIME":
        h, mi = rng.randint(1, 12), rng.choice((0, 0, 10, 15, 20, 30, 30, 40, 45))
        part = rng.choice(("오전 ", "오후 ", "저녁 ", "아침 ", ""))
        return rng.choice((f"{part}{h}시", f"{part}{h}시 {mi}분" if mi else f"{part}{h}시 반",
                           f"{rng.randint(9, 20)}:{mi:02d}"))
    if slot == "DURATION" and kind == "months":
        return f"{rng.choice((6, 12, 12, 24, 24, 24, 30, 36, 36, 48))}개월"
    if slot == "DURATION":
        return rng.choice((f"{rng.choice((6, 12, 24, 24, 30, 36, 48))}개월", f"{rng.randint(1, 4)}년",
                           f"{rng.randint(2, 14)}일", "일주일", "한 달", f"{rng.randint(2, 5)}주"))
    if slot == "DATA":
        value = rng.choice((1, 2, 3, 5, 7, 10, 11, 15, 24, 30, 50, 71, 100, 110, 150))
        unit = rng.choice(neg["data_units"])
        return f"{value}{'' if rng.random() < 0.8 else ' '}{unit}"
    if slot == "PERCENT":
        value = rng.choice((5, 10, 15, 20, 25, 30, 40, 50, 3.5, 5.9))
        return f"{value}{rng.choice(neg['percent_units'])}"
    if slot == "COUNT":
        return f"{rng.randint(1, 6)}{rng.choice(neg['count_units'])}"
    if slot == "PARTIAL_PHONE":
        word = rng.choice(neg["partial_phone_words"])
        return f"{word} {_digits(rng, 4)}"
    if slot == "COMPANY":
        groups = neg["companies"]
        return rng.choice(groups[kind] if kind in groups else groups[rng.choice(list(groups))])
    if slot == "CARD_ISSUER":
        return rng.choice(neg["card_issuers"])
    if slot == "PLAN":
        return rng.choice(neg["plans"])
    if slot == "GENERIC":
        groups = neg["generic_nouns"]
        return rng.choice(groups[kind] if kind in groups else groups[rng.choice(list(groups))])
    if slot == "BARE_NUMBER" and kind == "extension":
        return str(rng.randint(1, 9)) if rng.random() < 0.4 else _digits(rng, rng.choice((3, 4)), "123456789")
    if slot == "BARE_NUMBER":
        value = rng.choice((rng.randint(1, 9), rng.randint(10, 99), rng.randint(100, 99999)))
        unit = rng.choice(neg["bare_number_units"])
        return rng.choice((f"{value:,}{unit}", f"{value} {unit}", f"{value:,}", f"{value}"))
    if slot == "BIRTH":
        y, m, d = rng.randint(55, 99), rng.randint(1, 12), rng.randint(1, 28)
        return rng.choice((f"{y}{m:02d}{d:02d}", f"19{y}년 {m}월 {d}일", f"{y}년생", f"19{y}.{m:02d}.{d:02d}"))
    raise KeyError(slot)


def pool_word(rng: Random, name: str) -> str:
    """A word for a lower-case template slot ({name}, {bank}, {period}, ...)."""
    pools = load_bank("pools.json")
    if name == "name":
        return rng.choice(pools["surname"]) + rng.choice(pools["given"])
    if name == "bank":
        return rng.choice(load_bank("negatives.json")["banks"])
    return rng.choice(pools[name])


# --------------------------------------------------------------------------- rendering


@dataclass
class Context:
    """What a sentence needs besides its template: randomness, scenario settings and the draft."""

    rng: Random
    scenario: str
    speaker: str
    draft: Draft
    used: List[str] = field(default_factory=list)


def expand_choices(rng: Random, text: str) -> str:
    """Resolve [a|b|] alternatives, innermost first."""
    while True:
        match = _CHOICE_RE.search(text)
        if not match:
            return text
        options = _CHOICE_SPLIT_RE.split(match.group(1))
        text = text[: match.start()] + rng.choice(options) + text[match.end():]


def add_context_noise(rng: Random, text: str) -> Tuple[str, bool]:
    """Light STT noise inside one context piece: typos, dropped spaces, repeated words. Edges stay put."""
    noise = load_bank("noise.json")
    changed = False
    if len(text) > 3 and rng.random() < 0.10:
        applicable = [(a, b) for a, b in noise["typos"] if a in text[1:-1]]
        if applicable:
            old, new = rng.choice(applicable)
            at = text.find(old, 1)
            if 0 < at and at + len(old) < len(text):
                text = text[:at] + new + text[at + len(old):]
                changed = True
    if rng.random() < 0.07:
        spaces = [i for i in range(1, len(text) - 1)
                  if text[i] == " " and _HANGUL_SYLLABLE.match(text[i - 1]) and _HANGUL_SYLLABLE.match(text[i + 1])]
        if spaces:
            i = rng.choice(spaces)
            text = text[:i] + text[i + 1:]
            changed = True
    if rng.random() < 0.04:
        words = [m for m in re.finditer(r"(?<= )[가-힣]{1,3}(?= )", text)]
        if words:
            m = rng.choice(words)
            text = text[: m.end()] + " " + m.group(0) + text[m.end():]
            changed = True
    return text, changed


def _product_category(ctx: Context, kind: str) -> str:
    """The template's product category, or one that fits the scenario."""
    if kind:
        return kind
    return ctx.rng.choice(load_bank("scenarios.json")["scenarios"][ctx.scenario]["products"])


def fill_entity(ctx: Context, slot: str, kind: str, role: str, following: str = "") -> None:
    """Append one entity, then whatever follows it outside the span, then its particle.

    ``following`` is the template text right after the slot, so no modifier is doubled (정도 정도).
    """
    rng, draft = ctx.rng, ctx.draft
    label = ENTITY_SLOTS[slot]
    after = ""
    tags: List[str] = []
    if label == PHONE:
        text, tags = build_phone(rng, kind)
        reading = text
    elif label == CONTRACT:
        text, tags = build_contract(rng)
        reading = text
    elif label == MONEY:
        range_name = kind or load_bank("scenarios.json")["scenarios"][ctx.scenario]["money"]
        text, reading, tags = build_money(rng, range_name)
        if rng.random() < 0.16 and not draft.tail(4).strip().endswith(MONEY_PREFIX_MODIFIERS + MONEY_PERIOD_WORDS):
            draft.add(rng.choice(MONEY_PREFIX_MODIFIERS) + " ")
            tags.append("money_modifier")
        modifier_follows = following.strip().startswith(MONEY_SUFFIX_MODIFIERS + ("밖에",))
        if role in SUFFIX_MODIFIER_ROLES and not modifier_follows and rng.random() < 0.10:
            after = " " + rng.choice(SPACED_MONEY_SUFFIX_MODIFIERS)
            if after == " 정도" and rng.random() < 0.2:
                after = "정도"
            tags.append("money_modifier")
        if role in ("each", "worth"):
            tags.append("money_modifier")
    else:
        product, tags = build_product(rng, _product_category(ctx, kind))
        text, reading = product.text, product.reading
        attrs = product_attributes()
        groups = [g for g in ("colour", "capacity", "condition") if product.category in attrs["applies_to"][g]]
        trailing, trailing_tags = product_trailing(rng, product, role, following)
        if trailing:
            after = trailing
            tags.extend(trailing_tags)
        elif groups and role in ATTRIBUTE_ROLES and rng.random() < 0.14:
            picked = rng.sample(groups, min(len(groups), rng.choice((1, 1, 2))))
            after = "".join(" " + rng.choice(attrs[g]) for g in picked)
            tags.append("product_attribute_after")
    glueable = not _HANGUL_SYLLABLE.match(text[0])
    if glueable and rng.random() < GLUE_LEFT_PROB[label] and draft.drop_trailing_space():
        tags.append("contract_glued_hangul" if label == CONTRACT else "entity_glued_left")
    draft.add_entity(text, label)
    for tag in tags:
        draft.tag(tag)
    if after:
        draft.add(after)
        reading = after
    _attach_particle(ctx, role, reading, label, bool(after))


def _trailing_options(product: ProductName, kind: str) -> Sequence[str]:
    """The words of one trailing kind that fit this product."""
    attrs = product_attributes()
    if kind == "category":
        return category_nouns_for(product.reading, product.category)
    value = attrs[kind]
    if isinstance(value, dict):
        return value.get(product.category, ())
    return value if product.category in attrs["applies_to"].get(kind, ()) else ()


def product_trailing(rng: Random, product: ProductName, role: str, following: str) -> Tuple[str, List[str]]:
    """Now and then one or two words said after a product and kept OUTSIDE its span (ANNOTATION.md).

    A category noun (코웨이 아이콘 정수기), colour, connectivity/edition word (셀룰러), size or year
    (65인치, 2024년형), capacity, condition, bundle word (세트) or accessory (갤럭시 워치7 스트랩).
    Returns the text to append (leading space included) and its format tags; ("", []) most of the time.
    """
    if role not in TRAILING_ROLES or rng.random() >= PRODUCT_TRAILING_PROB:
        return "", []
    head = following.strip().split(" ")[0]
    if head and any(head.startswith(w.split(" ")[0]) for w in all_trailing_words()):
        return "", []
    options = {k: _trailing_options(product, k) for k in PRODUCT_TRAILING_KINDS}
    kinds = [k for k in PRODUCT_TRAILING_KINDS if options[k]]
    if role not in ATTRIBUTE_ROLES:
        kinds = [k for k in kinds if k in PRODUCT_TRAILING_EXCLUSIVE]
    if not kinds:
        return "", []
    picked: List[str] = []
    for _ in range(1 if rng.random() < 0.7 else 2):
        allowed = [k for k in kinds if k not in picked
                   and not (k in PRODUCT_TRAILING_EXCLUSIVE and any(p in PRODUCT_TRAILING_EXCLUSIVE for p in picked))]
        if not allowed:
            break
        picked.append(_weighted(rng, PRODUCT_TRAILING_KINDS, allowed))
    picked.sort(key=PRODUCT_TRAILING_ORDER.index)
    words = [rng.choice(list(options[k])) for k in picked]
    tags = []
    if any(k not in PRODUCT_ATTRIBUTE_KINDS for k in picked):
        tags.append("product_trailing_word")
    if any(k in PRODUCT_ATTRIBUTE_KINDS for k in picked):
        tags.append("product_attribute_after")
    return "".join(" " + w for w in words), tags


def _attach_particle(ctx: Context, role: str, reading: str, label: Optional[str], detached: bool) -> None:
    """Glue a particle of ``role`` after what was just written, agreeing with ``reading``; never inside a span."""
    rng, draft = ctx.rng, ctx.draft
    if not role or role == "none":
        return
    particle, wrong = choose_particle(rng, role, reading)
    if not particle:
        return
    draft.add(particle)
    if label and not detached:
        draft.tag("particle_glued")
        if label == CONTRACT and particle.startswith("번"):
            draft.tag("contract_counter_beon")
    if wrong and label:
        draft.tag("particle_wrong_batchim")


def render_template(ctx: Context, template: Template) -> None:
    """Append one sentence built from ``template`` to the draft."""
    rng, draft = ctx.rng, ctx.draft
    text = expand_choices(rng, template.text)
    position = 0
    for match in _SLOT_RE.finditer(text):
        _add_context(ctx, text[position: match.start()])
        slot, kind, role = match.group(1), match.group(2) or "", match.group(3) or ""
        if slot in ENTITY_SLOTS:
            fill_entity(ctx, slot, kind, role, text[match.end():match.end() + 6])
        elif slot in NEGATIVE_SLOTS:
            value = build_negative(rng, slot, kind)
            draft.add(value)
            if slot.lower() not in draft.negatives:
                draft.negatives.append(slot.lower())
            _attach_particle(ctx, role, value, None, False)
        else:
            value = pool_word(rng, slot)
            draft.add(value)
            _attach_particle(ctx, role, value, None, False)
        position = match.end()
    _add_context(ctx, text[position:])


def _add_context(ctx: Context, piece: str) -> None:
    """Append template text between slots, with light noise."""
    if not piece:
        return
    piece = re.sub(r" {2,}", " ", piece)
    noisy, changed = add_context_noise(ctx.rng, piece)
    if changed:
        ctx.draft.tag("context_noise")
    ctx.draft.add(noisy)


def _end_sentence(ctx: Context) -> None:
    """Close a sentence with STT-style punctuation (often none) unless it already ends with one."""
    text_tail = ctx.draft.tail(1)
    if text_tail in ".?!~," or ctx.draft.last_is_entity:
        if ctx.draft.last_is_entity and ctx.rng.random() < 0.5:
            ctx.draft.add(ctx.rng.choice((".", "?", "")))
        return
    ctx.draft.add(ctx.rng.choice(load_bank("noise.json")["sentence_ends"]))


def _maybe_filler(ctx: Context, probability: float) -> None:
    """Start a sentence with a filler (어, 음, 네네, ...) now and then, as speech does."""
    if ctx.rng.random() < probability:
        filler = ctx.rng.choice(load_bank("noise.json")["fillers"][ctx.speaker])
        ctx.draft.add(filler + ctx.rng.choice((" ", " ", ", ", ".. ")))
        ctx.draft.tag("filler")


def _pick(ctx: Context, want_entity: Optional[bool], prefer_negative: bool = False) -> Template:
    """A template of this scenario and speaker (sometimes a common one) with or without entity slots."""
    blocks = load_templates()
    own = blocks.get((ctx.scenario, ctx.speaker), ())
    common = blocks.get(("common", ctx.speaker), ())
    negatives = blocks.get(("negatives", ctx.speaker), ())
    pools = [negatives, own] if prefer_negative else [own, own, own, common]
    candidates = []
    for pool in pools:
        choices = [t for t in pool
                   if (want_entity is None or t.has_entity == want_entity) and t.text not in ctx.used]
        if prefer_negative:
            choices = [t for t in choices if t.has_negative]
        if choices:
            candidates.append(choices)
    if not candidates:
        candidates = [[t for t in common + negatives if t.has_entity == want_entity]]
    if not candidates[0]:
        raise LookupError(f"no template for {ctx.scenario}/{ctx.speaker} entity={want_entity}")
    return ctx.rng.choice(ctx.rng.choice(candidates))


def _sentence(ctx: Context, template: Template, first: bool) -> None:
    """Render one template as a sentence of the utterance, never repeating a template within it."""
    ctx.used.append(template.text)
    if not first:
        ctx.draft.add(" ")
    _maybe_filler(ctx, 0.22 if first else 0.08)
    render_template(ctx, template)
    _end_sentence(ctx)


def generate_example(seed: int, index: int) -> Dict[str, Any]:
    """Example number ``index`` of the stream for ``seed`` (independent of other indices)."""
    rng = Random(f"ko_callner:{seed}:{index}")
    scenarios = load_bank("scenarios.json")["scenarios"]
    names = list(scenarios)
    scenario = rng.choices(names, weights=[scenarios[s]["weight"] for s in names])[0]
    speaker = "customer" if rng.random() < 0.55 else "agent"
    mode = _weighted(rng, MODE_WEIGHTS)
    ctx = Context(rng, scenario, speaker, Draft())
    if rng.random() < 0.05:
        ctx.draft.add(rng.choice(load_bank("noise.json")["speaker_tags"][speaker]))
        ctx.draft.tag("speaker_tag")
    inject_negative = rng.random() < 0.18
    if mode == "entity_free":
        count = rng.choice((1, 2, 2, 3))
        for i in range(count):
            _sentence(ctx, _pick(ctx, False, prefer_negative=(i == 0 and rng.random() < 0.7)), i == 0)
    elif mode == "multi":
        target = rng.randint(3, 5)
        first = True
        for _ in range(8):
            if len(ctx.draft.entities) >= target:
                break
            _sentence(ctx, _pick(ctx, True), first)
            first = False
    elif mode == "long":
        target = rng.randint(200, 560)
        first = True
        while ctx.draft.length < target:
            want_entity = rng.choices((True, False, None), weights=(0.25, 0.45, 0.30))[0]
            _sentence(ctx, _pick(ctx, want_entity), first)
            first = False
    else:
        _sentence(ctx, _pick(ctx, True), True)
        if rng.random() < 0.35:
            _sentence(ctx, _pick(ctx, None), False)
    if inject_negative and mode != "long":
        _sentence(ctx, _pick(ctx, False, prefer_negative=True), False)
    return _finish(ctx, mode)


def _finish(ctx: Context, mode: str) -> Dict[str, Any]:
    """Turn the draft into a record and add the utterance-level format tags."""
    draft = ctx.draft
    text = draft.text()
    stripped = text.rstrip(" ")
    if not draft.entities:
        draft.tag("entity_free")
    if len(draft.entities) >= 3:
        draft.tag("multi_entity")
    if len(stripped) >= 200:
        draft.tag("long_text")
    if draft.negatives:
        draft.tag("hard_negative")
    return {
        "text": stripped,
        "entities": [dict(e) for e in draft.entities],
        "meta": {
            "formats": list(draft.formats),
            "scenario": ctx.scenario,
            "speaker": ctx.speaker,
            "mode": mode,
            "hard_negatives": list(draft.negatives),
        },
    }


def iter_examples(n: int, seed: int) -> Iterator[Dict[str, Any]]:
    """Yield ``n`` examples for ``seed``; the first k of any run are the same as a run of k."""
    for index in range(n):
        yield generate_example(seed, index)


def generate_examples(n: int, seed: int) -> List[Dict[str, Any]]:
    """``n`` labelled records {"text", "entities", "meta"} for ``seed``."""
    return list(iter_examples(n, seed))


def write_jsonl(records: Iterable[Dict[str, Any]], path: str | Path) -> None:
    """Write records as JSON lines (UTF-8, keys in insertion order)."""
    srsly.write_jsonl(path, records)


def summarize(records: Sequence[Dict[str, Any]]) -> Dict[str, Any]:
    """Counts and rates a caller needs to judge a generated set (used by scripts/generate.py and tests)."""
    n = len(records) or 1
    label_counts = {label: 0 for label in LABELS}
    format_counts = {name: 0 for name in FORMAT_CLASSES}
    for record in records:
        for entity in record["entities"]:
            label_counts[entity["label"]] += 1
        for name in record["meta"]["formats"]:
            if name in format_counts:
                format_counts[name] += 1
    texts = [r["text"] for r in records]
    return {
        "examples": len(records),
        "unique_ratio": len(set(texts)) / n,
        "label_counts": label_counts,
        "format_rates": {k: v / n for k, v in format_counts.items()},
        "hard_negative_rate": sum(bool(r["meta"]["hard_negatives"]) for r in records) / n,
        "entity_free_rate": sum(not r["entities"] for r in records) / n,
    }
