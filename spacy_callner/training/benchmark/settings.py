"""What one benchmark run is asked to do: its inputs, budget and timing options."""
from dataclasses import dataclass
from pathlib import Path
from typing import Optional

from ..hf_baseline import RECIPE
from .names import (
    DEFAULT_BATCH_SIZE, DEFAULT_DEV_LIMIT, DEFAULT_N_LATENCY, DEFAULT_TRAIN_EXAMPLES, DEFAULT_WARMUP,
)


def _optional_str(path: Optional[Path]) -> Optional[str]:
    return str(path) if path is not None else None


@dataclass
class BenchmarkSettings:
    """The options of `run_benchmark`.

    `work_dir` receives the trained models and the speed workers' files.
    `max_train_examples`, `max_steps` and `spacy_max_steps` exist so the run fits
    a time budget; whatever deviates from the recipe is listed in the report's notes.
    """

    model_dir: Path
    train_path: Path
    test_path: Path
    real_dev_path: Path
    base_model: Path
    work_dir: Path
    dev_path: Optional[Path] = None
    config_path: Optional[Path] = None
    max_train_examples: Optional[int] = DEFAULT_TRAIN_EXAMPLES
    num_train_epochs: float = RECIPE["num_train_epochs"]
    max_steps: Optional[int] = None
    spacy_max_steps: Optional[int] = None
    train_spacy: bool = True
    spacy_train_seconds: Optional[float] = None
    dev_limit: int = DEFAULT_DEV_LIMIT
    threads: int = 2
    batch_size: int = DEFAULT_BATCH_SIZE
    n_latency: int = DEFAULT_N_LATENCY
    warmup: int = DEFAULT_WARMUP
    repeat: int = 1
    max_speed_texts: Optional[int] = None
    seed: int = 0
    show_progress: bool = True

    def to_json(self) -> dict:
        """The `settings` of benchmark.json."""
        return {
            "model": str(self.model_dir), "train": str(self.train_path), "dev": _optional_str(self.dev_path),
            "test": str(self.test_path), "real_dev": str(self.real_dev_path), "base_model": str(self.base_model),
            "config": _optional_str(self.config_path), "max_train_examples": self.max_train_examples,
            "num_train_epochs": self.num_train_epochs, "max_steps": self.max_steps,
            "spacy_max_steps": self.spacy_max_steps, "train_spacy": self.train_spacy, "dev_limit": self.dev_limit,
            "threads": self.threads, "batch_size": self.batch_size, "n_latency": self.n_latency,
            "warmup": self.warmup, "repeat": self.repeat, "max_speed_texts": self.max_speed_texts,
            "seed": self.seed,
        }
