"""`bench-report`: scores, speed and training times joined into benchmark.json (the closing table and
what it was measured on)."""
from __future__ import annotations

import datetime
from typing import Dict, List, Optional, Sequence

from .comparison import table_rows
from .names import HF_EQUAL_TIME, HF_RECIPE, KO_CALLNER, SPACY_SAME_DATA
from .systems import System, training_record

DESCRIPTIONS = {
    HF_RECIPE: "the Hugging Face recipe as its authors run it: Trainer, lr 3e-5, batch 16, warm-up 0.1, "
               "5 epochs, every layer of the base encoder, on the sampled training pairs",
    HF_EQUAL_TIME: "the recipe's settings on the full training set, stopped when its training time reached "
                   "ko_callner's default training time",
    SPACY_SAME_DATA: "ko_callner's default config (its own steps) trained on the same sampled pairs, "
                     "assembled as `assemble` does",
    KO_CALLNER: "the default ko_callner model (fp32), trained by `train` on the full training set",
}

NOTES = [
    "One matcher for every system: a predicted entity counts only if its start, end and label equal a gold "
    "entity's; the recipe's spans are stripped of surrounding whitespace first (sentencepiece offsets often "
    "start at the space before a word).",
    "Training seconds are the training loop's (spaCy's loop after initialisation, the Trainer's "
    "train_runtime); loading the encoder and encoding the data are not counted for either.",
    "The equal-time recipe keeps the recipe's linear schedule for 5 epochs over the full set and is stopped "
    "by the clock, so its learning rate has not decayed to zero when it stops.",
    "Training used no model selection on the scored sets: the recipe's final model, spaCy's model-best on "
    "its synthetic dev set.",
]


def describe(system: System) -> str:
    return DESCRIPTIONS.get(system.name, f"given in `bench_extra` ({system.kind}, {system.path})")


def build_report(systems: Sequence[System], scores: dict, speed: dict, data: dict, budget: dict,
                 notes: Optional[List[str]] = None) -> dict:
    """benchmark.json: the table, and per system its description, training record, accuracy and speed."""
    trainings: Dict[str, Optional[dict]] = {system.name: training_record(system) for system in systems}
    records = {
        system.name: {"kind": system.kind, "model": str(system.path), "description": describe(system),
                      "training": trainings[system.name], "accuracy": scores["systems"][system.name]["accuracy"],
                      "speed": speed["systems"][system.name]}
        for system in systems
    }
    return {
        "created": datetime.datetime.now().isoformat(timespec="seconds"),
        "machine": speed["machine"],
        "speed_settings": speed["settings"],
        "data": data,
        "gold_sets": scores["gold_sets"],
        "budget": budget,
        "table": table_rows(scores, speed, trainings, budget["seconds"]),
        "systems": records,
        "notes": NOTES + list(notes or []),
    }
