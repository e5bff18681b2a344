"""Korean particles, copulas and endings that attach to an entity but stay outside it.

ANNOTATION.md: "A span never includes a Korean particle, copula or ending attached
to the entity". They are a closed class that stacks (`에서도` = `에서` + `도`,
`이었는데요` = `이었` + `는데` + `요`), so every check here works on *stacks*.

Stacks are recognised by a bounded dynamic programme over the text, never by a
regex of the form ``(?:a|b|...)+``: with overlapping alternatives such a regex
backtracks exponentially on a near miss (`"1" + "이요" * 30 + "다"`).
"""
from functools import lru_cache
from typing import FrozenSet, Iterable, List, Optional, Tuple

from .numbers import CURRENCY_WORDS

# One morpheme (or a tight unit) each; stacks peel off by repetition. A unit
# stripped whole must not start with a syllable that commonly ends an entity,
# or it cuts into the entity: `로는` loses `에어팟 프로는`, `라도` loses
# `울트라도`, `지만` loses `엣지만`, `니까` loses `미니까`; those come off as
# `로` + `는` and so on. `suffix_particles` enforces the same for stacks.
PARTICLES: Tuple[str, ...] = (
    # case and auxiliary particles
    "이", "가", "을", "를", "은", "는", "의", "에", "에서", "에게", "께", "께서",
    "한테", "한테서", "로", "으로", "와", "과", "랑", "이랑", "하고", "도", "만",
    "까지", "부터", "마다", "처럼", "보다", "밖에", "이나", "나", "이든", "든",
    "이든지", "든지", "이라도", "조차", "뿐", "쯤", "씩", "짜리", "용", "요",
    # copula and endings that attach to nouns and numbers
    "이에요", "에요", "예요", "이요", "이고요", "고요", "이고", "이며", "이면", "면",
    "이면요", "인데", "인데요", "는데", "는데요", "이라고",
    "이라고요", "이래요", "래요", "이었는데", "였는데", "이었어요",
    "였어요", "이었고", "였고", "이었나", "였나", "입니다", "입니까", "이죠",
    "죠", "이네요", "네요", "이지만", "인가요", "인지", "이야", "이니까",
    "이라서", "이라", "이랬", "인", "일까요", "잖아요", "이잖아요",
    "만큼", "거든요", "이거든요", "이라면", "이었", "였", "습니다",
    "이었습니다", "였습니다", "고", "야", "이네", "었", "었어요", "었는데",
)

COUNTERS: Tuple[str, ...] = ("번",)
"""Counter words glued on like a particle (`KR-2026-001번이요`) and kept outside the span."""

CONSONANT_HOST_ONSETS: Tuple[str, ...] = ("이", "으", "은", "을", "과")
"""Syllables that open a particle's after-consonant form: `폰이`/`갤럭시가`, `폰으로`/`갤럭시로`,
`폰은`/`갤럭시는`, `폰을`/`갤럭시를`, `폰과`/`갤럭시와`, `폰이에요`/`갤럭시예요`. After a Hangul
syllable without a final consonant (받침) such a particle does not occur, so `디스플레이`,
`플레이`, `레이` end in a 이 of their own. Copula forms opening with 인/입/일 (`인데`, `입니다`)
follow either kind of syllable (`갤럭시인데요`) and are not listed."""

HANGUL_SYLLABLES = ("가", "힣")
_SYLLABLE_BASE = 0xAC00
_FINALS_PER_VOWEL = 28

GLUED_PARTICLE_HOSTS = "0-9A-Za-z"
"""Characters after which a glued Hangul stack is surely not part of the entity."""


def has_final_consonant(syllable: str) -> bool:
    """Whether a Hangul syllable ends in a final consonant (받침): `폰` yes, `레` no."""
    return (ord(syllable) - _SYLLABLE_BASE) % _FINALS_PER_VOWEL != 0


def needs_consonant_host(particle: str) -> bool:
    """Whether `particle` is an after-consonant form (`이`, `을`, `으로`, `이랑`, `이에요` ...)."""
    return particle.startswith(CONSONANT_HOST_ONSETS)


