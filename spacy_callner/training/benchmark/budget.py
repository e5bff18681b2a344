"""Training budget arithmetic: how many steps of a spaCy config make a given number of passes.

The fair comparison trains ko_callner on the baseline's data for as many passes
as the baseline made; spaCy counts steps of its own batcher, so the step count
and the warm-up are worked out from the config.
"""
from __future__ import annotations

import math
from pathlib import Path
from typing import TYPE_CHECKING, Optional, Sequence, Union

if TYPE_CHECKING:
    from spacy.tokens import Doc

PathLike = Union[str, Path]


def config_batches_per_pass(config_path: PathLike, docs: Sequence[Doc]) -> int:
    """How many batches the config's own `[training.batcher]` makes of `docs` (one pass)."""
    from spacy.util import load_config, registry

    batcher_config = load_config(config_path, interpolate=False)["training"]["batcher"]
    batcher = registry.resolve({"batcher": batcher_config})["batcher"]
    return sum(1 for _ in batcher(list(docs)))


def spacy_max_steps_for_passes(passes: float, batches_per_pass: int) -> int:
    """spaCy `max_steps` for about `passes` passes; spaCy makes `max_steps + 1` updates, and 0 means no limit."""
    return max(1, math.ceil(passes * batches_per_pass) - 1)


def scaled_warmup_steps(config_path: PathLike, max_steps: int) -> Optional[int]:
    """The config's warm-up scaled to `max_steps`, keeping its share of the run (None if it has none).

    The config's `warmup_steps` is written for its own `max_steps`; a shorter run
    with the same absolute warm-up would end before the learning rate decays.
    """
    from spacy.util import load_config

    training = load_config(config_path, interpolate=False)["training"]
    warmup = training.get("optimizer", {}).get("learn_rate", {})
    if not isinstance(warmup, dict) or not isinstance(warmup.get("warmup_steps"), int):
        return None
    config_steps = training.get("max_steps")
    if not isinstance(config_steps, int) or config_steps <= 0:
        return None
    return max(1, round(warmup["warmup_steps"] * max_steps / config_steps))

