"""Korean sound rules the generator needs: final sounds, particle agreement, number readings.

A particle's form depends on how the word before it ends when read aloud
(`갤럭시 S25를`, `아이폰을`, `010-1234-5673으로`), so every entity carries a
reading and this module picks the particle that agrees with it (and, now and
then, the wrong one, as STT writes).
"""
from random import Random
from typing import Tuple

from spacy_callner.scheme import SINO_DIGITS, SPOKEN_DIGIT_VALUES

from .banks import load_bank

WRONG_PARTICLE_PROB = 0.03

SPOKEN_SYLLABLE_OF_DIGIT = {str(v): syllable for syllable, v in reversed(list(SPOKEN_DIGIT_VALUES.items()))}
"""The syllable read for each digit in a spoken phone number (0 as 공; 영 is chosen separately)."""

_RIEUL_CODA = 8


def final_sound(text: str) -> str:
    """How ``text`` ends when read aloud: 'v' vowel, 'r' final ㄹ, 'c' other final consonant."""
    numbers = load_bank("numbers.json")
    for ch in reversed(text):
        if "가" <= ch <= "힣":
            coda = (ord(ch) - 0xAC00) % 28
            return "v" if coda == 0 else ("r" if coda == _RIEUL_CODA else "c")
        if ch.isdigit():
            return numbers["digit_final_sounds"][ch]
        if ch.isascii() and ch.isalpha():
            return numbers["letter_final_sounds"][ch.lower()]
    return "v"


def choose_particle(rng: Random, role: str, reading: str, wrong_prob: float = WRONG_PARTICLE_PROB) -> Tuple[str, bool]:
    """Pick a particle of ``role`` agreeing with the reading's final sound; sometimes the wrong form (STT).

    Returns the particle and whether it is the wrong form.
    """
    options = load_bank("particles.json")["roles"][role]
    option = rng.choice(options)
    sound = final_sound(reading)
    after_consonant, after_vowel = option[0], option[1]
    after_rieul = option[2] if len(option) > 2 else after_consonant
    right = {"v": after_vowel, "r": after_rieul, "c": after_consonant}[sound]
    if after_consonant != after_vowel and rng.random() < wrong_prob:
        wrong = after_vowel if right != after_vowel else after_consonant
        return wrong, True
    return right, False


def _sino_below_10000(value: int) -> str:
    """Sino-Korean reading of 0 <= value < 10000 as said in money talk (천 not 일천)."""
    out = []
    for unit_value, unit in ((1000, "천"), (100, "백"), (10, "십")):
        digit, value = divmod(value, unit_value)
        if digit:
            out.append(("" if digit == 1 else SINO_DIGITS[digit]) + unit)
    if value:
        out.append(SINO_DIGITS[value])
    return "".join(out)


def sino_korean(n: int) -> Tuple[str, str]:
    """Sino-Korean reading of 1 <= n < 10**8 as (만 part, rest), as in money talk (만 not 일만, 천 not 일천)."""
    man, rest = divmod(n, 10000)
    head = "" if man == 0 else ("만" if man == 1 else _sino_below_10000(man) + "만")
    return head, _sino_below_10000(rest)
