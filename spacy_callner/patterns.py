"""Regular expressions for the written PHONE and CONTRACT formats of ANNOTATION.md.

Every pattern is exposed twice: as a source string (``*_PATTERN``) for users who
want to extend or combine it, and precompiled (``*_REGEX``) for speed. The sources
need no compile flags (case-insensitivity is a scoped inline group), so
``re.compile(PHONE_PATTERN)`` behaves like ``PHONE_REGEX`` and a source can be
embedded inside a larger pattern. Digits are written ``[0-9]``, not ``\\d``, so
full-width or other Unicode digits never match.

Boundaries are written with lookarounds on ASCII characters, never ``\\b``:
Python treats Hangul as a word character, so ``\\b`` would refuse
``010-1234-5678로`` and ``번호는01012345678``, both of which are PHONE spans.

Wherever a space is accepted, so is any other Unicode whitespace that does not
break a line (a tab, NBSP, thin or ideographic space: ``HORIZONTAL_SPACE``):
agent notes and STT output write them for spaces, and a newline never joins two
numbers into one.

Spoken-digit numbers (``공일공 일이삼사 오육칠팔``) are deliberately not matched;
they are left to the statistical model.
"""
import re
from typing import Dict, List, Optional, Pattern, Tuple

from .scheme.labels import CONTRACT, PHONE

CharSpan = Tuple[int, int]

HORIZONTAL_SPACE = r"[^\S\n\r\v\f\x1c-\x1e\x85\u2028\u2029]"
"""One whitespace character that is not a line break (``str.splitlines`` breaks)."""

NOT_AFTER_ALNUM = r"(?<![0-9A-Za-z])"
"""Refuses a start glued to an ASCII letter or digit (``AKR-...``, ``9901012345678``)."""

NOT_AFTER_JOINED = r"(?<![0-9A-Za-z]-)(?<![0-9]\.)"
"""Refuses a start that continues a longer code (``ORD-010...``, ``1.010...``).

``Tel.010-1234-5678`` stays allowed: a letter before a dot is an abbreviation,
not part of a number.
"""

NOT_BEFORE_ALNUM = r"(?![0-9A-Za-z])"
"""Refuses an end glued to an ASCII letter or digit; Hangul particles may follow."""

NOT_BEFORE_JOINED = r"(?!-[0-9A-Za-z])(?!\.[0-9])"
"""Refuses an end that a longer code continues (``...5678-9012``, ``...5678.1``).

A sentence-final ``.`` is fine.
"""

MOBILE_PREFIX = r"01[016789]"
SEOUL_PREFIX = r"02"
AREA_PREFIX = r"0(?:3[1-3]|4[1-4]|5[1-5]|6[1-4]|70|80|50[0-9])"
"""Regional codes 031–064, internet phones 070, toll-free 080 and 050X safe numbers."""

REPRESENTATIVE_PREFIX = r"1[568][0-9]{2}"
"""Nationwide representative numbers: 15XX, 16XX, 18XX."""

COUNTRY_CODE_PREFIX = rf"(?:(?:\+|00)82(?:-|{HORIZONTAL_SPACE})?|82(?:-|{HORIZONTAL_SPACE}))"
"""Country code 82 with ``+`` or the ``00`` international prefix (``0082``), or bare but followed by a separator."""

KEPT_TRUNK_ZERO = rf"(?:0|\(0\){HORIZONTAL_SPACE}?)?"
"""A trunk ``0`` some people keep after the country code (``+82 010-...``, ``+82 (0)10-...``)."""

INTERNATIONAL_PREFIX = COUNTRY_CODE_PREFIX + KEPT_TRUNK_ZERO

FOREIGN_COUNTRY_CODE = r"\+(?!82)[1-9][0-9]{0,2}"
"""Another country's code, always written with ``+`` (a customer's number abroad, ``+1 213-555-0198``:
kind ``other``); its digits come in three to five groups, as numbers abroad are written."""

NATIONAL_PREFIX_AFTER_COUNTRY_CODE = r"(?:1[016789]|2|3[1-3]|4[1-4]|5[1-5]|6[1-4]|70|80|50[0-9])"

