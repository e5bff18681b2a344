"""The component that gives every entity a calibrated score and applies per-label thresholds.

It runs after ``ner`` and ``callner_regex_ner`` and before ``callner_values``. Every entity it
receives is a candidate: it gets ``span._.score`` (the calibrated probability that this exact
span, label and both boundaries, is right) and goes into ``doc.spans["callner_candidates"]``;
``doc.ents`` keeps the candidates at or above their label's threshold.

Where a score comes from (``spacy_callner.scores``): a ``ner`` entity's is the product of the
probabilities of the moves that built it, replayed with the ``ner``'s model on the encoder output
the ``ner`` saw (``doc._.trf_data``), then calibrated; a span the regex component made or
confirmed gets that label's measured regex precision. A doc longer than the encoder guard's
``max_doc_tokens`` was run in pieces and keeps no encoder output: its ``ner`` entities get the
label's measured ``ner`` precision (group ``fallback``). Scores live in ``doc.user_data`` by
character offsets, so they survive ``doc.to_bytes()``, ``DocBin(store_user_data=True)`` and the
values component's relinking.

Thresholds: config ``thresholds`` (a label not named has 0.0), overridable at load time and per
call (``component_cfg={"callner_scores": {"thresholds": {...}}}``, ``component(doc, thresholds=...)``).
``apply_thresholds(doc, thresholds)`` re-splits an already scored doc without running any model.
"""
import json
from pathlib import Path
from typing import Dict, Iterable, List, Optional, Union

import srsly
from spacy.language import Language
from spacy.tokens import Doc, Span
from spacy.util import ensure_path, minibatch

from .. import extensions  # noqa: F401  (registers span._.score)
from ..scheme.labels import CONTRACT, MONEY, PHONE, PRODUCT
from ..scores.calibration import FALLBACK, NER, REGEX, ScoreCalibration
from ..scores.ner_probabilities import ActionProbabilities, greedy_parse_with_probabilities, ner_view

CANDIDATES_KEY = "callner_candidates"
SCORES_FACTORY = "callner_scores"
CALIBRATION_FILE = "calibration.json"
DEFAULT_THRESHOLDS = {PHONE: 0.5, MONEY: 0.5, PRODUCT: 0.5, CONTRACT: 0.5}
DEFAULT_CONFIG = {"thresholds": DEFAULT_THRESHOLDS, "ner": "ner", "regex_ner": "callner_regex_ner"}


@Language.factory(
    SCORES_FACTORY,
    default_config=DEFAULT_CONFIG,
    assigns=["span._.score", "doc.spans", "doc.ents"],
    requires=["doc.ents"],
)
def make_entity_scores(nlp: Language, name: str, thresholds: Dict[str, float], ner: str,
                       regex_ner: str) -> "EntityScores":
    """Build the scores component.

    thresholds: the least score per label for an entity to stay in ``doc.ents``.
    ner, regex_ner: the names of the components whose entities are scored; a name the
        pipeline lacks is skipped (its entities fall back to the ``fallback`` group).
    """
    return EntityScores(nlp, name, thresholds=thresholds, ner_name=ner, regex_name=regex_ner)


def apply_thresholds(doc: Doc, thresholds: Dict[str, float]) -> Doc:
    """Set ``doc.ents`` to the scored candidates at or above their label's threshold (missing: 0.0)."""
    candidates = doc.spans[CANDIDATES_KEY] if CANDIDATES_KEY in doc.spans else doc.ents
    kept = [span for span in candidates
            if span._.score is None or span._.score >= float(thresholds.get(span.label_, 0.0))]
    doc.ents = sorted(kept, key=lambda span: span.start)
    return doc


