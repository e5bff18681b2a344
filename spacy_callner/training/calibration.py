"""Fitting the ``callner_scores`` calibration on gold docs, and measuring it.

``fit_scores(nlp, examples)`` runs the pipeline on the examples' texts with every candidate kept,
labels each candidate right when its (start, end, label) equals a gold entity's, and fits
(``spacy_callner.scores.calibration``): per label a curve on the ``ner`` move-probability product
(by ``METHODS``: identity, isotonic or Platt; ``auto`` keeps identity unless a curve clearly helps), the precision of the regex spans, the precision of the ``ner`` entities (the fallback for
docs without encoder output), and the threshold with the best F1 per label. Measuring a calibration
on the docs it was fitted on flatters it: ``cross_fitted_scores`` scores each doc with a calibration
fitted on the other folds.
"""
from dataclasses import dataclass
from typing import Callable, Dict, Iterable, List, Optional, Sequence, Tuple

import numpy
from sklearn.isotonic import IsotonicRegression
from sklearn.linear_model import LogisticRegression
from spacy.language import Language
from spacy.training import Example

from ..components.scores import SCORES_FACTORY, EntityScores
from ..components.tensors import RELEASE_TENSORS_FACTORY
from .evaluation.calibration import N_BINS
from .evaluation.calibration import expected_calibration_error as evaluation_ece
from .evaluation.operating_points import best_f1_point, point_at, pr_points
from ..scores.calibration import FALLBACK, NER, REGEX, Curve, ScoreCalibration, group_name

SCORES_NAME = SCORES_FACTORY


@dataclass(frozen=True)
class Candidate:
    """One predicted entity with its evidence and whether it is right."""

    doc_index: int
    label: str
    source: str
    raw: Optional[float]
    n_tokens: int
    correct: bool
    moves: Tuple[float, ...] = ()
    """The probabilities of the moves that built a ``ner`` entity (empty otherwise)."""


@dataclass
class ScoredCandidates:
    candidates: List[Candidate]
    gold_counts: Dict[str, int]

    def subset(self, doc_indices: set) -> "ScoredCandidates":
        return ScoredCandidates([c for c in self.candidates if c.doc_index in doc_indices], self.gold_counts)


def scores_component(nlp: Language) -> EntityScores:
    """The pipeline's scores component, added after the regex component (or the ``ner``) if missing."""
    if SCORES_NAME not in nlp.pipe_names:
        anchor = "callner_regex_ner" if "callner_regex_ner" in nlp.pipe_names else "ner"
        nlp.add_pipe(SCORES_FACTORY, name=SCORES_NAME, after=anchor)
    return nlp.get_pipe(SCORES_NAME)


def collect_candidates(nlp: Language, examples: Sequence[Example], batch_size: int = 32) -> ScoredCandidates:
    """Every candidate the pipeline predicts for the examples' texts, checked against their gold entities."""
    component = scores_component(nlp)
    candidates: List[Candidate] = []
    gold_counts: Dict[str, int] = {}
    texts = [eg.reference.text for eg in examples]
    # the scores component would replay the ner and rerun the regex that its evidence() below repeats;
    # without it doc.ents are all the candidates (it only scores them and drops those under a threshold).
    # The replay needs doc._.trf_data, which the last component would release.
    docs = nlp.pipe(texts, batch_size=batch_size, disable=[SCORES_NAME, RELEASE_TENSORS_FACTORY])
    for index, (doc, example) in enumerate(zip(docs, examples)):
        gold = {(ent.start_char, ent.end_char, ent.label_) for ent in example.reference.ents}
        for _, _, label in gold:
            gold_counts[label] = gold_counts.get(label, 0) + 1
        probabilities = component.ner_probabilities([doc])[0]
        for ent, (source, moves) in zip(doc.ents, component.evidence(doc, probabilities)):
            candidates.append(Candidate(index, ent.label_, source, moves.product if moves else None, len(ent),
                                        (ent.start_char, ent.end_char, ent.label_) in gold,
                                        moves.probabilities if moves else ()))
    return ScoredCandidates(candidates, gold_counts)


def _precision(candidates: Iterable[Candidate]) -> Optional[float]:
    """Precision with add-one smoothing, so a handful of spans never gives exactly 0 or 1."""
    outcomes = [c.correct for c in candidates]
    return (sum(outcomes) + 1) / (len(outcomes) + 2) if outcomes else None


