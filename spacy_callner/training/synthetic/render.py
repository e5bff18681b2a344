"""Rendering one template into the draft: context text, entities, negatives, particles.

An entity is built by its label's builder (one `BuiltEntity` for all labels),
then placed: what is said before it, the span itself (sometimes glued to the
Hangul word before it), what is said after it, and the particle that agrees
with how it ends. Particles are always written outside the span.
"""
import re
from dataclasses import dataclass, field
from random import Random
from typing import Dict, List, Optional

from spacy_callner.scheme import CONTRACT, MONEY, PHONE, PRODUCT
from spacy_callner.scheme.particles import attaches_to

from .banks import load_bank
from .contracts import build_contract_entity
from .draft import HANGUL_SYLLABLE, Draft
from .entities import BuiltEntity, EntityBuilder, EntityRequest
from .money import build_money_entity
from .negatives import NEGATIVE_WRITERS, build_negative, pool_word
from .noise import add_context_noise
from .phonology import choose_particle
from .phones import build_phone_entity
from .products import build_product_entity
from .templates import ENTITY_SLOTS, SLOT_RE, Template, expand_choices

ENTITY_BUILDERS: Dict[str, EntityBuilder] = {
    PHONE: build_phone_entity,
    CONTRACT: build_contract_entity,
    MONEY: build_money_entity,
    PRODUCT: build_product_entity,
}
GLUE_LEFT_PROB = {CONTRACT: 0.12, PHONE: 0.03, MONEY: 0.02, PRODUCT: 0.02}
"""Probability that an entity is written glued to the Hangul word before it (STT spacing); only
entities that start with a digit, Latin letter or symbol, so a tokenizer can still split them off."""
FOLLOWING_CHARS = 6
PARTICLE_REDRAWS = 8
"""Draws of a particle that can follow the word before it (`attaches_to`): an after-consonant form
after an open syllable (`프로이에요`, `갤럭시을`) is not Korean, and no tokenizer cuts it off."""
PRECEDING_CHARS = 4


@dataclass
class Context:
    """What a sentence needs besides its template: randomness, scenario settings and the draft."""

    rng: Random
    scenario: str
    speaker: str
    draft: Draft
    used: List[str] = field(default_factory=list)
    sentence_intents: List[Optional[str]] = field(default_factory=list)


def place_entity(ctx: Context, entity: BuiltEntity, role: str) -> None:
    """Write ``entity`` into the draft: before-text, span (maybe glued left), after-text, particle."""
    rng, draft = ctx.rng, ctx.draft
    draft.add(entity.before)
    glueable = not HANGUL_SYLLABLE.match(entity.text[0])
    if glueable and rng.random() < GLUE_LEFT_PROB[entity.label] and draft.drop_trailing_space():
        entity.tags.append("contract_glued_hangul" if entity.label == CONTRACT else "entity_glued_left")
    draft.add_entity(entity.text, entity.label, entity.value)
    for tag in entity.tags:
        draft.tag(tag)
    draft.add(entity.after)
    attach_particle(ctx, role, entity.particle_reading, entity.label, bool(entity.after))


def fill_entity(ctx: Context, slot: str, kind: str, role: str, following: str = "") -> None:
    """Build the entity of one template slot and write it, with what follows it and its particle.

    ``following`` is the template text right after the slot, so no modifier is doubled (정도 정도).
    """
    label = ENTITY_SLOTS[slot]
    request = EntityRequest(label, kind, role, following, ctx.draft.tail(PRECEDING_CHARS), ctx.scenario)
    place_entity(ctx, ENTITY_BUILDERS[label](ctx.rng, request), role)


def attach_particle(ctx: Context, role: str, reading: str, label: Optional[str], detached: bool) -> None:
    """Glue a particle of ``role`` after what was just written, agreeing with ``reading``; never inside a span."""
    rng, draft = ctx.rng, ctx.draft
    if not role or role == "none":
        return
    particle, wrong = choose_particle(rng, role, reading)
    redraws = 0
    while not attaches_to(draft.tail(1), particle):
        if redraws == PARTICLE_REDRAWS:
            return
        particle, wrong = choose_particle(rng, role, reading, wrong_prob=0.0)
        redraws += 1
    if not particle:
        return
    draft.add(particle)
    if label and not detached:
        draft.tag("particle_glued")
        if label == CONTRACT and particle.startswith("번"):
            draft.tag("contract_counter_beon")
    if wrong and label:
        draft.tag("particle_wrong_batchim")


def _fill_word(ctx: Context, slot: str, kind: str, role: str) -> None:
    """A hard negative or pool word for a slot, with its particle (not an entity)."""
    if slot in NEGATIVE_WRITERS:
        value = build_negative(ctx.rng, slot, kind)
        ctx.draft.add(value)
        ctx.draft.note_negative(slot)
    else:
        value = pool_word(ctx.rng, slot)
        ctx.draft.add(value)
    attach_particle(ctx, role, value, None, False)


def render_template(ctx: Context, template: Template) -> None:
    """Append one sentence built from ``template`` to the draft."""
    text = expand_choices(ctx.rng, template.text)
    position = 0
    for match in SLOT_RE.finditer(text):
        _add_context(ctx, text[position: match.start()])
        slot, kind, role = match.group(1), match.group(2) or "", match.group(3) or ""
        if slot in ENTITY_SLOTS:
            fill_entity(ctx, slot, kind, role, text[match.end():match.end() + FOLLOWING_CHARS])
        else:
            _fill_word(ctx, slot, kind, role)
        position = match.end()
    _add_context(ctx, text[position:])


def _add_context(ctx: Context, piece: str) -> None:
    """Append template text between slots, with light noise."""
    if not piece:
        return
    piece = re.sub(r" {2,}", " ", piece)
    noisy, changed = add_context_noise(ctx.rng, piece)
    if changed:
        ctx.draft.tag("context_noise")
    ctx.draft.add(noisy)


def end_sentence(ctx: Context) -> None:
    """Close a sentence with STT-style punctuation (often none) unless it already ends with one."""
    text_tail = ctx.draft.tail(1)
    if text_tail in ".?!~," or ctx.draft.last_is_entity:
        if ctx.draft.last_is_entity and ctx.rng.random() < 0.5:
            ctx.draft.add(ctx.rng.choice((".", "?", "")))
        return
    ctx.draft.add(ctx.rng.choice(load_bank("noise.json")["sentence_ends"]))


def maybe_filler(ctx: Context, probability: float) -> None:
    """Start a sentence with a filler (어, 음, 네네, ...) now and then, as speech does."""
    if ctx.rng.random() < probability:
        filler = ctx.rng.choice(load_bank("noise.json")["fillers"][ctx.speaker])
        ctx.draft.add(filler + ctx.rng.choice((" ", " ", ", ", ".. ")))
        ctx.draft.tag("filler")