TIGHT_SEPARATOR = r"[-.]"
SPACED_SEPARATOR = (
    rf"(?:{HORIZONTAL_SPACE}{{1,3}}(?:[-.]{HORIZONTAL_SPACE}{{0,3}})?|[-.]{HORIZONTAL_SPACE}{{1,3}}|[-.])"
)
"""A space, a dash or dot with spaces around it (``010 - 1234 - 5678``) or a tight dash or dot."""

PHONE_SEPARATORS = (TIGHT_SEPARATOR, SPACED_SEPARATOR, "")
"""Separator families, tried in this order. Within a number each separator is chosen on its own
from the family (``010.1234-5678``, ``010 1234-5678``); a family that allows spaces refuses digit
groups next to the number across a space, so two unrelated numbers are never glued."""

_BRACKETED_AREA = rf"\((?:{MOBILE_PREFIX}|{SEOUL_PREFIX}|{AREA_PREFIX})\)"
"""An area code in brackets, brackets part of the span: ``(02) 1234-5678``, ``(031)123-4567``."""


def _phone_alternatives(separator: str) -> str:
    """All phone shapes written with separators of one family, with boundaries suited to it.

    The spaced family also refuses a digit group before or after it across a
    separator with a space: in ``010 1234 5678 1234`` nobody can tell where the number ends.

    Representative numbers need a separator: a bare 8-digit run is too often
    something else (an amount, an ID).
    """
    sep = separator
    tail = rf"{sep}[0-9]{{3,4}}{sep}[0-9]{{4}}"
    after_bracket = rf"(?:{HORIZONTAL_SPACE}{{1,3}}|[-.])?" if sep else rf"{HORIZONTAL_SPACE}{{0,3}}"
    shapes = [
        rf"{INTERNATIONAL_PREFIX}{NATIONAL_PREFIX_AFTER_COUNTRY_CODE}{tail}",
        rf"{MOBILE_PREFIX}{tail}",
        rf"{SEOUL_PREFIX}{tail}",
        rf"{AREA_PREFIX}{tail}",
        rf"{_BRACKETED_AREA}{after_bracket}[0-9]{{3,4}}{sep}[0-9]{{4}}",
    ]
    if separator:
        shapes.append(rf"{REPRESENTATIVE_PREFIX}{sep}[0-9]{{4}}")
        shapes.append(rf"{FOREIGN_COUNTRY_CODE}{sep}[0-9]{{1,4}}{sep}[0-9]{{2,4}}{sep}[0-9]{{2,4}}"
                      rf"(?:{sep}[0-9]{{2,4}})?(?:{sep}[0-9]{{2,4}})?")
    start = NOT_AFTER_ALNUM + r"(?<!\+)" + NOT_AFTER_JOINED
    end = NOT_BEFORE_ALNUM + NOT_BEFORE_JOINED
    if separator == SPACED_SEPARATOR:
        start += "".join(
            rf"(?<![0-9]{before})"
            for before in (HORIZONTAL_SPACE, rf"[-.]{HORIZONTAL_SPACE}", rf"{HORIZONTAL_SPACE}[-.]",
                           rf"{HORIZONTAL_SPACE}[-.]{HORIZONTAL_SPACE}")
        )
        end += rf"(?!{SPACED_SEPARATOR}[0-9])"
    return start + "(?:" + "|".join(shapes) + ")" + end


PHONE_PATTERN = "|".join(
    f"(?:{_phone_alternatives(separator)})" for separator in PHONE_SEPARATORS
)
"""A complete written telephone number (ANNOTATION.md, PHONE)."""

CONTRACT_PATTERN = (
    NOT_AFTER_ALNUM + NOT_AFTER_JOINED + r"(?ai:KR)-[0-9]{4}-[0-9]{3,}"
    + NOT_BEFORE_ALNUM + NOT_BEFORE_JOINED
)
"""A contract ID ``KR-YYYY-NNN``; longer serials and lower case count (ANNOTATION.md).

The serial is ``{3,}`` and must end at a non-digit, so ``KR-2026-0042`` is never
cut to ``KR-2026-004`` (the mistake recorded in STACK_NOTES.md).
"""

