"""The PHONE and CONTRACT patterns against the formats and look-alikes of ANNOTATION.md."""
import re

import pytest

from spacy_callner.patterns import (
    CONTRACT_PATTERN,
    CONTRACT_REGEX,
    PATTERNS,
    PHONE_PATTERN,
    PHONE_REGEX,
    find_contract_spans,
    phone_refutation,
    find_phone_spans,
    is_contract,
    is_phone,
)

PHONES = [
    "010-1234-5678",
    "010 1234 5678",
    "010.1234.5678",
    "01012345678",
    "011-123-4567",
    "016-1234-5678",
    "017-123-4567",
    "018-123-4567",
    "019-1234-5678",
    "0111234567",
    "02-123-4567",
    "02-1234-5678",
    "02 123 4567",
    "02.1234.5678",
    "0212345678",
    "031-123-4567",
    "033-1234-5678",
    "042-123-4567",
    "051-1234-5678",
    "055-123-4567",
    "064-1234-5678",
    "070-1234-5678",
    "0504-1234-5678",
    "1588-1234",
    "1577-0000",
    "1644-1234",
    "1661-1234",
    "1600-1234",
    "1899-1234",
    "1544 1234",
    "080-123-4567",
    "080-1234-5678",
    "+82 10-1234-5678",
    "+82-10-1234-5678",
    "82-10-1234-5678",
    "+82 2-123-4567",
    "+82 31-123-4567",
    "+82 10 1234 5678",
    "+821012345678",
    "+82 010-1234-5678",
]

NOTATIONS = [
    "010 - 1234 - 5678",
    "02 - 123 - 4567",
    "1588 - 1234",
    "010 -1234- 5678",
    "0082-10-1234-5678",
    "0082 10 1234 5678",
    "00821012345678",
    "0082-2-123-4567",
    "+82 (0)10-1234-5678",
    "(02) 1234-5678",
    "(031)123-4567",
    "(02)1234-5678",
    "(02) 1234 5678",
    "(051)-123-4567",
    "(010)1234-5678",
    "(02)12345678",
    "010.1234-5678",
    "010-1234.5678",
    "010 1234-5678",
    "02-123 4567",
]
"""The notations ANNOTATION.md lists as varying (spaces around separators, `0082`, a bracketed
area code, mixed separators), each with a few variants of its kind."""

PHONES += NOTATIONS

PARTICLES = ["로", "이요", "으로요", "입니다", "번이요", "이고요", "에서도", "요", "."]
HANGUL_BEFORE = ["번호는", "연락처", "전화", "네"]


@pytest.mark.parametrize("phone", PHONES)
def test_phone_alone_is_one_exact_span(phone):
    assert find_phone_spans(phone) == [(0, len(phone))]
    assert is_phone(phone)


@pytest.mark.parametrize("particle", PARTICLES)
@pytest.mark.parametrize("phone", PHONES)
def test_phone_with_particle_glued_excludes_the_particle(phone, particle):
    text = phone + particle
    assert find_phone_spans(text) == [(0, len(phone))]


@pytest.mark.parametrize("before", HANGUL_BEFORE)
@pytest.mark.parametrize("phone", PHONES)
def test_phone_with_hangul_directly_before(phone, before):
    text = before + phone + "이요"
    start = len(before)
    assert find_phone_spans(text) == [(start, start + len(phone))]


@pytest.mark.parametrize("phone", PHONES)
def test_phone_inside_a_sentence(phone):
    text = f"네 고객님, 연락처 {phone}로 문자 드릴게요."
    start = text.index(phone)
    assert find_phone_spans(text) == [(start, start + len(phone))]


@pytest.mark.parametrize(
    "text",
    [
        "공일공 일이삼사 오육칠팔",
        "뒷자리 5678",
        "끝번호 1234요",
        "010-1234",
        "2026-01-15",
        "2026.01.15",
        "2026 01 15",
        "1234-5678-9012-3456",
        "1234 5678 9012 3456",
        "1234567890123456",
        "1588-1234-5678-9012",
        "9012-1588-1234-3456",
        "4518 1588 1234 5678",
        "110-123-456789",
        "123-45-678901",
        "1002-123-456789",
        "302-0123-4567-81",
        "010-123456-01-011",
        "ORD-2026-0012345",
        "ORD-01012345678",
        "20260115-01012345678",
        "운송장 6012-3456-7890",
        "06236",
        "135-080",
        "KR-2026-001",
        "KR-1588-1234",
        "901012345678",
        "010123456789",
        "01012345678901",
        "010-123-45678",
        "010-1234-5678-9",
        "010.1234.5678.9",
        "182-10-1234-5678",
        "15881234",
        "0082-1234-5678",
        "0082-99-1234-5678",
        "10082-10-1234-5678",
        "(099) 1234-5678",
        "(02) 1234-5678-9012",
        "(02) 12-5678",
        "()1234-5678",
        "010 - 1234 - 5678 - 9012",
        "010 - 1234 - 567",
        "010-77**-1234",
        "010-****-5678",
        "０１０-１２３４-５６７８",
        "abc01012345678",
        "01012345678abc",
    ],
)
def test_look_alikes_are_not_phones(text):
    assert find_phone_spans(text) == []


