"""Sentence templates: parsing `templates.txt` into blocks and resolving `[a|b|]` choices.

A template line mixes context text, `[a|b|]` alternatives and `{SLOT.kind|role}`
slots. Entity slots name a label, negative slots a look-alike that is not an
entity, lower-case slots a word pool; the renderer fills them.
"""
import re
from dataclasses import dataclass
from functools import lru_cache
from random import Random
from typing import Dict, List, Optional, Tuple

from spacy_callner.scheme import CONTRACT, MONEY, PHONE, PRODUCT

from .banks import load_bank
from .intents import block_intent, split_intent_marker
from .negatives import NEGATIVE_WRITERS

ENTITY_SLOTS = {"PHONE": PHONE, "MONEY": MONEY, "PRODUCT": PRODUCT, "CONTRACT": CONTRACT}
NEGATIVE_SLOTS = tuple(NEGATIVE_WRITERS)
"""Every look-alike slot the negatives module can write: a new writer is a new slot."""

SLOT_RE = re.compile(r"\{([A-Za-z_]+)(?:\.([a-z_]*))?(?:\|([a-z_]+))?\}")
_CHOICE_RE = re.compile(r"\[([^\[\]]*)\]")
_CHOICE_SPLIT_RE = re.compile(r"\|(?![^{]*\})")

TemplateKey = Tuple[str, str]
"""(scenario, speaker) of a template block."""


@dataclass(frozen=True)
class Template:
    """One sentence pattern; ``has_entity`` says whether any entity slot can appear in it.

    ``intent`` is the request the sentence makes (its ``#intent=`` marker, else its
    block's scenario intent); None means it inherits the utterance's scenario intent.
    """

    scenario: str
    speaker: str
    text: str
    has_entity: bool
    has_negative: bool
    intent: Optional[str] = None


def parse_template(key: TemplateKey, line: str) -> Template:
    """One template line of block ``key``, with what kinds of slot it holds and the intent it carries."""
    line, marked_intent = split_intent_marker(line)
    slots = [m.group(1) for m in SLOT_RE.finditer(line)]
    return Template(
        scenario=key[0],
        speaker=key[1],
        text=line,
        has_entity=any(s in ENTITY_SLOTS for s in slots),
        has_negative=any(s in NEGATIVE_SLOTS for s in slots),
        intent=marked_intent or block_intent(key[0]),
    )


@lru_cache(maxsize=None)
def load_templates() -> Dict[TemplateKey, Tuple[Template, ...]]:
    """Parse templates.txt into blocks keyed by (scenario, speaker)."""
    blocks: Dict[TemplateKey, List[Template]] = {}
    key: Optional[TemplateKey] = None
    for raw in load_bank("templates.txt").splitlines():
        line = raw.strip()
        if not line or line.startswith("#"):
            continue
        if line.startswith("@"):
            scenario, speaker = line[1:].split()
            block_intent(scenario)
            key = (scenario, speaker)
            blocks.setdefault(key, [])
            continue
        if key is None:
            raise ValueError(f"template before any @block header: {line!r}")
        blocks[key].append(parse_template(key, line))
    return {k: tuple(v) for k, v in blocks.items()}


def expand_choices(rng: Random, text: str) -> str:
    """Resolve [a|b|] alternatives, innermost first."""
    while True:
        match = _CHOICE_RE.search(text)
        if not match:
            return text
        options = _CHOICE_SPLIT_RE.split(match.group(1))
        text = text[: match.start()] + rng.choice(options) + text[match.end():]
