"""Product names, catalogued and unseen, and the words said after them outside the span.

A name is drawn from the catalogue, synthesised from a series grammar
(series + model number + variant), or is a bare brand or short form; then it
may get a brand prefix, STT spacing or lower case. ANNOTATION.md keeps category
nouns, colours, capacities and the like outside the span, so those are returned
separately as the entity's `after` text.
"""
import re
from dataclasses import dataclass
from random import Random
from typing import Any, Dict, List, Optional, Sequence, Tuple

from spacy_callner.scheme import PRODUCT
from spacy_callner.scheme.products import ATTRIBUTE_KINDS
from spacy_callner.values.product_kb import ProductKB

from .banks import all_trailing_words, category_nouns_for, load_bank, product_attributes, product_catalogue
from .entities import BuiltEntity, EntityRequest
from .sampling import weighted

HANGUL = re.compile(r"[\uac00-\ud7a3]")

PRODUCT_MODE_WEIGHTS: Dict[str, float] = {"catalogue": 0.46, "synthesised": 0.32, "bare": 0.12, "short": 0.10}
LATIN_SPELLING_PROB = 0.27
SHORT_SERIES_PROB = 0.15
BRAND_PREFIX_PROB = 0.06
BRAND_SPELLING_PROB = 0.12
"""Share of Hangul names starting with their brand word that say another Hangul spelling of it (다이손 V12)."""
RESPACE_PROB = 0.15

ATTRIBUTE_ROLES = ("", "none", "obj", "subj", "top", "dir", "cop", "cop_q", "with", "also")
"""Particle roles after which a colour/capacity/condition phrase still reads naturally."""
TRAILING_ROLES = ATTRIBUTE_ROLES + ("loc", "gen")
"""Particle roles after which a category noun, accessory or attribute word still reads naturally."""
ATTRIBUTE_AFTER_PROB = 0.14
PRODUCT_TRAILING_PROB = 0.25
"""Share of product mentions that get one or two words after them (products.json "attributes"
and "category_nouns"), of which kinds, and in what order they are said."""
PRODUCT_TRAILING_KINDS: Dict[str, float] = {
    "category": 0.34, "accessory": 0.14, "colour": 0.11, "connectivity": 0.10, "size": 0.08,
    "year": 0.08, "bundle": 0.06, "capacity": 0.05, "condition": 0.04,
}
PRODUCT_TRAILING_ORDER = ("year", "size", "colour", "capacity", "connectivity", "condition", "category", "bundle", "accessory")
PRODUCT_TRAILING_EXCLUSIVE = ("category", "bundle", "accessory")
"""At most one of these per mention (no "정수기 필터 세트" pile-ups)."""
PRODUCT_ATTRIBUTE_KINDS = ATTRIBUTE_KINDS
"""The scheme's attribute kinds (colour, capacity, condition): tagged product_attribute_after; the rest are tagged product_trailing_word."""


@dataclass(frozen=True)
class ProductName:
    """A product's surface form plus the Hangul reading used to pick particles."""

    text: str
    reading: str
    brand: str
    category: str
    latin: str = ""
    """The Latin spelling of the product drawn, before any rewriting: what its value is looked up by."""


# ------------------------------------------------------------------ names


def _variant_forms(rng: Random, series: Dict[str, Any]) -> Tuple[str, str]:
    """One synthesised model of a series as (Hangul form, Latin form): brand+series+number+variant."""
    if "numbers" in series:
        number = rng.choice(series["numbers"])
    else:
        low, high = series["range"]
        number = str(rng.randint(low, high))
    gap = "" if series["glue"] else " "
    ko_variant, en_variant, glued = rng.choice(series["variants"])[:3]
    ko = f"{series['ko']}{gap}{number}"
    en = f"{series['en']}{gap}{number}"
    if ko_variant:
        ko += ("" if glued else " ") + ko_variant
    if en_variant:
        en += ("" if glued else " ") + en_variant
    return ko, en


def _synthesised_name(rng: Random, category: str, latin: bool, tags: List[str]) -> Optional[ProductName]:
    """A model of a series of this category that may not be in the catalogue; None when it has no series."""
    candidates = [s for s in load_bank("products.json")["series"] if s["category"] == category]
    if not candidates:
        return None
    series = rng.choice(candidates)
    ko, en = _variant_forms(rng, series)
    drawn = en
    if "short" in series and rng.random() < SHORT_SERIES_PROB:
        ko = series["short"][0] + ko[len(series["ko"]):]
        en = series["short"][1] + en[len(series["en"]):]
        tags.append("product_short_form")
    tags.append("product_synthesised")
    return ProductName(en if latin else ko, ko, series["brand"], category, drawn)


