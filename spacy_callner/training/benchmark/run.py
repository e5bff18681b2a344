"""One benchmark run end to end: data, training both systems, scoring, timing, and the report.

`run_benchmark` is the order of the steps; each step is a function of the
settings and of what the steps before it produced.
"""
from __future__ import annotations

import contextlib
import datetime
import os
import platform
import shutil
import time
from dataclasses import dataclass, field
from pathlib import Path
from typing import TYPE_CHECKING, Dict, Iterator, List, Optional, Tuple

import srsly
from wasabi import msg

from ...scheme.labels import LABELS
from ..hf_baseline import RECIPE, load_hf_pipeline, read_docs, sample_docs, train_hf_baseline
from .accuracy import hf_accuracy, spacy_accuracy
from .comparison import comparisons, targets
from .names import BASELINE, HF_SYSTEM, KO_CALLNER, SAME_BUDGET, SPACY_SYSTEM
from .settings import BenchmarkSettings
from .speed_worker import dir_size_bytes, measure_speed_in_subprocess
from .training import train_same_budget_pipeline

if TYPE_CHECKING:
    from spacy.language import Language
    from spacy.tokens import Doc

BASELINE_PIPELINE = "token-classification (aggregation_strategy=simple)"
STATIC_NOTES = [
    "Baseline entity spans are stripped of surrounding whitespace (sentencepiece offsets often start at "
    "the space before a word); spans still off the gold token boundaries count as wrong by character "
    "offsets and are expanded to whole tokens for seqeval (see `misaligned`).",
    "The baseline trains on the gold docs' spaCy tokens as pre-split words, as the recipe does, "
    "and is run on raw text. Its collator pads each batch to its longest example (the recipe's default), "
    "so long utterances dominate its training and batched inference time.",
    "Both systems are trained without model selection on dev: the baseline's final model (the recipe) "
    "and spaCy's model-last.",
]


@dataclass
class RunLog:
    """How long each phase took, and the notes the report will carry."""

    phases: Dict[str, float] = field(default_factory=dict)
    notes: List[str] = field(default_factory=list)

    @contextlib.contextmanager
    def phase(self, name: str) -> Iterator[None]:
        started = time.perf_counter()
        yield
        self.phases[name] = time.perf_counter() - started


@dataclass
class BenchmarkData:
    """The training docs both systems use and the gold sets both are scored on."""

    all_train: List[Doc]
    train_docs: List[Doc]
    train_subset_path: Path
    gold_sets: Dict[str, List[Doc]]

    @property
    def train_words(self) -> int:
        return sum(len(doc) for doc in self.train_docs)


def machine_info(threads: int) -> dict:
    import spacy
    import torch
    import transformers

    return {
        "platform": platform.platform(),
        "processor": platform.processor() or platform.machine(),
        "cpu_count": os.cpu_count(),
        "threads": threads,
        "python": platform.python_version(),
        "spacy": spacy.__version__,
        "torch": torch.__version__,
        "transformers": transformers.__version__,
    }


def load_data(settings: BenchmarkSettings, log: RunLog) -> BenchmarkData:
    """Read the training docs (a seeded sample of them, saved for spaCy) and the gold sets."""
    from spacy.tokens import DocBin

    from ...tokenizer import make_korean_nlp
    from ..evaluation import load_gold_docs

    korean_nlp = make_korean_nlp()
    all_train = read_docs(settings.train_path, korean_nlp.vocab)
    train_docs = sample_docs(all_train, settings.max_train_examples, seed=settings.seed)
    train_subset_path = Path(settings.work_dir) / "train_subset.spacy"
    DocBin(docs=train_docs, store_user_data=False).to_disk(train_subset_path)
    gold_sets = {"test": load_gold_docs(korean_nlp, settings.test_path),
                 "real_dev": load_gold_docs(korean_nlp, settings.real_dev_path)}
    if len(train_docs) < len(all_train):
        log.notes.append(f"Both systems trained on a seeded sample of {len(train_docs)} of the {len(all_train)} "
                         f"training docs, to fit the time budget.")
    return BenchmarkData(all_train, train_docs, train_subset_path, gold_sets)


