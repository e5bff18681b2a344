"""Grow a realistic labelled corpus with an LLM through the official `anthropic` SDK.

LLMs get character offsets wrong, so the model is asked only for each
utterance and, per entity, its exact surface text and label. Offsets are
computed here (repeated surfaces map to successive occurrences), attached
particles are cut where what remains is a valid entity, and every span is then
checked by `spacy_callner.training.data.validate_entities`, the converter's validator.
An utterance that still has a problem is rejected with a reason, never written
with a span silently dropped (that would teach its tokens as "not an entity").

Long runs survive: the SDK retries 429/5xx/timeouts with backoff; a request
whose retries run out is counted and the run goes on; errors that every later
request would repeat (authentication, permission, unknown model, bad request)
stop the run with the SDK's message. Records are appended as they arrive, so an
interruption loses only the requests in flight, and a re-run tops the file up
to the requested count. Output records have the offline generator's shape:
`{"text", "entities": [{"start", "end", "label"}], "meta"}`.
"""
import json
import logging
import math
import os
import random
import re
from collections import Counter
from concurrent.futures import FIRST_COMPLETED, Future, ThreadPoolExecutor, wait
from dataclasses import dataclass, field
from functools import lru_cache
from importlib import resources
from pathlib import Path
from string import Template
from typing import Any, Dict, Iterable, List, Optional, Sequence, Set, Tuple

import anthropic
from spacy.language import Language
from spacy.tokens import Doc
from tqdm import tqdm
from tqdm.contrib.logging import logging_redirect_tqdm
from wasabi import msg

from ..scheme.rules import BAD_TYPE, EMPTY_SPAN, EMPTY_TEXT, MISSING_FIELD, OVERLAP, UNKNOWN_LABEL
from .data import validate_entities, validate_record
from ..scheme import (
    CAPACITY_REGEX, CONTRACT, LABELS, MONEY, MONEY_PERIOD_WORDS, MONEY_PREFIX_MODIFIERS,
    MONEY_SUFFIX_MODIFIERS, PHONE, PRODUCT, SPOKEN_DIGITS, glued_particle_stack, is_particle_stack,
    product_attribute_phrases,
)
from ..patterns import find_contract_spans, find_phone_spans
from ..tokenizer import make_korean_nlp

logger = logging.getLogger(__name__)

DEFAULT_MODEL = "claude-haiku-4-5"
DEFAULT_PER_REQUEST = 10
DEFAULT_CONCURRENCY = 4
DEFAULT_MAX_RETRIES = 6
DEFAULT_TIMEOUT_S = 120.0
FEW_SHOT_POOL_SIZE = 300
FEW_SHOT_PER_REQUEST = 4
# Korean costs roughly one token per character; an utterance with its JSON
# entities stays well under this.
OUTPUT_TOKENS_PER_UTTERANCE = 300
OUTPUT_TOKENS_OVERHEAD = 500
MAX_CONSECUTIVE_FAILURES = 5
SAMPLES_PER_REASON = 5
API_KEY_VARIABLES = ("ANTHROPIC_API_KEY", "ANTHROPIC_AUTH_TOKEN")

# Estimated USD per million tokens (input, output), from Anthropic's public
# price list as of 2025-11; check current prices before relying on the total.
PRICES_PER_MTOK: Dict[str, Tuple[float, float]] = {
    "claude-haiku-4-5": (1.0, 5.0),
    "claude-sonnet-4-5": (3.0, 15.0),
    "claude-opus-4-5": (5.0, 25.0),
}

# Reasons an utterance is rejected, beyond the validator's Problem kinds.
SURFACE_NOT_FOUND = "surface_not_found"
UNLABELLED_ENTITY = "unlabelled_entity"

DATA_PACKAGE = "spacy_callner.training"
PROMPT_DIR = "prompts"
BANK_DIR = "banks"

# Product words that end like a particle (`프로` = 프 + 로), kept whole; the catalogue adds its own.
PROTECTED_PRODUCT_WORDS = ("프로", "닌텐도", "코웨이", "앨라이")
EDGE_PUNCTUATION = "\"'“”‘’「」『』《》<>.,!?~…:;·"
SPOKEN_GROUP_DIGITS = 4
HANGUL_END = re.compile(r"[가-힣]$")
DEDUP_STRIP = re.compile(r"[\W_]+")


class MissingAPIKeyError(RuntimeError):
    """No credentials for the Anthropic API in the environment."""


class GenerationStopped(RuntimeError):
    """A run stopped before its target; the message says why."""


class MalformedResponse(ValueError):
    """The model's reply is not the JSON object the prompt asks for."""


# ---------------------------------------------------------------- settings