def _listed_name(rng: Random, mode: str, category: str, latin: bool, tags: List[str]) -> Optional[ProductName]:
    """A bare brand or short form of this category; None when the bank has none."""
    bank_key = "bare_brands" if mode == "bare" else "short_forms"
    rows = [r for r in load_bank("products.json")[bank_key] if r[1] == category]
    if not rows:
        return None
    row = rng.choice(rows)
    brand, cat, ko, en = row[:4]
    tags.append("product_bare_brand" if mode == "bare" else "product_short_form")
    return ProductName(en if latin else ko, ko, brand, cat, row[4] if len(row) > 4 else en)


def _concrete_category(rng: Random, category: str) -> str:
    """The catalogue category to draw from: one of the group a template category stands for (products.json
    "category_groups": appliance -> vacuum, rice_cooker, ...), else the category itself."""
    group = load_bank("products.json")["category_groups"].get(category)
    return weighted(rng, group) if group else category


def _has_catalogue_rows(category: str) -> bool:
    return any(row[1] == category for row in product_catalogue())


def _catalogue_name(rng: Random, category: str, latin: bool, tags: List[str]) -> ProductName:
    """A real product of this category (any product when the category has none)."""
    rows = [r for r in product_catalogue() if r[1] == category] or list(product_catalogue())
    brand, cat, ko, en = rng.choice(rows)
    tags.append("product_catalogue_latin" if latin else "product_catalogue_hangul")
    return ProductName(en if latin else ko, ko, brand, cat, en)


def _choose_name(rng: Random, mode: str, category: str, latin: bool, tags: List[str]) -> Tuple[ProductName, str]:
    """The name of ``mode`` before any rewriting, and the mode it came from (falling back to the catalogue)."""
    name: Optional[ProductName] = None
    if not _has_catalogue_rows(category):
        mode = "bare"
    if mode == "synthesised":
        name = _synthesised_name(rng, category, latin, tags)
    elif mode in ("bare", "short"):
        name = _listed_name(rng, mode, category, latin, tags)
    if name is None:
        mode = "catalogue"
        name = _catalogue_name(rng, category, latin, tags)
    return name, mode


def _with_brand_prefix(rng: Random, name: ProductName, text: str, latin: bool, tags: List[str]) -> str:
    """Now and then the brand said before a model name that lacks it (삼성 갤럭시 S25)."""
    if rng.random() >= BRAND_PREFIX_PROB:
        return text
    brand_ko, brand_en = load_bank("products.json")["brands"][name.brand][:2]
    if text.lower().startswith((brand_ko.lower(), brand_en.lower())):
        return text
    tags.append("product_brand_prefix")
    return f"{brand_en if latin else brand_ko} {text}"


def _other_brand_spellings(brand: str) -> List[str]:
    """The brand's other Hangul spellings people say or STT writes (다이손 for 다이슨, 엘지 for LG); a
    spelling that extends the main one (삼성전자) names the company, not the product, and is left out."""
    spellings = load_bank("products.json")["brands"][brand]
    main = spellings[0]
    return [s for s in spellings[2:] if HANGUL.search(s) and not s.startswith(main)]


def _with_brand_spelling(rng: Random, name: ProductName, text: str, tags: List[str]) -> str:
    """Now and then a Hangul name said with another spelling of its brand word (다이손 V12, 엘지 그램 14)."""
    main = load_bank("products.json")["brands"][name.brand][0]
    if not text.startswith(main + " ") or rng.random() >= BRAND_SPELLING_PROB:
        return text
    others = _other_brand_spellings(name.brand)
    if not others:
        return text
    tags.append("product_brand_spelling")
    return rng.choice(others) + text[len(main):]


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


def _with_stt_spelling(rng: Random, text: str, latin: bool, tags: List[str]) -> str:
    """Now and then other spacing (갤럭시S25) or lower case (galaxy s25), as STT writes names."""
    if rng.random() < RESPACE_PROB:
        spaced = _respace(rng, text)
        if spaced != text:
            text = spaced
            tags.append("product_spacing_variant")
    if re.search(r"[A-Z]", text) and rng.random() < (0.18 if latin else 0.06):
        text = text.lower()
        tags.append("product_lowercase")
    return text


def build_product(rng: Random, category: str) -> Tuple[ProductName, List[str]]:
    """A product name: catalogue, synthesised, bare brand or short form, in Hangul or Latin spelling."""
    category = _concrete_category(rng, category)
    mode = weighted(rng, PRODUCT_MODE_WEIGHTS)
    latin = rng.random() < LATIN_SPELLING_PROB
    tags: List[str] = []
    name, mode = _choose_name(rng, mode, category, latin, tags)
    text = name.text
    if mode in ("catalogue", "synthesised"):
        text = _with_brand_prefix(rng, name, text, latin, tags)
    if not latin:
        text = _with_brand_spelling(rng, name, text, tags)
    text = _with_stt_spelling(rng, text, latin, tags)
    return ProductName(text, name.reading, name.brand, name.category, name.latin), tags


