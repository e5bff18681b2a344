"""Value accuracy: what is compared, what is counted instead, and what happens without values."""
import pytest
import srsly
from spacy.language import Language
from spacy.tokens import DocBin

from spacy_callner.training import evaluation as ev
from spacy_callner.training.data import AnnotatedText, make_doc
from spacy_callner.training.reports import (
    NO_GOLD_VALUES, NO_VALUES_COMPONENT, VALUES_SCORED, EvaluationReport, ValueScores,
)
from spacy_callner.values import compute_value
from .value_cases import CONTRACT_001, MOBILE, value_examples


@pytest.fixture(scope="module")
def scores(korean_nlp):
    return ev.evaluate_examples(korean_nlp, value_examples(korean_nlp), name="constructed").values


def test_each_label_counts_correct_wrong_and_missing(scores):
    assert scores.status == VALUES_SCORED
    counts = {label: (s.n_gold_with_value, s.n_exact, s.n_compared, s.n_correct, s.n_missing)
              for label, s in scores.per_label.items()}
    assert counts == {"PHONE": (1, 1, 1, 0, 0), "MONEY": (2, 2, 1, 1, 0), "PRODUCT": (2, 2, 2, 1, 0),
                      "CONTRACT": (2, 1, 1, 0, 1)}
    assert list(scores.per_label) == ["PHONE", "MONEY", "PRODUCT", "CONTRACT"]
    assert scores.per_label["MONEY"].accuracy == 1.0, "35000.0 is the amount 35000"
    assert scores.per_label["PHONE"].accuracy == 0.0
    assert scores.per_label["CONTRACT"].missing_reasons == {"not a contract id": 1}


def test_entities_without_a_gold_value_or_an_exact_match_are_not_compared(scores):
    money = scores.per_label["MONEY"]
    assert money.n_no_gold_value == 1  # 14만 원
    assert money.n_gold_with_value - money.n_compared == 1  # 약 5만 원 against 5만 원
    contract = scores.per_label["CONTRACT"]
    assert contract.n_gold_with_value - contract.n_exact == 1  # predicted as PHONE
    assert (scores.n_gold, scores.n_gold_with_value) == (8, 7)
    total = scores.total
    assert (total.n_exact, total.n_no_gold_value, total.n_compared, total.n_correct) == (6, 1, 5, 2)
    assert total.accuracy == pytest.approx(0.4)


def test_product_name_and_brand_are_compared_alone(scores):
    product = scores.per_label["PRODUCT"]
    assert (product.fields["name"].n_correct, product.fields["name"].accuracy) == (1, 0.5)
    assert (product.fields["brand"].n_correct, product.fields["brand"].accuracy) == (2, 1.0)
    assert scores.per_label["PHONE"].fields == {}


def test_failures_keep_text_gold_and_prediction_or_error(scores):
    failures = [(f.label, f.text, f.gold, f.pred, f.error) for f in scores.failures]
    assert failures == [
        ("PHONE", "010-1234-5678", MOBILE, {"digits": "01012345678", "kind": "landline"}, None),
        ("CONTRACT", "KR-2026-001", CONTRACT_001, None, "not a contract id"),
        ("PRODUCT", "갤럭시 S25 울트라", {"brand": "samsung", "name": "Galaxy S25 Ultra"},
         {"brand": "samsung", "name": "Galaxy S25"}, None),
    ]
    assert not scores.failures_truncated


def test_failures_are_capped_in_the_report(korean_nlp):
    result = ev.evaluate_examples(korean_nlp, value_examples(korean_nlp))
    values = result.to_report(max_errors=1).values
    assert len(values.failures) == 1 and values.failures_truncated
    assert len(result.values.failures) == 3, "the evaluation itself keeps them all"


def test_value_scores_json_round_trip(scores):
    data = srsly.json_loads(srsly.json_dumps(scores.to_json()))
    assert ValueScores.from_json(data) == scores
    assert data["per_label"]["PRODUCT"]["fields"]["name"] == {"n_correct": 1, "accuracy": 0.5}
    assert data["failures"][1]["pred"] is None and data["failures"][1]["error"] == "not a contract id"


def test_evaluation_report_carries_values_and_old_reports_still_load(korean_nlp):
    results = {"constructed": ev.evaluate_examples(korean_nlp, value_examples(korean_nlp), name="constructed")}
    data = srsly.json_loads(srsly.json_dumps(ev.evaluation_report(korean_nlp, results).to_json()))
    assert data["sets"]["constructed"]["values"]["total"]["n_correct"] == 2
    assert EvaluationReport.from_json(data).to_json() == data
    del data["sets"]["constructed"]["values"]
    old = EvaluationReport.from_json(data)
    assert old.sets["constructed"].values is None
    assert "written before value evaluation existed" in ev.render_markdown(old, chart=None)


