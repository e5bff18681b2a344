"""Entity scores judged: pairs, ECE, PR points, operating points, charts, report and model card."""
import pytest
import srsly

from spacy_callner.training import evaluation as ev
from spacy_callner.training.model_card import render_model_card
from spacy_callner.training.quality_reports import NOT_SCORED, SCORES_MEASURED, PRCurves, ScoreReport
from spacy_callner.training.reports import EvaluationReport
from .score_cases import SCORE_CASES, score_examples, scored_example

META = {"lang": "ko", "name": "callner", "version": "0.1.0", "pipeline": ["ner"]}


def assert_same_json(read, written):
    """Equal JSON, floats to the ten digits srsly writes."""
    if isinstance(written, dict):
        assert read.keys() == written.keys()
        for key in written:
            assert_same_json(read[key], written[key])
    elif isinstance(written, list):
        assert len(read) == len(written)
        for read_item, written_item in zip(read, written):
            assert_same_json(read_item, written_item)
    elif isinstance(written, float):
        assert read == pytest.approx(written, rel=1e-9)
    else:
        assert read == written


@pytest.fixture(scope="module")
def result(korean_nlp):
    return ev.evaluate_examples(korean_nlp, score_examples(korean_nlp), name="real_dev")


def test_every_candidate_is_paired_with_exact_correctness(korean_nlp):
    pairs = ev.set_pairs(score_examples(korean_nlp))
    assert pairs.source == ev.CANDIDATES_KEY
    assert dict(pairs.pairs_by_label) == {
        "PRODUCT": [(0.9, True)], "MONEY": [(0.4, True), (0.6, False)], "PHONE": [(0.95, True), (0.3, False)],
    }
    assert dict(pairs.n_gold_by_label) == {"PRODUCT": 1, "MONEY": 1, "PHONE": 1, "CONTRACT": 1}


def test_without_the_span_group_the_entities_are_the_candidates(korean_nlp):
    pairs = ev.set_pairs(score_examples(korean_nlp, group=False))
    assert pairs.source == "ents"
    assert dict(pairs.pairs_by_label) == {"PRODUCT": [(0.9, True)], "MONEY": [(0.6, False)],
                                          "PHONE": [(0.95, True)]}


def test_ece_of_a_perfectly_calibrated_set_is_zero():
    pairs = [(0.8, i < 8) for i in range(10)] + [(0.5, True), (0.5, False), (0.0, False)]
    assert ev.expected_calibration_error(pairs) == pytest.approx(0.0, abs=1e-12)


def test_ece_of_a_miscalibrated_set_is_the_hand_computed_value():
    pairs = [(0.9, True), (0.9, True), (0.9, False), (0.9, False), (0.25, True), (0.25, True)]
    # bin 0.9: accuracy 0.5, gap 0.4, weight 4/6; bin 0.2: accuracy 1.0, gap 0.75, weight 2/6
    assert ev.expected_calibration_error(pairs) == pytest.approx(4 / 6 * 0.4 + 2 / 6 * 0.75)
    bins = ev.reliability_bins(pairs)
    assert [b["count"] for b in bins] == [0, 0, 2, 0, 0, 0, 0, 0, 0, 4]
    assert bins[9]["accuracy"] == 0.5 and bins[0]["mean_score"] is None
    assert ev.bin_index(1.0) == 9 and ev.bin_index(0.0) == 0 and ev.bin_index(0.1) == 1
    assert ev.expected_calibration_error([]) is None


def test_pr_points_count_every_gold_entity():
    pairs = [(0.95, True), (0.9, True), (0.6, False), (0.4, True), (0.3, False)]
    points = [(p.threshold, p.precision, p.recall, p.f1) for p in ev.pr_points(pairs, n_gold=4)]
    assert points == [(0.3, 3 / 5, 3 / 4, 6 / 9), (0.4, 3 / 4, 3 / 4, 6 / 8), (0.6, 2 / 3, 2 / 4, 4 / 7),
                      (0.9, 1.0, 2 / 4, 4 / 6), (0.95, 1.0, 1 / 4, 2 / 5)]
    same_score = ev.pr_points([(0.7, True), (0.7, False)], n_gold=1)
    assert [(p.threshold, p.precision, p.recall) for p in same_score] == [(0.7, 0.5, 1.0)]


