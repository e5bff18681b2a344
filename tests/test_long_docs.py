"""Long docs run through transformer + NER in pieces; short docs take the usual path unchanged."""
import pickle
import subprocess
import sys
from concurrent.futures import ThreadPoolExecutor

import numpy
import pytest
import spacy
import srsly
from spacy.tokens import Doc, Span

from spacy_callner.long_docs import PiecewiseEntityRecognizer, piece_bounds

from .conftest import REAL_DEV_PATH

LIMIT = 60


def _texts():
    return [record["text"] for record in srsly.read_jsonl(REAL_DEV_PATH)]


def _entities(doc):
    return [(ent.start_char, ent.end_char, ent.label_, ent.kb_id_) for ent in doc.ents]


def _load(path, max_doc_tokens):
    return spacy.load(path, config={"nlp": {"after_pipeline_creation": {"max_doc_tokens": max_doc_tokens}}})


@pytest.fixture(scope="module")
def nlp(tiny_trf_pipeline):
    return _load(tiny_trf_pipeline, LIMIT)


@pytest.fixture(scope="module")
def long_text():
    return " ".join(_texts()[:40])


def _entities_of_pieces_run_alone(nlp, doc):
    found = []
    for start, end in piece_bounds(doc, LIMIT):
        offset = doc[start].idx
        found += [(s + offset, e + offset, label, kb) for s, e, label, kb in _entities(nlp(doc[start:end].text))]
    return found


def test_a_long_doc_gets_exactly_the_entities_of_its_pieces(nlp, long_text):
    assert isinstance(nlp.get_pipe("ner"), PiecewiseEntityRecognizer)
    doc = nlp(long_text)
    assert len(piece_bounds(doc, LIMIT)) > 5
    assert doc._.trf_data is None, "a long doc is not encoded whole"
    assert doc.ents, "the tiny pipeline finds entities, so the comparison can fail"
    assert _entities(doc) == _entities_of_pieces_run_alone(nlp, doc)


def test_short_docs_are_annotated_as_without_the_limit(tiny_trf_pipeline, nlp):
    unlimited = _load(tiny_trf_pipeline, 0)
    assert not isinstance(unlimited.get_pipe("ner"), PiecewiseEntityRecognizer)
    texts = [text for text in _texts() if len(unlimited.make_doc(text)) <= LIMIT][:40]
    for got, expected in zip(nlp.pipe(texts), unlimited.pipe(texts)):
        assert _entities(got) == _entities(expected)
        assert got._.trf_data is not None
        assert numpy.array_equal(got._.trf_data.tensors[0], expected._.trf_data.tensors[0])


def test_pipe_keeps_the_order_of_mixed_short_long_and_empty_docs(nlp, long_text):
    short = _texts()[40:46]
    texts = [short[0], long_text, "", short[1], long_text[:900], short[2], "", long_text[300:], short[3]]
    one_by_one = [nlp(text) for text in texts]
    piped = list(nlp.pipe(texts, batch_size=3))
    assert [doc.text for doc in piped] == texts
    assert [_entities(doc) for doc in piped] == [_entities(doc) for doc in one_by_one]
    assert [doc._.trf_data is None for doc in piped] == [len(doc) > LIMIT for doc in piped]


def test_threads_get_the_sequential_answers_on_long_docs(nlp, long_text):
    texts = [long_text, long_text[500:], _texts()[50], long_text[:1500]]
    expected = [_entities(nlp(text)) for text in texts]
    with ThreadPoolExecutor(3) as pool:
        got = list(pool.map(lambda text: _entities(nlp(text)), texts * 3))
    assert got == expected * 3


def test_a_text_without_spaces_is_cut_between_tokens(nlp):
    doc = nlp("가" * (LIMIT * 3 + 7))
    assert piece_bounds(doc, LIMIT) == [(0, LIMIT), (LIMIT, 2 * LIMIT), (2 * LIMIT, 3 * LIMIT),
                                        (3 * LIMIT, 3 * LIMIT + 7)]
    assert _entities(doc) == _entities_of_pieces_run_alone(nlp, doc)


def test_a_doc_of_one_giant_token(nlp):
    doc = nlp(Doc(nlp.vocab, words=["가" * 20_000]))
    assert len(doc) == 1 and doc._.trf_data is not None
    assert all(ent.end <= 1 for ent in doc.ents)


def test_pieces_cover_the_doc_and_cut_after_sentence_ends(korean_nlp):
    doc = korean_nlp("네 번호는 010 1234 5678 입니다. 확인 감사합니다 고객님 " * 30)
    bounds = piece_bounds(doc, 40)
    assert bounds[0][0] == 0 and bounds[-1][1] == len(doc)
    assert all(end == next_start for (_, end), (next_start, _) in zip(bounds, bounds[1:]))
    assert all(0 < end - start <= 40 for start, end in bounds)
    assert all(doc[end - 1].text == "." for _, end in bounds[:-1])


def test_pieces_avoid_number_runs_and_never_split_an_entity(korean_nlp):
    doc = korean_nlp("고객 번호 010 1234 5678 금액 25만 원 " * 20)
    assert {doc[end].text for _, end in piece_bounds(doc, 20)[:-1]} == {"번호"}, "not next to numbers or 원"
    doc.ents = [Span(doc, 3, 9, label="PHONE")]
    assert piece_bounds(doc, 8)[0] == (0, 3), "the piece ends before the entity, not inside it"


def test_the_recognizer_pickles_as_itself(tiny_trf_pipeline):
    ner = _load(tiny_trf_pipeline, LIMIT).get_pipe("ner")
    copy = pickle.loads(pickle.dumps(ner))
    assert isinstance(copy, PiecewiseEntityRecognizer) and copy.max_doc_tokens == LIMIT
    assert copy.move_names == ner.move_names and copy.cfg == ner.cfg


PROBE = """
import sys, spacy, srsly
nlp = spacy.load(sys.argv[1], config={"nlp": {"after_pipeline_creation": {"max_doc_tokens": 60}}})
texts = [r["text"] for r in srsly.read_jsonl(sys.argv[2])]
texts = [" ".join(texts[:30]), texts[31], " ".join(texts[40:60]), texts[61]] * 3
expected = [[(e.start_char, e.label_) for e in nlp(text).ents] for text in texts]
docs = list(nlp.pipe(texts, n_process=2, batch_size=2))
assert [[(e.start_char, e.label_) for e in doc.ents] for doc in docs] == expected
print("done", len(docs))
"""


def test_long_docs_in_forked_processes(tiny_trf_pipeline, tmp_path):
    completed = subprocess.run([sys.executable, "-c", PROBE, str(tiny_trf_pipeline), str(REAL_DEV_PATH)],
                               cwd=tmp_path, capture_output=True, text=True, timeout=300)
    assert completed.returncode == 0, completed.stderr[-2000:]
    assert "done 12" in completed.stdout
