"""Training ko_callner inside the benchmark, on the baseline's data and budget, and assembling it like the release."""
from __future__ import annotations

import time
from pathlib import Path
from typing import TYPE_CHECKING, Optional, Sequence, Tuple, Union

from wasabi import msg

from .budget import config_batches_per_pass, scaled_warmup_steps, spacy_max_steps_for_passes
from .names import DEFAULT_DEV_LIMIT

if TYPE_CHECKING:
    from spacy.language import Language
    from spacy.tokens import Doc

PathLike = Union[str, Path]


def train_spacy_same_budget(
    config_path: PathLike,
    train_path: PathLike,
    dev_path: PathLike,
    output_dir: PathLike,
    *,
    max_steps: int,
    base_model: Optional[PathLike],
    dev_limit: int = DEFAULT_DEV_LIMIT,
    gpu_id: int = -1,
) -> dict:
    """`spacy train` with the project config for `max_steps`; the final model, no selection on dev.

    spaCy always scores the dev set at step 0; it is scored again only at the
    last step, on at most `dev_limit` docs, so that training time is mostly
    training, as the baseline's is (the recipe scores nothing while training).
    The warm-up keeps its share of the run (see `scaled_warmup_steps`).
    """
    import torch
    from spacy.cli.train import train

    from .. import loggers  # noqa: F401  (registers callner.ConsoleLogger.v1)

    overrides = {
        "paths.train": str(train_path),
        "paths.dev": str(dev_path),
        "training.max_steps": max_steps,
        "training.eval_frequency": max_steps,
        "corpora.dev.limit": dev_limit,
    }
    warmup_steps = scaled_warmup_steps(config_path, max_steps)
    if warmup_steps is not None:
        overrides["training.optimizer.learn_rate.warmup_steps"] = warmup_steps
    if base_model is not None:
        overrides["paths.base_model"] = str(base_model)
    started = time.perf_counter()
    train(config_path, output_dir, use_gpu=gpu_id, overrides=overrides)
    return {
        "seconds": time.perf_counter() - started,
        "config": str(config_path),
        "max_steps": max_steps,
        "updates": max_steps + 1,
        "warmup_steps": warmup_steps,
        "eval_frequency": max_steps,
        "dev_limit": dev_limit,
        "checkpoint": "model-last",
        "torch_threads": torch.get_num_threads(),
    }


def train_same_budget_pipeline(
    config_path: PathLike,
    train_docs: Sequence[Doc],
    train_path: PathLike,
    dev_path: PathLike,
    output_dir: PathLike,
    *,
    passes: float,
    max_steps: Optional[int],
    base_model: PathLike,
    dev_limit: int,
) -> Tuple[dict, Language]:
    """Train ko_callner for about `passes` passes over `train_docs` and assemble it like the release.

    Returns its record and the assembled pipeline. `max_steps`, when given,
    replaces the step count worked out from the config's own batcher.
    """
    from ..packaging import assemble_pipeline

    output_dir = Path(output_dir)
    batches_per_pass = config_batches_per_pass(config_path, train_docs)
    if max_steps is None:
        max_steps = spacy_max_steps_for_passes(passes, batches_per_pass)
    msg.divider(f"Training ko_callner on the same {len(train_docs)} docs for {max_steps} steps")
    training = train_spacy_same_budget(config_path, train_path, dev_path, output_dir / "training",
                                       max_steps=max_steps, base_model=base_model, dev_limit=dev_limit)
    training.update({
        "n_examples": len(train_docs),
        "n_words": sum(len(doc) for doc in train_docs),
        "batches_per_pass": batches_per_pass,
        "epochs": training["updates"] / batches_per_pass,
    })
    nlp = assemble_pipeline(output_dir / "training" / "model-last", output_dir / "model",
                            name="callner_same_budget", version="0.0.0", base_model=str(base_model))
    return {"model": str(output_dir / "model"), "pipeline": list(nlp.pipe_names), "training": training}, nlp