METHODS = ("identity", "isotonic", "platt")
"""How a ``ner`` group's move-probability product becomes its score: unchanged, an isotonic curve, or a
logistic curve on its logit (Platt). ``auto`` keeps ``identity`` unless a fitted curve lowers the
cross-fitted ECE by at least ``AUTO_MARGIN`` (docs/scores.md: on the realistic dev set none does)."""
AUTO_MARGIN = 0.005
THRESHOLD_TOLERANCE = 0.005


def _logit(values) -> numpy.ndarray:
    values = numpy.clip(numpy.asarray(values, dtype=float), 1e-6, 1 - 1e-6)
    return numpy.log(values / (1 - values))


def _fit_curve(members: List[Candidate], method: str) -> Optional[Curve]:
    raw, correct = [c.raw for c in members], [float(c.correct) for c in members]
    if method == "identity" or not members:
        return None
    if method == "isotonic":
        isotonic = IsotonicRegression(y_min=0.0, y_max=1.0, out_of_bounds="clip").fit(raw, correct)
        return Curve([float(v) for v in isotonic.X_thresholds_], [float(v) for v in isotonic.y_thresholds_])
    if method == "platt":
        if len(set(correct)) < 2:
            return None
        platt = LogisticRegression().fit(_logit(raw)[:, None], correct)
        knots = numpy.unique(numpy.concatenate([[0.0, 1.0], numpy.quantile(raw, numpy.linspace(0, 1, 200))]))
        return Curve([float(v) for v in knots], [float(v) for v in platt.predict_proba(_logit(knots)[:, None])[:, 1]])
    raise ValueError(f"unknown calibration method {method!r}; known: {METHODS}")


def fit_calibration(scored: ScoredCandidates, method: str = "identity", guard: Optional[ScoredCandidates] = None,
                    ) -> ScoreCalibration:
    """Curves (by `method`), constants and thresholds (``choose_thresholds``) from checked candidates."""
    calibration = ScoreCalibration(method=method)
    for label in _labels(scored):
        ner = [c for c in scored.candidates if c.label == label and c.source == NER]
        curve = _fit_curve(ner, method)
        if curve is not None:
            calibration.curves[group_name(NER, label)] = curve
        for source, members in ((REGEX, [c for c in scored.candidates if c.label == label and c.source == REGEX]),
                                (FALLBACK, [c for c in scored.candidates if c.label == label and c.source != REGEX])):
            precision = _precision(members)
            if precision is not None:
                calibration.constants[group_name(source, label)] = precision
    calibration.thresholds = choose_thresholds(calibration, scored, guard)
    return calibration


def choose_method(scored: ScoredCandidates) -> Tuple[str, Dict[str, float]]:
    """``identity`` unless a fitted curve lowers the cross-fitted ECE by ``AUTO_MARGIN``; and every ECE."""
    correct = [c.correct for c in scored.candidates]
    errors = {method: expected_calibration_error(cross_fitted_scores(scored, method=method), correct)
              for method in METHODS}
    best = min(errors, key=errors.get)
    return (best if errors[best] <= errors["identity"] - AUTO_MARGIN else "identity"), errors


def apply_calibration(calibration: ScoreCalibration, scored: ScoredCandidates) -> List[float]:
    return [calibration.score(c.source, c.label, c.raw) for c in scored.candidates]


def _labels(scored: ScoredCandidates) -> List[str]:
    return sorted({c.label for c in scored.candidates} | set(scored.gold_counts))


def _pairs(scores: Sequence[float], scored: ScoredCandidates, label: str) -> List[Tuple[float, bool]]:
    return [(s, c.correct) for s, c in zip(scores, scored.candidates) if c.label == label]


def _label_f1(pairs: Sequence[Tuple[float, bool]], n_gold: int, threshold: float) -> float:
    return point_at(pairs, n_gold, threshold).f1 or 0.0


def best_f1_thresholds(scores: Sequence[float], scored: ScoredCandidates,
                       allowed: Optional[Dict[str, Callable[[float], bool]]] = None) -> Dict[str, float]:
    """Per label, the lowest threshold that gives that label's best F1 (among the thresholds
    `allowed` for it, when given): the evaluation's sweep (`pr_points`), plus 0.0 so that a label
    best served by keeping every candidate keeps future low-scored ones too. A label without gold
    entities, or with no allowed threshold, gets 0.0."""
    thresholds = {}
    for label in _labels(scored):
        pairs, n_gold = _pairs(scores, scored, label), scored.gold_counts.get(label, 0)
        points = [point_at(pairs, n_gold, 0.0)] + pr_points(pairs, n_gold)
        if allowed and label in allowed:
            points = [point for point in points if allowed[label](point.threshold)]
        best = best_f1_point(points)
        thresholds[label] = float(best.threshold) if best is not None else 0.0
    return thresholds