# ------------------------------------------------------------------ words said after the name


def _trailing_options(product: ProductName, kind: str) -> Sequence[str]:
    """The words of one trailing kind that fit this product."""
    attrs = product_attributes()
    if kind == "category":
        return category_nouns_for(product.reading, product.category)
    value = attrs[kind]
    if isinstance(value, dict):
        return value.get(product.category, ())
    return value if product.category in attrs["applies_to"].get(kind, ()) else ()


def _template_says_trailing_word(following: str) -> bool:
    """Whether the template already says a trailing word right after the slot (no 정수기 정수기)."""
    head = following.strip().split(" ")[0]
    return bool(head) and any(head.startswith(w.split(" ")[0]) for w in all_trailing_words())


def _pick_trailing_kinds(rng: Random, kinds: List[str]) -> List[str]:
    """One or two kinds of ``kinds``, at most one exclusive kind, in the order they are said."""
    picked: List[str] = []
    for _ in range(1 if rng.random() < 0.7 else 2):
        allowed = [k for k in kinds if k not in picked
                   and not (k in PRODUCT_TRAILING_EXCLUSIVE and any(p in PRODUCT_TRAILING_EXCLUSIVE for p in picked))]
        if not allowed:
            break
        picked.append(weighted(rng, PRODUCT_TRAILING_KINDS, allowed))
    picked.sort(key=PRODUCT_TRAILING_ORDER.index)
    return picked


def _trailing_tags(picked: Sequence[str]) -> List[str]:
    tags = []
    if any(k not in PRODUCT_ATTRIBUTE_KINDS for k in picked):
        tags.append("product_trailing_word")
    if any(k in PRODUCT_ATTRIBUTE_KINDS for k in picked):
        tags.append("product_attribute_after")
    return tags


def product_trailing(rng: Random, product: ProductName, role: str, following: str) -> Tuple[str, List[str]]:
    """Now and then one or two words said after a product and kept OUTSIDE its span (ANNOTATION.md).

    A category noun (코웨이 아이콘 정수기), colour, connectivity/edition word (셀룰러), size or year
    (65인치, 2024년형), capacity, condition, bundle word (세트) or accessory (갤럭시 워치7 스트랩).
    Returns the text to append (leading space included) and its format tags; ("", []) most of the time.
    """
    if role not in TRAILING_ROLES or rng.random() >= PRODUCT_TRAILING_PROB:
        return "", []
    if _template_says_trailing_word(following):
        return "", []
    options = {k: _trailing_options(product, k) for k in PRODUCT_TRAILING_KINDS}
    kinds = [k for k in PRODUCT_TRAILING_KINDS if options[k]]
    if role not in ATTRIBUTE_ROLES:
        kinds = [k for k in kinds if k in PRODUCT_TRAILING_EXCLUSIVE]
    if not kinds:
        return "", []
    picked = _pick_trailing_kinds(rng, kinds)
    words = [rng.choice(list(options[k])) for k in picked]
    return "".join(" " + w for w in words), _trailing_tags(picked)


def _attribute_phrase(rng: Random, product: ProductName, role: str) -> str:
    """Now and then a colour, capacity or condition (or two) after the product, when it has them."""
    attrs = product_attributes()
    groups = [g for g in PRODUCT_ATTRIBUTE_KINDS if product.category in attrs["applies_to"][g]]
    if not (groups and role in ATTRIBUTE_ROLES and rng.random() < ATTRIBUTE_AFTER_PROB):
        return ""
    picked = rng.sample(groups, min(len(groups), rng.choice((1, 1, 2))))
    return "".join(" " + rng.choice(attrs[g]) for g in picked)


def _product_category(rng: Random, request: EntityRequest) -> str:
    """The template's product category, or one that fits the scenario."""
    if request.kind:
        return request.kind
    return rng.choice(load_bank("scenarios.json")["scenarios"][request.scenario]["products"])


def build_product_entity(rng: Random, request: EntityRequest) -> BuiltEntity:
    """A PRODUCT for a template slot, with any trailing word or attribute outside the span."""
    product, tags = build_product(rng, _product_category(rng, request))
    after, trailing_tags = product_trailing(rng, product, request.role, request.following)
    if not after:
        after = _attribute_phrase(rng, product, request.role)
        trailing_tags = ["product_attribute_after"] if after else []
    return BuiltEntity(PRODUCT, product.text, product.reading, tags + trailing_tags, after=after,
                       value=drawn_product_value(product))


def drawn_product_value(product: ProductName) -> Dict[str, Any]:
    """The value of the product the builder drew: the catalogue entry its clean Latin spelling
    names (so a series model the catalogue lists under its maker's name gets that name)."""
    entry = ProductKB.default().link(product.latin)
    if entry is None:
        return {"brand": product.brand, "name": None}
    return {"brand": entry.brand, "name": entry.name}
