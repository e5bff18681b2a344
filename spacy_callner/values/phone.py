"""PHONE values: the number to dial, `{"digits", "kind"}` (ANNOTATION.md, Values).

`digits` are the national digits without separators: a `+82`, `82` or `0082`
country code becomes the leading `0` (a trunk `0` kept after it, as in
`+82 010-...` or `+82 (0)10-...`, is not doubled). A number of another country
(`+1 213-555-0198`) has no Korean national form; ANNOTATION.md does not say
what its digits are, so it keeps its E.164 form (`+12135550198`), kind `other`. Spoken numbers read one digit
a syllable (`공일공 일이삼사 오육칠팔`), with the digit syllables of the scheme.

`phonenumbers` (libphonenumber) was not adopted: it does not read `0082` or
spoken digits, its Korean types do not match ANNOTATION.md's kinds (15XX is
not a kind of its own there) and it would add megabytes of metadata to the
runtime for a few lines of prefix rules. Its metadata is still the source of the
numbering-plan facts: tests/values/test_phonenumbers_agreement.py keeps the area codes,
mobile prefixes and lengths here equal to it wherever ANNOTATION.md agrees.
"""
import re
import unicodedata
from typing import Optional, Tuple

from ..scheme import SPOKEN_DIGIT_VALUES
from .result import ValueResult

WRITTEN_PHONE = re.compile(r"[0-9+\-.()\s]+")
"""Every character a written number may have: digits, `+`, separators, brackets, any whitespace."""

SPOKEN_GROUP_JOINER = "에"
"""Said after a group of a spoken number (`공일공에 일이삼사에 오육칠팔`): not a digit."""

SPOKEN_SEPARATORS = re.compile(r"[\s\-.]+")
"""Between groups of a spoken number: whitespace, or a dash or dot as an agent may type."""

COUNTRY_CODE = "82"
INTERNATIONAL_CALL_PREFIX = "00"

KIND_RULES: Tuple[Tuple[str, re.Pattern], ...] = (
    ("mobile", re.compile(r"01[016789][0-9]{7,8}")),
    ("toll_free", re.compile(r"080[0-9]{7,8}")),
    ("internet", re.compile(r"070[0-9]{7,8}")),
    ("landline", re.compile(r"02[0-9]{7,8}|0(?:3[1-3]|4[1-4]|5[1-5]|6[1-4])[0-9]{7,8}")),
    ("representative", re.compile(r"1[568][0-9]{6}")),
)
"""Kinds of ANNOTATION.md by prefix and length; any other national number is `other`.

ANNOTATION.md's `0[3-6]X` area codes are the ones that exist (031-033, 041-044, 051-055,
061-064), as libphonenumber lists them (tests/values/test_phonenumbers_agreement.py keeps
this table equal to its metadata): `035-123-4567` has no kind and is no PHONE.

`050X` safe numbers are `other`: the PHONE section lists them apart from the
`0[3-6]X` area codes.
"""

PREFIX_LENGTHS: Tuple[Tuple[re.Pattern, int], ...] = (
    (re.compile(r"050"), 4),
    (re.compile(r"0[17]0|080|01[16789]|0[3-6][1-9]"), 3),
    (re.compile(r"02"), 2),
    (re.compile(r"1[568]"), 4),
)
"""Length of the numbering-plan prefix by a national number's first digits: 050X safe numbers,
mobile/070/080/area codes 0XX, Seoul 02, representative 15XX/16XX/18XX (ANNOTATION.md, PHONE)."""


def national_prefix_length(digits: str) -> int:
    """How many leading national ``digits`` are the numbering-plan prefix; 0 when none is known."""
    return next((length for rule, length in PREFIX_LENGTHS if rule.match(digits)), 0)


NATIONAL_DIGIT_RANGE = (7, 12)
"""Fewest and most national digits accepted as a number at all."""

FOREIGN_DIGIT_RANGE = (8, 15)
"""Digits of another country's number with its country code (E.164 allows at most 15)."""


SAFE_NUMBER_RULE = re.compile(r"050[0-9]{8,9}")
"""`050X` safe (virtual) numbers: in the numbering plan, of kind `other`."""


def numbering_plan_problem(surface: str) -> Optional[str]:
    """Why a number with Korean national digits fits no prefix and length of the numbering plan
    (ANNOTATION.md, PHONE: `099-1234-5678`, `010-123-456`, `5566-7788-9900`), or None.

    A number of another country (`+1 ...`) and a surface with no value at all are not judged here.
    """
    value = phone_value(surface).value
    if value is None:
        digits = _written_national_digits(surface)
    elif value["kind"] != "other":
        return None
    else:
        digits = value["digits"]
    if not digits or digits.startswith("+") or SAFE_NUMBER_RULE.fullmatch(digits):
        return None
    return f"{digits} has no prefix and length of the Korean numbering plan"


