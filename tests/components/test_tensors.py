"""callner_release_tensors on a real (tiny) trained transformer pipeline: small docs, same entities."""
import pickle
import subprocess
import sys

import pytest
import spacy
from spacy_transformers.data_classes import TransformerData

from spacy_callner.components.tensors import RELEASE_TENSORS_FACTORY
from spacy_callner.records import doc_to_record

TEXTS = ["제 번호는 010-1234-5678 이고요 계약번호는 KR-2026-0042 이에요.", "요금은 삼만 원 나왔어요", "", "네"]


@pytest.fixture(scope="module")
def pipelines(tiny_trf_pipeline):
    kept = spacy.load(tiny_trf_pipeline)
    released = spacy.load(tiny_trf_pipeline)
    for nlp in (kept, released):
        for factory in ("callner_regex_ner", "callner_scores", "callner_values"):
            nlp.add_pipe(factory)
    released.add_pipe(RELEASE_TENSORS_FACTORY)
    return kept, released


def test_what_the_pipeline_leaves_on_a_doc_pickles_at_least_ten_times_smaller(pipelines):
    """``doc.user_data`` holds ``trf_data`` (and the values, scores); ``pickle.dumps(doc)`` itself is mostly
    the vocab's strings, which a doc pickles with it whatever it carries, so it is compared as a whole
    only for being smaller; ``to_bytes`` (what ``n_process`` workers send back) has no vocab."""
    kept, released = pipelines
    text = TEXTS[0] * 4
    kept_doc, released_doc = kept(text), released(text)
    assert kept_doc._.trf_data.model_output.last_hidden_state.size > 0
    assert len(pickle.dumps(released_doc._.trf_data)) * 10 <= len(pickle.dumps(kept_doc._.trf_data))
    assert len(pickle.dumps(released_doc.user_data)) * 10 <= len(pickle.dumps(kept_doc.user_data))
    assert len(released_doc.to_bytes()) < len(kept_doc.to_bytes())
    assert len(pickle.dumps(released_doc)) < len(pickle.dumps(kept_doc))
    assert isinstance(released_doc._.trf_data, TransformerData) and not released_doc._.trf_data.tensors
    assert released_doc.tensor.size == 0


def test_entities_scores_and_values_are_unchanged(pipelines):
    kept, released = pipelines
    for kept_doc, released_doc in zip(kept.pipe(TEXTS), released.pipe(TEXTS)):
        assert doc_to_record(released_doc) == doc_to_record(kept_doc)
    assert any(doc_to_record(doc)["entities"] for doc in released.pipe(TEXTS))


def test_a_released_doc_round_trips_through_bytes(pipelines):
    _, released = pipelines
    doc = released(TEXTS[0])
    again = spacy.tokens.Doc(released.vocab).from_bytes(doc.to_bytes())
    assert doc_to_record(again) == doc_to_record(doc)


def test_keep_trf_data_leaves_the_tensors(tiny_trf_pipeline):
    nlp = spacy.load(tiny_trf_pipeline)
    nlp.add_pipe(RELEASE_TENSORS_FACTORY, config={"keep_trf_data": True})
    assert nlp(TEXTS[0])._.trf_data.model_output.last_hidden_state.size > 0


def test_a_doc_the_transformer_did_not_encode_keeps_none(pipelines):
    _, released = pipelines
    doc = released.make_doc("네")
    assert released.get_pipe(RELEASE_TENSORS_FACTORY)(doc)._.trf_data is None


PROBE = """
import pickle, sys, spacy
nlp = spacy.load(sys.argv[1])
nlp.add_pipe("callner_release_tensors")
texts = ["계약번호 KR-2026-001번 확인하고 010-1234-5678로 문자 주세요"] * 24
one = [[(e.text, e.label_) for e in doc.ents] for doc in nlp.pipe(texts)]
two = list(nlp.pipe(texts, n_process=2, batch_size=4))
assert [[(e.text, e.label_) for e in doc.ents] for doc in two] == one
assert all(doc.tensor.size == 0 and not doc._.trf_data.tensors for doc in two)
print("done", len(two))
"""


def test_pipe_with_two_processes_still_works(tiny_trf_pipeline, tmp_path):
    completed = subprocess.run([sys.executable, "-c", PROBE, str(tiny_trf_pipeline)], cwd=tmp_path,
                               capture_output=True, text=True, timeout=240)
    assert completed.returncode == 0, completed.stderr[-2000:]
    assert "done 24" in completed.stdout
