"""split_tokens_at: one-pass token splits that keep what Retokenizer.split keeps."""
import random

import numpy
import pytest
import spacy
from spacy.tokens import Doc, Token

from spacy_callner.token_splits import split_tokens_at


@pytest.fixture(scope="module")
def vocab():
    return spacy.blank("xx").vocab


def retokenizer_split(doc, offsets):
    """The reference: Retokenizer.split, one token at a time."""
    cuts = sorted(set(offsets))
    with doc.retokenize() as retokenizer:
        for token in doc:
            inside = [offset - token.idx for offset in cuts if token.idx < offset < token.idx + len(token)]
            if inside:
                bounds = [0, *inside, len(token)]
                orths = [token.text[a:b] for a, b in zip(bounds, bounds[1:])]
                retokenizer.split(token, orths, heads=[(token, i) for i in range(len(orths))])
    return doc


def test_splits_match_the_retokenizer_on_random_docs(vocab):
    rng = random.Random(3)
    for _ in range(300):
        words = ["".join(rng.choice("ab1-") for _ in range(rng.randint(1, 6))) for _ in range(rng.randint(1, 12))]
        spaces = [rng.random() < 0.6 for _ in words]
        doc = Doc(vocab, words=words, spaces=spaces)
        offsets = [rng.randint(0, len(doc.text)) for _ in range(rng.randint(0, 8))]
        ours = split_tokens_at(Doc(vocab, words=words, spaces=spaces), offsets)
        reference = retokenizer_split(doc, offsets)
        assert [(t.text, t.whitespace_) for t in ours] == [(t.text, t.whitespace_) for t in reference]


def test_no_cut_inside_a_token_returns_the_same_doc(vocab):
    doc = Doc(vocab, words=["ab", "cd"], spaces=[True, False])
    assert split_tokens_at(doc, [0, 2, 3, 5]) is doc


def test_tags_tensor_sentences_spans_and_extensions_carry_over(vocab):
    Token.set_extension("callner_test_mark", default=None, force=True)
    doc = Doc(vocab, words=["번호", "5678로", "주세요", "."], spaces=[True, True, False, False],
              tags=["N", "NUM", "V", "P"], sent_starts=[True, False, False, False])
    doc.tensor = numpy.arange(8, dtype="float32").reshape(4, 2)
    doc.cats = {"CALL": 1.0}
    doc.spans["test"] = [doc[2:4]]
    doc[2]._.callner_test_mark = "kept"
    split = split_tokens_at(doc, [doc.text.index("로")])
    assert [t.text for t in split] == ["번호", "5678", "로", "주세요", "."]
    assert [t.tag_ for t in split] == ["N", "NUM", "NUM", "V", "P"]
    assert [t.is_sent_start for t in split] == [True, False, False, False, False]
    assert split.tensor.tolist() == [[0, 1], [2, 3], [2, 3], [4, 5], [6, 7]]
    assert split.cats == {"CALL": 1.0}
    assert [span.text for span in split.spans["test"]] == ["주세요."]
    assert split[3]._.callner_test_mark == "kept"