class EntityScores:
    """Scores the entities of ``doc.ents`` and keeps those at or above their thresholds."""

    def __init__(self, nlp: Language, name: str = "callner_scores", *,
                 thresholds: Optional[Dict[str, float]] = None, ner_name: str = "ner",
                 regex_name: str = "callner_regex_ner", calibration: Optional[ScoreCalibration] = None):
        self.nlp = nlp
        self.name = name
        self.thresholds = {label: float(value) for label, value in (thresholds or {}).items()}
        self.ner_name = ner_name
        self.regex_name = regex_name
        self.calibration = calibration or ScoreCalibration()

    def _component(self, name: str):
        return self.nlp.get_pipe(name) if name in self.nlp.component_names else None

    def __call__(self, doc: Doc, thresholds: Optional[Dict[str, float]] = None) -> Doc:
        return next(iter(self.pipe([doc], thresholds=thresholds)))

    def pipe(self, docs: Iterable[Doc], batch_size: int = 64,
             thresholds: Optional[Dict[str, float]] = None) -> Iterable[Doc]:
        active = self.thresholds if thresholds is None else {label: float(v) for label, v in thresholds.items()}
        for batch in minibatch(docs, size=batch_size):
            fresh = [doc for doc in batch if CANDIDATES_KEY not in doc.spans]
            for doc, probabilities in zip(fresh, self.ner_probabilities(fresh)):
                self.score_candidates(doc, probabilities)
            for doc in batch:
                yield apply_thresholds(doc, active)

    def ner_probabilities(self, docs: List[Doc]) -> List[Optional[Dict]]:
        """Per doc, the ``ner``'s entities with their move probabilities, or None where unknown."""
        ner = self._component(self.ner_name)
        views = [ner_view(doc, self.nlp.tokenizer) if ner is not None else None for doc in docs]
        replayable = [view for view in views if view is not None]
        replayed = iter(greedy_parse_with_probabilities(ner, replayable) if replayable else [])
        return [next(replayed) if view is not None else None for view in views]

    def score_candidates(self, doc: Doc, probabilities: Optional[Dict]) -> None:
        """Give every entity of ``doc.ents`` its score and store them all as the candidates."""
        candidates = []
        for ent, (source, moves) in zip(doc.ents, self.evidence(doc, probabilities)):
            ent._.score = self.calibration.score(source, ent.label_, moves.product if moves else None)
            candidates.append(Span(doc, ent.start, ent.end, label=ent.label, kb_id=ent.kb_id, span_id=ent.id))
        doc.spans[CANDIDATES_KEY] = candidates

    def evidence(self, doc: Doc, probabilities: Optional[Dict]) -> List[tuple]:
        """Per entity of ``doc.ents``: its group (``ner``, ``regex``, ``fallback``) and, in the ``ner``
        group, the probabilities of the moves that built it (else None)."""
        regex = self._component(self.regex_name)
        regex_spans = set(regex.find_spans(doc.text)) if regex is not None and doc.text else set()
        return [_evidence((ent.start_char, ent.end_char, ent.label_), regex_spans, probabilities)
                for ent in doc.ents]

    def to_disk(self, path: Union[str, Path], *, exclude: Iterable[str] = tuple()) -> None:
        path = ensure_path(path)
        path.mkdir(parents=True, exist_ok=True)
        # the standard library's json keeps every float exactly (srsly's rounds to 10 digits)
        (path / CALIBRATION_FILE).write_text(json.dumps(self.calibration.to_dict(), indent=1), encoding="utf8")

    def from_disk(self, path: Union[str, Path], *, exclude: Iterable[str] = tuple()) -> "EntityScores":
        saved = ensure_path(path) / CALIBRATION_FILE
        if saved.exists():
            self.calibration = ScoreCalibration.from_dict(json.loads(saved.read_text(encoding="utf8")))
        return self

    def to_bytes(self, *, exclude: Iterable[str] = tuple()) -> bytes:
        return srsly.msgpack_dumps({"calibration": self.calibration.to_dict()})

    def from_bytes(self, data: bytes, *, exclude: Iterable[str] = tuple()) -> "EntityScores":
        self.calibration = ScoreCalibration.from_dict(srsly.msgpack_loads(data)["calibration"])
        return self


def _evidence(key, regex_spans: set, probabilities: Optional[Dict]):
    if key in regex_spans:
        return REGEX, None
    if probabilities is None:
        return FALLBACK, None
    found: Optional[ActionProbabilities] = probabilities.get(key) or _overlapping(probabilities, key)
    return (NER, found) if found is not None else (FALLBACK, None)


def _overlapping(probabilities: Dict, key) -> Optional[ActionProbabilities]:
    """The ``ner`` entity of the same label that overlaps the span most (one trimmed at its edges)."""
    start, end, label = key
    best, best_overlap = None, 0
    for (ner_start, ner_end, ner_label), found in probabilities.items():
        overlap = min(end, ner_end) - max(start, ner_start)
        if ner_label == label and overlap > best_overlap:
            best, best_overlap = found, overlap
    return best
