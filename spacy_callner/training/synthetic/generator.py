"""Whole utterances: planning, the stream of examples, writing and summarising a set.

Randomness comes from one ``random.Random`` per example, seeded from
``(seed, index)``, so output is byte-for-byte reproducible. Every record is
checked with the converter's validator (`validation.py`); a record that breaks
a rule is dropped, counted in `RejectedRecords`, and the stream moves on to the
next index. A shorter run is therefore still a prefix of a longer one.
"""
from dataclasses import dataclass, field
from pathlib import Path
from random import Random
from typing import Any, Callable, Dict, Iterable, Iterator, List, Optional, Sequence

import srsly

from spacy_callner.scheme import LABELS
from spacy_callner.scheme.intents import INTENT_LABELS

from .banks import load_bank
from .draft import Draft
from .formats import FORMAT_CLASSES
from .intents import utterance_intent
from .render import Context, end_sentence, maybe_filler, render_template
from .sampling import weighted
from .templates import Template, load_templates
from .validation import RejectedRecords, record_problems
from .whitespace import vary_whitespace

MODE_WEIGHTS: Dict[str, float] = {"normal": 0.62, "multi": 0.17, "long": 0.10, "entity_free": 0.11}
"""How an utterance is planned: share of each mode."""
CUSTOMER_PROB = 0.55
SPEAKER_TAG_PROB = 0.05
INJECT_NEGATIVE_PROB = 0.18
SECOND_SENTENCE_PROB = 0.35
LONG_TEXT_CHARS = 200
MAX_MULTI_SENTENCES = 8
MAX_REJECTED_SHARE = 0.5
"""Stop with an error when more than this share of a run fails validation: the generator is broken."""
Record = Dict[str, Any]


class GenerationError(RuntimeError):
    """Raised when most generated records fail validation."""


def pick_template(ctx: Context, want_entity: Optional[bool], prefer_negative: bool = False) -> Template:
    """A template of this scenario and speaker (sometimes a common one) with or without entity slots."""
    blocks = load_templates()
    own = blocks.get((ctx.scenario, ctx.speaker), ())
    common = blocks.get(("common", ctx.speaker), ())
    negatives = blocks.get(("negatives", ctx.speaker), ())
    pools = [negatives, own] if prefer_negative else [own, own, own, common]
    candidates = []
    for pool in pools:
        choices = [t for t in pool
                   if (want_entity is None or t.has_entity == want_entity) and t.text not in ctx.used]
        if prefer_negative:
            choices = [t for t in choices if t.has_negative]
        if choices:
            candidates.append(choices)
    if not candidates:
        candidates = [[t for t in common + negatives if t.has_entity == want_entity]]
    if not candidates[0]:
        raise LookupError(f"no template for {ctx.scenario}/{ctx.speaker} entity={want_entity}")
    return ctx.rng.choice(ctx.rng.choice(candidates))


def add_sentence(ctx: Context, template: Template, first: bool) -> None:
    """Render one template as a sentence of the utterance, never repeating a template within it."""
    ctx.used.append(template.text)
    ctx.sentence_intents.append(template.intent)
    if not first:
        ctx.draft.add(" ")
    maybe_filler(ctx, 0.22 if first else 0.08)
    render_template(ctx, template)
    end_sentence(ctx)


def _plan_entity_free(ctx: Context) -> None:
    count = ctx.rng.choice((1, 2, 2, 3))
    for i in range(count):
        add_sentence(ctx, pick_template(ctx, False, prefer_negative=(i == 0 and ctx.rng.random() < 0.7)), i == 0)


def _plan_multi(ctx: Context) -> None:
    target = ctx.rng.randint(3, 5)
    for i in range(MAX_MULTI_SENTENCES):
        if len(ctx.draft.entities) >= target:
            break
        add_sentence(ctx, pick_template(ctx, True), i == 0)


def _plan_long(ctx: Context) -> None:
    target = ctx.rng.randint(200, 560)
    first = True
    while ctx.draft.length < target:
        want_entity = ctx.rng.choices((True, False, None), weights=(0.25, 0.45, 0.30))[0]
        add_sentence(ctx, pick_template(ctx, want_entity), first)
        first = False


def _plan_normal(ctx: Context) -> None:
    add_sentence(ctx, pick_template(ctx, True), True)
    if ctx.rng.random() < SECOND_SENTENCE_PROB:
        add_sentence(ctx, pick_template(ctx, None), False)


MODE_PLANS: Dict[str, Callable[[Context], None]] = {
    "normal": _plan_normal,
    "multi": _plan_multi,
    "long": _plan_long,
    "entity_free": _plan_entity_free,
}


def _start(rng: Random) -> Context:
    """Scenario and speaker of a new utterance, on an empty draft."""
    scenarios = load_bank("scenarios.json")["scenarios"]
    names = list(scenarios)
    scenario = rng.choices(names, weights=[scenarios[s]["weight"] for s in names])[0]
    speaker = "customer" if rng.random() < CUSTOMER_PROB else "agent"
    return Context(rng, scenario, speaker, Draft())


