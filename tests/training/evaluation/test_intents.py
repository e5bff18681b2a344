"""Intent scores in the evaluation: sklearn's figures on hand-made docs, and the report files of a
tiny multitask pipeline against a tiny NER-only one (whose reports must not change)."""
import pytest
import spacy
import srsly
from spacy.training import Example

from spacy_callner.scheme.intents import INTENT_LABELS, intent_cats
from spacy_callner.training.reports import EvaluationReport
from spacy_callner.training.evaluation import (
    evaluate_sets, evaluation_report, gold_intent, intent_textcat, predicted_intent, score_intents,
    write_evaluation_report,
)

from ...intent_models import intent_dev_set, tiny_intent_pipeline


def example(nlp, gold, predicted):
    reference = nlp("요금 문의 드립니다")
    reference.cats = intent_cats(gold)
    doc = nlp("요금 문의 드립니다")
    doc.cats = {label: (0.9 if label == predicted else 0.1 / (len(INTENT_LABELS) - 1)) for label in INTENT_LABELS}
    return Example(doc, reference)


def test_gold_and_predicted_intents(korean_nlp):
    eg = example(korean_nlp, "billing", "repair")
    assert (gold_intent(eg.reference), predicted_intent(eg.predicted)) == ("billing", "repair")
    assert gold_intent(korean_nlp("요금")) is None


def test_scores_accuracy_macro_f1_and_confusion(korean_nlp):
    pairs = [("billing", "billing"), ("billing", "billing"), ("billing", "repair"), ("repair", "repair"),
             ("delivery", "billing")]
    scores = score_intents([example(korean_nlp, g, p) for g, p in pairs] + [Example(korean_nlp("네"),
                                                                                    korean_nlp("네"))])
    assert scores.n == 5 and scores.n_without_gold == 1
    assert scores.accuracy == pytest.approx(3 / 5)
    billing, repair, delivery = (scores.per_class[label] for label in ("billing", "repair", "delivery"))
    assert (billing.precision, billing.recall, billing.support) == (pytest.approx(2 / 3), pytest.approx(2 / 3), 3)
    assert (repair.precision, repair.recall) == (pytest.approx(1 / 2), 1.0)
    assert delivery.f1 == 0.0 and delivery.support == 1
    assert scores.macro_labels == ["billing", "delivery", "repair"]
    assert scores.macro_f1 == pytest.approx((2 / 3 + 0.0 + 2 / 3) / 3)
    index = {label: i for i, label in enumerate(INTENT_LABELS)}
    assert scores.confusion[index["billing"]][index["repair"]] == 1
    assert scores.confusion[index["delivery"]][index["billing"]] == 1
    assert sum(map(sum, scores.confusion)) == 5
    assert scores.spacy_cats_macro_f is not None


def test_a_set_without_gold_intents_is_not_measured(korean_nlp):
    scores = score_intents([Example(korean_nlp("네"), korean_nlp("네"))])
    assert (scores.n, scores.accuracy, scores.confusion) == (0, None, [])


@pytest.fixture(scope="module")
def intent_model(tmp_path_factory):
    return tiny_intent_pipeline(tmp_path_factory)


def write_reports(model, dev, output_dir):
    nlp = spacy.load(model)
    results = evaluate_sets(nlp, {"dev": dev})
    report = evaluation_report(nlp, results, model=str(model))
    return write_evaluation_report(report, results, output_dir, sample_size=2)


def test_multitask_pipeline_reports_intents(intent_model, tmp_path):
    assert intent_textcat(spacy.load(intent_model)) == "textcat"
    paths = write_reports(intent_model, intent_dev_set(intent_model), tmp_path)
    intents = srsly.read_json(tmp_path / "evaluation.json")["sets"]["dev"]["intents"]
    loaded = EvaluationReport.load(tmp_path / "evaluation.json")  # as the model card reads it
    assert loaded.sets["dev"].intents.accuracy == intents["accuracy"]
    assert intents["labels"] == list(INTENT_LABELS) and intents["n"] > 0
    assert len(intents["confusion"]) == len(INTENT_LABELS)
    assert 0.0 <= intents["accuracy"] <= 1.0 and 0.0 <= intents["macro_f1"] <= 1.0
    png = tmp_path / "intent_confusion_dev.png"
    assert paths["intent_confusion_dev"] == png and png.read_bytes().startswith(b"\x89PNG")
    markdown = (tmp_path / "evaluation.md").read_text(encoding="utf8")
    assert "### Intent (textcat)" in markdown and "intent_confusion_dev.png" in markdown


def test_ner_only_pipeline_reports_no_intents(tiny_trf_pipeline, intent_model, tmp_path):
    assert intent_textcat(spacy.load(tiny_trf_pipeline)) is None
    paths = write_reports(tiny_trf_pipeline, intent_dev_set(intent_model), tmp_path)
    assert "intents" not in srsly.read_json(tmp_path / "evaluation.json")["sets"]["dev"]
    assert not any(name.startswith("intent") for name in paths)
    assert not list(tmp_path.glob("intent_*"))
    assert "Intent" not in (tmp_path / "evaluation.md").read_text(encoding="utf8")
