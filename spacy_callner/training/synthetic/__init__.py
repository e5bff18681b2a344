"""Seeded synthetic generator of labelled Korean call-center utterances.

The generator exists to teach a NER model the *variety* of real transcripts
(number formats, unseen product names, particles glued to entities, hard
negatives), not a fixed set of templates. Every text is built piece by piece and
each entity's character offsets are recorded while it is appended, so spans are
exact by construction and follow /work/shared/ANNOTATION.md; every record is
then checked with the converter's validator before it is kept.

One module per concern: `banks` (data files), `templates`, `phonology`
(final sounds, particles, number readings), `draft` (text with offsets),
`entities` (the request and result every builder shares) with one builder
module per label (`phones`, `contracts`, `money`, `products`), `negatives`,
`noise`, `render` (one template into the draft), `validation` and `generator`
(utterances, the example stream, writing and summarising).
"""
from .banks import (
    all_category_nouns, all_trailing_words, category_nouns_for, load_bank, product_attributes, product_catalogue,
)
from .contracts import build_contract
from .draft import Draft
from .entities import BuiltEntity, EntityRequest
from .formats import FORMAT_CLASSES
from .generator import (
    GeneratedCorpus, GenerationError, generate_corpus, generate_example, generate_examples, iter_examples,
    summarize, write_jsonl,
)
from .money import build_money, money_formats_for
from .negatives import build_negative, pool_word
from .phones import build_phone, build_spoken_phone
from .phonology import choose_particle, final_sound, sino_korean
from .products import ProductName, build_product, product_trailing
from .templates import Template, expand_choices, load_templates
from .validation import RejectedRecords, record_problems

__all__ = [
    "all_category_nouns", "all_trailing_words", "category_nouns_for", "load_bank", "product_attributes",
    "product_catalogue", "build_contract", "Draft", "BuiltEntity", "EntityRequest", "FORMAT_CLASSES",
    "GeneratedCorpus", "GenerationError", "generate_corpus", "generate_example", "generate_examples",
    "iter_examples", "summarize", "write_jsonl", "build_money", "money_formats_for", "build_negative",
    "pool_word", "build_phone", "build_spoken_phone", "choose_particle", "final_sound", "sino_korean",
    "ProductName", "build_product", "product_trailing", "Template", "expand_choices", "load_templates",
    "RejectedRecords", "record_problems",
]
