"""The ``callner_scores`` component on a real (tiny) trained pipeline: scores, candidates, thresholds."""
import json
import subprocess
import sys

import pytest
import spacy
from spacy.tokens import Doc, DocBin

from spacy_callner.components.scores import CANDIDATES_KEY, apply_thresholds
from spacy_callner.scores.calibration import REGEX, UNFITTED_SCORE, ScoreCalibration, group_name

TEXT = "제 번호는 010-1234-5678 이고요 계약번호는 KR-2026-00013 이에요. 요금은 삼만 원 나왔어요."
LONG_TEXT = " ".join([TEXT] * 500)


@pytest.fixture(scope="module")
def scored_nlp(tiny_trf_pipeline):
    nlp = spacy.load(tiny_trf_pipeline)
    nlp.add_pipe("callner_regex_ner", config={"drop_invalid": False})
    nlp.add_pipe("callner_scores")
    nlp.get_pipe("callner_scores").calibration = ScoreCalibration(constants={group_name(REGEX, "PHONE"): 0.96})
    return nlp


def _assert_scored(doc: Doc) -> None:
    assert CANDIDATES_KEY in doc.spans
    candidates = {(span.start_char, span.end_char, span.label_) for span in doc.spans[CANDIDATES_KEY]}
    for span in [*doc.ents, *doc.spans[CANDIDATES_KEY]]:
        assert span._.score is not None and 0.0 <= span._.score <= 1.0
    assert {(ent.start_char, ent.end_char, ent.label_) for ent in doc.ents} <= candidates


@pytest.mark.parametrize("text", ["", " ", "\n\n", TEXT, "010-1234-5678", LONG_TEXT])
def test_every_entity_and_candidate_has_a_score_in_range(scored_nlp, text):
    doc = scored_nlp(text)
    _assert_scored(doc)
    if text.strip():
        assert len(doc.spans[CANDIDATES_KEY]) > 0


def test_a_long_doc_run_in_pieces_is_scored_from_its_fallback(scored_nlp):
    doc = scored_nlp(LONG_TEXT)
    assert len(doc) > 5000 and doc._.trf_data is None
    _assert_scored(doc)
    regex_made = [span for span in doc.spans[CANDIDATES_KEY] if (span.text, span.label_) == ("010-1234-5678", "PHONE")]
    assert len(regex_made) == 500 and {span._.score for span in regex_made} == {0.96}
    from_ner = [span for span in doc.spans[CANDIDATES_KEY] if span not in regex_made]
    assert from_ner and {span._.score for span in from_ner} == {UNFITTED_SCORE}


def test_regex_spans_get_the_measured_constant(scored_nlp):
    doc = scored_nlp(TEXT)
    phone = [span for span in doc.spans[CANDIDATES_KEY] if (span.text, span.label_) == ("010-1234-5678", "PHONE")]
    assert [span._.score for span in phone] == [0.96]


def test_thresholds_move_entities_between_ents_and_candidates(scored_nlp):
    texts = [TEXT, "네 고객님 포인트 적립은 다음 주에 됩니다"]
    keep_all = list(scored_nlp.pipe(texts, component_cfg={"callner_scores": {"thresholds": {}}}))
    keep_none = list(scored_nlp.pipe(texts, component_cfg={"callner_scores": {"thresholds": {
        label: 1.01 for label in ("PHONE", "MONEY", "PRODUCT", "CONTRACT")}}}))
    for all_doc, none_doc in zip(keep_all, keep_none):
        assert len(all_doc.ents) == len(all_doc.spans[CANDIDATES_KEY]) > 0
        assert len(none_doc.ents) == 0 and len(none_doc.spans[CANDIDATES_KEY]) == len(all_doc.ents)
    only_phone = scored_nlp(TEXT, component_cfg={"callner_scores": {"thresholds": {
        "MONEY": 1.01, "PRODUCT": 1.01, "CONTRACT": 1.01, "PHONE": 0.95}}})
    assert [ent.label_ for ent in only_phone.ents] == ["PHONE"]