@pytest.mark.parametrize(
    "text",
    [
        "010 1234 5678 1234",
        "1234 010 1234 5678",
        "010 1234 5678 010 9876 5432",
        "010 - 1234 - 5678 - 1234",
        "1234 - 010 - 1234 - 5678",
        "1234 - 010 1234 5678",
        "010 1234-5678 9012",
        "(02) 1234 5678 9012",
    ],
)
def test_space_separated_groups_are_not_glued_to_neighbouring_digit_groups(text):
    assert find_phone_spans(text) == []


def test_space_after_a_hyphenated_phone_does_not_block_it():
    text = "010-1234-5678 010-9876-5432"
    assert [text[s:e] for s, e in find_phone_spans(text)] == ["010-1234-5678", "010-9876-5432"]


def test_several_phones_in_one_utterance():
    text = "휴대폰은 010-1234-5678이고 집은 02-123-4567, 대표번호는1588-1234입니다."
    assert [text[s:e] for s, e in find_phone_spans(text)] == [
        "010-1234-5678",
        "02-123-4567",
        "1588-1234",
    ]


def test_abbreviation_dot_before_phone_is_allowed():
    text = "Tel.010-1234-5678"
    assert [text[s:e] for s, e in find_phone_spans(text)] == ["010-1234-5678"]


def test_international_span_includes_the_country_code():
    text = "해외에서는+82 10-1234-5678로 거세요"
    assert [text[s:e] for s, e in find_phone_spans(text)] == ["+82 10-1234-5678"]


CONTRACTS = ["KR-2026-001", "KR-2025-137", "KR-2026-0042", "kr-2026-001", "Kr-2026-12345"]


@pytest.mark.parametrize("contract", CONTRACTS)
def test_contract_alone_is_one_exact_span(contract):
    assert find_contract_spans(contract) == [(0, len(contract))]
    assert is_contract(contract)


@pytest.mark.parametrize("contract", CONTRACTS)
@pytest.mark.parametrize(
    "template", ["계약번호{}번이요", "계약번호 {}번", "({})", "{}.", "{}이고요", "번호가 {} 맞나요?"]
)
def test_contract_in_context_is_exact(contract, template):
    text = template.format(contract)
    start = text.index(contract)
    assert find_contract_spans(text) == [(start, start + len(contract))]


def test_longer_serial_is_never_cut():
    text = "계약번호KR-2026-0042번이요"
    assert [text[s:e] for s, e in find_contract_spans(text)] == ["KR-2026-0042"]


@pytest.mark.parametrize(
    "text",
    [
        "AKR-2026-001",
        "1KR-2026-001",
        "X-KR-2026-001",
        "KR-2026-01",
        "AB-2026-001",
        "ORD-2026-001",
        "KR-26-001",
        "KR2026001",
        "KR 2026 001",
        "KR-2026-001A",
        "KR-2026-001-2",
        "ＫＲ-2026-001",
        "\u212aR-2026-001",
        "케이알 이공이육 공공일",
    ],
)
def test_contract_look_alikes_are_rejected(text):
    assert find_contract_spans(text) == []


def test_pattern_sources_compile_to_the_same_behaviour_and_can_be_embedded():
    text = "번호는01012345678이고 계약은 kr-2026-0042번"
    assert re.compile(PHONE_PATTERN).pattern == PHONE_REGEX.pattern
    assert [m.span() for m in re.finditer(PHONE_PATTERN, text)] == find_phone_spans(text)
    assert [m.span() for m in re.finditer(CONTRACT_PATTERN, text)] == find_contract_spans(text)
    combined = re.compile(f"(?P<phone>{PHONE_PATTERN})|(?P<contract>{CONTRACT_PATTERN})")
    assert [(m.lastgroup, m.group()) for m in combined.finditer(text)] == [
        ("phone", "01012345678"),
        ("contract", "kr-2026-0042"),
    ]
    assert PATTERNS == {"PHONE": PHONE_PATTERN, "CONTRACT": CONTRACT_PATTERN}
    assert CONTRACT_REGEX.pattern == CONTRACT_PATTERN


def test_validators_need_the_whole_text():
    assert not is_phone("010-1234-5678로")
    assert not is_phone(" 010-1234-5678")
    assert not is_contract("KR-2026-001번")


