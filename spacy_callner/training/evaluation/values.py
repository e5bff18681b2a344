"""Value accuracy: is the normalised value of each entity found exactly the gold one?

Entity scores say whether `삼만 오천 원` was found; an application needs `35000 KRW`
(ANNOTATION.md, "Values"). Only predictions that match a gold entity exactly
(same start, end and label, on the gold tokens as the entity scorers see them)
are compared, so a boundary error is counted once, by the entity scores, and
not again here. PRODUCT also gets `name` and `brand` compared alone, because a
known product's name is what its target is set on. A pipeline without the
values component, or data without gold values, is reported as such, not as 0.
"""
from collections import Counter, defaultdict
from dataclasses import dataclass
from typing import Any, Dict, Iterable, List, Optional, Sequence

from spacy.language import Language
from spacy.training import Example

from ...components.values import VALUES_FACTORY
from ...scheme.labels import LABELS, PRODUCT
from ..quality_reports import (
    NO_GOLD_VALUES, NO_VALUES_COMPONENT, VALUES_SCORED, FieldAccuracy, LabelValueScores, ValueFailure, ValueScores,
)
from .entities import project_onto_gold

FIELDS_COMPARED_ALONE = {PRODUCT: ("name", "brand")}
NO_REASON = "no reason given"


@dataclass(frozen=True)
class ValuePair:
    """A gold entity found exactly, with its gold value and what the pipeline gave."""

    doc: int
    label: str
    text: str
    start: int
    end: int
    gold: Optional[Dict[str, Any]]
    pred: Optional[Dict[str, Any]]
    error: Optional[str]

    @property
    def correct(self) -> bool:
        return self.pred is not None and self.pred == self.gold

    def field_correct(self, name: str) -> bool:
        return self.pred is not None and self.pred.get(name) == self.gold.get(name)

    def failure(self) -> ValueFailure:
        return ValueFailure(self.doc, self.label, self.text, self.start, self.end, dict(self.gold),
                            None if self.pred is None else dict(self.pred), self.error)


def has_values_component(nlp: Language) -> bool:
    """Whether any component of `nlp` was made by the values factory."""
    return any(nlp.get_pipe_meta(name).factory == VALUES_FACTORY for name in nlp.pipe_names)


def value_pairs(example: Example, index: int = 0) -> List[ValuePair]:
    """The gold entities of `example` that a prediction matches exactly, in text order."""
    gold_doc = example.reference
    gold_by_key = {(ent.start_char, ent.end_char, ent.label_): ent for ent in gold_doc.ents}
    pairs = []
    for ent in example.predicted.ents:
        projection = project_onto_gold(gold_doc, ent)
        if projection is None or projection[1]:
            continue
        gold = gold_by_key.pop(projection[0].key, None)
        if gold is not None:
            pairs.append(ValuePair(index, gold.label_, gold.text, gold.start_char, gold.end_char,
                                   gold._.value, ent._.value, ent._.value_error))
    return sorted(pairs, key=lambda pair: pair.start)


def _values_predicted(examples: Sequence[Example]) -> bool:
    return any(ent._.value is not None or ent._.value_error is not None
               for eg in examples for ent in eg.predicted.ents)


def _label_scores(pairs: Sequence[ValuePair], n_gold_with_value: int, label: Optional[str]) -> LabelValueScores:
    compared = [pair for pair in pairs if pair.gold is not None]
    missing = [pair for pair in compared if pair.pred is None]
    n_correct = sum(pair.correct for pair in compared)
    fields = {
        name: FieldAccuracy(n, n / len(compared) if compared else None)
        for name in FIELDS_COMPARED_ALONE.get(label, ())
        for n in [sum(pair.field_correct(name) for pair in compared)]
    }
    return LabelValueScores(
        n_gold_with_value=n_gold_with_value,
        n_exact=len(pairs),
        n_no_gold_value=len(pairs) - len(compared),
        n_compared=len(compared),
        n_correct=n_correct,
        accuracy=n_correct / len(compared) if compared else None,
        n_missing=len(missing),
        missing_reasons=dict(Counter(pair.error or NO_REASON for pair in missing).most_common()),
        fields=fields,
    )


def _gold_values_per_label(examples: Iterable[Example]) -> Counter:
    return Counter(ent.label_ for eg in examples for ent in eg.reference.ents if ent._.value is not None)


def score_values(examples: Sequence[Example], *, values_component: bool = False,
                 max_failures: Optional[int] = None) -> ValueScores:
    """Value accuracy per label (and over all labels) on the entities of `examples` found exactly.

    `values_component`: the pipeline has one (see `has_values_component`); predicted
    docs that carry values or value errors count as having been through one too.
    `max_failures`: keep at most this many failures (None: all).
    """
    with_value = _gold_values_per_label(examples)
    n_gold = sum(len(eg.reference.ents) for eg in examples)
    base = {"n_gold": n_gold, "n_gold_with_value": sum(with_value.values())}
    if not (values_component or _values_predicted(examples)):
        return ValueScores(status=NO_VALUES_COMPONENT, **base)
    if not with_value:
        return ValueScores(status=NO_GOLD_VALUES, **base)
    pairs = [pair for i, eg in enumerate(examples) for pair in value_pairs(eg, i)]
    by_label: Dict[str, List[ValuePair]] = defaultdict(list)
    for pair in pairs:
        by_label[pair.label].append(pair)
    labels = [label for label in LABELS if label in by_label or with_value[label]]
    labels += sorted(set(by_label) - set(labels))
    failures = [pair.failure() for pair in pairs if pair.gold is not None and not pair.correct]
    return ValueScores(
        status=VALUES_SCORED, **base,
        per_label={label: _label_scores(by_label[label], with_value[label], label) for label in labels},
        total=_label_scores(pairs, sum(with_value.values()), None),
        failures=failures[:max_failures],
        failures_truncated=max_failures is not None and len(failures) > max_failures,
    )