def test_a_gold_entity_never_proposed_lowers_recall(result):
    scores = result.scores
    assert scores.per_label["CONTRACT"].n_gold == 1 and scores.per_label["CONTRACT"].n_candidates == 0
    assert scores.per_label["CONTRACT"].operating_points.best_f1 is None
    assert max(p.recall for p in result.pr_curves.micro.points) == 0.75
    assert scores.micro.operating_points.recall_99 is None


def test_operating_points_per_label_and_not_reachable(result):
    points = {label: c.operating_points for label, c in result.scores.per_label.items()}
    money, phone = points["MONEY"], points["PHONE"]
    assert (money.best_f1.threshold, money.best_f1.precision, money.best_f1.recall) == (0.4, 0.5, 1.0)
    assert money.precision_99 is None, "no MONEY threshold keeps only right entities"
    assert money.recall_99.threshold == 0.4
    assert phone.best_f1.threshold == phone.precision_99.threshold == phone.recall_99.threshold == 0.95
    assert phone.best_f1.f1 == 1.0
    assert list(result.scores.per_label) == ["PHONE", "MONEY", "PRODUCT", "CONTRACT"]


def test_precision_and_recall_targets_pick_the_lowest_and_highest_threshold():
    pairs = [(0.9, True), (0.8, True), (0.7, False), (0.6, True)]
    points = ev.operating_points(pairs, n_gold=3)
    assert points.precision_99.threshold == 0.8, "the lowest threshold still precise"
    assert points.recall_99.threshold == 0.6, "the highest threshold still complete"


def test_best_f1_ties_go_to_the_lower_threshold():
    pairs = [(0.9, True), (0.7, False), (0.6, False), (0.5, True)]
    points = ev.pr_points(pairs, n_gold=2)
    assert points[0].f1 == points[-1].f1 == 2 / 3
    assert ev.operating_points(pairs, n_gold=2).best_f1.threshold == 0.5


def test_best_f1_thresholds_for_the_component_config(korean_nlp):
    pairs = ev.set_pairs(score_examples(korean_nlp))
    thresholds = ev.best_f1_thresholds(pairs.pairs_by_label, pairs.n_gold_by_label)
    assert thresholds == {"PRODUCT": 0.9, "MONEY": 0.4, "PHONE": 0.95}
    assert ev.best_f1_thresholds({"MONEY": [(0.5, True)]}, {}) == {}, "no gold entities: no best F1"


def test_the_configured_threshold_gets_its_precision_and_recall():
    pairs = [(0.9, True), (0.7, False), (0.6, False), (0.5, True)]
    configured = ev.operating_points(pairs, n_gold=2, configured=0.65).configured
    assert (configured.threshold, configured.precision, configured.recall) == (0.65, 0.5, 0.5)
    nothing_kept = ev.point_at(pairs, 2, 0.95)
    assert (nothing_kept.precision, nothing_kept.recall, nothing_kept.f1) == (0.0, 0.0, 0.0)


def test_unscored_candidates_are_counted_and_a_set_without_scores_is_not_scored(korean_nlp):
    examples = score_examples(korean_nlp, scored=False)
    result = ev.evaluate_examples(korean_nlp, examples, name="real_dev")
    assert result.scores.status == NOT_SCORED and result.scores.n_unscored == 5
    assert result.scores.per_label == {} and result.pr_curves.status == NOT_SCORED
    markdown = "\n".join(ev.score_markdown(result.scores))
    assert "Not scored: no predicted entity in `doc.spans[\"callner_candidates\"]` carries a `span._.score`" \
           "; the pipeline has no `callner_scores` component." in markdown
    assert "0.0" not in markdown and "|" not in markdown
    mixed = examples[:1] + score_examples(korean_nlp)[1:]
    assert ev.set_pairs(mixed).n_unscored == 4 and ev.set_pairs(mixed).scored


