"""Evaluation: the two scorers agree, errors land in the right category, reports get written."""
import random
import subprocess
import sys

import pytest
import srsly
from spacy.tokens import Doc, DocBin
from spacy.training import Example
from spacy.util import fix_random_seed, minibatch

from spacy_callner.training.data import (
    AnnotatedText, make_doc, read_annotated_jsonl, records_to_docbin, validate_record,
)
from spacy_callner.tokenizer import make_korean_nlp
from spacy_callner.training import evaluation as ev
from spacy_callner.training.reports import EvaluationReport
from spacy_callner.training.synthetic import generate_examples
from spacy_callner.values import compute_value
from ..conftest import REAL_DEV_PATH, REPO_ROOT

PNG_MAGIC = b"\x89PNG\r\n\x1a\n"
TRAIN_RECORDS = 250
TRAIN_EPOCHS = 10


def char_spans(text, spans):
    """(substring, label) pairs → (start, end, label), each substring found left to right."""
    result, position = [], 0
    for substring, label in spans:
        start = text.index(substring, position)
        result.append((start, start + len(substring), label))
        position = start
    return result


def make_example(nlp, text, gold, pred, missing=()):
    gold_doc = make_doc(nlp, AnnotatedText(text, char_spans(text, gold), missing=list(missing)))
    pred_doc = nlp.make_doc(text)
    ents = [pred_doc.char_span(s, e, label=label, alignment_mode="strict") for s, e, label in char_spans(text, pred)]
    assert all(ent is not None for ent in ents), f"prediction not on token boundaries in {text!r}"
    pred_doc.ents = ents
    return Example(pred_doc, gold_doc)


# (text, gold, predicted, expected category, expected boundary subtype)
CASES = {
    "particle": ("010-1234-5678로 전화 주세요", [("010-1234-5678", "PHONE")],
                 [("010-1234-5678로", "PHONE")], ev.WRONG_BOUNDARY, ev.SWALLOWED_PARTICLE),
    "stacked particle": ("계약번호 KR-2026-001번이요", [("KR-2026-001", "CONTRACT")],
                         [("KR-2026-001번이요", "CONTRACT")], ev.WRONG_BOUNDARY, ev.SWALLOWED_PARTICLE),
    "modifier before": ("요금은 약 5만 원 정도예요", [("5만 원", "MONEY")],
                        [("약 5만 원", "MONEY")], ev.WRONG_BOUNDARY, ev.SWALLOWED_MODIFIER),
    "modifier after": ("매달 5만 원씩 나가요", [("5만 원", "MONEY")],
                       [("5만 원씩", "MONEY")], ev.WRONG_BOUNDARY, ev.SWALLOWED_MODIFIER),
    "other swallowed": ("갤럭시 S25 블루 주세요", [("갤럭시 S25", "PRODUCT")],
                        [("갤럭시 S25 블루", "PRODUCT")], ev.WRONG_BOUNDARY, ev.SWALLOWED_OTHER),
    "cut": ("갤럭시 S25 울트라 재고 있나요", [("갤럭시 S25 울트라", "PRODUCT")],
            [("갤럭시 S25", "PRODUCT")], ev.WRONG_BOUNDARY, ev.CUT),
    "shifted": ("그 갤럭시 S25 블루 있어요", [("갤럭시 S25", "PRODUCT")],
                [("S25 블루", "PRODUCT")], ev.WRONG_BOUNDARY, ev.SHIFTED),
    "wrong label": ("KR-2026-001 확인해 주세요", [("KR-2026-001", "CONTRACT")],
                    [("KR-2026-001", "PHONE")], ev.WRONG_LABEL, None),
    "wrong label and boundary": ("14만 원을 내셨어요", [("14만 원", "MONEY")],
                                 [("14만 원을", "PRODUCT")], ev.WRONG_LABEL_AND_BOUNDARY, None),
    "missed": ("아이폰 쓰고 있어요", [("아이폰", "PRODUCT")], [], ev.MISSED, None),
    "spurious": ("3개 주문했어요", [], [("3개", "MONEY")], ev.SPURIOUS, None),
}
CORRECT = ("1588-1234로 연락 주세요", [("1588-1234", "PHONE")], [("1588-1234", "PHONE")])


