"""How much gold PII the runtime's ``redact()`` hides on an evaluation set.

Exact-span F1 says little about redaction: a span one particle too long still hides the number,
and one that is cut short leaks digits. So each gold entity of a redacted label is checked
against the union of the spans ``spacy_callner.redact.spans_to_redact`` picks on the predicted
doc (any redacted label counts: a number tagged CONTRACT is still hidden), by characters:

- redaction recall: the share of gold entities whose every non-space character is covered;
- residual-PII rate: gold non-space characters left uncovered, over all of them.

Both at the recall-first ``REDACTION_THRESHOLD`` (ents plus the candidates scoring at least it)
and at the pipeline's own thresholds (``doc.ents`` alone). They hold for the tag and hash
styles, which replace the whole span; the mask style leaves by design a PHONE's prefix, the
last digits and the format visible.
"""
from typing import Dict, Iterable, List, Optional, Sequence, Set, Tuple

from spacy.tokens import Doc

from ...components.scores import CANDIDATES_KEY
from ...redact import DEFAULT_LABELS, RedactionSettings, spans_to_redact
from ..quality_reports import LabelRedaction, RedactionOutcome, RedactionScores

SETTINGS = ("redaction_threshold", "pipeline_thresholds")
"""The two threshold settings measured, as `LabelRedaction` names them."""


def covered_characters(doc: Doc, settings: RedactionSettings, *, candidates: bool) -> Set[int]:
    """The character offsets of ``doc`` that ``redact(doc, settings)`` replaces."""
    return {i for span, _ in spans_to_redact(doc, settings, candidates=candidates)
            for i in range(span.start_char, span.end_char)}


def gold_characters(text: str, start: int, end: int) -> List[int]:
    """The non-space character offsets of a gold span: what would leak."""
    return [i for i in range(start, end) if not text[i].isspace()]


def _ratio(part: int, whole: int) -> Optional[float]:
    return part / whole if whole else None


def _outcome(n_covered: int, n_gold: int, residual: int, gold_chars: int) -> RedactionOutcome:
    return RedactionOutcome(n_covered=n_covered, recall=_ratio(n_covered, n_gold),
                            residual_chars=residual, residual_rate=_ratio(residual, gold_chars))


class _Counts:
    """Running counts of one label: gold entities and characters, covered and residual per setting."""

    def __init__(self) -> None:
        self.n_gold = 0
        self.gold_chars = 0
        self.covered = dict.fromkeys(SETTINGS, 0)
        self.residual = dict.fromkeys(SETTINGS, 0)

    def add(self, characters: List[int], covered: Dict[str, Set[int]]) -> None:
        self.n_gold += 1
        self.gold_chars += len(characters)
        for setting in SETTINGS:
            left = sum(1 for i in characters if i not in covered[setting])
            self.residual[setting] += left
            self.covered[setting] += left == 0

    def merge(self, others: Iterable["_Counts"]) -> "_Counts":
        for other in others:
            self.n_gold += other.n_gold
            self.gold_chars += other.gold_chars
            for setting in SETTINGS:
                self.covered[setting] += other.covered[setting]
                self.residual[setting] += other.residual[setting]
        return self

    def report(self) -> LabelRedaction:
        outcomes = {setting: _outcome(self.covered[setting], self.n_gold, self.residual[setting], self.gold_chars)
                    for setting in SETTINGS}
        return LabelRedaction(n_gold=self.n_gold, gold_chars=self.gold_chars, **outcomes)


def score_redaction(pairs: Sequence[Tuple[Doc, Doc]], *, labels: Sequence[str] = DEFAULT_LABELS,
                    threshold: Optional[float] = None) -> RedactionScores:
    """Redaction recall and residual-PII rate per label of ``labels`` over (gold, predicted) doc
    pairs of the same texts; ``threshold`` None is the runtime's ``REDACTION_THRESHOLD``."""
    settings = RedactionSettings(labels=tuple(labels), threshold=threshold)
    counts = {label: _Counts() for label in settings.labels}
    has_candidates = False
    for gold, predicted in pairs:
        if gold.text != predicted.text:
            raise ValueError("a predicted doc's text differs from its gold doc's: redaction cannot be compared")
        has_candidates = has_candidates or CANDIDATES_KEY in predicted.spans
        covered = {"redaction_threshold": covered_characters(predicted, settings, candidates=True),
                   "pipeline_thresholds": covered_characters(predicted, settings, candidates=False)}
        for ent in gold.ents:
            if ent.label_ in counts:
                counts[ent.label_].add(gold_characters(gold.text, ent.start_char, ent.end_char), covered)
    return RedactionScores(
        threshold=settings.candidate_threshold, labels=list(settings.labels), candidates=has_candidates,
        per_label={label: count.report() for label, count in counts.items()},
        total=_Counts().merge(counts.values()).report(),
    )