def _written_national_digits(surface: str) -> Optional[str]:
    """National digits of a written surface even when there are too many or too few for a value
    (`318-4621-0557-22`), or None for a surface that is not written digits."""
    text = unicodedata.normalize("NFKC", surface).strip()
    if not WRITTEN_PHONE.fullmatch(text):
        return None
    return _national_digits(text)[0]


def phone_kind(digits: str) -> str:
    """The kind of a national number: mobile, landline, representative, toll_free, internet or other."""
    for kind, rule in KIND_RULES:
        if rule.fullmatch(digits):
            return kind
    return "other"


def _spoken_digits(text: str) -> Optional[str]:
    """Digits of a spoken number (`공일공 일이삼사` -> `0101234`), or None if any word is not digits."""
    digits = []
    for word in SPOKEN_SEPARATORS.split(text):
        if len(word) > 1 and word.endswith(SPOKEN_GROUP_JOINER):
            word = word[:-1]
        for char in word:
            if char in SPOKEN_DIGIT_VALUES:
                digits.append(str(SPOKEN_DIGIT_VALUES[char]))
            elif "0" <= char <= "9":
                digits.append(char)
            else:
                return None
    return "".join(digits)


def _national_digits(text: str) -> Tuple[Optional[str], Optional[str]]:
    """(national digits, None) of a written number, or (None, reason)."""
    if "+" in text[1:] or text.count("(") != text.count(")"):
        return None, "misplaced '+' or unbalanced brackets"
    plus = text.startswith("+")
    digits = re.sub(r"[^0-9]", "", text)
    if plus or digits.startswith(INTERNATIONAL_CALL_PREFIX + COUNTRY_CODE):
        digits = digits[len(INTERNATIONAL_CALL_PREFIX):] if not plus else digits
        if not digits.startswith(COUNTRY_CODE):
            return _foreign_number(digits)
        return _after_country_code(digits), None
    if digits.startswith(COUNTRY_CODE):
        return _after_country_code(digits), None
    return digits, None


def _foreign_number(digits: str) -> Tuple[Optional[str], Optional[str]]:
    """A number of another country has no Korean national form: it stays E.164 (`+12135550198`)."""
    if not FOREIGN_DIGIT_RANGE[0] <= len(digits) <= FOREIGN_DIGIT_RANGE[1]:
        return None, f"{len(digits)} digits is no complete international number"
    return "+" + digits, None


def _after_country_code(digits: str) -> str:
    """`8210...` -> `010...`; a trunk `0` kept after the country code stays single."""
    national = digits[len(COUNTRY_CODE):]
    return national if national.startswith("0") else "0" + national


def phone_value(surface: str) -> ValueResult:
    """`010-1234-5678` -> `{"digits": "01012345678", "kind": "mobile"}`; spoken digits too."""
    text = unicodedata.normalize("NFKC", surface).strip()
    if not text:
        return ValueResult.failed("empty phone number")
    if WRITTEN_PHONE.fullmatch(text):
        digits, reason = _national_digits(text)
    else:
        digits = _spoken_digits(text)
        reason = None if digits is not None else f"not a written or spoken phone number: {surface!r}"
    if digits is None:
        return ValueResult.failed(reason or "no digits")
    if digits.startswith("+"):
        return ValueResult({"digits": digits, "kind": "other"})
    low, high = NATIONAL_DIGIT_RANGE
    if not low <= len(digits) <= high:
        return ValueResult.failed(f"{len(digits)} digits is no complete phone number: {surface!r}")
    return ValueResult({"digits": digits, "kind": phone_kind(digits)})


def number_within(surface: str, most_words: int = 2) -> Optional[Tuple[int, int]]:
    """Character offsets of the longest part of ``surface``, whole words left out at either end (at
    most ``most_words`` in all), that reads as a phone number; None when no such part does.

    A model's spoken-number span often takes a word along (`공이에 칠칠칠에 팔팔팔팔 그`); the number
    inside is the PHONE, the word is not.
    """
    words = [(m.start(), m.end()) for m in re.finditer(r"\S+", surface)]
    for dropped in range(0, most_words + 1):
        for left in range(0, dropped + 1):
            kept = words[left:len(words) - (dropped - left)]
            if kept and phone_value(surface[kept[0][0]:kept[-1][1]]).value is not None:
                return kept[0][0], kept[-1][1]
    return None
