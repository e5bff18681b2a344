"""Adversarial timing: does any runtime step take more than linear time on hostile input?

Each generator writes a text of a given length that once made a step quadratic or
worse (runs of particles for the tokenizer's suffix peeling, phones glued to
non-Hangul characters for the regex component's splits, stacked endings for the
particle checks). For 10k to 80k characters we time our tokenizer, spaCy's plain
rule-based Korean tokenizer on the same text (the yardstick: one pass, no particle
rules), the regex component on a tokenized Doc and the scheme's span checks on the
whole text, and report microseconds per character: flat across lengths means
linear, and the worst ratio to the plain tokenizer is the figure the goal (5x) is on.
"""
import random
import time
from dataclasses import asdict, dataclass, field
from typing import Callable, Dict, List, Sequence

from wasabi import msg

from ..regex_ner import RegexEntityRecognizer
from ..scheme.labels import LABELS
from ..scheme.rules import span_problem
from ..tokenizer import make_korean_nlp, make_plain_korean_nlp
from .reports import JsonReport

DEFAULT_LENGTHS = (10_000, 20_000, 40_000, 80_000)
GOAL_RATIO = 5.0
"""Our tokenizer may take at most this many times spaCy's plain tokenizer's time."""

_GLUE = ["號", "😀", "é", "#", "※", "ß", "「"]
_MIXED = "가나다abcXYZ0123456789абвгд漢字カナ٣٤-.,/~₩$%()"


def _repeat(unit: str) -> Callable[[int, random.Random], str]:
    return lambda length, rng: (unit * (length // len(unit) + 1))[:length]


def _one_iyo_da(length: int, rng: random.Random) -> str:
    return "1" + "이요" * max(0, (length - 2) // 2) + "다"


def _glued_phones(length: int, rng: random.Random) -> str:
    parts, size = [], 0
    while size < length:
        part = f"{rng.choice(_GLUE)}010-{rng.randrange(10000):04d}-{rng.randrange(10000):04d}{rng.choice(_GLUE)} "
        parts.append(part)
        size += len(part)
    return "".join(parts)[:length]


def _digit_run(length: int, rng: random.Random) -> str:
    return "".join(rng.choice("0123456789") for _ in range(length))


def _mixed_scripts(length: int, rng: random.Random) -> str:
    return "".join(rng.choice(_MIXED) for _ in range(length))


def _random_unicode(length: int, rng: random.Random) -> str:
    chars = []
    for _ in range(length):
        code_point = rng.randrange(0x20, 0x30000)
        chars.append(" " if 0xD800 <= code_point < 0xE000 or rng.random() < 0.1 else chr(code_point))
    return "".join(chars)


GENERATORS: Dict[str, Callable[[int, random.Random], str]] = {
    "run_요": _repeat("요"),
    "run_가": _repeat("가"),
    "run_를": _repeat("를"),
    "run_이에요": _repeat("이에요"),
    "이었는데*k": _repeat("이었는데"),
    "1+이요*k+다": _one_iyo_da,
    "glued_phones": _glued_phones,
    "digit_run": _digit_run,
    "mixed_scripts": _mixed_scripts,
    "random_unicode": _random_unicode,
}
"""Adversarial text generators by name: ``(length, rng) -> text``."""


@dataclass
class AdversarialCase:
    generator: str
    length: int
    tokenizer_us_per_char: float
    plain_tokenizer_us_per_char: float
    regex_us_per_char: float
    span_check_us_per_char: float

    @property
    def ratio_to_plain(self) -> float:
        return self.tokenizer_us_per_char / max(self.plain_tokenizer_us_per_char, 1e-9)


@dataclass
class AdversarialReport(JsonReport):
    cases: List[AdversarialCase] = field(default_factory=list)
    goal_ratio: float = GOAL_RATIO

    @property
    def worst(self) -> AdversarialCase:
        return max(self.cases, key=lambda case: case.ratio_to_plain)

    def to_json(self) -> dict:
        worst = self.worst
        return {
            "cases": [{**asdict(case), "ratio_to_plain": round(case.ratio_to_plain, 3)} for case in self.cases],
            "worst_ratio_to_plain": round(worst.ratio_to_plain, 3),
            "worst_case": f"{worst.generator}@{worst.length}",
            "goal_ratio": self.goal_ratio,
            "within_goal": worst.ratio_to_plain <= self.goal_ratio,
        }


def us_per_char(call: Callable[[], object], length: int, repeats: int = 1) -> float:
    """µs per character of `call` on a `length`-character input: the best of `repeats` runs,
    so a busy machine's noise does not read as growth."""
    best = float("inf")
    for _ in range(repeats):
        start = time.perf_counter()
        call()
        best = min(best, time.perf_counter() - start)
    return round(best * 1e6 / max(length, 1), 4)


def time_case(name: str, text: str) -> AdversarialCase:
    """Time every step on one text, each with fresh tokenizers (no warm cache from other cases)."""
    ours, plain = make_korean_nlp(), make_plain_korean_nlp()
    regex = RegexEntityRecognizer()
    doc = make_korean_nlp().make_doc(text)
    return AdversarialCase(
        generator=name,
        length=len(text),
        tokenizer_us_per_char=us_per_char(lambda: ours.tokenizer(text), len(text)),
        plain_tokenizer_us_per_char=us_per_char(lambda: plain.tokenizer(text), len(text)),
        regex_us_per_char=us_per_char(lambda: regex(doc), len(text)),
        span_check_us_per_char=us_per_char(lambda: [span_problem(label, text) for label in LABELS], len(text)),
    )


def run_adversarial_benchmark(generators: Sequence[str] = tuple(GENERATORS),
                              lengths: Sequence[int] = DEFAULT_LENGTHS, seed: int = 0) -> AdversarialReport:
    """Time every generator at every length."""
    unknown = [name for name in generators if name not in GENERATORS]
    if unknown:
        raise ValueError(f"unknown generators {unknown}; known: {', '.join(GENERATORS)}")
    report = AdversarialReport()
    for name in generators:
        for length in lengths:
            text = GENERATORS[name](length, random.Random(seed))
            report.cases.append(time_case(name, text))
    return report


def print_adversarial(report: AdversarialReport) -> None:
    """One table row per case, in microseconds per character, then the worst ratio."""
    header = ("generator", "chars", "ours µs/c", "plain µs/c", "ratio", "regex µs/c", "span µs/c")
    rows = [
        (case.generator, case.length, case.tokenizer_us_per_char, case.plain_tokenizer_us_per_char,
         f"{case.ratio_to_plain:.2f}", case.regex_us_per_char, case.span_check_us_per_char)
        for case in report.cases
    ]
    msg.table(rows, header=header, divider=True)
    worst = report.worst
    verdict = msg.good if worst.ratio_to_plain <= report.goal_ratio else msg.fail
    verdict(f"Worst tokenizer ratio to spaCy's plain tokenizer: {worst.ratio_to_plain:.2f}x "
            f"({worst.generator} @ {worst.length}); goal {report.goal_ratio:g}x")