@pytest.mark.parametrize("text,refuted", [
    ("010-1234-5678", False),
    ("010 - 3341 - 9927", False),
    ("+1 213-555-0198", False),
    ("1588-1234", False),
    ("5678", True),
    ("1234-5678-9012-3456", True),
    ("110-123-456789", True),
    ("2026-01-15", True),
    ("2026.1.15", True),
    ("010-77**-1234", True),
    ("010-XXXX-5678", True),
    ("4518-****-****-1234", True),
    ("8201051831630", True),
    ("82-10-1234-5678", False),
    ("+821012345678", False),
])
def test_phone_refutation(text, refuted):
    assert (phone_refutation(text) is not None) == refuted


@pytest.mark.parametrize("space", ["\u00a0", "\t", "\u3000", "\u2009", "\u202f", "\u2002"])
def test_any_horizontal_whitespace_separates_like_a_space(space):
    from spacy_callner.patterns import WRITTEN_PHONE_CHARS, find_phone_spans

    phone = space.join(["010", "1234", "5678"])
    assert is_phone(phone)
    assert is_phone(f"+82{space}10-1234-5678")
    assert WRITTEN_PHONE_CHARS.fullmatch(phone)
    assert find_phone_spans(f"{phone}{space}1234") == []


@pytest.mark.parametrize("line_break", ["\n", "\r", "\r\n", "\v", "\f", "\x85", "\u2028", "\u2029"])
def test_a_line_break_never_joins_digit_groups(line_break):
    from spacy_callner.patterns import WRITTEN_PHONE_CHARS, find_phone_spans

    assert not is_phone(f"010{line_break}1234{line_break}5678")
    assert find_phone_spans(f"010 1234{line_break}5678") == []
    assert not WRITTEN_PHONE_CHARS.fullmatch(f"010{line_break}1234")


@pytest.mark.parametrize("phone", NOTATIONS)
def test_notation_span_aligns_with_the_korean_tokenizer(korean_nlp, phone):
    """A regex span the tokenizer cannot align would be lost by `doc.char_span` (brackets: `(02)`)."""
    for text in (f"번호는 {phone}로 주세요", f"연락처({phone})이고요", f"번호는{phone}이요"):
        start = text.index(phone)
        assert find_phone_spans(text) == [(start, start + len(phone))]
        doc = korean_nlp(text)
        assert doc.char_span(start, start + len(phone), alignment_mode="strict") is not None, text


def _repeats(parsed):
    """Every (min, max, body) repeat in a parsed regex, outermost first."""
    from re import _parser as sre_parse  # the parser `re` itself uses

    for op, arg in parsed:
        if op in (sre_parse.MAX_REPEAT, sre_parse.MIN_REPEAT):
            yield arg
            yield from _repeats(arg[2])
        elif op is sre_parse.SUBPATTERN:
            yield from _repeats(arg[-1])
        elif op is sre_parse.BRANCH:
            for branch in arg[1]:
                yield from _repeats(branch)
        elif op in (sre_parse.ASSERT, sre_parse.ASSERT_NOT):
            yield from _repeats(arg[1])


def test_phone_pattern_has_only_bounded_unnested_repeats():
    """No catastrophic backtracking, shown without a clock: every repeat is bounded, and no
    repeat of more than one item contains another repeat (the shape `(a+)+` needs)."""
    from re import _parser as sre_parse

    repeats = list(_repeats(sre_parse.parse(PHONE_PATTERN)))
    assert repeats
    assert all(maximum != sre_parse.MAXREPEAT for _, maximum, _ in repeats)
    nested = [body for _, maximum, body in repeats if maximum > 1 and list(_repeats(body))]
    assert not nested


@pytest.mark.parametrize("near_miss", [
    "010-1234-567 ", "010 - 1234 - 567 ", "(02) 1234-567 ", "0082-10-1234-567 ", "(((02) ", " - 0", "010.1234.", "0082 ",
])
def test_long_runs_of_near_misses_find_nothing(near_miss):
    assert find_phone_spans(near_miss * 5_000) == []


@pytest.mark.parametrize("number", ["+1 213-555-0198", "+86 138 1234 5678", "+81-90-1234-5678", "+44 20 7946 0958",
                                    "+33 6 12 34 56 78"])
def test_a_number_abroad_with_its_country_code_is_found_whole(number):
    from spacy_callner.values.phone import phone_value

    text = f"미국에 있는 아들 번호 {number} 로도 알림 받을 수 있어요?"
    assert [text[s:e] for s, e in find_phone_spans(text)] == [number]
    value = phone_value(number).value
    assert value["kind"] == "other" and value["digits"] == "+" + "".join(c for c in number if c.isdigit())


@pytest.mark.parametrize("text", ["+1 2-3 입니다", "가격 +10% 올랐어요", "점수 +3 12 34 이에요", "버전 +1.2.3 이요"])
def test_a_plus_sign_before_few_digits_is_no_number_abroad(text):
    assert find_phone_spans(text) == []
