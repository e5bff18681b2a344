"""Are entity scores probabilities? (score, correct) pairs, reliability bins and expected calibration error.

A user who keeps entities with `span._.score >= 0.9` expects nine in ten of
them to be right. Every scored candidate (kept in `doc.ents` or only in
`doc.spans["callner_candidates"]`) is paired with whether its exact span
(start, end and label, on the gold tokens) is a gold entity; the bins and the
ECE (10 equal-width bins over [0, 1], weighted by count) are computed from
those pairs. A set where no candidate carries a score is "not scored", never 0.
"""
from collections import Counter, defaultdict
from dataclasses import dataclass, field
from typing import Dict, Iterable, List, Optional, Sequence, Tuple

from spacy.language import Language
from spacy.tokens import Doc, Span
from spacy.training import Example

from ...components.scores import CANDIDATES_KEY, SCORES_FACTORY
from .entities import project_onto_gold

N_BINS = 10

ScorePair = Tuple[float, bool]
"""A candidate's score and whether its exact span is a gold entity."""


@dataclass
class SetPairs:
    """The (score, correct) pairs of one set per label, the gold counts, and what had no score."""

    source: str
    pairs_by_label: Dict[str, List[ScorePair]] = field(default_factory=lambda: defaultdict(list))
    n_gold_by_label: Counter = field(default_factory=Counter)
    n_unscored: int = 0

    @property
    def scored(self) -> bool:
        return any(self.pairs_by_label.values())

    @property
    def micro_pairs(self) -> List[ScorePair]:
        return [pair for pairs in self.pairs_by_label.values() for pair in pairs]


def has_scores_component(nlp: Language) -> bool:
    """Whether any component of `nlp` was made by the scores factory."""
    return any(nlp.get_pipe_meta(name).factory == SCORES_FACTORY for name in nlp.pipe_names)


def configured_thresholds(nlp: Language) -> Optional[Dict[str, float]]:
    """The per-label thresholds in the pipeline's config, or None without a scores component."""
    for name in nlp.pipe_names:
        if nlp.get_pipe_meta(name).factory == SCORES_FACTORY:
            return dict(nlp.config["components"][name].get("thresholds") or {})
    return None


def candidate_spans(doc: Doc) -> Tuple[str, Sequence[Span]]:
    """The scored candidates of a predicted doc, and where they came from (the group, else `ents`)."""
    if CANDIDATES_KEY in doc.spans:
        return CANDIDATES_KEY, doc.spans[CANDIDATES_KEY]
    return "ents", doc.ents


def example_pairs(example: Example) -> Tuple[List[Tuple[str, ScorePair]], int]:
    """(label, (score, correct)) per scored candidate of `example`, and how many had no score.

    A candidate over text whose gold annotation is unknown is left out, as the
    entity scorers leave it out; a gold entity is matched at most once.
    """
    gold_doc = example.reference
    unmatched = {(e.start_char, e.end_char, e.label_) for e in gold_doc.ents}
    pairs, n_unscored = [], 0
    for span in candidate_spans(example.predicted)[1]:
        projection = project_onto_gold(gold_doc, span)
        if projection is None or projection[1]:
            continue
        if span._.score is None:
            n_unscored += 1
            continue
        key = projection[0].key
        correct = key in unmatched
        unmatched.discard(key)
        pairs.append((span.label_, (float(span._.score), correct)))
    return pairs, n_unscored


def set_pairs(examples: Iterable[Example]) -> SetPairs:
    """Every scored candidate of a set paired with its correctness, and the gold entities per label."""
    examples = list(examples)
    sources = {candidate_spans(eg.predicted)[0] for eg in examples}
    result = SetPairs(source=CANDIDATES_KEY if CANDIDATES_KEY in sources else "ents")
    for eg in examples:
        result.n_gold_by_label.update(ent.label_ for ent in eg.reference.ents)
        pairs, n_unscored = example_pairs(eg)
        result.n_unscored += n_unscored
        for label, pair in pairs:
            result.pairs_by_label[label].append(pair)
    return result


def bin_index(score: float, n_bins: int = N_BINS) -> int:
    """The equal-width bin of a score in [0, 1]; 1.0 falls in the last bin."""
    return min(max(int(score * n_bins), 0), n_bins - 1)


def reliability_bins(pairs: Sequence[ScorePair], n_bins: int = N_BINS) -> List[dict]:
    """Per equal-width bin: bounds, count, mean score and share correct (None for an empty bin)."""
    members: List[List[ScorePair]] = [[] for _ in range(n_bins)]
    for score, correct in pairs:
        members[bin_index(score, n_bins)].append((score, correct))
    return [{
        "lower": i / n_bins, "upper": (i + 1) / n_bins, "count": len(inside),
        "mean_score": sum(s for s, _ in inside) / len(inside) if inside else None,
        "accuracy": sum(c for _, c in inside) / len(inside) if inside else None,
    } for i, inside in enumerate(members)]


def expected_calibration_error(pairs: Sequence[ScorePair], n_bins: int = N_BINS) -> Optional[float]:
    """Σ over bins of count/N · |accuracy − mean score|; None without pairs."""
    if not pairs:
        return None
    return sum(b["count"] / len(pairs) * abs(b["accuracy"] - b["mean_score"])
               for b in reliability_bins(pairs, n_bins) if b["count"])