def parse_label_mix(spec: Optional[str]) -> Dict[str, float]:
    """`PHONE,MONEY` (equal weights) or `PHONE=1,PRODUCT=2` → label weights."""
    if spec is None or not spec.strip():
        return {label: 1.0 for label in LABELS}
    weights: Dict[str, float] = {}
    for part in spec.split(","):
        part = part.strip()
        if not part:
            continue
        label, _, weight = part.partition("=")
        label = label.strip().upper()
        if label not in LABELS:
            raise ValueError(f"unknown label {label!r} in label mix {spec!r}; known: {', '.join(LABELS)}")
        try:
            value = float(weight) if weight.strip() else 1.0
        except ValueError:
            raise ValueError(f"weight of {label} must be a number, got {weight!r}") from None
        if value < 0 or not math.isfinite(value):
            raise ValueError(f"weight of {label} must be a non-negative number, got {weight!r}")
        weights[label] = value
    if not any(weights.values()):
        raise ValueError(f"label mix {spec!r} gives no label a positive weight")
    return weights


def has_api_key() -> bool:
    return any(os.environ.get(name) for name in API_KEY_VARIABLES)


def missing_key_message() -> str:
    return (
        "ANTHROPIC_API_KEY is not set, so the LLM generator cannot call the Anthropic API. "
        "Create a key at https://console.anthropic.com/settings/keys and run "
        "`export ANTHROPIC_API_KEY=sk-ant-...` before this command. "
        "The offline corpus (`spacy project run all`) needs no key."
    )


def make_client(*, max_retries: int = DEFAULT_MAX_RETRIES, timeout: float = DEFAULT_TIMEOUT_S) -> anthropic.Anthropic:
    """The SDK client; it retries 429, 5xx, timeouts and connection errors with backoff."""
    return anthropic.Anthropic(max_retries=max_retries, timeout=timeout)


def price_per_mtok(model: str) -> Optional[Tuple[float, float]]:
    """Price of `model`; a dated ID (`claude-haiku-4-5-20251001`) costs as its alias."""
    return PRICES_PER_MTOK.get(model) or PRICES_PER_MTOK.get(re.sub(r"-\d{8}$", "", model))


def estimate_cost(model: str, input_tokens: int, output_tokens: int) -> Optional[float]:
    price = price_per_mtok(model)
    if price is None:
        return None
    return (input_tokens * price[0] + output_tokens * price[1]) / 1_000_000


def fatal_api_error(error: BaseException) -> bool:
    """Errors every later request would repeat: bad key, no permission, unknown model, bad request."""
    if isinstance(error, anthropic.CredentialsError):
        return True
    if isinstance(error, anthropic.APIStatusError):
        return 400 <= error.status_code < 500 and error.status_code not in (408, 409, 429)
    return False


def api_error_message(error: BaseException) -> str:
    status = getattr(error, "status_code", None)
    name = type(error).__name__
    return f"{name} ({status}): {error}" if status else f"{name}: {error}"


# ---------------------------------------------------------------- prompts


@dataclass(frozen=True)
class PromptBank:
    """Prompt texts and the variety they draw from (prompts/*.txt, styles.json)."""

    system: str
    request: Template
    styles: Dict[str, Any]

    @classmethod
    def load(cls) -> "PromptBank":
        folder = resources.files(DATA_PACKAGE) / PROMPT_DIR
        return cls(
            system=(folder / "system.txt").read_text(encoding="utf8").strip(),
            request=Template((folder / "request.txt").read_text(encoding="utf8")),
            styles=json.loads((folder / "styles.json").read_text(encoding="utf8")),
        )


@dataclass
class RequestPlan:
    """What one request asks for; its style is stored in the records' meta."""

    index: int
    n_utterances: int
    style: Dict[str, Any]
    prompt: str


def surface_example(record: Dict[str, Any]) -> Dict[str, Any]:
    """An offline record in the format the model is asked for (surfaces, not offsets)."""
    text = record["text"]
    entities = sorted(record["entities"], key=lambda ent: ent["start"])
    return {
        "text": text,
        "entities": [{"text": text[ent["start"]:ent["end"]], "label": ent["label"]} for ent in entities],
    }


def load_few_shot_pool(size: int, seed: int) -> List[Dict[str, Any]]:
    """Few-shot examples drawn from the offline generator."""
    from .synthetic import generate_examples

    return [surface_example(record) for record in generate_examples(size, seed)]


