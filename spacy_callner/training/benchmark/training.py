"""The benchmark's one training wrapper: the same training pairs for both systems, each training timed
and recorded beside its model.

`sample_training_pairs` draws the seeded sample both systems train on.
`train_spacy_system` runs `spacy train` with ko_callner's config (its own
steps unless told otherwise) and assembles the result as `assemble` does;
`train_hf_system` runs the recipe (`hf_baseline.train_hf_baseline`).
Each writes `<output_dir>/model` and `<output_dir>/training.json`, whose
`seconds` is the training loop's own time (spaCy's loop after
initialisation, the Trainer's `train_runtime`), the figure compared.
"""
from __future__ import annotations

import shutil
import time
from pathlib import Path
from typing import Dict, Optional, Tuple, Union

import srsly

from .names import MODEL_DIR, TRAINING_RECORD

PathLike = Union[str, Path]


def sample_training_pairs(train_path: PathLike, output_path: PathLike, n: Optional[int], *, seed: int) -> dict:
    """Write a seeded sample of `n` training docs (all when n is None or too big) to `output_path`."""
    from spacy.tokens import DocBin

    from ..hf_baseline import read_docs, sample_docs

    docs = read_docs(train_path)
    sample = sample_docs(docs, n, seed=seed)
    Path(output_path).parent.mkdir(parents=True, exist_ok=True)
    DocBin(docs=sample, store_user_data=False).to_disk(output_path)
    return {"source": str(train_path), "available": len(docs), "used": len(sample),
            "words": sum(len(doc) for doc in sample), "seed": seed}


def _fresh(output_dir: PathLike) -> Path:
    output_dir = Path(output_dir)
    if output_dir.exists():
        shutil.rmtree(output_dir)
    output_dir.mkdir(parents=True)
    return output_dir


def train_spacy_system(config_path: PathLike, train_path: PathLike, dev_path: PathLike, output_dir: PathLike, *,
                       base_model: Optional[PathLike], max_steps: Optional[int] = None, gpu_id: int = -1) -> dict:
    """ko_callner's config trained on `train_path` and assembled; returns (and writes) its training record.

    What `spacy train` does, in its two halves, so that `seconds` is the
    training loop alone (as the Trainer's `train_runtime` is): initialising
    the pipeline (loading the encoder) is `init_seconds`.
    """
    import sys

    from spacy.cli._util import setup_gpu
    from spacy.training.initialize import init_nlp
    from spacy.training.loop import train as train_nlp
    from spacy.util import load_config

    from .. import loggers  # noqa: F401  (registers callner.ConsoleLogger.v1)
    from ..hf_baseline import read_docs
    from ..packaging import assemble_pipeline

    output_dir = _fresh(output_dir)
    overrides: Dict[str, object] = {"paths.train": str(train_path), "paths.dev": str(dev_path)}
    if base_model is not None:
        overrides["paths.base_model"] = str(base_model)
    if max_steps:
        overrides["training.max_steps"] = max_steps
        overrides["training.eval_frequency"] = max_steps
    setup_gpu(gpu_id)
    config = load_config(config_path, overrides=overrides, interpolate=False)
    started = time.perf_counter()
    nlp = init_nlp(config, use_gpu=gpu_id)
    initialised = time.perf_counter()
    (output_dir / "training").mkdir()
    train_nlp(nlp, output_dir / "training", use_gpu=gpu_id, stdout=sys.stdout, stderr=sys.stderr)
    seconds = time.perf_counter() - initialised
    assemble_pipeline(output_dir / "training" / "model-best", output_dir / MODEL_DIR, name="callner_bench",
                      version="0.0.0", base_model=str(base_model))
    record = {"system": "spacy", "seconds": seconds, "init_seconds": initialised - started,
              "config": str(config_path), "train": str(train_path), "n_examples": len(read_docs(train_path)),
              "max_steps": config["training"]["max_steps"], "checkpoint": "model-best",
              "device": "cpu" if gpu_id < 0 else f"cuda:{gpu_id}"}
    srsly.write_json(output_dir / TRAINING_RECORD, record)
    return record


def train_hf_system(train_path: PathLike, output_dir: PathLike, *, base_model: PathLike, num_train_epochs: float,
                    max_steps: Optional[int] = None, max_seconds: Optional[float] = None, seed: int = 0,
                    gpu_id: int = -1, show_progress: bool = False) -> dict:
    """The recipe trained on `train_path`; returns (and writes) its training record."""
    from ..hf_baseline import read_docs, train_hf_baseline

    output_dir = _fresh(output_dir)
    record = train_hf_baseline(read_docs(train_path), output_dir / MODEL_DIR, base_model=base_model,
                               num_train_epochs=num_train_epochs, max_steps=max_steps, max_seconds=max_seconds,
                               seed=seed, gpu_id=gpu_id, show_progress=show_progress)
    record.update({"system": "hf", "train": str(train_path), "total_seconds": record["seconds"],
                   "seconds": record["train_runtime_seconds"]})
    srsly.write_json(output_dir / TRAINING_RECORD, record)
    return record


def default_training_seconds(time_file: Optional[PathLike], fallback_record: Optional[PathLike],
                             given: Optional[float] = None) -> Tuple[float, str]:
    """How long ko_callner's default training takes, and where that figure came from.

    In order: a figure given outright, the `seconds` that `train` recorded
    (`time_file`), else the training time of the same config run in this
    benchmark (`fallback_record`, same steps on the sampled pairs).
    """
    if given:
        return float(given), "given"
    if time_file is not None and Path(time_file).is_file():
        return float(srsly.read_json(time_file)["seconds"]), str(time_file)
    if fallback_record is not None and Path(fallback_record).is_file():
        return float(srsly.read_json(fallback_record)["seconds"]), str(fallback_record)
    raise FileNotFoundError(f"no recorded training time for ko_callner's default: neither {time_file} nor "
                            f"{fallback_record} exists; give the seconds outright")
