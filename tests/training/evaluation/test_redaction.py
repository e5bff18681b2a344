"""Redaction recall and residual PII on hand-built gold and predicted docs whose answer is known."""
import pytest
from spacy.training import Example

from spacy_callner.components.scores import CANDIDATES_KEY
from spacy_callner.training import evaluation as ev
from spacy_callner.training.reports import EvaluationReport, RedactionScores

# text, gold (surface, label), predicted ents (surface, label, score), other candidates (surface, label, score)
CASES = [
    ("010-1234-5678 아니고 010-9999-8888로 해 주세요",
     [("010-1234-5678", "PHONE"), ("010-9999-8888", "PHONE")],
     [("010-1234-5678", "PHONE", 0.95)], [("010-9999-8888", "PHONE", 0.45)]),
    ("번호는 010 - 1234 - 5678 입니다",
     [("010 - 1234 - 5678", "PHONE")], [("1234 - 5678", "PHONE", 0.9)], []),
    ("계약 KR-2026-001번이요 그리고 KR-2026-002 해지요",
     [("KR-2026-001", "CONTRACT"), ("KR-2026-002", "CONTRACT")],
     [("KR-2026-001번", "CONTRACT", 0.99), ("KR-2026-002", "PHONE", 0.6)], []),
    ("요금 5만 원이고 010-5555-6666 은 아니에요",
     [("5만 원", "MONEY"), ("010-5555-6666", "PHONE")], [("5만 원", "MONEY", 0.9)],
     [("010-5555-6666", "PHONE", 0.2)]),
]
"""PHONE: 4 gold, 52 characters without spaces. The second number of the first text is only a
candidate (0.45); the spaced number is cut short (its `010 -` leaks: 4 characters); the last number is a candidate
of 0.2. CONTRACT: 2 gold, 22 characters, one found with its particle, one as a PHONE: both hidden."""


def _spans(doc, spans):
    found = []
    for surface, label, *_ in spans:
        start = doc.text.index(surface)
        span = doc.char_span(start, start + len(surface), label=label)
        assert span is not None, surface
        found.append(span)
    return found


def _pair(nlp, text, gold, predicted, candidates, *, with_candidates=True):
    gold_doc = nlp.make_doc(text)
    gold_doc.ents = _spans(gold_doc, gold)
    doc = nlp.make_doc(text)
    doc.ents = _spans(doc, predicted)
    scored = _spans(doc, predicted + candidates)
    for span, (_, _, score) in zip(scored, predicted + candidates):
        span._.score = score
    if with_candidates:
        doc.spans[CANDIDATES_KEY] = scored
    return gold_doc, doc


@pytest.fixture(scope="module")
def pairs(korean_nlp):
    return [_pair(korean_nlp, *case) for case in CASES]


def _figures(label_scores):
    return {setting: (getattr(label_scores, setting).n_covered, getattr(label_scores, setting).recall,
                      getattr(label_scores, setting).residual_chars)
            for setting in ev.REDACTION_SETTINGS}


def test_recall_and_residual_characters_are_counted_exactly(pairs):
    scores = ev.score_redaction(pairs)
    assert scores.labels == ["PHONE", "CONTRACT"] and scores.candidates
    phone, contract = scores.per_label["PHONE"], scores.per_label["CONTRACT"]
    assert (phone.n_gold, phone.gold_chars, contract.n_gold, contract.gold_chars) == (4, 52, 2, 22)
    assert _figures(phone) == {"redaction_threshold": (2, 0.5, 4 + 13), "pipeline_thresholds": (1, 0.25, 13 + 4 + 13)}
    assert phone.redaction_threshold.residual_rate == pytest.approx(17 / 52)
    assert _figures(contract) == {"redaction_threshold": (2, 1.0, 0), "pipeline_thresholds": (2, 1.0, 0)}
    assert contract.pipeline_thresholds.residual_rate == 0.0
    assert _figures(scores.total) == {"redaction_threshold": (4, 4 / 6, 17), "pipeline_thresholds": (3, 0.5, 30)}
    assert scores.total.gold_chars == 74


def test_a_missed_phone_halves_recall(korean_nlp):
    text, gold, predicted, _ = CASES[0]
    scores = ev.score_redaction([_pair(korean_nlp, text, gold, predicted, [])])
    phone = scores.per_label["PHONE"]
    assert phone.redaction_threshold.recall == 0.5 and phone.pipeline_thresholds.recall == 0.5
    assert phone.redaction_threshold.residual_rate == 0.5
    assert scores.per_label["CONTRACT"].redaction_threshold.recall is None


def test_threshold_and_labels_are_chosen_by_the_caller(pairs):
    low = ev.score_redaction(pairs, threshold=0.1).per_label["PHONE"].redaction_threshold
    assert (low.n_covered, low.residual_chars) == (3, 4)
    high = ev.score_redaction(pairs, threshold=0.5).per_label["PHONE"]
    assert high.redaction_threshold == high.pipeline_thresholds
    with_money = ev.score_redaction(pairs, labels=("PHONE", "CONTRACT", "MONEY"))
    money = with_money.per_label["MONEY"]
    assert (money.n_gold, money.gold_chars, money.pipeline_thresholds.recall) == (1, 3, 1.0)
    assert ev.score_redaction(pairs, labels=("MONEY",)).per_label.keys() == {"MONEY"}


def test_without_candidates_both_settings_redact_the_ents(korean_nlp):
    pairs = [_pair(korean_nlp, *case, with_candidates=False) for case in CASES]
    scores = ev.score_redaction(pairs)
    assert not scores.candidates
    assert scores.total.redaction_threshold == scores.total.pipeline_thresholds


def test_docs_of_different_texts_are_refused(korean_nlp, pairs):
    gold, _ = pairs[0]
    with pytest.raises(ValueError, match="differs"):
        ev.score_redaction([(gold, korean_nlp.make_doc("다른 문장"))])


def test_the_evaluation_report_carries_and_renders_redaction(korean_nlp, pairs):
    examples = [Example(predicted, gold) for gold, predicted in pairs]
    result = ev.evaluate_examples(korean_nlp, examples, name="constructed")
    assert result.redaction == ev.score_redaction(pairs)
    report = ev.evaluation_report(korean_nlp, {"constructed": result})
    restored = EvaluationReport.from_json(report.to_json())
    assert isinstance(restored.sets["constructed"].redaction, RedactionScores)
    assert restored.sets["constructed"].redaction == result.redaction
    markdown = ev.render_markdown(restored, chart=None)
    section = markdown.split("### Redaction", 1)[1].split("###", 1)[0]
    assert "| PHONE | 4 | 50.0 (2/4) | 32.69 (17/52 chars) | 25.0 (1/4) | 57.69 (30/52 chars) |" in section
    assert "| *all* | 6 |" in section and "at least 0.3" in section


def test_an_older_report_without_redaction_says_so():
    assert "Not measured" in "\n".join(ev.redaction_markdown(None))
