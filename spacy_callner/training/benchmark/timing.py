"""`bench-speed`: every system timed on the same texts with the same thread count, one process each."""
from __future__ import annotations

import os
import platform
from pathlib import Path
from typing import Dict, List, Sequence, Union

from wasabi import msg

from .names import DEFAULT_BATCH_SIZE, DEFAULT_N_LATENCY, DEFAULT_WARMUP
from .speed_worker import measure_speed_in_subprocess
from .systems import System

PathLike = Union[str, Path]


def machine_info(threads: int, gpu_id: int = -1) -> dict:
    import spacy
    import torch
    import transformers

    return {
        "platform": platform.platform(),
        "processor": platform.processor() or platform.machine(),
        "cpu_count": os.cpu_count(),
        "threads": threads,
        "device": "cpu" if gpu_id < 0 else f"cuda:{gpu_id} ({torch.cuda.get_device_name(gpu_id)})",
        "python": platform.python_version(),
        "spacy": spacy.__version__,
        "torch": torch.__version__,
        "transformers": transformers.__version__,
    }


def speed_texts(gold_sets: Dict[str, list], limit: int = 0) -> List:
    """The texts timed: the realistic set, then the synthetic test split (at most `limit` docs when given)."""
    docs = list(gold_sets["real_dev"]) + list(gold_sets["test"])
    return docs[:limit] if limit else docs


def time_systems(systems: Sequence[System], docs: Sequence, *, threads: int, work_dir: PathLike,
                 batch_size: int = DEFAULT_BATCH_SIZE, n_latency: int = DEFAULT_N_LATENCY,
                 warmup: int = DEFAULT_WARMUP, repeat: int = 1, gpu_id: int = -1) -> dict:
    """speed.json: the machine, the timing settings, and each system's speed, memory and size."""
    texts = [doc.text for doc in docs]
    n_words = sum(len(doc) for doc in docs)
    results = {}
    for system in systems:
        msg.info(f"Timing {system.name} ({system.kind}, {system.path})")
        results[system.name] = measure_speed_in_subprocess(
            system, texts, n_words=n_words, threads=threads, work_dir=work_dir, batch_size=batch_size,
            n_latency=n_latency, warmup=warmup, repeat=repeat, gpu_id=gpu_id)
    return {
        "machine": machine_info(threads, gpu_id),
        "settings": {"texts": len(texts), "words": n_words, "batch_size": batch_size, "n_latency": n_latency,
                     "warmup": warmup, "repeat": repeat, "threads": threads, "gpu_id": gpu_id},
        "systems": results,
    }