def _plan_content(rng: random.Random, n: int, label_weights: Dict[str, float], bank: PromptBank) -> Tuple[str, Dict[str, Any]]:
    shares = bank.styles["shares"]
    n_free = sum(rng.random() < shares["entity_free"] for _ in range(n))
    n_negative = sum(rng.random() < shares["hard_negative"] for _ in range(n - n_free))
    n_entity = n - n_free - n_negative
    labels = [label for label, weight in label_weights.items() if weight > 0]
    weights = [label_weights[label] for label in labels]
    mentions: Counter = Counter()
    for _ in range(n_entity):
        k = 2 if len(labels) > 1 and rng.random() < shares["two_labels"] else 1
        chosen: Set[str] = set()
        while len(chosen) < k:
            chosen.add(rng.choices(labels, weights)[0])
        mentions.update(chosen)
    negatives = rng.sample(bank.styles["hard_negatives"], k=min(3, len(bank.styles["hard_negatives"])))
    lines = []
    if n_entity:
        per_label = ", ".join(f"{mentions[label]} mention a {label}" for label in LABELS if mentions[label])
        lines.append(f"- {n_entity} utterances with entities: {per_label} (one utterance may hold several).")
    if n_negative:
        lines.append(
            f"- {n_negative} utterances with hard negatives only, things that look like entities but are not: "
            + "; ".join(negatives) + "."
        )
    if n_free:
        lines.append(f"- {n_free} utterances with no entity and no number at all (greetings, holds, complaints, small talk).")
    plan = {"entity": n_entity, "hard_negative": n_negative, "entity_free": n_free, "mentions": dict(mentions)}
    return "\n".join(lines), plan


def plan_request(
    index: int,
    *,
    seed: int,
    n_utterances: int,
    label_weights: Dict[str, float],
    few_shot_pool: Sequence[Dict[str, Any]],
    bank: PromptBank,
) -> RequestPlan:
    """The prompt of request `index`: a different style and different few-shots each time."""
    rng = random.Random(f"llm-request:{seed}:{index}")
    styles = bank.styles
    style = {
        "scenario": rng.choice(styles["scenarios"]),
        "speakers": rng.choice(styles["speakers"]),
        "register": rng.choice(styles["registers"]),
        "transcript_style": rng.choice(styles["transcript_styles"]),
        "product_hint": rng.choice(styles["product_hints"]),
    }
    content_plan, content = _plan_content(rng, n_utterances, label_weights, bank)
    hints = []
    for label in LABELS:
        if content["mentions"].get(label):
            hints.append(f"- {label}: {rng.choice(styles['format_hints'][label])}")
    few_shots = rng.sample(list(few_shot_pool), k=min(FEW_SHOT_PER_REQUEST, len(few_shot_pool)))
    examples = "\n".join(json.dumps(example, ensure_ascii=False) for example in few_shots)
    prompt = bank.request.substitute(
        n_utterances=n_utterances,
        content_plan=content_plan,
        format_hints="\n".join(hints) or "- (no entities planned)",
        examples=examples or "(none)",
        **style,
    )
    style = {**style, "plan": content}
    return RequestPlan(index, n_utterances, style, prompt)


# ---------------------------------------------------------------- parsing


def response_text(message: Any) -> str:
    return "".join(getattr(block, "text", "") for block in message.content if getattr(block, "type", None) == "text")


def _strip_code_fence(text: str) -> str:
    fenced = re.search(r"```(?:json)?\s*(.*?)(?:```|$)", text, re.DOTALL)
    return fenced.group(1) if fenced else text


def _salvage_utterances(text: str) -> List[Any]:
    """Complete items of a cut-off `"utterances": [...]` array (a reply that hit max_tokens)."""
    match = re.search(r'"utterances"\s*:\s*\[', text)
    if not match:
        return []
    decoder = json.JSONDecoder()
    items, position = [], match.end()
    while True:
        while position < len(text) and text[position] in " \t\r\n,":
            position += 1
        if position >= len(text) or text[position] == "]":
            return items
        try:
            item, position = decoder.raw_decode(text, position)
        except ValueError:
            return items
        items.append(item)


def parse_utterances(text: str) -> Tuple[List[Any], bool]:
    """The utterance items of a reply, and whether they were salvaged from a cut-off reply.

    Raises MalformedResponse when nothing usable is there.
    """
    body = _strip_code_fence(text).strip()
    start = body.find("{")
    if start < 0:
        raise MalformedResponse("no JSON object in the reply")
    try:
        obj, _ = json.JSONDecoder().raw_decode(body, start)
    except ValueError as err:
        salvaged = _salvage_utterances(body)
        if salvaged:
            return salvaged, True
        raise MalformedResponse(f"invalid JSON ({err})") from None
    if not isinstance(obj, dict) or not isinstance(obj.get("utterances"), list):
        raise MalformedResponse('expected an object with an "utterances" list')
    return obj["utterances"], False


# ---------------------------------------------------------------- spans


@lru_cache(maxsize=1)
def protected_product_words() -> frozenset:
    """Product words that end in a syllable that is also a particle, read from the offline catalogue."""
    from .synthetic import load_bank

    bank = load_bank("products.json")
    names = [row[2] for key in ("catalogue", "bare_brands", "short_forms") for row in bank[key]]
    names += [spellings[0] for spellings in bank["brands"].values()]
    words = {name.split()[-1] for name in names if name.split()}
    return frozenset(PROTECTED_PRODUCT_WORDS) | {word for word in words if HANGUL_END.search(word)}