@pytest.mark.parametrize("name", list(CASES))
def test_each_constructed_error_gets_its_category(korean_nlp, name):
    text, gold, pred, category, subtype = CASES[name]
    result = ev.evaluate_examples(korean_nlp, [make_example(korean_nlp, text, gold, pred)])
    errors = result.docs[0].errors
    assert [(e["category"], e["subtype"]) for e in errors] == [(category, subtype)]
    assert errors[0]["context"].count("[") == 1
    assert result.agreement["agree"]


def test_correct_prediction_is_no_error(korean_nlp):
    result = ev.evaluate_examples(korean_nlp, [make_example(korean_nlp, *CORRECT)])
    assert result.docs[0].errors == []
    assert result.seqeval["micro"]["f1"] == pytest.approx(1.0)
    assert result.spacy["ents_f"] == pytest.approx(1.0)


def test_breakdown_counts_and_scores_over_all_cases(korean_nlp):
    examples = [make_example(korean_nlp, text, gold, pred) for text, gold, pred, _, _ in CASES.values()]
    examples.append(make_example(korean_nlp, *CORRECT))
    result = ev.evaluate_examples(korean_nlp, examples, name="constructed")
    breakdown = ev.error_breakdown(result.docs)
    assert breakdown["counts"] == {
        ev.MISSED: 1, ev.SPURIOUS: 1, ev.WRONG_LABEL: 1, ev.WRONG_BOUNDARY: 7, ev.WRONG_LABEL_AND_BOUNDARY: 1,
    }
    assert breakdown["boundary"] == {
        ev.SWALLOWED_PARTICLE: 2, ev.SWALLOWED_MODIFIER: 2, ev.SWALLOWED_OTHER: 1, ev.CUT: 1, ev.SHIFTED: 1,
    }
    assert (breakdown["n_gold"], breakdown["n_pred"], breakdown["correct"]) == (11, 11, 1)
    assert breakdown["by_label"]["PRODUCT"][ev.WRONG_BOUNDARY] == 3
    assert breakdown["by_label"]["MONEY"][ev.SPURIOUS] == 1
    assert result.agreement["agree"]
    assert result.seqeval["micro"]["precision"] == pytest.approx(1 / 11)
    assert result.spacy["ents_r"] == pytest.approx(1 / 11)
    top = ev.top_errors(result.docs, n=3)
    assert len(top) == 3 and all(t["count"] == 1 and t["examples"][0]["context"] for t in top)


def test_prediction_over_unknown_gold_annotation_is_ignored_by_both_scorers(korean_nlp):
    text = "계좌 123-456 말고 010-1234-5678로 보내 주세요"
    unknown = char_spans(text, [("123-456", "")])[0][:2]
    example = make_example(korean_nlp, text, [("010-1234-5678", "PHONE")],
                           [("123-456", "PHONE"), ("010-1234-5678", "PHONE")], missing=[unknown])
    result = ev.evaluate_examples(korean_nlp, [example])
    assert len(result.docs[0].ignored) == 1
    assert result.docs[0].errors == []
    assert result.spacy["ents_p"] == pytest.approx(1.0)
    assert result.seqeval["micro"]["precision"] == pytest.approx(1.0)
    assert result.agreement["agree"]


def test_predictions_on_other_tokens_are_aligned_by_characters(korean_nlp):
    """The gold tokens split `5678|로`; predictions come on coarser and finer tokens."""
    text = "갤럭시 S25 주세요 010-1234-5678로요"
    gold_doc = make_doc(korean_nlp, AnnotatedText(text, char_spans(text, [("갤럭시 S25", "PRODUCT"),
                                                                          ("010-1234-5678", "PHONE")])))
    words = ["갤럭", "시", "S", "25", "주세요", "010-1234-5678로요"]
    spaces = [False, True, False, True, True, False]
    exact = Doc(korean_nlp.vocab, words=words, spaces=spaces, ents=["B-PRODUCT", "I-PRODUCT", "I-PRODUCT",
                                                                     "I-PRODUCT", "O", "B-PHONE"])
    partial = Doc(korean_nlp.vocab, words=words, spaces=spaces, ents=["B-PRODUCT", "O", "O", "O", "O", "O"])
    result = ev.evaluate_examples(korean_nlp, [Example(exact, gold_doc), Example(partial, gold_doc)])
    assert result.agreement["agree"], result.agreement
    assert [(e["category"], e["subtype"]) for e in result.docs[0].errors] == [
        (ev.WRONG_BOUNDARY, ev.SWALLOWED_PARTICLE)]
    assert result.docs[0].errors[0]["pred"]["text"] == "010-1234-5678로요"
    assert [(e["category"], e["subtype"]) for e in result.docs[1].errors] == [
        (ev.WRONG_BOUNDARY, ev.CUT), (ev.MISSED, None)]
    assert result.docs[1].errors[0]["pred"]["text"] == "갤럭시"  # expanded to the whole gold token


