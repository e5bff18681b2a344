"""Exact recall when the spaces of realistic lines are written as other whitespace.

Agent notes and speech-to-text output use tabs, NBSP, ideographic and thin spaces,
line breaks and doubled spaces where a clean transcript has one space. Recognition
should not care: this scores the same gold spans with every space replaced by each
variant, beside the plain-space baseline, and counts entities whose edges are
whitespace (which must be zero for every variant).
"""
from dataclasses import dataclass, field
from typing import Dict, List, Sequence, Tuple

from spacy.language import Language

from ...scheme import LABELS
from ..data import AnnotatedText
from ..reports import JsonReport
from ..synthetic.whitespace import rewrite_spaces

WHITESPACE_VARIANTS: Dict[str, str] = {
    "space": " ", "double_space": "  ", "tab": "\t", "nbsp": "\u00a0", "ideographic": "\u3000",
    "thin": "\u2009", "narrow_nbsp": "\u202f", "newline": "\n", "crlf": "\r\n",
}


@dataclass
class VariantRecall(JsonReport):
    """Gold spans found exactly, by label, for one whitespace variant."""

    found: Dict[str, int] = field(default_factory=dict)
    gold: Dict[str, int] = field(default_factory=dict)
    whitespace_edges: int = 0

    @property
    def recall(self) -> float:
        total = sum(self.gold.values())
        return sum(self.found.values()) / total if total else 1.0


def _as_variant(record: AnnotatedText, variant: str) -> Tuple[str, List[Tuple[int, int, str]]]:
    entities = [{"start": s, "end": e, "label": label} for s, e, label in record.entities]
    text, moved = rewrite_spaces(record.text, entities, lambda _label: variant)
    return text, [(e["start"], e["end"], e["label"]) for e in moved]


def variant_recall(nlp: Language, records: Sequence[AnnotatedText], variant: str, *,
                   batch_size: int = 64) -> VariantRecall:
    """Score the pipeline on `records` with every space written as `variant`."""
    cases = [_as_variant(record, variant) for record in records]
    result = VariantRecall(found={label: 0 for label in LABELS}, gold={label: 0 for label in LABELS})
    for (text, gold), doc in zip(cases, nlp.pipe((text for text, _ in cases), batch_size=batch_size)):
        predicted = {(ent.start_char, ent.end_char, ent.label_) for ent in doc.ents}
        result.whitespace_edges += sum(ent.text != ent.text.strip() for ent in doc.ents)
        for span in gold:
            result.gold[span[2]] = result.gold.get(span[2], 0) + 1
            result.found[span[2]] = result.found.get(span[2], 0) + (span in predicted)
    return result


def whitespace_recall(nlp: Language, records: Sequence[AnnotatedText],
                      variants: Dict[str, str] = WHITESPACE_VARIANTS) -> Dict[str, VariantRecall]:
    """`variant_recall` for every variant, the plain-space baseline first."""
    return {name: variant_recall(nlp, records, variant) for name, variant in variants.items()}


def whitespace_table(results: Dict[str, VariantRecall]) -> Tuple[List[str], List[list]]:
    """Header and rows for printing: found/gold per label, overall recall, whitespace edges."""
    header = ["variant", *LABELS, "recall", "ws edges"]
    rows = [[name, *(f"{r.found.get(label, 0)}/{r.gold.get(label, 0)}" for label in LABELS),
             f"{r.recall:.3f}", r.whitespace_edges] for name, r in results.items()]
    return header, rows
