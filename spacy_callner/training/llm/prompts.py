"""What each request asks the model for: the label mix, prompt texts, styles and few-shots.

Every request draws its own style (scenario, speakers, register, transcript
style, product hint), content plan and few-shot examples from a seeded RNG, so
a corpus is varied yet reproducible. The texts are data in
`spacy_callner/training/prompts/` (`system.txt`, `request.txt`, `styles.json`).
"""
import json
import math
import random
from collections import Counter
from dataclasses import dataclass
from importlib import resources
from string import Template
from typing import Any, Dict, List, Optional, Sequence, Set, Tuple

from ...scheme import LABELS
from ...scheme.intents import INTENT_DEFINITIONS

DATA_PACKAGE = "spacy_callner.training"
PROMPT_DIR = "prompts"
FEW_SHOT_POOL_SIZE = 300
FEW_SHOT_PER_REQUEST = 4
HARD_NEGATIVES_PER_REQUEST = 3
# Korean costs roughly one token per character; an utterance with its JSON
# entities stays well under this.
OUTPUT_TOKENS_PER_UTTERANCE = 300
OUTPUT_TOKENS_OVERHEAD = 500
INTENT_DEFINITIONS_MARKER = "$intent_definitions"
"""Where system.txt lists the intent labels; filled from the scheme, so the prompt cannot drift from it."""


def intent_definitions_text() -> str:
    """One `- label: definition` line per intent label, in the scheme's order."""
    return "\n".join(f"- {label}: {definition}" for label, definition in INTENT_DEFINITIONS.items())


def fill_system_prompt(template: str) -> str:
    """system.txt with the intent labels and their definitions filled in from the scheme."""
    if INTENT_DEFINITIONS_MARKER not in template:
        raise ValueError(f"system prompt has no {INTENT_DEFINITIONS_MARKER} to list the intent labels")
    return template.replace(INTENT_DEFINITIONS_MARKER, intent_definitions_text())


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
        weights[label] = _label_weight(label, weight)
    if not any(weights.values()):
        raise ValueError(f"label mix {spec!r} gives no label a positive weight")
    return weights


def _label_weight(label: str, weight: str) -> float:
    try:
        value = float(weight) if weight.strip() else 1.0
    except ValueError:
        raise ValueError(f"weight of {label} must be a number, got {weight!r}") from None
    if value < 0 or not math.isfinite(value):
        raise ValueError(f"weight of {label} must be a non-negative number, got {weight!r}")
    return value


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
            system=fill_system_prompt((folder / "system.txt").read_text(encoding="utf8").strip()),
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

    @property
    def max_tokens(self) -> int:
        """Room for the planned utterances with their entities."""
        return self.n_utterances * OUTPUT_TOKENS_PER_UTTERANCE + OUTPUT_TOKENS_OVERHEAD


def surface_example(record: Dict[str, Any]) -> Dict[str, Any]:
    """An offline record in the format the model is asked for (surfaces, not offsets, and its intent)."""
    text = record["text"]
    entities = sorted(record["entities"], key=lambda ent: ent["start"])
    example = {
        "text": text,
        "entities": [{"text": text[ent["start"]:ent["end"]], "label": ent["label"]} for ent in entities],
    }
    if record.get("intent") is not None:
        example["intent"] = record["intent"]
    return example


def load_few_shot_pool(size: int, seed: int) -> List[Dict[str, Any]]:
    """Few-shot examples drawn from the offline generator."""
    from ..synthetic import generate_examples

    return [surface_example(record) for record in generate_examples(size, seed)]


def _draw_mentions(rng: random.Random, n_entity: int, label_weights: Dict[str, float], two_labels: float) -> Counter:
    """How many of `n_entity` utterances mention each label (one or two labels each)."""
    labels = [label for label, weight in label_weights.items() if weight > 0]
    weights = [label_weights[label] for label in labels]
    mentions: Counter = Counter()
    for _ in range(n_entity):
        k = 2 if len(labels) > 1 and rng.random() < two_labels else 1
        chosen: Set[str] = set()
        while len(chosen) < k:
            chosen.add(rng.choices(labels, weights)[0])
        mentions.update(chosen)
    return mentions


def plan_content(
    rng: random.Random, n: int, label_weights: Dict[str, float], bank: PromptBank
) -> Tuple[str, Dict[str, Any]]:
    """The content lines of a prompt (utterances with entities, hard negatives, entity-free) and the plan."""
    shares = bank.styles["shares"]
    n_free = sum(rng.random() < shares["entity_free"] for _ in range(n))
    n_negative = sum(rng.random() < shares["hard_negative"] for _ in range(n - n_free))
    n_entity = n - n_free - n_negative
    mentions = _draw_mentions(rng, n_entity, label_weights, shares["two_labels"])
    hard_negatives = bank.styles["hard_negatives"]
    negatives = rng.sample(hard_negatives, k=min(HARD_NEGATIVES_PER_REQUEST, len(hard_negatives)))
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
    content_lines, content = plan_content(rng, n_utterances, label_weights, bank)
    hints = [
        f"- {label}: {rng.choice(styles['format_hints'][label])}"
        for label in LABELS if content["mentions"].get(label)
    ]
    few_shots = rng.sample(list(few_shot_pool), k=min(FEW_SHOT_PER_REQUEST, len(few_shot_pool)))
    examples = "\n".join(json.dumps(example, ensure_ascii=False) for example in few_shots)
    prompt = bank.request.substitute(
        n_utterances=n_utterances,
        content_plan=content_lines,
        format_hints="\n".join(hints) or "- (no entities planned)",
        examples=examples or "(none)",
        **style,
    )
    return RequestPlan(index, n_utterances, {**style, "plan": content}, prompt)
