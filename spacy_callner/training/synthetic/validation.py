"""Every generated record goes through the converter's validator before it is written.

The generator builds spans by construction, but a rule of ANNOTATION.md can
still be broken by a bank entry or a sampling path (a particle glued inside a
span, a span the tokenizer cannot align). The converter would then drop the
span and mark it missing; here the whole record is dropped instead and counted
by problem kind, so a regression shows up in `scripts/generate.py` and the tests.
"""
from collections import Counter
from dataclasses import dataclass, field
from functools import lru_cache
from typing import Any, Dict, List, Sequence

from spacy.language import Language

from spacy_callner.scheme import PROBLEM_KINDS
from spacy_callner.tokenizer import make_korean_nlp

from ..data import Problem, validate_record

EXAMPLES_KEPT = 10


@lru_cache(maxsize=1)
def korean_nlp() -> Language:
    """The Korean tokenizer the converter aligns spans with (built once per process)."""
    return make_korean_nlp()


def record_problems(record: Dict[str, Any], source: str = "") -> List[Problem]:
    """What the converter's validator finds wrong with one generated record (empty when none)."""
    _, problems = validate_record(record, korean_nlp(), source=source)
    return problems


@dataclass
class RejectedRecords:
    """Generated records the validator refused and that were therefore not written."""

    n_records: int = 0
    problems_by_kind: Counter = field(default_factory=Counter)
    examples: List[str] = field(default_factory=list)
    """The first few problems in full, to show what broke."""

    def add(self, problems: Sequence[Problem]) -> None:
        """Count one refused record and its problems."""
        self.n_records += 1
        self.problems_by_kind.update(p.kind for p in problems)
        room = EXAMPLES_KEPT - len(self.examples)
        self.examples.extend(str(p) for p in problems[:max(room, 0)])

    def counts(self) -> Dict[str, int]:
        """Problems by kind, in the order a validation report lists kinds."""
        return {kind: self.problems_by_kind[kind] for kind in PROBLEM_KINDS if self.problems_by_kind[kind]}

    def to_json(self) -> Dict[str, Any]:
        return {"records": self.n_records, "problems_by_kind": self.counts(), "examples": list(self.examples)}