def clean_surface(surface: str, label: str) -> str:
    """The model's surface without edge punctuation and words ANNOTATION.md keeps outside the span."""
    surface = " ".join(surface.split()).strip(EDGE_PUNCTUATION + " ")
    words = surface.split(" ")
    if label == MONEY:
        while len(words) > 1 and words[0] in MONEY_PREFIX_MODIFIERS + MONEY_PERIOD_WORDS:
            words = words[1:]
        while len(words) > 1 and words[-1] in MONEY_SUFFIX_MODIFIERS:
            words = words[:-1]
    if label == PRODUCT:
        attributes = product_attribute_phrases()
        trimmed = True
        while trimmed:
            trimmed = False
            if len(words) > 1 and CAPACITY_REGEX.fullmatch(words[-1]):
                words, trimmed = words[:-1], True
            for phrase in attributes:
                if len(words) > len(phrase) and tuple(words[-len(phrase):]) == phrase:
                    words, trimmed = words[:-len(phrase)], True
                    break
    return " ".join(words)


def attached_particle_length(span_text: str, label: str) -> int:
    """How many trailing characters of a span are a particle stack that belongs outside it.

    Covers particles glued to a digit, Latin letter or currency word (the
    validator's rule), to a Hangul product word (`프로로`, kept: `프로`), and to a
    spoken four-digit group (`오육칠팔이요`).
    """
    glued = glued_particle_stack(span_text)
    if glued:
        return len(glued)
    last_word = span_text.split(" ")[-1]
    if label == PRODUCT and HANGUL_END.search(last_word):
        protected = protected_product_words()
        if last_word in protected:
            return 0
        cuts = [cut for cut in range(1, len(last_word)) if is_particle_stack(last_word[cut:])]
        known = [cut for cut in cuts if last_word[:cut] in protected]
        unknown = [cut for cut in cuts if cut >= 2]
        if known or unknown:
            return len(last_word) - (known or unknown)[0]
    if label == PHONE:
        digits, stack = last_word[:SPOKEN_GROUP_DIGITS], last_word[SPOKEN_GROUP_DIGITS:]
        if len(digits) == SPOKEN_GROUP_DIGITS and all(c in SPOKEN_DIGITS for c in digits) and is_particle_stack(stack):
            return len(stack)
    return 0


def cut_attached_particle(text: str, start: int, end: int, label: str) -> int:
    """The span's end with an attached particle cut off (unchanged when nothing would remain)."""
    cut = attached_particle_length(text[start:end], label)
    if not cut:
        return end
    new_end = start + len(text[start:end - cut].rstrip())
    return new_end if new_end > start else end


def _occurrences(text: str, surface: str) -> List[Tuple[int, int]]:
    found, position = [], text.find(surface)
    while position >= 0:
        found.append((position, position + len(surface)))
        position = text.find(surface, position + 1)
    return found


def _spacing_insensitive_occurrences(text: str, surface: str) -> List[Tuple[int, int]]:
    chars = [re.escape(ch) for ch in surface if not ch.isspace()]
    if not chars:
        return []
    return [m.span() for m in re.finditer(r"\s?".join(chars), text)]


def _overlaps(span: Tuple[int, int], taken: Iterable[Tuple[int, int, str]]) -> bool:
    return any(span[0] < end and start < span[1] for start, end, _ in taken)


def _aligned(doc: Doc, span: Tuple[int, int]) -> bool:
    return doc.char_span(span[0], span[1], alignment_mode="strict") is not None


@dataclass
class Annotation:
    """The outcome for one utterance: a record to write, or the reason it is rejected."""

    record: Optional[Dict[str, Any]] = None
    reason: Optional[str] = None
    detail: str = ""
    fixes: Counter = field(default_factory=Counter)


def _reject(reason: str, detail: str, fixes: Optional[Counter] = None) -> Annotation:
    return Annotation(None, reason, detail, fixes or Counter())


def locate_surface(
    text: str, doc: Doc, surface: str, label: str, taken: Sequence[Tuple[int, int, str]]
) -> Tuple[Optional[Tuple[int, int]], str]:
    """The first free occurrence of `surface`, preferring token-aligned ones.

    Tries the exact string, then ignoring spaces (`5만원` for `5만 원`), then without
    a trailing particle. Returns the span and how it was found ("exact",
    "spacing", "particle"), or None and why not ("not_found", "overlap").
    """
    stripped = surface[:len(surface) - attached_particle_length(surface, label)].rstrip()
    searches = [("exact", _occurrences(text, surface)), ("spacing", _spacing_insensitive_occurrences(text, surface))]
    if stripped and stripped != surface:
        searches.append(("particle", _occurrences(text, stripped) or _spacing_insensitive_occurrences(text, stripped)))
    seen_any = False
    for how, spans in searches:
        seen_any = seen_any or bool(spans)
        free = [span for span in spans if not _overlaps(span, taken)]
        if free:
            aligned = [span for span in free if _aligned(doc, span)]
            return (aligned or free)[0], how
    return None, "overlap" if seen_any else "not_found"


