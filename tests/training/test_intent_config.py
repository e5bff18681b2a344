"""configs/trf_intent.cfg: textcat shares trf.cfg's transformer with ner; a few steps on tiny data."""

import pytest
import spacy
from spacy.cli.evaluate import evaluate

from spacy_callner.scheme.intents import INTENT_LABELS

from ..conftest import REPO_ROOT
from ..intent_models import TRAIN_INTENTS, intent_dev_set, tiny_intent_pipeline

CONFIGS = REPO_ROOT / "configs"


@pytest.fixture(scope="module")
def intent_model(tmp_path_factory):
    return tiny_intent_pipeline(tmp_path_factory)


def read_config(name):
    return spacy.util.load_config(CONFIGS / name, interpolate=False)


def test_config_is_trf_cfg_plus_a_textcat():
    ner_only, multitask = read_config("trf.cfg"), read_config("trf_intent.cfg")
    assert multitask["nlp"]["pipeline"] == ner_only["nlp"]["pipeline"] + ["textcat"]
    for section in ("training", "components.transformer", "components.ner", "corpora", "initialize"):
        left, right = ner_only, multitask
        for key in section.split("."):
            left, right = left[key], right[key]
        if section == "training":
            left = {k: v for k, v in left.items() if k != "score_weights"}
            right = {k: v for k, v in right.items() if k != "score_weights"}
        assert left == right, section
    assert multitask["training"]["score_weights"]["ents_f"] == 1.0
    textcat = multitask["components"]["textcat"]
    assert textcat["factory"] == "textcat" and textcat["model"]["exclusive_classes"] is True
    assert textcat["model"]["tok2vec"]["@architectures"] == "spacy-transformers.TransformerListener.v1"
    assert textcat["model"]["tok2vec"]["grad_factor"] == pytest.approx(1 / 7, abs=1e-3)


def test_grad_factor_reaches_the_listener(intent_model):
    nlp = spacy.load(intent_model)
    factors = {name: [node.attrs["grad_factor"] for node in nlp.get_pipe(name).model.walk()
                      if "grad_factor" in node.attrs] for name in ("ner", "textcat")}
    assert factors == {"ner": [1.0], "textcat": [pytest.approx(0.143)]}


def test_every_intent_label_exists_even_when_absent_from_train(intent_model):
    nlp = spacy.load(intent_model)
    assert nlp.pipe_names == ["transformer", "ner", "textcat"]
    assert set(TRAIN_INTENTS) < set(INTENT_LABELS)
    assert tuple(nlp.get_pipe("textcat").labels) == INTENT_LABELS


def test_doc_cats_are_a_distribution_over_the_intents(intent_model):
    nlp = spacy.load(intent_model)
    doc = nlp("요금제 변경하고 싶은데요 공일공 일이삼사 오육칠팔로 연락 주세요")
    assert list(doc.cats) == list(INTENT_LABELS)
    assert sum(doc.cats.values()) == pytest.approx(1.0, abs=1e-4)
    assert all(0.0 <= score <= 1.0 for score in doc.cats.values())


def test_spacy_evaluate_reports_ner_and_intent_scores(intent_model, tmp_path):
    scores = evaluate(str(intent_model), intent_dev_set(intent_model), output=tmp_path / "scores.json")
    assert {"ents_f", "cats_macro_f", "cats_score"} <= set(scores)
    assert set(scores["cats_f_per_type"]) == set(INTENT_LABELS)
    assert (tmp_path / "scores.json").is_file()
