"""The annotation scheme of ANNOTATION.md: the one home of its word lists and span rules.

Labels, particles and endings, number and currency words, money modifiers,
product attribute words, and the span checks with their problem kinds. The
tokenizer, the validator, both generators, the error analysis and the tests
import them from here; no other module keeps a copy.
"""
from .edges import has_bad_edge, is_edge_character, strip_span_edges
from .labels import CONTRACT, LABELS, MONEY, PHONE, PRODUCT
from .modifiers import MONEY_MODIFIERS, MONEY_PERIOD_WORDS, MONEY_PREFIX_MODIFIERS, MONEY_SUFFIX_MODIFIERS
from .numbers import (
    CURRENCY_SYMBOL_CODES, CURRENCY_SYMBOLS, CURRENCY_WORD_CODES, CURRENCY_WORDS, GROUP_UNITS,
    HANGUL_NUMERALS, NUMERAL_ONLY_CURRENCY_WORDS, SINO_DIGITS, SMALL_UNITS, SPOKEN_DIGIT_VALUES,
    SPOKEN_DIGITS,
)
from .particles import (
    COUNTERS, PARTICLES, glued_particle_stack, is_particle_stack, particle_stack_starts, suffix_particles,
)
from .products import CAPACITY_REGEX, product_attribute_phrases, product_attribute_words
from .rules import PROBLEM_KINDS, RECORD_FATAL, SpanProblem, shape_problem, span_problem

__all__ = [
    "has_bad_edge", "is_edge_character", "strip_span_edges", "CONTRACT", "LABELS", "MONEY", "PHONE", "PRODUCT",
    "MONEY_MODIFIERS", "MONEY_PERIOD_WORDS", "MONEY_PREFIX_MODIFIERS", "MONEY_SUFFIX_MODIFIERS",
    "CURRENCY_SYMBOL_CODES", "CURRENCY_SYMBOLS", "CURRENCY_WORD_CODES", "CURRENCY_WORDS", "GROUP_UNITS",
    "HANGUL_NUMERALS", "NUMERAL_ONLY_CURRENCY_WORDS", "SINO_DIGITS", "SMALL_UNITS", "SPOKEN_DIGIT_VALUES",
    "SPOKEN_DIGITS", "COUNTERS", "PARTICLES", "glued_particle_stack", "is_particle_stack", "particle_stack_starts",
    "suffix_particles", "CAPACITY_REGEX", "product_attribute_phrases", "product_attribute_words",
    "PROBLEM_KINDS", "RECORD_FATAL", "SpanProblem", "shape_problem", "span_problem",
]