def test_check_agreement_flags_a_difference():
    seqeval_scores = {"micro": {"precision": 0.5, "recall": 0.5, "f1": 0.5}, "per_label": {}}
    spacy_scores = {"ents_p": 0.5, "ents_r": 0.5, "ents_f": 0.5 + 1e-4, "ents_per_type": {}}
    agreement = ev.check_agreement(spacy_scores, seqeval_scores)
    assert not agreement["agree"]
    assert agreement["micro_max_abs_diff"] == pytest.approx(1e-4)


def test_particle_chains():
    assert ev.is_particle_chain("로")
    assert ev.is_particle_chain("에서도")
    assert ev.is_particle_chain("번이요")
    assert not ev.is_particle_chain("블루")
    assert not ev.is_particle_chain("")
    assert ev.swallowed_kind("", " 정도로") == ev.SWALLOWED_MODIFIER
    assert ev.swallowed_kind("", " 로") == ev.SWALLOWED_PARTICLE


# ------------------------------------------------------------------ a small trained pipeline


@pytest.fixture(scope="module")
def real_records(korean_nlp):
    records, _ = read_annotated_jsonl(REAL_DEV_PATH, korean_nlp)
    return records


@pytest.fixture(scope="module")
def synthetic_records(korean_nlp):
    """Training data comes from the generator: the real dev set is never trained on."""
    return [validate_record(ex, korean_nlp)[0] for ex in generate_examples(TRAIN_RECORDS, seed=11)]


@pytest.fixture(scope="module")
def trained_nlp(synthetic_records):
    """A tok2vec CNN + ner trained for 80 small steps: real, imperfect predictions."""
    fix_random_seed(0)
    nlp = make_korean_nlp()
    nlp.add_pipe("ner")
    examples = [Example(nlp.make_doc(r.text), make_doc(nlp, r)) for r in synthetic_records]
    optimizer = nlp.initialize(lambda: examples)
    for epoch in range(TRAIN_EPOCHS):
        random.Random(epoch).shuffle(examples)
        for batch in minibatch(examples, size=32):
            nlp.update(batch, sgd=optimizer, drop=0.1)
    return nlp


@pytest.fixture(scope="module")
def held_out_docs(trained_nlp, real_records):
    return [make_doc(trained_nlp, r) for r in real_records[:200]]


def test_spacy_and_seqeval_agree_on_a_trained_model(trained_nlp, held_out_docs):
    result = ev.evaluate_examples(trained_nlp, ev.predict(trained_nlp, held_out_docs), name="held_out")
    assert result.agreement["agree"], result.agreement
    assert result.errors, "a model this small should make mistakes"
    assert any(doc.gold and not doc.errors for doc in result.docs), "and get some entities right"
    # the same numbers as spaCy's own nlp.evaluate
    fresh = [Example(trained_nlp.make_doc(doc.text), doc) for doc in held_out_docs]
    assert trained_nlp.evaluate(fresh)["ents_f"] == pytest.approx(result.spacy["ents_f"], abs=1e-9)
    # exact matches are the true positives of both scorers
    breakdown = ev.error_breakdown(result.docs)
    micro = result.seqeval["micro"]
    assert breakdown["correct"] == pytest.approx(micro["recall"] * breakdown["n_gold"])
    if breakdown["n_pred"]:
        assert breakdown["correct"] == pytest.approx(micro["precision"] * breakdown["n_pred"])