def test_predictions_without_values_mean_no_values_component(korean_nlp):
    examples = value_examples(korean_nlp, predicted_values=False)
    values = ev.score_values(examples, values_component=ev.has_values_component(korean_nlp))
    assert values.status == NO_VALUES_COMPONENT and values.per_label == {} and values.failures == []
    assert values.n_gold_with_value == 7
    markdown = "\n".join(ev.value_markdown(values))
    assert "Not measured: the pipeline has no values component (`callner_values`)" in markdown
    assert "0.0" not in markdown


def test_gold_without_values_is_said_plainly(korean_nlp):
    values = ev.score_values(value_examples(korean_nlp, gold_values=False))
    assert values.status == NO_GOLD_VALUES and values.per_label == {}
    assert "the gold data of this set has no values" in ev.not_measured(values)


def test_markdown_shows_accuracy_fields_reasons_and_failures(scores):
    markdown = "\n".join(ev.value_markdown(scores))
    assert "| PRODUCT name |" in markdown and "| PRODUCT brand |" in markdown
    assert "not a contract id (1)" in markdown
    assert '{"digits": "01012345678", "kind": "landline"}' in markdown
    assert "∅ (not a contract id)" in markdown
    assert "`갤럭시 S25 울트라`" in markdown


# ------------------------------------------------------------------ values through a .spacy file


@Language.component("test_values_from_compute_value")
def values_from_compute_value(doc):
    """What the values component does, for these tests: every entity gets a value or a reason."""
    for ent in doc.ents:
        result = compute_value(ent.label_, ent.text)
        ent._.value, ent._.value_error = result.value, result.error
    return doc


@pytest.fixture(scope="module")
def ruler_values_nlp():
    from spacy_callner.tokenizer import make_korean_nlp

    nlp = make_korean_nlp()
    nlp.add_pipe("entity_ruler").add_patterns([
        {"label": "PHONE", "pattern": [{"TEXT": {"REGEX": r"^01\d-\d{4}-\d{4}$"}}]},
        {"label": "CONTRACT", "pattern": [{"TEXT": {"REGEX": "^KR-"}}]},
    ])
    nlp.add_pipe("test_values_from_compute_value")
    return nlp


GOLD = [
    ("010-1234-5678로 전화 주세요", [(0, 13, "PHONE", MOBILE)]),
    ("계약 KR-2026-001 확인", [(3, 14, "CONTRACT", CONTRACT_001)]),
    ("계약 KR-2026-7 확인", [(3, 12, "CONTRACT", {"id": "KR-2026-0007"})]),
]


def write_gold(nlp, path, *, store_user_data):
    docbin = DocBin(store_user_data=store_user_data)
    for text, entities in GOLD:
        doc = make_doc(nlp, AnnotatedText(text, [(s, e, label) for s, e, label, _ in entities]))
        for ent, (*_, value) in zip(doc.ents, entities):
            ent._.value = value
        docbin.add(doc)
    docbin.to_disk(path)
    return path


def test_gold_values_survive_a_docbin_with_user_data(ruler_values_nlp, tmp_path):
    path = write_gold(ruler_values_nlp, tmp_path / "gold.spacy", store_user_data=True)
    values = ev.evaluate_set(ruler_values_nlp, path).values
    assert values.status == VALUES_SCORED
    assert (values.per_label["PHONE"].n_compared, values.per_label["PHONE"].n_correct) == (1, 1)
    contract = values.per_label["CONTRACT"]
    assert (contract.n_compared, contract.n_correct) == (2, 1)
    assert contract.n_missing == 1 and list(contract.missing_reasons) == [values.failures[0].error]
    assert [(f.text, f.pred) for f in values.failures] == [("KR-2026-7", None)]
    assert "KR-YYYY-NNN" in values.failures[0].error


def test_a_docbin_without_user_data_has_no_gold_values(ruler_values_nlp, tmp_path):
    path = write_gold(ruler_values_nlp, tmp_path / "gold.spacy", store_user_data=False)
    assert ev.evaluate_set(ruler_values_nlp, path).values.status == NO_GOLD_VALUES


def test_has_values_component_reads_the_factories(korean_nlp):
    assert not ev.has_values_component(korean_nlp)
    pytest.importorskip("spacy_callner.components.values", reason="the values component is not in this checkout")
    from spacy_callner.tokenizer import make_korean_nlp

    nlp = make_korean_nlp()
    nlp.add_pipe(ev.VALUES_FACTORY)
    assert ev.has_values_component(nlp)
