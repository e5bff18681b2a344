"""Presidio over ko_callner with the real presidio-analyzer and presidio-anonymizer: every label mapped,
our scores passed through, Presidio's own context enhancer working on Korean with particles."""
import re
import subprocess
import sys

import pytest
import spacy
from presidio_analyzer import BatchAnalyzerEngine
from presidio_analyzer.nlp_engine import NerModelConfiguration
from presidio_anonymizer import AnonymizerEngine
from presidio_anonymizer.entities import OperatorConfig

from spacy_callner.presidio import CONTEXT_SUFFIX_COUNT, PRESIDIO_ENTITIES, analyzer_engine
from spacy_callner.scores.calibration import FALLBACK, REGEX, ScoreCalibration, group_name
from spacy_callner.tokenizer import make_korean_nlp

SCORES = {group_name(REGEX, "PHONE"): 0.62, group_name(REGEX, "CONTRACT"): 0.57,
          group_name(FALLBACK, "MONEY"): 0.55, group_name(FALLBACK, "PRODUCT"): 0.58}
"""Scores the pipeline gives, none of them Presidio's flat 0.85, all low enough to be raised by 0.35."""

ALL_LABELS = "네 010-1234-5678로 주시고 갤럭시 S25 울트라로 바꾸면 5만 원이에요, KR-2026-001번이요."
NO_CONTEXT = [ALL_LABELS, "음 010-1234-5678로 주세요", "그럼 갤럭시 S25 울트라로 할게요"]


def _rule_pipeline():
    """Korean tokenizer, MONEY/PRODUCT from an entity ruler, PHONE/CONTRACT from the regex component,
    scores (regex and fallback constants) and values: the packaged component order without a model."""
    nlp = make_korean_nlp()
    nlp.add_pipe("entity_ruler").add_patterns([
        {"label": "MONEY", "pattern": "5만 원"}, {"label": "PRODUCT", "pattern": "갤럭시 S25 울트라"}])
    nlp.add_pipe("callner_regex_ner")
    nlp.add_pipe("callner_scores").calibration = ScoreCalibration(constants=SCORES)
    nlp.add_pipe("callner_values")
    return nlp


@pytest.fixture(scope="module")
def nlp():
    return _rule_pipeline()


@pytest.fixture(scope="module")
def analyzer(nlp):
    return analyzer_engine(nlp)


def _found(results, text):
    return sorted((text[r.start:r.end], r.entity_type, r.score) for r in results)


def _doc_scores(nlp, text):
    return sorted((ent.text, PRESIDIO_ENTITIES[ent.label_], ent._.score) for ent in nlp(text).ents)


@pytest.mark.parametrize("text", NO_CONTEXT)
def test_all_labels_come_back_mapped_with_our_scores(nlp, analyzer, text):
    results = analyzer.analyze(text, language="ko")
    assert _found(results, text) == _doc_scores(nlp, text)
    assert all(r.score != 0.85 for r in results)


def test_particles_stay_outside_the_entities(analyzer):
    found = {(ALL_LABELS[r.start:r.end], r.entity_type) for r in analyzer.analyze(ALL_LABELS, language="ko")}
    assert found == {("010-1234-5678", "PHONE_NUMBER"), ("갤럭시 S25 울트라", "PRODUCT"), ("5만 원", "MONEY"),
                     ("KR-2026-001", "CONTRACT_NUMBER")}


@pytest.mark.parametrize("with_context, without_context, entity", [
    ("제 연락처는 010-1234-5678로 주세요", "음 010-1234-5678로 주세요", "PHONE_NUMBER"),
    ("010-1234-5678이 제 핸드폰이에요", "010-1234-5678이 맞아요", "PHONE_NUMBER"),
    ("계약번호는 KR-2026-001번이요", "그건 KR-2026-001번이요", "CONTRACT_NUMBER"),
    ("할부 원금이 5만 원이에요", "그게 5만 원이에요", "MONEY"),
    ("기종은 갤럭시 S25 울트라로 할게요", "그럼 갤럭시 S25 울트라로 할게요", "PRODUCT"),
    # the particles 는, 요 and 로 are not words: 전화번호 is five words before the number
    ("전화번호는 제 거요 새 거로 010-1234-5678로 주세요", "제 거요 새 거로 010-1234-5678로 주세요", "PHONE_NUMBER"),
])
def test_a_context_word_raises_the_score(nlp, analyzer, with_context, without_context, entity):
    raised = [r for r in analyzer.analyze(with_context, language="ko", return_decision_process=True)
              if r.entity_type == entity]
    plain = [r for r in analyzer.analyze(without_context, language="ko") if r.entity_type == entity]
    ours = [score for _, label, score in _doc_scores(nlp, without_context) if label == entity]
    assert [r.score for r in plain] == ours
    enhancer = analyzer.context_aware_enhancer
    assert [r.score for r in raised] == [pytest.approx(ours[0] + enhancer.context_similarity_factor)]
    assert raised[0].analysis_explanation.supportive_context_word