def choose_thresholds(calibration: ScoreCalibration, scored: ScoredCandidates,
                      guard: Optional[ScoredCandidates] = None) -> Dict[str, float]:
    """Best F1 per label on `scored`; with a `guard` set, only thresholds that keep each label's F1 on
    the guard within ``THRESHOLD_TOLERANCE`` of its F1 with every candidate kept."""
    allowed = None
    if guard is not None:
        guard_scores = apply_calibration(calibration, guard)
        allowed = {}
        for label in _labels(guard):
            pairs, n_gold = _pairs(guard_scores, guard, label), guard.gold_counts.get(label, 0)
            floor = _label_f1(pairs, n_gold, 0.0) - THRESHOLD_TOLERANCE
            allowed[label] = lambda t, pairs=pairs, n_gold=n_gold, floor=floor: _label_f1(pairs, n_gold, t) >= floor
    return best_f1_thresholds(apply_calibration(calibration, scored), scored, allowed)


def micro_f1(scores: Sequence[float], scored: ScoredCandidates, thresholds: Dict[str, float]) -> Tuple[float, float, float]:
    """Micro precision, recall, F1 of the candidates kept at `thresholds` (a label missing: 0.0)."""
    kept = [c.correct for s, c in zip(scores, scored.candidates) if s >= thresholds.get(c.label, 0.0)]
    n_gold = sum(scored.gold_counts.values())
    precision = sum(kept) / len(kept) if kept else 0.0
    recall = sum(kept) / n_gold if n_gold else 0.0
    f1 = 2 * precision * recall / (precision + recall) if precision + recall else 0.0
    return precision, recall, f1


def expected_calibration_error(scores: Sequence[float], correct: Sequence[bool], n_bins: int = N_BINS) -> float:
    """ECE over parallel scores and outcomes, as the evaluation measures it (0.0 with no candidates)."""
    return evaluation_ece(list(zip(scores, correct)), n_bins) or 0.0


def cross_fitted_scores(scored: ScoredCandidates, n_folds: int = 5, seed: int = 0, method: str = "identity",
                        ) -> List[float]:
    """Each candidate scored by a calibration fitted on the other folds of docs (folds drawn by doc)."""
    doc_indices = sorted({c.doc_index for c in scored.candidates})
    order = numpy.random.default_rng(seed).permutation(len(doc_indices))
    fold_of = {doc_indices[i]: rank % n_folds for rank, i in enumerate(order)}
    scores = [0.0] * len(scored.candidates)
    for fold in range(n_folds):
        train = scored.subset({d for d, f in fold_of.items() if f != fold})
        calibration = fit_calibration(train, method=method)
        for position, candidate in enumerate(scored.candidates):
            if fold_of[candidate.doc_index] == fold:
                scores[position] = calibration.score(candidate.source, candidate.label, candidate.raw)
    return scores


def fit_scores(nlp: Language, examples: Sequence[Example], method: str = "auto",
               guard_examples: Optional[Sequence[Example]] = None) -> ScoreCalibration:
    """Fit the pipeline's ``callner_scores`` calibration on gold `examples` and install it.

    method: one of ``METHODS``, or ``auto`` (``choose_method``). guard_examples: another gold set
    (the synthetic dev set) whose per-label F1 the thresholds may not lower (``choose_thresholds``).
    The component is rebuilt with the chosen thresholds in its config, so they are saved in the
    pipeline's config.cfg (where load-time overrides change them), its other settings kept.
    """
    scored = collect_candidates(nlp, examples)
    guard = collect_candidates(nlp, guard_examples) if guard_examples else None
    if method == "auto":
        method, _ = choose_method(scored)
    calibration = fit_calibration(scored, method=method, guard=guard)
    old = scores_component(nlp)
    config = {"thresholds": dict(calibration.thresholds), "ner": old.ner_name, "regex_ner": old.regex_name}
    component = nlp.replace_pipe(SCORES_NAME, SCORES_FACTORY, config=config)
    component.calibration = calibration
    return calibration