def annotate_utterance(item: Any, nlp: Language, *, labels: Sequence[str] = LABELS, source: str = "") -> Annotation:
    """Turn one `{"text", "entities": [{"text", "label"}]}` item into a validated record.

    Offsets come from searching the surfaces in the text. Longer surfaces are
    placed first so a nested shorter one (`아이폰` next to `아이폰 16`) finds its
    own occurrence; equal surfaces take successive occurrences in the order the
    model listed them. Every problem left after the fixes rejects the item.
    """
    fixes: Counter = Counter()
    if not isinstance(item, dict) or "text" not in item or "entities" not in item:
        return _reject(MISSING_FIELD, f"an utterance needs text and entities: {str(item)[:80]!r}")
    if not isinstance(item["text"], str) or not isinstance(item["entities"], list):
        return _reject(BAD_TYPE, "text must be a string and entities a list")
    text = " ".join(item["text"].split())
    if not text:
        return _reject(EMPTY_TEXT, "empty utterance")
    wanted: List[Tuple[str, str]] = []
    for entity in item["entities"]:
        if not isinstance(entity, dict) or not {"text", "label"} <= set(entity):
            return _reject(MISSING_FIELD, f"an entity needs text and label: {entity!r}")
        if not isinstance(entity["text"], str) or not isinstance(entity["label"], str):
            return _reject(BAD_TYPE, f"entity text and label must be strings: {entity!r}")
        label = entity["label"].strip().upper()
        if label not in labels:
            return _reject(UNKNOWN_LABEL, f"unknown label {entity['label']!r} for {entity['text']!r}")
        surface = clean_surface(entity["text"], label)
        if not surface:
            return _reject(EMPTY_SPAN, f"empty surface for {label}: {entity['text']!r}")
        if surface != " ".join(entity["text"].split()):
            fixes["surface_trimmed"] += 1
        wanted.append((surface, label))

    doc = nlp.make_doc(text)
    placed: List[Tuple[int, int, str]] = []
    for surface, label in sorted(wanted, key=lambda pair: -len(pair[0])):
        span, how = locate_surface(text, doc, surface, label, placed)
        if span is None:
            reason = OVERLAP if how == "overlap" else SURFACE_NOT_FOUND
            return _reject(reason, f"{label} {surface!r} has no free occurrence in {text!r}", fixes)
        if how != "exact":
            fixes[f"found_by_{how}"] += 1
        start, end = span
        cut_end = cut_attached_particle(text, start, end, label)
        if cut_end != end:
            fixes["particle_cut"] += 1
        placed.append((start, cut_end, label))

    entities = [{"start": s, "end": e, "label": label} for s, e, label in sorted(placed)]
    record, problems, _ = validate_entities(text, entities, nlp, labels=labels, source=source, doc=doc)
    if problems or record is None:
        problem = problems[0]
        return _reject(problem.kind, problem.message, fixes)
    for start, end, label in placed:
        for other in _occurrences(text, text[start:end]):
            if not _overlaps(other, placed) and _aligned(doc, other):
                return _reject(
                    UNLABELLED_ENTITY,
                    f"{label} {text[start:end]!r} occurs again at {other[0]} but is listed fewer times",
                    fixes,
                )
    for label, found in ((PHONE, find_phone_spans(text)), (CONTRACT, find_contract_spans(text))):
        for span in found:
            if not _overlaps(span, placed):
                return _reject(UNLABELLED_ENTITY, f"unlabelled {label} {text[span[0]:span[1]]!r} in {text!r}", fixes)

    return Annotation({"text": text, "entities": entities}, None, "", fixes)


def dedup_key(text: str) -> str:
    """Text without whitespace and punctuation, case-folded: near-duplicates collide."""
    return DEDUP_STRIP.sub("", text).casefold()


# ---------------------------------------------------------------- output file


@dataclass
class ExistingOutput:
    """What a previous run left in the output file."""

    n_records: int = 0
    keys: Set[str] = field(default_factory=set)
    next_request_index: int = 0
    n_unusable_lines: int = 0
    cut_partial_line: bool = False


def read_existing_output(path: Path, nlp: Language) -> ExistingOutput:
    """Count the valid records already written, for resuming and deduplication.

    A last line without its newline is what a killed run leaves mid-write; it
    is cut off so that appending starts on a fresh line.
    """
    existing = ExistingOutput()
    if not path.exists():
        return existing
    data = path.read_bytes()
    if data and not data.endswith(b"\n"):
        keep = data.rfind(b"\n") + 1
        with path.open("r+b") as file_:
            file_.truncate(keep)
        data = data[:keep]
        existing.cut_partial_line = True
    for line in data.decode("utf8", errors="replace").splitlines():
        if not line.strip():
            continue
        try:
            obj = json.loads(line)
        except ValueError:
            existing.n_unusable_lines += 1
            continue
        record, problems = validate_record(obj, nlp)
        if record is None or problems:
            existing.n_unusable_lines += 1
            continue
        existing.n_records += 1
        existing.keys.add(dedup_key(record.text))
        request_index = record.meta.get("request_index")
        if isinstance(request_index, int):
            existing.next_request_index = max(existing.next_request_index, request_index + 1)
    return existing


