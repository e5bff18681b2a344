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