def train_baseline(settings: BenchmarkSettings, data: BenchmarkData, log: RunLog) -> Tuple[Path, dict]:
    """Train the HF recipe on the benchmark's training docs; its directory and training record."""
    hf_dir = Path(settings.work_dir) / BASELINE
    if hf_dir.exists():
        shutil.rmtree(hf_dir)
    hf_training = train_hf_baseline(data.train_docs, hf_dir, base_model=settings.base_model,
                                    num_train_epochs=settings.num_train_epochs, max_steps=settings.max_steps,
                                    seed=settings.seed, show_progress=settings.show_progress)
    srsly.write_json(Path(settings.work_dir) / f"{BASELINE}_training.json", hf_training)
    log.notes.extend(f"HF baseline: {d} (the recipe is {RECIPE['num_train_epochs']} epochs)."
                     for d in hf_training["deviations"])
    return hf_dir, hf_training


def train_same_budget(settings: BenchmarkSettings, data: BenchmarkData,
                      hf_training: dict) -> Tuple[Optional[dict], Optional[Language]]:
    """ko_callner trained on the baseline's docs for as many passes as the baseline made."""
    if settings.dev_path is None or settings.config_path is None:
        raise ValueError("training ko_callner in the benchmark needs dev_path and config_path")
    return train_same_budget_pipeline(
        settings.config_path, data.train_docs, data.train_subset_path, settings.dev_path,
        Path(settings.work_dir) / SAME_BUDGET, passes=hf_training["epochs"], max_steps=settings.spacy_max_steps,
        base_model=settings.base_model, dev_limit=settings.dev_limit,
    )


def score_systems(settings: BenchmarkSettings, data: BenchmarkData, hf_dir: Path, hf_training: dict,
                  same_budget: Optional[dict], same_budget_nlp: Optional[Language]) -> Dict[str, dict]:
    """Each system's record with its accuracy on every gold set, loading one system at a time."""
    import spacy

    batch_size, gold_sets = settings.batch_size, data.gold_sets
    nlp = spacy.load(settings.model_dir)
    given_seconds = settings.spacy_train_seconds
    ko_callner = {"model": str(settings.model_dir), "pipeline": list(nlp.pipe_names),
                  "training": {"seconds": given_seconds, "measured": False} if given_seconds else None,
                  "accuracy": spacy_accuracy(nlp, gold_sets, batch_size=batch_size)}
    del nlp
    if same_budget is not None:
        same_budget["accuracy"] = spacy_accuracy(same_budget_nlp, gold_sets, batch_size=batch_size)
    hf_pipeline = load_hf_pipeline(hf_dir)
    baseline = {"model": str(hf_dir), "pipeline": [BASELINE_PIPELINE], "training": hf_training,
                "accuracy": hf_accuracy(hf_pipeline, gold_sets, batch_size=batch_size)}
    systems = {KO_CALLNER: ko_callner, SAME_BUDGET: same_budget, BASELINE: baseline}
    return {name: system for name, system in systems.items() if system is not None}


def speed_docs(settings: BenchmarkSettings, data: BenchmarkData) -> List[Doc]:
    docs = data.gold_sets["real_dev"] + data.gold_sets["test"]
    return docs[:settings.max_speed_texts] if settings.max_speed_texts else docs


def time_systems(settings: BenchmarkSettings, systems: Dict[str, dict], docs: List[Doc]) -> None:
    """Add speed, memory and size on disk to the given model's and the baseline's records."""
    texts = [doc.text for doc in docs]
    options = dict(n_words=sum(len(doc) for doc in docs), threads=settings.threads,
                   work_dir=Path(settings.work_dir) / "speed", batch_size=settings.batch_size,
                   n_latency=settings.n_latency, warmup=settings.warmup, repeat=settings.repeat)
    for name, kind in ((KO_CALLNER, SPACY_SYSTEM), (BASELINE, HF_SYSTEM)):
        record = systems[name]
        record["speed"] = measure_speed_in_subprocess(kind, record["model"], texts, **options)
        record["size_bytes"] = dir_size_bytes(record["model"])