def report_path_for(output_path: Path) -> Path:
    return output_path.with_name(output_path.name + ".report.json")


# ---------------------------------------------------------------- report


@dataclass
class GenerationReport:
    """Counts of one run: what was written, rejected and why, and what it cost."""

    model: str
    target: int
    output_path: str = ""
    already_in_file: int = 0
    accepted: int = 0
    rejected: Counter = field(default_factory=Counter)
    duplicates: int = 0
    few_shot_copies: int = 0
    surplus: int = 0
    malformed_responses: int = 0
    salvaged_responses: int = 0
    failed_requests: int = 0
    requests_sent: int = 0
    responses: int = 0
    input_tokens: int = 0
    output_tokens: int = 0
    fixes: Counter = field(default_factory=Counter)
    status: str = "running"
    stop_message: str = ""
    samples: Dict[str, List[str]] = field(default_factory=dict)

    @property
    def in_file(self) -> int:
        return self.already_in_file + self.accepted

    @property
    def cost_usd(self) -> Optional[float]:
        return estimate_cost(self.model, self.input_tokens, self.output_tokens)

    def add_sample(self, kind: str, text: str) -> None:
        bucket = self.samples.setdefault(kind, [])
        if len(bucket) < SAMPLES_PER_REASON:
            bucket.append(text)

    def to_json(self) -> Dict[str, Any]:
        cost = self.cost_usd
        return {
            "model": self.model,
            "output": self.output_path,
            "status": self.status,
            "stop_message": self.stop_message,
            "target": self.target,
            "in_file": self.in_file,
            "already_in_file": self.already_in_file,
            "accepted": self.accepted,
            "rejected": sum(self.rejected.values()),
            "rejected_by_reason": dict(self.rejected.most_common()),
            "duplicates": self.duplicates,
            "few_shot_copies": self.few_shot_copies,
            "surplus": self.surplus,
            "malformed_responses": self.malformed_responses,
            "salvaged_responses": self.salvaged_responses,
            "failed_requests": self.failed_requests,
            "requests_sent": self.requests_sent,
            "responses": self.responses,
            "input_tokens": self.input_tokens,
            "output_tokens": self.output_tokens,
            "estimated_cost_usd": round(cost, 4) if cost is not None else "unknown",
            "price_per_mtok_usd": price_per_mtok(self.model),
            "fixes": dict(self.fixes.most_common()),
            "samples": self.samples,
        }

    def print(self) -> None:
        msg.divider(f"LLM generation: {self.status}")
        cost = self.cost_usd
        rows = [
            ("model", self.model),
            ("records in file / target", f"{self.in_file} / {self.target}"),
            ("accepted this run", self.accepted),
            ("rejected", sum(self.rejected.values())),
        ]
        rows += [(f"  {reason}", count) for reason, count in self.rejected.most_common()]
        rows += [
            ("duplicates (incl. few-shot copies)", f"{self.duplicates} ({self.few_shot_copies})"),
            ("surplus past the target", self.surplus),
            ("malformed responses", self.malformed_responses),
            ("failed requests", self.failed_requests),
            ("requests sent / answered", f"{self.requests_sent} / {self.responses}"),
            ("input / output tokens", f"{self.input_tokens:,} / {self.output_tokens:,}"),
            ("estimated cost (USD)", f"{cost:.4f}" if cost is not None else "unknown (no price for this model)"),
        ]
        if self.fixes:
            rows.append(("spans fixed", ", ".join(f"{kind} {n}" for kind, n in self.fixes.most_common())))
        msg.table(rows, widths=(34, 40))
        if self.stop_message:
            msg.warn(self.stop_message)


# ---------------------------------------------------------------- generator


