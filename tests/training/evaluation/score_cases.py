"""Hand-scored predicted docs: candidates with `span._.score`, some kept in `doc.ents`, against gold docs."""
from spacy.tokens import Span
from spacy.training import Example
from spacy.util import filter_spans

import spacy_callner  # noqa: F401  (registers span._.score)
from spacy_callner.training.evaluation import CANDIDATES_KEY

THRESHOLD = 0.5

# text, gold (surface, label), candidates (surface, label, score)
SCORE_CASES = [
    ("갤럭시 S25 울트라 14만 원이고 010-1234-5678로 연락 주세요",
     [("갤럭시 S25 울트라", "PRODUCT"), ("14만 원", "MONEY"), ("010-1234-5678", "PHONE")],
     [("갤럭시 S25 울트라", "PRODUCT", 0.9), ("14만 원", "MONEY", 0.4), ("14만", "MONEY", 0.6),
      ("010-1234-5678", "PHONE", 0.95)]),
    ("계약번호 KR-2026-001 확인해 주세요",
     [("KR-2026-001", "CONTRACT")],
     [("KR-2026-001", "PHONE", 0.3)]),
]
"""PRODUCT (0.9 ✓); MONEY (0.6 ✗ cut, 0.4 ✓ below the threshold); PHONE (0.95 ✓, 0.3 ✗ wrong label);
CONTRACT never proposed. One gold entity of each label."""


def span_of(doc, surface: str, label: str) -> Span:
    start = doc.text.index(surface)
    span = doc.char_span(start, start + len(surface), label=label, alignment_mode="strict")
    assert span is not None, f"{surface!r} is not on token boundaries in {doc.text!r}"
    return span


def scored_example(nlp, text, gold, candidates, *, group: bool = True, scored: bool = True) -> Example:
    """Gold ents; predicted candidates (in the span group unless `group` is False) and the kept ents."""
    gold_doc, pred = nlp.make_doc(text), nlp.make_doc(text)
    gold_doc.ents = [span_of(gold_doc, surface, label) for surface, label in gold]
    spans = []
    for surface, label, score in candidates:
        span = span_of(pred, surface, label)
        if scored:
            span._.score = score
        spans.append((span, score))
    pred.ents = filter_spans([span for span, score in spans if score >= THRESHOLD])
    if group:
        pred.spans[CANDIDATES_KEY] = [span for span, _ in spans]
    return Example(pred, gold_doc)


def score_examples(nlp, **kwargs):
    return [scored_example(nlp, *case, **kwargs) for case in SCORE_CASES]