def test_evaluate_cli_writes_every_report_file(trained_nlp, held_out_docs, real_records, tmp_path):
    model_dir = tmp_path / "model"
    trained_nlp.to_disk(model_dir)
    test_path = tmp_path / "test.spacy"
    DocBin(docs=held_out_docs[:80]).to_disk(test_path)
    real_dev_path = tmp_path / "real_dev.jsonl"
    srsly.write_jsonl(real_dev_path, [r.to_json() for r in real_records[200:]])
    output_dir = tmp_path / "metrics" / "nested"
    completed = subprocess.run(
        [sys.executable, "scripts/evaluate.py", str(model_dir), str(output_dir),
         "--set", f"test={test_path}", "--set", f"real_dev={real_dev_path}", "--sample-size", "5"],
        cwd=REPO_ROOT, capture_output=True, text=True, timeout=300,
    )
    assert completed.returncode == 0, completed.stderr + completed.stdout
    assert "real_dev" in completed.stdout

    report = srsly.read_json(output_dir / "evaluation.json")
    assert set(report) >= {"model", "pipeline", "labels", "agree", "sets", "error_categories", "boundary_subtypes"}
    assert list(report["sets"]) == ["test", "real_dev"]
    assert report["agree"] is True
    for data in report["sets"].values():
        assert set(data) >= {"path", "n_docs", "n_gold", "n_pred", "spacy", "seqeval", "agreement",
                             "errors", "top_errors", "error_list"}
        assert set(data["seqeval"]) == {"per_label", "micro", "macro", "weighted"}
        assert set(data["errors"]["counts"]) == set(ev.ERROR_CATEGORIES)
        assert set(data["errors"]["boundary"]) == set(ev.BOUNDARY_SUBTYPES)
        assert "ents_f" in data["spacy"]
        assert data["values"]["status"] == "no_values_component", "a pipeline without values is said so"
        assert data["values"]["per_label"] == {}
    assert report["sets"]["test"]["n_docs"] == 80
    assert EvaluationReport.from_json(report).to_json() == report, "the typed report keeps every key"

    png = (output_dir / "f1_per_label.png").read_bytes()
    assert png.startswith(PNG_MAGIC) and len(png) > 1000
    for name in ("test", "real_dev"):
        html = (output_dir / f"errors_{name}.html").read_text(encoding="utf8")
        assert 'class="entities"' in html and "· gold" in html and "· predicted" in html
    markdown = (output_dir / "evaluation.md").read_text(encoding="utf8")
    assert "## test" in markdown and "## real_dev" in markdown and "f1_per_label.png" in markdown
    assert markdown.count("### Values") == 2 and "Not measured: the pipeline has no values component" in markdown
    assert "Values: Not measured" in completed.stdout


def test_error_html_renders_gold_and_prediction_per_doc(korean_nlp):
    text, gold, pred, _, _ = CASES["particle"]
    result = ev.evaluate_examples(korean_nlp, [make_example(korean_nlp, text, gold, pred)], name="constructed")
    html = ev.render_error_html(result)
    assert html.count("<mark") == 2
    assert "constructed #0 · gold" in html
    assert "wrong_boundary (swallowed_particle) PHONE" in html


def test_report_of_a_set_without_entities_is_well_formed(korean_nlp, tmp_path):
    example = make_example(korean_nlp, "네 감사합니다", [], [])
    results = {"empty": ev.evaluate_examples(korean_nlp, [example], name="empty")}
    report = ev.evaluation_report(korean_nlp, results)
    paths = ev.write_evaluation_report(report, results, tmp_path / "out")
    assert report.sets["empty"].seqeval.micro.f1 == 0.0
    assert all(path.stat().st_size > 0 for path in paths.values())


def test_values_of_a_trained_pipeline_without_a_values_component(tiny_trf_pipeline, korean_nlp, tmp_path):
    """End to end on gold that carries values through the .spacy file: the older pipeline is named, not scored 0."""
    import spacy

    records, _ = read_annotated_jsonl(REAL_DEV_PATH, korean_nlp)
    records = records[:40]
    for record in records:  # the normaliser's value of each gold surface stands in for a checked one
        computed = {span: compute_value(span[2], record.text[span[0]:span[1]]).value for span in record.entities}
        record.values = {span: value for span, value in computed.items() if value is not None}
    gold_path = tmp_path / "real_dev.spacy"
    records_to_docbin(korean_nlp, records).to_disk(gold_path)
    gold_docs = list(DocBin().from_disk(gold_path).get_docs(korean_nlp.vocab))
    n_gold_values = sum(ent._.value is not None for doc in gold_docs for ent in doc.ents)
    assert n_gold_values == sum(len(r.values) for r in records) > 0, "gold values survive the DocBin"

    nlp = spacy.load(tiny_trf_pipeline)
    assert not ev.has_values_component(nlp)
    results = ev.evaluate_sets(nlp, {"real_dev": gold_path})
    report = ev.evaluation_report(nlp, results)
    values = report.sets["real_dev"].values
    assert values.status == "no_values_component"
    assert values.n_gold_with_value == n_gold_values
    paths = ev.write_evaluation_report(report, results, tmp_path / "out", sample_size=2)
    markdown = paths["markdown"].read_text(encoding="utf8")
    assert "Not measured: the pipeline has no values component (`callner_values`)" in markdown
