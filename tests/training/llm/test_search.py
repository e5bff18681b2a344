"""The linear-time searches find exactly what the naive ones found (timing: `python -m spacy_callner.training.llm.adversarial_timing`)."""
import re

from hypothesis import given, settings, strategies as st

from spacy_callner.scheme import is_particle_stack
from spacy_callner.scheme import particle_stack_starts
from spacy_callner.scheme.particles import attaches_to
from spacy_callner.training.llm.annotate import annotate_utterance
from spacy_callner.training.llm.search import TokenBounds, occurrences, spacing_insensitive_occurrences

SMALL_ALPHABET = st.text(alphabet="가나 a이요", max_size=40)
WORDS = st.lists(st.sampled_from(["5만", "원", "갤럭시", "S25", "010-1234-5678", "을", "요", "a", "가가"]), max_size=12)


def naive_occurrences(text, surface):
    found, position = [], text.find(surface)
    while position >= 0:
        found.append((position, position + len(surface)))
        position = text.find(surface, position + 1)
    return found


def regex_spacing_occurrences(text, surface):
    chars = [re.escape(ch) for ch in surface if not ch.isspace()]
    return [m.span() for m in re.finditer(r"\s?".join(chars), text)] if chars else []


@settings(max_examples=400, deadline=None)
@given(SMALL_ALPHABET, st.text(alphabet="가나 a이요", min_size=1, max_size=6))
def test_occurrences_are_the_overlapping_matches_of_str_find(text, surface):
    assert occurrences(text, surface) == naive_occurrences(text, surface)


@settings(max_examples=400, deadline=None)
@given(SMALL_ALPHABET, st.text(alphabet="가나 a이요", max_size=6))
def test_spacing_insensitive_search_matches_the_regex_on_single_spaced_text(text, surface):
    text = " ".join(text.split())
    assert spacing_insensitive_occurrences(text, surface) == regex_spacing_occurrences(text, surface)


@settings(max_examples=200, deadline=None)
@given(WORDS, st.integers(0, 60), st.integers(0, 60))
def test_token_bounds_agree_with_strict_char_span(korean_nlp, words, start, length):
    doc = korean_nlp.make_doc(" ".join(words))
    start = min(start, len(doc.text))
    end = min(start + length + 1, len(doc.text))
    if start < end:
        assert TokenBounds(doc).aligned((start, end)) == (doc.char_span(start, end, alignment_mode="strict") is not None)


@settings(max_examples=400, deadline=None)
@given(st.text(alphabet="프로이요가을었는데번", max_size=14))
def test_particle_stack_starts_are_the_cuts_is_particle_stack_accepts(word):
    assert particle_stack_starts(word) == [cut for cut in range(1, len(word))
                                           if is_particle_stack(word[cut:]) and attaches_to(word[cut - 1], word[cut:])]


def test_a_long_stacked_product_word_is_annotated_as_before(korean_nlp):
    text = "갤럭시 " + "였는데" * 50
    annotation = annotate_utterance({"text": text, "entities": [{"text": text, "label": "PRODUCT"}]}, korean_nlp)
    assert annotation.record is not None and annotation.fixes["particle_cut"] == 1
    # the longest stack that leaves two syllables of the word is cut, as before: `갤럭시 였는`
    # (`였는데`, not `이었는데`: after the open syllable 데 the copula is 였, and the tokenizer
    # cuts an after-consonant particle only after a 받침)
    [entity] = annotation.record["entities"]
    assert (entity["start"], entity["end"], entity["label"]) == (0, 7, "PRODUCT")
