"""The Python replay of the greedy ``ner`` finds exactly the ``ner``'s entities, with probabilities."""
import pytest
import spacy
from spacy.tokens import DocBin

from spacy_callner.scores.ner_probabilities import ActionProbabilities, greedy_parse_with_probabilities, ner_view


@pytest.fixture(scope="module")
def tiny(tiny_trf_pipeline):
    return spacy.load(tiny_trf_pipeline)


def test_action_probability_summaries():
    moves = ActionProbabilities((0.5, 0.8, 1.0))
    assert moves.product == pytest.approx(0.4)
    assert moves.minimum == 0.5
    assert moves.mean == pytest.approx(2.3 / 3)


def test_the_replay_finds_the_ner_entities_exactly(tiny, tiny_trf_pipeline):
    corpus = tiny_trf_pipeline.parent.parent / "corpus" / "train.spacy"
    texts = [doc.text for doc in DocBin().from_disk(corpus).get_docs(tiny.vocab)]
    docs = list(tiny.pipe(texts))
    replayed = greedy_parse_with_probabilities(tiny.get_pipe("ner"), [ner_view(doc) for doc in docs])
    assert sum(len(doc.ents) for doc in docs) > 0
    for doc, entities in zip(docs, replayed):
        assert set(entities) == {(ent.start_char, ent.end_char, ent.label_) for ent in doc.ents}
        for (start, end, _), moves in entities.items():
            assert len(moves.probabilities) == len(doc.char_span(start, end))
            assert all(0.0 < p <= 1.0 for p in moves.probabilities)


def test_a_doc_without_encoder_output_has_no_view(tiny):
    doc = tiny.make_doc("번호는 010-1234-5678 이에요")
    assert ner_view(doc) is None
    assert ner_view(tiny("")) is None


def test_the_view_of_a_doc_whose_tokens_were_split_is_the_tokenizers(tiny):
    from spacy_callner.token_splits import split_tokens_at

    doc = tiny("번호는 01012345678로 해주세요")
    longest = max(doc, key=len)
    split = split_tokens_at(doc, [longest.idx + 1])
    assert len(split) == len(doc) + 1
    view = ner_view(split, tiny.tokenizer)
    assert [t.text for t in view] == [t.text for t in doc]
    assert not view.ents


def test_empty_and_missing_docs_give_no_entities(tiny):
    assert greedy_parse_with_probabilities(tiny.get_pipe("ner"), []) == []
    assert greedy_parse_with_probabilities(tiny.get_pipe("ner"), [tiny.make_doc("")]) == [{}]
