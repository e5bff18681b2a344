"""Fitting and measuring the scores calibration: ECE, thresholds, cross-fitting, and a real fit."""
import pytest
import spacy
from sklearn.metrics import roc_auc_score
from spacy.tokens import DocBin
from spacy.training import Example

from spacy_callner.scores.calibration import NER, REGEX, UNFITTED_SCORE, group_name
from spacy_callner.training.calibration import (Candidate, ScoredCandidates, apply_calibration, best_f1_thresholds,
                                                choose_method,
                                                collect_candidates, cross_fitted_scores,
                                                expected_calibration_error, fit_calibration, fit_scores,
                                                micro_f1)
from spacy_callner.training.evaluation.operating_points import operating_points


def _ner(doc, raw, correct, label="MONEY"):
    return Candidate(doc, label, NER, raw, 1, correct, (raw,))


def test_ece_is_zero_when_scores_match_accuracy_and_the_gap_otherwise():
    assert expected_calibration_error([0.9] * 10, [True] * 9 + [False]) == pytest.approx(0.0)
    assert expected_calibration_error([0.9] * 10, [True] * 5 + [False] * 5) == pytest.approx(0.4)
    mixed = expected_calibration_error([0.15, 0.15, 0.95, 0.95], [False, False, True, True])
    assert mixed == pytest.approx(0.5 * 0.15 + 0.5 * 0.05)
    assert expected_calibration_error([], []) == 0.0


def test_thresholds_are_the_best_f1_per_label_and_a_guard_can_veto_them():
    scored = ScoredCandidates([_ner(0, 0.9, True), _ner(0, 0.8, True), _ner(1, 0.3, False), _ner(1, 0.2, False)],
                              {"MONEY": 2})
    calibration = fit_calibration(scored)
    assert calibration.thresholds["MONEY"] == 0.8
    assert micro_f1(apply_calibration(calibration, scored), scored, calibration.thresholds)[2] == 1.0
    guard = ScoredCandidates([_ner(0, 0.5, True), _ner(0, 0.95, True)], {"MONEY": 2})
    guarded = fit_calibration(scored, guard=guard)
    assert guarded.thresholds["MONEY"] <= 0.5


def test_calibration_thresholds_agree_with_the_evaluation_operating_point():
    scores = [0.95, 0.9, 0.7, 0.6, 0.4, 0.3, 0.2]
    correct = [True, True, False, True, True, False, False]
    scored = ScoredCandidates([_ner(i, s, c) for i, (s, c) in enumerate(zip(scores, correct))], {"MONEY": 5})
    expected = operating_points(list(zip(scores, correct)), 5).best_f1.threshold
    assert best_f1_thresholds(scores, scored) == {"MONEY": expected} == {"MONEY": 0.4}
    everything_right = ScoredCandidates([_ner(0, 0.5, True), _ner(1, 0.7, True)], {"MONEY": 2, "PHONE": 0})
    assert best_f1_thresholds([0.5, 0.7], everything_right) == {"MONEY": 0.0, "PHONE": 0.0}, \
        "keeping every candidate is best: 0.0, so later low-scored ones are kept too; no gold: 0.0"


def test_regex_and_fallback_constants_are_smoothed_precisions():
    regex = [Candidate(i, "PHONE", REGEX, None, 3, i < 8) for i in range(10)]
    calibration = fit_calibration(ScoredCandidates(regex, {"PHONE": 8}))
    assert calibration.constants[group_name(REGEX, "PHONE")] == pytest.approx(9 / 12)
    assert 0.0 < calibration.constants[group_name(REGEX, "PHONE")] < 1.0


@pytest.mark.parametrize("method", ["isotonic", "platt"])
def test_fitted_curves_are_monotone(method):
    candidates = [_ner(i, i / 40, i % 3 != 0 or i > 30) for i in range(40)]
    calibration = fit_calibration(ScoredCandidates(candidates, {"MONEY": 40}), method=method)
    curve = calibration.curves[group_name(NER, "MONEY")]
    values = [curve(x / 100) for x in range(101)]
    assert values == sorted(values) and all(0.0 <= v <= 1.0 for v in values)


def test_cross_fitting_never_scores_a_doc_with_its_own_data():
    only_in_doc_0 = [Candidate(0, "PHONE", REGEX, None, 3, True) for _ in range(5)]
    others = [_ner(doc, 0.7, True) for doc in range(1, 10)]
    scored = ScoredCandidates(only_in_doc_0 + others, {"PHONE": 5, "MONEY": 9})
    scores = cross_fitted_scores(scored, n_folds=5)
    assert scores[:5] == [UNFITTED_SCORE] * 5
    assert fit_calibration(scored).score(REGEX, "PHONE") > UNFITTED_SCORE


def _examples(nlp, path):
    return [Example(nlp.make_doc(doc.text), doc) for doc in DocBin().from_disk(path).get_docs(nlp.vocab)]


def test_a_fitted_score_ranks_right_candidates_above_wrong_ones_on_held_out_docs(tiny_trf_pipeline, tmp_path):
    nlp = spacy.load(tiny_trf_pipeline)
    nlp.add_pipe("callner_regex_ner", config={"drop_invalid": False})
    corpus = tiny_trf_pipeline.parent.parent / "corpus"
    calibration = fit_scores(nlp, _examples(nlp, corpus / "train.spacy"))
    assert calibration.is_fitted and set(calibration.thresholds) <= {"PHONE", "MONEY", "PRODUCT", "CONTRACT"}
    held_out = collect_candidates(nlp, _examples(nlp, corpus / "dev.spacy"))
    correct = [c.correct for c in held_out.candidates]
    assert any(correct) and not all(correct)
    assert roc_auc_score(correct, apply_calibration(calibration, held_out)) > 0.5
    nlp.to_disk(tmp_path / "fitted")
    loaded = spacy.load(tmp_path / "fitted").get_pipe("callner_scores")
    assert loaded.calibration == calibration and loaded.thresholds == calibration.thresholds


def test_auto_keeps_identity_unless_a_curve_clearly_helps():
    overconfident = [_ner(doc, 0.99, doc % 2 == 0) for doc in range(40)]
    method, errors = choose_method(ScoredCandidates(overconfident, {"MONEY": 20}))
    assert method != "identity" and errors[method] <= errors["identity"] - 0.005
    calibrated = [_ner(doc, 0.5, doc % 2 == 0) for doc in range(40)]
    assert choose_method(ScoredCandidates(calibrated, {"MONEY": 20}))[0] == "identity"


def test_candidates_keep_their_ner_evidence_when_the_pipeline_releases_its_tensors(tiny_trf_pipeline):
    """The assembled pipeline ends with callner_release_tensors; the replay still sees the tensors."""
    nlp = spacy.load(tiny_trf_pipeline)
    nlp.add_pipe("callner_regex_ner", config={"drop_invalid": False})
    examples = _examples(nlp, tiny_trf_pipeline.parent.parent / "corpus" / "dev.spacy")
    plain = collect_candidates(nlp, examples)
    nlp.add_pipe("callner_release_tensors")
    released = collect_candidates(nlp, examples)
    assert any(c.source == NER for c in plain.candidates)
    assert released.candidates == plain.candidates