PHONE_REGEX: Pattern[str] = re.compile(PHONE_PATTERN)
CONTRACT_REGEX: Pattern[str] = re.compile(CONTRACT_PATTERN)

PATTERNS: Dict[str, str] = {PHONE: PHONE_PATTERN, CONTRACT: CONTRACT_PATTERN}
"""Built-in pattern sources by entity label."""

REGEXES: Dict[str, Pattern[str]] = {PHONE: PHONE_REGEX, CONTRACT: CONTRACT_REGEX}
"""Built-in compiled patterns by entity label."""


def find_spans(regex: Pattern[str], text: str) -> List[CharSpan]:
    """Non-empty ``(start, end)`` character offsets of every match of ``regex``."""
    return [match.span() for match in regex.finditer(text) if match.end() > match.start()]


def find_phone_spans(text: str) -> List[CharSpan]:
    """Character offsets of every written telephone number in ``text``."""
    return find_spans(PHONE_REGEX, text)


def find_contract_spans(text: str) -> List[CharSpan]:
    """Character offsets of every contract ID in ``text``."""
    return find_spans(CONTRACT_REGEX, text)


def is_phone(text: str) -> bool:
    """Whether ``text`` as a whole is a written telephone number."""
    return PHONE_REGEX.fullmatch(text) is not None


def is_contract(text: str) -> bool:
    """Whether ``text`` as a whole is a contract ID."""
    return CONTRACT_REGEX.fullmatch(text) is not None


WRITTEN_PHONE_CHARS: Pattern[str] = re.compile(rf"(?:[0-9+\-.()]|{HORIZONTAL_SPACE})+")
"""Characters of a written (not spoken) telephone number."""

MASK_CHARACTERS = "*xX#\uff0a\u25cf\u25cb\u2022"
"""Characters that stand for hidden digits: `*`, `x`, `X`, `#`, full-width `＊`, `●`, `○`, `•`."""

PHONE_DIGIT_RANGE = (8, 15)
"""1588-1234 has 8 digits; E.164 allows at most 15 with the country code."""

MASKED_PHONE_REGEX: Pattern[str] = re.compile(
    rf"(?=.*[0-9])(?:[0-9+\-.()]|{HORIZONTAL_SPACE})*[{MASK_CHARACTERS}]"
    rf"(?:[0-9+\-.(){MASK_CHARACTERS}]|{HORIZONTAL_SPACE})*"
)
"""A written number with digits hidden (`010-77**-1234`, `010-XXXX-5678`): not a complete number."""

_GLUED_COUNTRY_CODE = re.compile(r"82[0-9]")
"""Country code 82 without `+` or a separator after it: the patterns never read that as 82."""

_DATE_REGEX = re.compile(r"(?:19|20)[0-9]{2}([-./])[0-9]{1,2}\1[0-9]{1,2}")


def phone_refutation(text: str) -> Optional[str]:
    """Why written digits cannot be a complete telephone number, or None.

    Deliberately looser than PHONE_PATTERN: the patterns find the formats we
    are sure of, while this only rules out what cannot be a phone (partial
    numbers, card and account numbers, dates, masked numbers), so a correct model
    span in a format the patterns miss (`+1 213-555-0198`) survives. A masked number
    (`010-77**-1234`) cannot be dialled: ANNOTATION.md asks for a complete number.
    """
    if MASKED_PHONE_REGEX.fullmatch(text):
        return "a masked number (digits hidden) is not a complete telephone number"
    if _GLUED_COUNTRY_CODE.match(text.strip()):
        return "a bare 82 glued to the digits is no country code (8201051831630: a 주민등록번호)"
    groups = re.findall(r"[0-9]+", text)
    n_digits = sum(len(group) for group in groups)
    low, high = PHONE_DIGIT_RANGE
    if not low <= n_digits <= high:
        return f"a complete telephone number has {low}-{high} digits, not {n_digits}"
    if _DATE_REGEX.fullmatch(text.strip()):
        return "a date"
    if len(groups) > 1 and any(len(group) > 4 for group in groups[1:]):
        return "a digit group after the first is longer than 4 (an account or order number)"
    return None