def attaches_to(host_last_char: str, particle: str) -> bool:
    """Whether `particle` can be glued after a word ending in `host_last_char`.

    After-consonant forms never follow an open Hangul syllable (`디스플레|이` is no cut,
    `폰|이` is one). Digits, Latin letters and symbols are read aloud in many ways
    (`S24이`, `5G이`), so any particle may follow them.
    """
    is_syllable = HANGUL_SYLLABLES[0] <= host_last_char <= HANGUL_SYLLABLES[1]
    return not (is_syllable and needs_consonant_host(particle) and not has_final_consonant(host_last_char))


def closed_syllable_ranges() -> List[Tuple[str, str]]:
    """The Hangul syllables with a final consonant, as (first, last) runs for a regex character class."""
    first = ord(HANGUL_SYLLABLES[0])
    return [(chr(open_syllable + 1), chr(open_syllable + _FINALS_PER_VOWEL - 1))
            for open_syllable in range(first, ord(HANGUL_SYLLABLES[1]) + 1, _FINALS_PER_VOWEL)]


def _stack_ends(text: str, units: FrozenSet[str]) -> List[bool]:
    """`ends[i]` is True when `text[i:]` splits wholly into `units` (one right-to-left pass)."""
    lengths = sorted({len(unit) for unit in units})
    n = len(text)
    ends = [False] * (n + 1)
    ends[n] = True
    for start in range(n - 1, -1, -1):
        ends[start] = any(
            start + k <= n and ends[start + k] and text[start:start + k] in units for k in lengths
        )
    return ends


def is_particle_sequence(text: str, particles: FrozenSet[str]) -> bool:
    """Whether `text` splits wholly into units of `particles` (linear in `len(text)`)."""
    return _stack_ends(text, particles)[0]


@lru_cache(maxsize=None)
def stack_units() -> FrozenSet[str]:
    """Every unit a glued stack is made of: particles, endings and counters."""
    return frozenset(PARTICLES) | frozenset(COUNTERS)


def is_particle_stack(text: str) -> bool:
    """Whether `text` is one or more stacked particles, endings or counters (`에서도`, `번이요`)."""
    return bool(text) and is_particle_sequence(text, stack_units())


def particle_stack_starts(text: str) -> List[int]:
    """Every `cut` in 1..len-1 where `text[cut:]` is a particle stack that can follow `text[:cut]`
    (`attaches_to`: `폰이` cuts, `플레이` does not), leftmost first, in one pass."""
    ends = _stack_ends(text, stack_units())
    return [cut for cut in range(1, len(text)) if ends[cut] and attaches_to(text[cut - 1], text[cut:])]


def glued_particle_stack(span_text: str) -> Optional[str]:
    """The particle stack glued to the end of a span after a digit, Latin letter or currency word.

    `5678로요` → `로요`, `S25도요` → `도요`, `14만 원을` → `을`; None when there is none.
    The longest such stack is returned, as the old regex did.
    """
    ends = _stack_ends(span_text, stack_units())
    for i in range(1, len(span_text)):
        if ends[i] and _is_host_end(span_text, i):
            return span_text[i:]
    return None


def _is_host_end(text: str, end: int) -> bool:
    before = text[end - 1]
    if before.isascii() and before.isalnum():
        return True
    return any(text.endswith(word, 0, end) for word in CURRENCY_WORDS)


def _splits_safely(unit: str, closed_class: FrozenSet[str]) -> bool:
    return len(unit) > 1 and unit[0] in closed_class and is_particle_sequence(unit[1:], closed_class)


def suffix_particles(particles: Iterable[str] = PARTICLES) -> List[str]:
    """The particles the tokenizer strips as one suffix token, longest first.

    A unit made of a one-syllable particle and a particle sequence (`이랑` =
    이 + 랑, `고요` = 고 + 요) is left out: whole, it would take that syllable
    from an entity ending in it (`ROG 앨라이랑`); in parts it peels off without
    touching the entity. `으로` stays whole, since `으` alone would stick.
    """
    closed_class = frozenset(particles)
    return sorted((p for p in closed_class if not _splits_safely(p, closed_class)), key=len, reverse=True)