class LLMGenerator:
    """Requests utterances from a Messages API client and writes validated records.

    `client` is anything with `.messages.create(**kwargs)` returning an
    `anthropic.types.Message`; by default the SDK client is made on first use.
    """

    def __init__(
        self,
        *,
        model: str = DEFAULT_MODEL,
        label_weights: Optional[Dict[str, float]] = None,
        per_request: int = DEFAULT_PER_REQUEST,
        concurrency: int = DEFAULT_CONCURRENCY,
        seed: int = 0,
        client: Any = None,
        max_retries: int = DEFAULT_MAX_RETRIES,
        timeout: float = DEFAULT_TIMEOUT_S,
        max_requests: Optional[int] = None,
        max_consecutive_failures: int = MAX_CONSECUTIVE_FAILURES,
        nlp: Optional[Language] = None,
        few_shot_pool: Optional[Sequence[Dict[str, Any]]] = None,
        prompts: Optional[PromptBank] = None,
        show_progress: bool = True,
    ):
        if per_request < 1 or concurrency < 1:
            raise ValueError("per_request and concurrency must be at least 1")
        self.model = model
        self.label_weights = label_weights or parse_label_mix(None)
        self.per_request = per_request
        self.concurrency = concurrency
        self.seed = seed
        self._client = client
        self.max_retries = max_retries
        self.timeout = timeout
        self.max_requests = max_requests
        self.max_consecutive_failures = max_consecutive_failures
        self.nlp = nlp or make_korean_nlp()
        self._few_shot_pool = list(few_shot_pool) if few_shot_pool is not None else None
        self.prompts = prompts or PromptBank.load()
        self.show_progress = show_progress
        self.report: Optional[GenerationReport] = None

    @property
    def client(self) -> Any:
        if self._client is None:
            self._client = make_client(max_retries=self.max_retries, timeout=self.timeout)
        return self._client

    @property
    def few_shot_pool(self) -> List[Dict[str, Any]]:
        if self._few_shot_pool is None:
            self._few_shot_pool = load_few_shot_pool(FEW_SHOT_POOL_SIZE, self.seed)
        return self._few_shot_pool

    def plan(self, index: int) -> RequestPlan:
        return plan_request(
            index, seed=self.seed, n_utterances=self.per_request, label_weights=self.label_weights,
            few_shot_pool=self.few_shot_pool, bank=self.prompts,
        )

    def request(self, plan: RequestPlan) -> Any:
        """One Messages API call (runs in a worker thread)."""
        return self.client.messages.create(
            model=self.model,
            max_tokens=plan.n_utterances * OUTPUT_TOKENS_PER_UTTERANCE + OUTPUT_TOKENS_OVERHEAD,
            system=self.prompts.system,
            messages=[{"role": "user", "content": plan.prompt}],
        )

    def run(self, output_path: Path, n: int) -> GenerationReport:
        """Top `output_path` up to `n` records; returns the report (also kept as `self.report`).

        Raises GenerationStopped on an error no retry can fix, and re-raises
        KeyboardInterrupt; in both cases the records written so far stay.
        """
        if self._client is None and not has_api_key():
            raise MissingAPIKeyError(missing_key_message())
        output_path = Path(output_path)
        report = self.report = GenerationReport(model=self.model, target=n, output_path=str(output_path))
        existing = read_existing_output(output_path, self.nlp)
        report.already_in_file = existing.n_records
        if existing.cut_partial_line:
            logger.warning("cut an incomplete last line from %s (an interrupted write)", output_path)
        needed = n - existing.n_records
        if needed <= 0:
            report.status = "complete"
            return report
        few_shot_keys = {dedup_key(example["text"]) for example in self.few_shot_pool}
        seen = set(existing.keys)
        max_requests = self.max_requests or 3 * math.ceil(needed / self.per_request) + 2 * self.concurrency
        next_index = existing.next_request_index
        output_path.parent.mkdir(parents=True, exist_ok=True)
        pool = ThreadPoolExecutor(max_workers=self.concurrency, thread_name_prefix="llm-request")
        in_flight: Dict[Future, RequestPlan] = {}
        consecutive_failures = 0
        bar = tqdm(total=n, initial=existing.n_records, unit="utt", desc="generate-llm",
                   disable=not self.show_progress, dynamic_ncols=True)
        try:
            with output_path.open("a", encoding="utf8") as out, logging_redirect_tqdm(loggers=[logger]):
                while True:
                    remaining = needed - report.accepted
                    wanted_in_flight = min(self.concurrency, math.ceil(max(remaining, 0) / self.per_request))
                    while len(in_flight) < wanted_in_flight and report.requests_sent < max_requests:
                        plan = self.plan(next_index)
                        next_index += 1
                        in_flight[pool.submit(self.request, plan)] = plan
                        report.requests_sent += 1
                    if not in_flight:
                        break
                    done, _ = wait(in_flight, return_when=FIRST_COMPLETED)
                    for future in done:
                        plan = in_flight.pop(future)
                        error = future.exception()
                        if error is not None:
                            if isinstance(error, KeyboardInterrupt):
                                raise error
                            if fatal_api_error(error):
                                raise GenerationStopped(f"stopped: {api_error_message(error)}") from error
                            if not isinstance(error, anthropic.AnthropicError):
                                raise error
                            report.failed_requests += 1
                            consecutive_failures += 1
                            report.add_sample("failed_request", api_error_message(error))
                            logger.warning("request %d failed after retries: %s", plan.index, api_error_message(error))
                            if consecutive_failures >= self.max_consecutive_failures:
                                raise GenerationStopped(
                                    f"stopped: {consecutive_failures} requests in a row failed after retries; "
                                    f"last: {api_error_message(error)}"
                                ) from error
                            continue
                        consecutive_failures = 0
                        self._take_response(future.result(), plan, out, seen, few_shot_keys, needed, report)
                        bar.update(report.in_file - bar.n)
                        bar.set_postfix(rejected=sum(report.rejected.values()), dup=report.duplicates,
                                        failed=report.failed_requests, refresh=False)
            if report.accepted >= needed:
                report.status = "complete"
            else:
                report.status = "incomplete"
                report.stop_message = (
                    f"request limit ({max_requests}) reached with {report.in_file} of {n} records; "
                    "run the command again to continue"
                )
        except KeyboardInterrupt:
            report.status = "interrupted"
            report.stop_message = f"interrupted with {report.in_file} of {n} records; run the command again to resume"
            raise
        except GenerationStopped as err:
            report.status = "stopped"
            report.stop_message = str(err)
            raise
        except Exception as err:
            report.status = "failed"
            report.stop_message = f"failed: {type(err).__name__}: {err}"
            raise
        finally:
            bar.close()
            pool.shutdown(wait=not in_flight, cancel_futures=True)
        return report

    def _take_response(
        self,
        message: Any,
        plan: RequestPlan,
        out: Any,
        seen: Set[str],
        few_shot_keys: Set[str],
        needed: int,
        report: GenerationReport,
    ) -> None:
        """Parse, annotate, deduplicate and append the utterances of one reply."""
        report.responses += 1
        usage = getattr(message, "usage", None)
        report.input_tokens += getattr(usage, "input_tokens", 0) or 0
        report.output_tokens += getattr(usage, "output_tokens", 0) or 0
        text = response_text(message)
        try:
            items, salvaged = parse_utterances(text)
        except MalformedResponse as err:
            report.malformed_responses += 1
            excerpt = " ".join(text.split())[:120]
            report.add_sample("malformed_response", f"{err}: {excerpt!r}")
            logger.warning("request %d: malformed reply (%s): %r", plan.index, err, excerpt)
            return
        if salvaged:
            report.salvaged_responses += 1
        for position, item in enumerate(items):
            source = f"request {plan.index} item {position}"
            annotation = annotate_utterance(item, self.nlp, source=source)
            report.fixes.update(annotation.fixes)
            if annotation.record is None:
                report.rejected[annotation.reason] += 1
                report.add_sample(annotation.reason, annotation.detail)
                continue
            key = dedup_key(annotation.record["text"])
            if key in seen or key in few_shot_keys:
                report.duplicates += 1
                report.few_shot_copies += key in few_shot_keys
                continue
            if report.accepted >= needed:
                report.surplus += 1
                continue
            record = dict(annotation.record)
            record["meta"] = {
                "generator": "llm",
                "model": getattr(message, "model", None) or self.model,
                "message_id": getattr(message, "id", None),
                "request_index": plan.index,
                "seed": self.seed,
                "prompt_style": plan.style,
            }
            out.write(json.dumps(record, ensure_ascii=False) + "\n")
            out.flush()
            seen.add(key)
            report.accepted += 1


