"""Any string never raises: a value that cannot be computed is None with a reason."""
from hypothesis import given, settings
from hypothesis import strategies as st

from spacy_callner.scheme import HANGUL_NUMERALS, LABELS, SPOKEN_DIGITS
from spacy_callner.values import compute_value

NUMBERISH = st.text(
    alphabet=st.sampled_from(list("0123456789,.+-() $₩€¥£원달러엔불" + HANGUL_NUMERALS + SPOKEN_DIGITS) + ["\u3000", "\u00a0"]),
    max_size=40,
)


def _check(label: str, surface: str) -> None:
    result = compute_value(label, surface)
    assert (result.value is None) != (result.error is None)


@settings(max_examples=400, deadline=None)
@given(st.sampled_from(LABELS), st.text(max_size=60))
def test_any_text_never_raises(label, surface):
    _check(label, surface)


@settings(max_examples=600, deadline=None)
@given(st.sampled_from(LABELS), NUMBERISH)
def test_number_like_text_never_raises(label, surface):
    _check(label, surface)