def test_charts_and_pr_points_are_written(result, korean_nlp, tmp_path):
    unscored = ev.evaluate_examples(korean_nlp, score_examples(korean_nlp, scored=False), name="test")
    results = {"real_dev": result, "test": unscored}
    report = ev.evaluation_report(korean_nlp, results)
    paths = ev.write_evaluation_report(report, results, tmp_path)
    for name in ("reliability_real_dev", "pr_real_dev", "reliability_test", "pr_test"):
        assert paths[name].suffix == ".png" and paths[name].stat().st_size > 1000
    assert_same_json(PRCurves.load(tmp_path / "pr_real_dev.json").to_json(), result.pr_curves.to_json())
    assert_same_json(srsly.read_json(tmp_path / "pr_real_dev.json")["per_label"]["PHONE"]["points"][1],
                     {"threshold": 0.95, "precision": 1.0, "recall": 1.0, "f1": 1.0})
    assert PRCurves.load(tmp_path / "pr_test.json").status == NOT_SCORED
    markdown = paths["markdown"].read_text(encoding="utf8")
    assert "![reliability diagram](reliability_real_dev.png)" in markdown
    assert "| MONEY | 1 | 2 | " in markdown and "not reachable" in markdown


def test_score_report_json_round_trip(result, korean_nlp):
    data = srsly.json_loads(srsly.json_dumps(result.scores.to_json()))
    assert_same_json(ScoreReport.from_json(data).to_json(), result.scores.to_json())
    assert data["status"] == SCORES_MEASURED and data["reliability_diagram"] == "reliability_real_dev.png"
    assert_same_json(data["per_label"]["MONEY"]["operating_points"], {
        "best_f1": {"threshold": 0.4, "precision": 0.5, "recall": 1.0, "f1": 2 / 3},
        "precision_99": None, "recall_99": {"threshold": 0.4, "precision": 0.5, "recall": 1.0, "f1": 2 / 3}})
    full = ev.evaluation_report(korean_nlp, {"real_dev": result})
    read = EvaluationReport.from_json(srsly.json_loads(srsly.json_dumps(full.to_json())))
    assert isinstance(read.sets["real_dev"].scores.micro.operating_points.best_f1.threshold, float)
    assert_same_json(read.to_json(), full.to_json())
    old = full.to_json()
    del old["sets"]["real_dev"]["scores"]
    assert EvaluationReport.from_json(old).sets["real_dev"].scores is None


def test_model_card_lists_thresholds_and_says_not_scored(result, korean_nlp):
    evaluation = ev.evaluation_report(korean_nlp, {"real_dev": result})
    card = render_model_card(META, evaluation)
    assert "### Scores and thresholds" in card
    assert "| MONEY | ≥ 0.400: P 50.0 / R 100.0 | not reachable | ≥ 0.400: P 50.0 / R 100.0 |" in card
    assert "| PHONE | ≥ 0.950: P 100.0 / R 100.0 |" in card
    assert "reliability diagram `reliability_real_dev.png`" in card
    unscored = ev.evaluate_examples(korean_nlp, score_examples(korean_nlp, scored=False), name="real_dev")
    card = render_model_card(META, ev.evaluation_report(korean_nlp, {"real_dev": unscored}))
    section = card.split("### Scores and thresholds")[1].split("##")[0]
    assert "real_dev: Not scored: no predicted entity" in section and "0.0" not in section


def test_a_trained_pipeline_without_a_scores_component_is_not_scored(tiny_trf_pipeline, korean_nlp, tmp_path):
    import spacy

    nlp = spacy.load(tiny_trf_pipeline)
    assert not ev.has_scores_component(nlp) and ev.configured_thresholds(nlp) is None
    gold = [scored_example(korean_nlp, text, entities, []).reference for text, entities, _ in SCORE_CASES]
    results = {"real_dev": ev.evaluate_examples(nlp, ev.predict(nlp, gold), name="real_dev")}
    report = ev.evaluation_report(nlp, results)
    assert report.sets["real_dev"].scores.status == NOT_SCORED
    paths = ev.write_evaluation_report(report, results, tmp_path, sample_size=2)
    assert paths["reliability_real_dev"].stat().st_size > 0
    assert "the pipeline has no `callner_scores` component" in paths["markdown"].read_text(encoding="utf8")
