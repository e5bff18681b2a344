"""The multitask pipeline through assemble and calibrate: textcat kept, release still last, cats returned."""
import pytest
import spacy
from spacy.tokens import DocBin
from spacy.training import Example

from spacy_callner.components.tensors import RELEASE_TENSORS_FACTORY
from spacy_callner.records import doc_to_record
from spacy_callner.scheme.intents import INTENT_LABELS
from spacy_callner.training.calibration import fit_scores
from spacy_callner.training.packaging import POST_PROCESSORS, assemble_pipeline

from ..intent_models import intent_dev_set, tiny_intent_pipeline

SENTENCE = "갤럭시 S25 할부원금 얼마예요 010-1234-5678로 연락 주세요"


@pytest.fixture(scope="module")
def intent_model(tmp_path_factory):
    return tiny_intent_pipeline(tmp_path_factory)


@pytest.fixture(scope="module")
def assembled(intent_model, tmp_path_factory):
    output = tmp_path_factory.mktemp("intent_assembled") / "assembled"
    assemble_pipeline(intent_model, output, name="callner_intent_test", version="0.0.1",
                      base_model=str(intent_model))
    return output


def test_textcat_stays_before_the_post_processors_and_release_is_last(assembled):
    nlp = spacy.load(assembled)
    assert nlp.pipe_names == ["transformer", "ner", "textcat", *POST_PROCESSORS]
    assert nlp.pipe_names[-1] == RELEASE_TENSORS_FACTORY
    assert "call intent" in nlp.meta["description"]
    assert tuple(nlp.meta["labels"]["textcat"]) == INTENT_LABELS


def test_assembled_pipeline_returns_cats_and_the_record_intent(assembled):
    nlp = spacy.load(assembled)
    doc = nlp(SENTENCE)
    assert list(doc.cats) == list(INTENT_LABELS)
    assert sum(doc.cats.values()) == pytest.approx(1.0, abs=1e-4)
    record = doc_to_record(doc)
    assert record["intent"]["label"] == max(doc.cats, key=doc.cats.get)
    assert record["intent"]["score"] == pytest.approx(max(doc.cats.values()))


def test_calibrate_works_with_the_textcat_present(intent_model, assembled, tmp_path):
    nlp = spacy.load(assembled)
    dev = intent_dev_set(intent_model)
    examples = [Example(nlp.make_doc(doc.text), doc) for doc in DocBin().from_disk(dev).get_docs(nlp.vocab)]
    calibration = fit_scores(nlp, examples, method="identity")
    assert set(calibration.thresholds) <= set(nlp.get_pipe("ner").labels)
    assert nlp.pipe_names[2] == "textcat" and nlp.pipe_names[-1] == RELEASE_TENSORS_FACTORY
    nlp.to_disk(tmp_path / "calibrated")
    reloaded = spacy.load(tmp_path / "calibrated")
    assert reloaded.pipe_names == nlp.pipe_names
    assert list(reloaded(SENTENCE).cats) == list(INTENT_LABELS)