def run_notes(settings: BenchmarkSettings, data: BenchmarkData, systems: Dict[str, dict],
              docs: List[Doc]) -> List[str]:
    """The notes on how the numbers were made, after those the steps added."""
    notes = STATIC_NOTES + [
        f"Throughput: {len(docs)} texts ({sum(len(doc) for doc in docs)} words = spaCy tokens, the same count "
        f"for both), batch size {settings.batch_size}; latency: {settings.n_latency} single calls after "
        f"{settings.warmup} warm-up calls; each system in its own process, torch threads: {settings.threads}.",
    ]
    if SAME_BUDGET in systems:
        budget, hf_training = systems[SAME_BUDGET]["training"], systems[BASELINE]["training"]
        warmup = (f"warm-up {budget['warmup_steps']} steps (the config's share of its own run)"
                  if budget["warmup_steps"] is not None else "the config's learning rate")
        notes.append(
            f"`{SAME_BUDGET}` was trained in this run with {settings.config_path} on the same "
            f"{len(data.train_docs)} docs: {budget['updates']} updates of the config's batches, "
            f"{budget['batches_per_pass']} per pass (~{budget['epochs']:.2f} passes; the baseline made "
            f"{hf_training['epochs']:.2f} epochs), {warmup}. "
            f"Its training time is the one compared. `{KO_CALLNER}` is the given model, trained earlier "
            f"on its own data and steps."
        )
    return notes


def data_summary(data: BenchmarkData, docs: List[Doc]) -> dict:
    return {
        "train": {"available": len(data.all_train), "used": len(data.train_docs), "words": data.train_words},
        **{name: {"docs": len(gold), "words": sum(len(d) for d in gold), "entities": sum(len(d.ents) for d in gold)}
           for name, gold in data.gold_sets.items()},
        "speed_texts": {"docs": len(docs), "words": sum(len(doc) for doc in docs)},
    }


def run_benchmark(settings: BenchmarkSettings) -> dict:
    """Train the baseline (and ko_callner on the same budget), then score and time both."""
    import torch

    torch.set_num_threads(settings.threads)
    Path(settings.work_dir).mkdir(parents=True, exist_ok=True)
    log = RunLog()
    with log.phase("data"):
        data = load_data(settings, log)
    msg.divider(f"Training the HF baseline on {len(data.train_docs)} docs")
    with log.phase("train_hf_baseline"):
        hf_dir, hf_training = train_baseline(settings, data, log)
    same_budget, same_budget_nlp = None, None
    if settings.train_spacy:
        with log.phase("train_ko_callner_same_budget"):
            same_budget, same_budget_nlp = train_same_budget(settings, data, hf_training)
    if settings.spacy_train_seconds is not None:
        log.notes.append(f"ko_callner's training time ({settings.spacy_train_seconds:.0f} s) was given, "
                         "not measured in this run.")
    msg.divider("Scoring")
    with log.phase("scoring"):
        systems = score_systems(settings, data, hf_dir, hf_training, same_budget, same_budget_nlp)
    del same_budget_nlp
    msg.divider("Timing")
    docs = speed_docs(settings, data)
    with log.phase("timing"):
        time_systems(settings, systems, docs)
    report = {
        "created": datetime.datetime.now().isoformat(timespec="seconds"),
        "machine": machine_info(settings.threads),
        "settings": settings.to_json(),
        "data": data_summary(data, docs),
        "labels": list(LABELS),
        "systems": systems,
        "phase_seconds": log.phases,
        "notes": log.notes + run_notes(settings, data, systems, docs),
    }
    report["comparisons"] = comparisons(report)
    report["targets"] = targets(report)
    report["targets_met"] = all(t["met"] for t in report["targets"])
    return report
