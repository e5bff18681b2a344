"""Speed and memory of one system, measured in a child process of its own.

Each system runs in a fresh Python (this module, run with `python -m`), which
loads it, warms it up, times single utterances and batches, and reports its
peak resident memory. Top-level imports here are light and spaCy, torch and
transformers are imported where they are used, so the baseline's child never
loads spaCy and its memory is its own.
"""
from __future__ import annotations

import json
import os
import resource
import subprocess
import sys
import time
from pathlib import Path
from typing import Callable, Sequence, Union

import srsly

from ..hf_baseline import load_hf_pipeline
from ..base_model.hf_directory import directory_size
from ..speed import time_single_calls
from .names import DEFAULT_BATCH_SIZE, DEFAULT_N_LATENCY, DEFAULT_WARMUP, SPACY_SYSTEM
from .systems import System

PathLike = Union[str, Path]
WORKER_ENV_THREADS = ("OMP_NUM_THREADS", "MKL_NUM_THREADS", "OPENBLAS_NUM_THREADS", "RAYON_NUM_THREADS")


def peak_rss_mb() -> float:
    """This process's peak resident memory in MiB.

    On Linux, `VmHWM` of /proc/self/status: `ru_maxrss` is carried over from the
    parent across fork and exec, so a worker started by a large parent would
    report the parent's size. Elsewhere `ru_maxrss` (bytes on macOS, KiB otherwise).
    """
    status = Path("/proc/self/status")
    if status.is_file():
        for line in status.read_text().splitlines():
            if line.startswith("VmHWM:"):
                return int(line.split()[1]) / 1024
    peak = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss
    return peak / (1024 * 1024) if sys.platform == "darwin" else peak / 1024


def time_batches(call: Callable[[Sequence[str]], object], texts: Sequence[str], *, n_words: int,
                 batch_size: int, repeat: int = 1) -> dict:
    """Words per second of one batched call over all texts, `repeat` times."""
    started = time.perf_counter()
    for _ in range(repeat):
        call(texts)
    seconds = time.perf_counter() - started
    return {"batch_size": batch_size, "repeat": repeat, "docs": len(texts) * repeat, "words": n_words * repeat,
            "seconds": seconds, "words_per_sec": n_words * repeat / seconds,
            "docs_per_sec": len(texts) * repeat / seconds}


def measure_speed(spec: dict) -> dict:
    """Load one system, warm it up, time it; runs inside the child process."""
    import torch

    torch.set_num_threads(spec["threads"])
    texts, batch_size = spec["texts"], spec["batch_size"]
    started = time.perf_counter()
    if spec["kind"] == SPACY_SYSTEM:
        import spacy

        if spec["gpu_id"] >= 0:
            spacy.require_gpu(spec["gpu_id"])
        nlp = spacy.load(spec["model"])
        run_one = nlp

        def run_batch(batch: Sequence[str]) -> list:
            return list(nlp.pipe(batch, batch_size=batch_size))
    else:
        hf_pipeline = load_hf_pipeline(spec["model"], gpu_id=spec["gpu_id"])
        run_one = hf_pipeline

        def run_batch(batch: Sequence[str]) -> list:
            return hf_pipeline(list(batch), batch_size=batch_size)
    load_seconds = time.perf_counter() - started
    for text in texts[:spec["warmup"]]:
        run_one(text)
    latency = time_single_calls(run_one, texts, n=spec["n_latency"]).to_json()
    throughput = time_batches(run_batch, texts, n_words=spec["n_words"], batch_size=batch_size,
                              repeat=spec["repeat"])
    return {
        "system": spec["system"],
        "kind": spec["kind"],
        "model": spec["model"],
        "device": "cpu" if spec["gpu_id"] < 0 else f"cuda:{spec['gpu_id']}",
        "load_seconds": load_seconds,
        "warmup_texts": min(spec["warmup"], len(texts)),
        "latency": latency,
        "throughput": throughput,
        "torch_threads": torch.get_num_threads(),
        "imports_spacy": "spacy" in sys.modules,
        "peak_rss_mb": peak_rss_mb(),
    }


def measure_speed_in_subprocess(system: System, texts: Sequence[str], *, n_words: int, threads: int,
                                work_dir: PathLike, batch_size: int = DEFAULT_BATCH_SIZE,
                                n_latency: int = DEFAULT_N_LATENCY, warmup: int = DEFAULT_WARMUP,
                                repeat: int = 1, gpu_id: int = -1) -> dict:
    """`measure_speed` in a fresh Python process, so its peak memory is that system's alone; adds its size."""
    work_dir = Path(work_dir)
    work_dir.mkdir(parents=True, exist_ok=True)
    spec_path, result_path = work_dir / f"speed_{system.name}_spec.json", work_dir / f"speed_{system.name}.json"
    srsly.write_json(spec_path, {
        "system": system.name, "kind": system.kind, "model": str(system.path), "texts": list(texts),
        "n_words": n_words, "threads": threads, "batch_size": batch_size, "n_latency": n_latency,
        "warmup": warmup, "repeat": repeat, "gpu_id": gpu_id,
    })
    env = dict(os.environ)
    env.update({name: str(threads) for name in WORKER_ENV_THREADS})
    env.setdefault("HF_HUB_OFFLINE", "1")
    env.setdefault("TOKENIZERS_PARALLELISM", "false")
    completed = subprocess.run(
        [sys.executable, "-m", __name__, str(spec_path), str(result_path)],
        env=env, capture_output=True, text=True,
    )
    if completed.returncode != 0:
        raise RuntimeError(f"speed worker for {system.name} failed:\n{completed.stderr[-4000:]}")
    result = srsly.read_json(result_path)
    result["size_bytes"] = directory_size(system.path)
    return result


if __name__ == "__main__":
    spec_file, result_file = sys.argv[1:3]
    Path(result_file).write_text(json.dumps(measure_speed(srsly.read_json(spec_file))), encoding="utf8")