def test_a_context_word_beyond_the_window_does_not_count(analyzer):
    text = "010-1234-5678" + " 네" * (CONTEXT_SUFFIX_COUNT + 1) + " 연락처예요"
    [result] = analyzer.analyze(text, language="ko")
    assert result.score == SCORES[group_name(REGEX, "PHONE")]


def test_tokens_get_lemmas_and_particles_are_stop_words(analyzer):
    artifacts = analyzer.nlp_engine.process_text("제 연락처는 010-1234-5678로 주세요", "ko")
    assert artifacts.lemmas == [token.lower_ for token in artifacts.tokens]
    assert "연락처" in artifacts.keywords
    assert not {"는", "로"} & set(artifacts.keywords)


def test_a_lemma_the_pipeline_set_is_kept():
    nlp = make_korean_nlp()

    @spacy.Language.component("test_presidio_lemmas")
    def set_lemmas(doc):
        for token in doc:
            token.lemma_ = "전화" if token.text == "폰" else token.text
        return doc

    nlp.add_pipe("test_presidio_lemmas")
    artifacts = analyzer_engine(nlp).nlp_engine.process_text("폰 번호", "ko")
    assert artifacts.lemmas == ["전화", "번호"]


def test_anonymizer_replaces_exactly_the_entities(analyzer):
    text = "제 연락처는 010-1234-5678로 해 주시고 계약번호는 KR-2026-001번이요. 요금은 5만 원이에요"
    results = analyzer.analyze(text, language="ko")
    replaced = AnonymizerEngine().anonymize(text, results)
    assert replaced.text == ("제 연락처는 <PHONE_NUMBER>로 해 주시고 계약번호는 <CONTRACT_NUMBER>번이요. "
                             "요금은 <MONEY>이에요")
    masked = AnonymizerEngine().anonymize(text, results, operators={
        "DEFAULT": OperatorConfig("keep"),
        "PHONE_NUMBER": OperatorConfig("mask", {"masking_char": "*", "chars_to_mask": 9, "from_end": False})})
    assert masked.text == text.replace("010-1234-5678", "*********5678")
    tags = [(match.start(), match.end()) for match in re.finditer(r"<[A-Z_]+>", replaced.text)]
    assert sorted((item.start, item.end) for item in replaced.items) == tags


def test_engine_serves_korean_only_with_our_recognizers_and_loads_a_saved_pipeline(nlp, tmp_path, monkeypatch):
    def no_download(*args, **kwargs):
        raise AssertionError("Presidio tried to download a model")

    monkeypatch.setattr(spacy.cli, "download", no_download)
    nlp.to_disk(tmp_path / "pipeline")
    analyzer = analyzer_engine(tmp_path / "pipeline")
    assert analyzer.supported_languages == ["ko"]
    assert sorted(analyzer.get_supported_entities("ko")) == sorted(PRESIDIO_ENTITIES.values())
    assert all(recognizer.name.startswith("ko_callner:") for recognizer in analyzer.get_recognizers())
    assert len(analyzer.analyze(ALL_LABELS, language="ko")) == 4


def test_ignored_labels_and_a_pipeline_without_scores(nlp):
    analyzer = analyzer_engine(nlp, ner_model_configuration=NerModelConfiguration(labels_to_ignore=["MONEY"]))
    assert "MONEY" not in {r.entity_type for r in analyzer.analyze(ALL_LABELS, language="ko")}
    assert "MONEY" not in analyzer.get_supported_entities("ko")
    unscored = make_korean_nlp()
    unscored.add_pipe("callner_regex_ner")
    results = analyzer_engine(unscored, ner_model_configuration=NerModelConfiguration(default_score=0.3)).analyze(
        "음 010-1234-5678로 주세요", language="ko")
    assert [r.score for r in results] == [0.3]


def test_batch_analysis_matches_one_by_one(analyzer):
    batch = BatchAnalyzerEngine(analyzer).analyze_iterator(NO_CONTEXT, language="ko", batch_size=2)
    assert [_found(results, text) for text, results in zip(NO_CONTEXT, batch)] == [
        _found(analyzer.analyze(text, language="ko"), text) for text in NO_CONTEXT]


def test_importing_the_package_does_not_import_presidio_and_a_missing_extra_names_itself():
    lazy = subprocess.run([sys.executable, "-c", (
        "import sys, spacy_callner, spacy_callner.records, spacy_callner.tokenizer\n"
        "assert not [m for m in sys.modules if m.startswith('presidio')], 'presidio imported'")],
        capture_output=True, text=True)
    assert lazy.returncode == 0, lazy.stderr
    missing = subprocess.run([sys.executable, "-c", (
        "import sys; sys.modules['presidio_analyzer'] = None\n"
        "import spacy_callner.presidio")], capture_output=True, text=True)
    assert missing.returncode != 0
    assert "pip install spacy-callner[presidio]" in missing.stderr
