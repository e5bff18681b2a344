"""Hard-negative numbers that look like phone numbers: the generator writes them, and nothing calls them PHONE.

Issue 13: account, card, order and tracking numbers in the groupings banks and shops
really use, business registration numbers, 주민등록번호 and masked numbers must stay out
of PHONE. Three guarantees, each over every shape in negatives.json: the PHONE regex never
matches one, the regex component refutes one the model might tag, and the generator
writes each family often, in utterances whose PHONE spans never touch it.
"""
import re
from collections import Counter
from random import Random
from typing import Dict, List

import pytest

from spacy_callner.patterns import find_phone_spans
from spacy_callner.regex_ner import RegexEntityRecognizer
from spacy_callner.scheme import PHONE
from spacy_callner.training.synthetic import generate_examples
from spacy_callner.training.synthetic.banks import load_bank
from spacy_callner.training.synthetic.negatives import fill_pattern

NUMBER_FAMILIES = ("card", "card_masked", "account", "account_named", "order_no_phonelike", "tracking",
                   "tracking_phonelike", "other_id_biz", "birth_rrn", "partial_phone_masked")
"""Pattern lists of negatives.json whose numbers have a phone's digits and groupings."""

PHONE_LOOKING_FAMILIES = ("card_masked", "account_named", "order_no_phonelike", "tracking_phonelike",
                          "other_id_biz", "birth_rrn", "partial_phone_masked")
"""The families added for issue 13; the generator must write each of them."""

FILLS_PER_SHAPE = 300
RECORDS = 6000


def _shapes(family: str) -> List[str]:
    return load_bank("negatives.json")["patterns"][family]


SHAPES = sorted({(family, shape) for family in NUMBER_FAMILIES for shape in _shapes(family)})


def _number_part(value: str) -> str:
    """The number of a negative: a leading bank or issuer word (`신한은행 110-...`) is not part of it."""
    return re.sub(r"^\S*[가-힣]\S*\s+", "", value)


def shape_regex(shape: str) -> re.Pattern:
    """A regex for the texts a pattern writes, with digit boundaries so `####` never matches inside a longer run."""
    placeholders = {"{B}": "[0-9]{6}", "{G}": "[1-4]", "{Y}": "[0-9]{4}", "{D}": "[0-9]{8}"}
    source, i = "", 0
    while i < len(shape):
        placeholder = next((p for p in placeholders if shape.startswith(p, i)), None)
        if placeholder:
            source, i = source + placeholders[placeholder], i + len(placeholder)
            continue
        char = shape[i]
        source += "[0-9]" if char == "#" else " +" if char == " " else re.escape(char)
        i += 1
    return re.compile(rf"(?<![0-9A-Za-z*]){source}(?![0-9A-Za-z*])")


@pytest.mark.parametrize("family,shape", SHAPES)
def test_no_shape_is_ever_a_regex_phone(family, shape):
    rng = Random(f"{family}/{shape}")
    for _ in range(FILLS_PER_SHAPE):
        value = fill_pattern(rng, shape)
        for text in (value, f"번호는 {value}로 확인됐어요", f"번호는{value}이요"):
            assert find_phone_spans(text) == [], text


@pytest.mark.parametrize("family,shape", SHAPES)
def test_a_model_phone_on_any_shape_is_refuted(family, shape):
    """If the model tags one as PHONE, the regex component removes it (prefix, length, grouping or mask)."""
    component = RegexEntityRecognizer()
    rng = Random(f"refuted/{family}/{shape}")
    for _ in range(FILLS_PER_SHAPE):
        number = _number_part(fill_pattern(rng, shape))
        assert component.is_invalid(PHONE, number), number


@pytest.fixture(scope="module")
def records():
    return generate_examples(RECORDS, seed=13)


def shape_matches(records) -> Dict[str, List[tuple]]:
    """For every phone-looking family, (record, start, end) of each number of its shapes in the texts."""
    found = {family: [] for family in PHONE_LOOKING_FAMILIES}
    for record in records:
        for family in PHONE_LOOKING_FAMILIES:
            for shape in _shapes(family):
                for match in shape_regex(_number_part(shape)).finditer(record["text"]):
                    found[family].append((record, match.start(), match.end()))
    return found


def test_every_phone_looking_family_is_generated_and_never_inside_a_phone(records):
    found = shape_matches(records)
    counts = Counter({family: len(matches) for family, matches in found.items()})
    assert all(counts[family] >= 15 for family in PHONE_LOOKING_FAMILIES), counts
    for family, matches in found.items():
        for record, start, end in matches:
            phones = [e for e in record["entities"] if e["label"] == PHONE]
            assert all(e["end"] <= start or e["start"] >= end for e in phones), (family, record["text"])


def test_no_regex_phone_in_hard_negative_records_beyond_their_gold_phones(records):
    """The issue's check, regex side: over the generator's hard-negative utterances the PHONE
    regex finds no span that is not a gold PHONE."""
    negatives = [r for r in records if r["meta"]["hard_negatives"]]
    assert len(negatives) >= RECORDS // 5
    false_positives = []
    for record in negatives:
        gold = {(e["start"], e["end"]) for e in record["entities"] if e["label"] == PHONE}
        false_positives += [(record["text"], span) for span in find_phone_spans(record["text"]) if span not in gold]
    assert not false_positives, false_positives[:5]


def test_shape_regex_is_exact():
    """The counting regex must find what a shape writes, and only that."""
    regex = shape_regex("010-##**-####")
    assert regex.fullmatch("010-37**-0285")
    assert not regex.search("9010-37**-02851")
    assert shape_regex("{B}-{G}******").fullmatch("900101-1******")
    assert _number_part("신한은행 110-123-456789") == "110-123-456789"
    assert _number_part("900101 - 1******") == "900101 - 1******"
