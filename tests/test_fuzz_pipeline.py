"""Property tests (hypothesis) on the real Korean tokenizer and a packaged-style pipeline.

The pipeline is what a package ships minus the trained weights: a Korean pipeline
with `callner.KoreanTokenizer.v1`, an `entity_ruler` standing in for a noisy ner
(it puts whitespace at span edges and tags bare digits as PHONE) and the regex
component last. Invariants: no crash, tokens reconstruct the text, no entity with
a whitespace or control edge, no overlap, PHONE/CONTRACT only where the patterns
allow them.
"""
import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from spacy_callner.bounded_tokenizer import DEFAULT_MAX_RUN
from spacy_callner.patterns import WRITTEN_PHONE_CHARS, is_contract, is_phone, phone_refutation
from spacy_callner.scheme.edges import has_bad_edge
from spacy_callner.tokenizer import make_korean_nlp, make_unbounded_korean_nlp

FRAGMENTS = [
    "네", "고객님", "번호는", "010-1234-5678", "010", "1234", "5678", "02-123-4567", "1588-1234",
    "+82", "KR-2026-0042", "kr-2026-001", "갤럭시", "S25", "울트라", "아이폰", "16", "프로",
    "14만", "원", "5만원", "₩", "25만", "이요", "이에요", "이었는데", "요", "가", "를", "로", "번",
    "공일공", "일이삼사", "오육칠팔", "1", "이", "다", ".", ",", "?", "~", "(", ")", "/", "😀",
    " ", " ", " ", "  ", "\t", "\u00a0", "\u3000", "\u2009", "\u202f", "\n", "\r\n", "\u200b",
    "\x00", "\x07", "\ufeff", "\u2028",
]
PIECE_TEXTS = st.lists(st.sampled_from(FRAGMENTS), max_size=40).map("".join)
ANY_TEXTS = st.one_of(PIECE_TEXTS, st.text(max_size=80), st.text(alphabet="요이에가를1다 \t", max_size=300))
SETTINGS = settings(max_examples=300, deadline=None, database=None, suppress_health_check=[HealthCheck.too_slow])

RULER_PATTERNS = [
    {"label": "PRODUCT", "pattern": [{"TEXT": "갤럭시"}, {"IS_SPACE": True, "OP": "*"},
                                     {"TEXT": {"REGEX": "^S[0-9]+$"}}, {"IS_SPACE": True, "OP": "*"}]},
    {"label": "MONEY", "pattern": [{"TEXT": {"REGEX": "^[0-9]+$"}}, {"TEXT": "만"},
                                   {"IS_SPACE": True, "OP": "*"}, {"TEXT": "원"}]},
    {"label": "MONEY", "pattern": [{"TEXT": "₩"}, {"IS_SPACE": True, "OP": "+"}]},
    {"label": "PHONE", "pattern": [{"TEXT": {"REGEX": "^[0-9]+$"}}]},
    {"label": "CONTRACT", "pattern": [{"TEXT": {"REGEX": "^[0-9]+$"}}, {"TEXT": "-"}]},
    {"label": "PRODUCT", "pattern": [{"IS_SPACE": True, "OP": "+"}]},
]


@pytest.fixture(scope="module")
def pipeline():
    nlp = make_korean_nlp()
    nlp.add_pipe("entity_ruler").add_patterns(RULER_PATTERNS)
    nlp.add_pipe("callner_regex_ner")
    return nlp


@pytest.fixture(scope="module")
def unbounded_nlp():
    return make_unbounded_korean_nlp()


def assert_entities_valid(doc):
    previous_end = 0
    for ent in doc.ents:
        assert not has_bad_edge(ent.text), repr(ent.text)
        assert ent.start_char >= previous_end, "overlap"
        previous_end = ent.end_char
        if ent.label_ == "CONTRACT":
            assert is_contract(ent.text), ent.text
        if ent.label_ == "PHONE" and WRITTEN_PHONE_CHARS.fullmatch(ent.text):
            assert is_phone(ent.text) or phone_refutation(ent.text) is None, ent.text


@SETTINGS
@given(text=ANY_TEXTS)
def test_tokens_reconstruct_the_text(korean_nlp, text):
    doc = korean_nlp(text)
    assert doc.text == text
    assert "".join(token.text_with_ws for token in doc) == text


@SETTINGS
@given(text=PIECE_TEXTS.filter(lambda text: all(len(run) <= DEFAULT_MAX_RUN for run in text.split())))
def test_tokens_equal_the_unbounded_rules_below_max_run(korean_nlp, unbounded_nlp, text):
    """Up to `max_run` characters without whitespace; longer runs are cut by design."""
    expected = [(token.text, token.whitespace_) for token in unbounded_nlp(text)]
    assert [(token.text, token.whitespace_) for token in korean_nlp(text)] == expected


@SETTINGS
@given(text=ANY_TEXTS)
def test_pipeline_entities_are_valid(pipeline, text):
    doc = pipeline(text)
    assert doc.text == text
    assert_entities_valid(doc)


@settings(max_examples=30, deadline=None, database=None)
@given(unit=st.sampled_from(["요", "가", "를", "이에요", "이었는데", "이요", "010-1234-5678號", "1"]),
       repeats=st.integers(min_value=50, max_value=3000))
def test_long_runs_through_the_pipeline(pipeline, unit, repeats):
    text = unit * repeats
    doc = pipeline(text)
    assert doc.text == text
    assert_entities_valid(doc)