def generate_llm_corpus(
    output_path: Path,
    *,
    n: int,
    model: str = DEFAULT_MODEL,
    label_weights: Optional[Dict[str, float]] = None,
    per_request: int = DEFAULT_PER_REQUEST,
    concurrency: int = DEFAULT_CONCURRENCY,
    seed: int = 0,
    client: Any = None,
    max_retries: int = DEFAULT_MAX_RETRIES,
    timeout: float = DEFAULT_TIMEOUT_S,
    max_requests: Optional[int] = None,
    nlp: Optional[Language] = None,
    few_shot_pool: Optional[Sequence[Dict[str, Any]]] = None,
    show_progress: bool = True,
) -> GenerationReport:
    """The `generate-llm` command: check the key, run, print and save the report.

    The key check comes before anything touches `output_path`.
    """
    if n < 1:
        raise ValueError(f"n must be at least 1, got {n}")
    if client is None and not has_api_key():
        raise MissingAPIKeyError(missing_key_message())
    output_path = Path(output_path)
    generator = LLMGenerator(
        model=model, label_weights=label_weights, per_request=per_request, concurrency=concurrency,
        seed=seed, client=client, max_retries=max_retries, timeout=timeout, max_requests=max_requests,
        nlp=nlp, few_shot_pool=few_shot_pool, show_progress=show_progress,
    )
    try:
        return generator.run(output_path, n)
    finally:
        report = generator.report
        if report is not None:
            report.print()
            if output_path.parent.exists():
                report_path_for(output_path).write_text(
                    json.dumps(report.to_json(), ensure_ascii=False, indent=2) + "\n", encoding="utf8"
                )