def generate_example(seed: int, index: int) -> Record:
    """Example number ``index`` of the stream for ``seed`` (independent of other indices), unvalidated."""
    rng = Random(f"ko_callner:{seed}:{index}")
    ctx = _start(rng)
    mode = weighted(rng, MODE_WEIGHTS)
    if rng.random() < SPEAKER_TAG_PROB:
        ctx.draft.add(rng.choice(load_bank("noise.json")["speaker_tags"][ctx.speaker]))
        ctx.draft.tag("speaker_tag")
    inject_negative = rng.random() < INJECT_NEGATIVE_PROB
    MODE_PLANS[mode](ctx)
    if inject_negative and mode != "long":
        add_sentence(ctx, pick_template(ctx, False, prefer_negative=True), False)
    return _finish(ctx, mode)


def _finish(ctx: Context, mode: str) -> Record:
    """Turn the draft into a record and add the utterance-level format tags."""
    draft = ctx.draft
    stripped = draft.text().rstrip(" ")
    if not draft.entities:
        draft.tag("entity_free")
    if len(draft.entities) >= 3:
        draft.tag("multi_entity")
    if len(stripped) >= LONG_TEXT_CHARS:
        draft.tag("long_text")
    if draft.negatives:
        draft.tag("hard_negative")
    text, entities, varied = vary_whitespace(ctx.rng, stripped, [dict(e) for e in draft.entities])
    if varied:
        draft.tag("whitespace_variant")
    return {
        "text": text,
        "entities": entities,
        "intent": utterance_intent(ctx.scenario, ctx.sentence_intents),
        "meta": {
            "formats": list(draft.formats),
            "scenario": ctx.scenario,
            "speaker": ctx.speaker,
            "mode": mode,
            "hard_negatives": list(draft.negatives),
        },
    }


def iter_examples(n: int, seed: int, rejected: Optional[RejectedRecords] = None) -> Iterator[Record]:
    """Yield ``n`` valid examples for ``seed``; the first k of any run are the same as a run of k.

    Records the validator refuses are dropped (counted in ``rejected`` when given) and
    the next index is tried, so exactly ``n`` records come out.
    """
    rejected = rejected if rejected is not None else RejectedRecords()
    index = written = 0
    while written < n:
        record = generate_example(seed, index)
        problems = record_problems(record, source=f"seed {seed} example {index}")
        index += 1
        if problems:
            rejected.add(problems)
            if rejected.n_records > max(100, MAX_REJECTED_SHARE * n):
                raise GenerationError(f"{rejected.n_records} of {index} records failed validation: {rejected.examples}")
            continue
        written += 1
        yield record


@dataclass
class GeneratedCorpus:
    """A generated set and the records that were dropped from it because they failed validation."""

    records: List[Record]
    rejected: RejectedRecords = field(default_factory=RejectedRecords)


def generate_corpus(n: int, seed: int) -> GeneratedCorpus:
    """``n`` valid records for ``seed`` and the tally of the ones dropped on the way."""
    rejected = RejectedRecords()
    return GeneratedCorpus(list(iter_examples(n, seed, rejected)), rejected)


def generate_examples(n: int, seed: int) -> List[Record]:
    """``n`` labelled records {"text", "entities", "meta"} for ``seed``."""
    return generate_corpus(n, seed).records


def write_jsonl(records: Iterable[Record], path: str | Path) -> None:
    """Write records as JSON lines (UTF-8, keys in insertion order)."""
    srsly.write_jsonl(path, records)


def summarize(records: Sequence[Record], rejected: Optional[RejectedRecords] = None) -> Dict[str, Any]:
    """Counts and rates a caller needs to judge a generated set (used by scripts/generate.py and tests).

    ``validation_failures`` holds the records dropped for failing validation, by problem kind
    (``rejected.to_json()``), or None when ``rejected`` is not given.
    """
    n = len(records) or 1
    label_counts = {label: 0 for label in LABELS}
    format_counts = {name: 0 for name in FORMAT_CLASSES}
    for record in records:
        for entity in record["entities"]:
            label_counts[entity["label"]] += 1
        for name in record["meta"]["formats"]:
            if name in format_counts:
                format_counts[name] += 1
    texts = [r["text"] for r in records]
    intent_counts = {intent: sum(r.get("intent") == intent for r in records) for intent in INTENT_LABELS}
    return {
        "examples": len(records),
        "unique_ratio": len(set(texts)) / n,
        "label_counts": label_counts,
        "intent_counts": intent_counts,
        "format_rates": {k: v / n for k, v in format_counts.items()},
        "hard_negative_rate": sum(bool(r["meta"]["hard_negatives"]) for r in records) / n,
        "entity_free_rate": sum(not r["entities"] for r in records) / n,
        "validation_failures": rejected.to_json() if rejected is not None else None,
    }
