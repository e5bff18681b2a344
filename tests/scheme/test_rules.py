"""The span rules of the scheme, checked on their own."""
import pytest

from spacy_callner.scheme import glued_particle_stack, is_particle_stack, span_problem
from spacy_callner.scheme.rules import BAD_SHAPE, PARTICLE_INSIDE, UNKNOWN_LABEL, WHITESPACE_EDGE


@pytest.mark.parametrize("span", ["갤럭시 S25\t", "\u00a0갤럭시 S25", "갤럭시 S25\u200b", "\ufeff갤럭시 S25", "갤럭시 S25\x00"])
def test_whitespace_and_invisible_edges_are_refused(span):
    assert span_problem("PRODUCT", span).kind == WHITESPACE_EDGE


def test_whitespace_inside_a_span_is_fine():
    assert span_problem("MONEY", "25만\t원") is None
    assert span_problem("PRODUCT", "갤럭시\u3000S25") is None


@pytest.mark.parametrize("label, span, kind", [
    ("GADGET", "갤럭시", UNKNOWN_LABEL),
    ("PHONE", "010-1234-5678로", PARTICLE_INSIDE),
    ("CONTRACT", "KR-2026-001번이요", PARTICLE_INSIDE),
    ("MONEY", "14만 원을", PARTICLE_INSIDE),
    ("PHONE", "5678", BAD_SHAPE),
    ("CONTRACT", "AB-2026-001", BAD_SHAPE),
    ("MONEY", "3개", BAD_SHAPE),
])
def test_span_problem_kinds(label, span, kind):
    problem = span_problem(label, span)
    assert (problem.kind if problem else None) == kind


def test_particle_stacks_are_linear_on_near_misses():
    """`"1" + "이요" * 30 + "다"` never finished with the old nested regex; now it is a plain no."""
    assert glued_particle_stack("1" + "이요" * 30 + "다") is None
    assert glued_particle_stack("1" + "이요" * 3000) == "이요" * 3000
    assert not is_particle_stack("이었는데" * 12 + "x")
    assert is_particle_stack("에서도")


@pytest.mark.parametrize("host, particle, attaches", [
    ("폰", "이", True), ("폰", "을", True), ("폰", "으로", True), ("폰", "이에요", True),
    ("레", "이", False), ("시", "을", False), ("시", "으로", False), ("시", "과", False), ("시", "이랑", False),
    ("시", "가", True), ("시", "로", True), ("시", "인데", True), ("시", "예요", True),
    ("4", "이", True), ("G", "이", True), ("S", "을", True),
])
def test_after_consonant_particles_need_a_final_consonant(host, particle, attaches):
    from spacy_callner.scheme.particles import attaches_to

    assert attaches_to(host, particle) is attaches


def test_closed_syllable_ranges_hold_exactly_the_syllables_with_a_final_consonant():
    from spacy_callner.scheme.particles import closed_syllable_ranges, has_final_consonant

    in_ranges = {chr(c) for first, last in closed_syllable_ranges() for c in range(ord(first), ord(last) + 1)}
    assert in_ranges == {chr(c) for c in range(0xAC00, 0xD7A4) if has_final_consonant(chr(c))}
    assert "폰" in in_ranges and "레" not in in_ranges


def test_particle_stack_starts_follow_the_final_consonant_rule():
    from spacy_callner.scheme import particle_stack_starts

    assert particle_stack_starts("플레이") == []
    assert particle_stack_starts("디스플레이가") == [5]
    assert particle_stack_starts("아이폰이랑") == [3, 4]