def test_apply_thresholds_resplits_a_scored_doc_without_a_model(scored_nlp):
    doc = scored_nlp(TEXT, component_cfg={"callner_scores": {"thresholds": {}}})
    scores = sorted(span._.score for span in doc.spans[CANDIDATES_KEY])
    middle = scores[len(scores) // 2]
    apply_thresholds(doc, {label: middle for label in ("PHONE", "MONEY", "PRODUCT", "CONTRACT")})
    assert sorted(ent._.score for ent in doc.ents) == [s for s in scores if s >= middle]
    apply_thresholds(doc, {})
    assert len(doc.ents) == len(scores)


def test_calling_the_component_on_a_scored_doc_only_rethresholds(scored_nlp):
    component = scored_nlp.get_pipe("callner_scores")
    doc = scored_nlp(TEXT, component_cfg={"callner_scores": {"thresholds": {}}})
    before = [(span.start_char, span._.score) for span in doc.spans[CANDIDATES_KEY]]
    component(doc, thresholds={"PHONE": 1.01})
    assert "PHONE" not in {ent.label_ for ent in doc.ents}
    assert [(span.start_char, span._.score) for span in doc.spans[CANDIDATES_KEY]] == before


def test_scores_survive_to_bytes_and_docbin(scored_nlp):
    doc = scored_nlp(TEXT, component_cfg={"callner_scores": {"thresholds": {"CONTRACT": 1.01}}})
    expected = [(span.start_char, span.end_char, span._.score) for span in doc.spans[CANDIDATES_KEY]]
    restored = Doc(scored_nlp.vocab).from_bytes(doc.to_bytes())
    docbin = DocBin(store_user_data=True, docs=[doc])
    from_docbin = next(DocBin().from_bytes(docbin.to_bytes()).get_docs(scored_nlp.vocab))
    for copy in (restored, from_docbin):
        assert [(s.start_char, s.end_char, s._.score) for s in copy.spans[CANDIDATES_KEY]] == expected
        assert [ent._.score for ent in copy.ents] == [ent._.score for ent in doc.ents]


def test_the_calibration_is_saved_with_the_component(scored_nlp, tmp_path):
    component = scored_nlp.get_pipe("callner_scores")
    scored_nlp.to_disk(tmp_path / "pipeline")
    loaded = spacy.load(tmp_path / "pipeline").get_pipe("callner_scores")
    assert loaded.calibration == component.calibration
    fresh = spacy.load(tmp_path / "pipeline").get_pipe("callner_scores")
    fresh.from_bytes(component.to_bytes())
    assert fresh.calibration == component.calibration


LOAD_WITH_OVERRIDE = """
import json, sys, spacy
import spacy_callner.components.scores  # registers the factory where the entry point is not installed
nlp = spacy.load(sys.argv[1], config={"components": {"callner_scores": {"thresholds": {"PHONE": 0.99}}}})
doc = nlp(sys.argv[2])
print(json.dumps({"thresholds": nlp.get_pipe("callner_scores").thresholds,
                  "ents": [ent.text for ent in doc.ents],
                  "candidates": [span.text for span in doc.spans["callner_candidates"]]}))
"""


def test_a_load_time_override_works_in_a_fresh_process(scored_nlp, tmp_path):
    scored_nlp.to_disk(tmp_path / "pipeline")
    completed = subprocess.run([sys.executable, "-c", LOAD_WITH_OVERRIDE, str(tmp_path / "pipeline"), TEXT],
                               capture_output=True, text=True, check=True, cwd=tmp_path)
    result = json.loads(completed.stdout.strip().splitlines()[-1])
    assert result["thresholds"]["PHONE"] == 0.99
    assert "010-1234-5678" in result["candidates"] and "010-1234-5678" not in result["ents"]
