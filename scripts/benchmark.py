"""ko_callner against the Hugging Face Trainer + pipeline recipe, in one run (see spacy_callner.training.benchmark).

    python scripts/benchmark.py models/ko_callner --train corpus/train.spacy --dev corpus/dev.spacy \\
        --test corpus/test.spacy --real-dev corpus/real_dev.spacy --base-model assets/base_model \\
        --config configs/trf.cfg --output metrics/benchmark --work-dir training/benchmark
"""
import os
from pathlib import Path
from typing import Optional

import typer
from wasabi import msg

from spacy_callner.training.benchmark import (
    DEFAULT_BATCH_SIZE, DEFAULT_DEV_LIMIT, DEFAULT_N_LATENCY, DEFAULT_TRAIN_EXAMPLES, DEFAULT_WARMUP,
    BenchmarkSettings, print_report, run_benchmark, write_report,
)
from spacy_callner.training.hf_baseline import RECIPE


def main(
    model: Path = typer.Argument(..., exists=True, file_okay=False, help="The assembled ko_callner pipeline"),
    train: Path = typer.Option(..., "--train", exists=True, dir_okay=False, help="Training docs (.spacy)"),
    test: Path = typer.Option(..., "--test", exists=True, dir_okay=False, help="Synthetic test split (.spacy)"),
    real_dev: Path = typer.Option(..., "--real-dev", exists=True, dir_okay=False,
                                  help="Hand-labelled realistic set (.spacy or annotated .jsonl)"),
    base_model: Path = typer.Option(..., "--base-model", exists=True, file_okay=False,
                                    help="The base encoder directory both systems start from"),
    output: Path = typer.Option(..., "--output", help="Where benchmark.json and benchmark.md go"),
    work_dir: Path = typer.Option(Path("training/benchmark"), "--work-dir",
                                  help="Where the models trained in this run go"),
    dev: Optional[Path] = typer.Option(None, "--dev", exists=True, dir_okay=False,
                                       help="spaCy's dev set (.spacy), needed to train ko_callner here"),
    config: Optional[Path] = typer.Option(None, "--config", exists=True, dir_okay=False,
                                          help="ko_callner's training config, needed to train it here"),
    max_train_examples: int = typer.Option(DEFAULT_TRAIN_EXAMPLES, help="Seeded sample of training docs; 0 = all"),
    epochs: float = typer.Option(RECIPE["num_train_epochs"], help="Baseline epochs (the recipe: 5)"),
    max_steps: int = typer.Option(0, help="Cap the baseline's optimiser steps (overrides epochs); 0 = no cap"),
    spacy_max_steps: int = typer.Option(0, help="ko_callner's steps; 0 = as many passes as the baseline made"),
    train_spacy: bool = typer.Option(True, "--train-spacy/--no-train-spacy",
                                     help="Train ko_callner on the same data and budget in this run"),
    spacy_train_seconds: Optional[float] = typer.Option(None, help="With --no-train-spacy: its measured training time"),
    dev_limit: int = typer.Option(DEFAULT_DEV_LIMIT, help="Dev docs spaCy scores while training"),
    threads: int = typer.Option(2, help="torch threads for both systems, training and inference"),
    batch_size: int = typer.Option(DEFAULT_BATCH_SIZE, help="Batch size of nlp.pipe and of the HF pipeline"),
    n_latency: int = typer.Option(DEFAULT_N_LATENCY, help="Single-utterance calls to time"),
    warmup: int = typer.Option(DEFAULT_WARMUP, help="Untimed calls first"),
    repeat: int = typer.Option(1, help="Passes over the texts for throughput"),
    max_speed_texts: int = typer.Option(0, help="Time on at most this many texts; 0 = all"),
    seed: int = typer.Option(0),
    progress: bool = typer.Option(True, "--progress/--no-progress", help="The Trainer's progress bar"),
):
    os.environ.setdefault("HF_HUB_OFFLINE", "1")
    report = run_benchmark(BenchmarkSettings(
        model_dir=model, train_path=train, test_path=test, real_dev_path=real_dev, base_model=base_model,
        work_dir=work_dir, dev_path=dev, config_path=config, max_train_examples=max_train_examples or None,
        num_train_epochs=epochs, max_steps=max_steps or None, spacy_max_steps=spacy_max_steps or None,
        train_spacy=train_spacy, spacy_train_seconds=spacy_train_seconds, dev_limit=dev_limit, threads=threads,
        batch_size=batch_size, n_latency=n_latency, warmup=warmup, repeat=repeat,
        max_speed_texts=max_speed_texts or None, seed=seed, show_progress=progress,
    ))
    paths = write_report(report, output)
    print_report(report)
    msg.good("Wrote " + ", ".join(str(p) for p in paths.values()))
    if not report["targets_met"]:
        msg.warn("Not every target is met: see 'targets' in benchmark.json")


if __name__ == "__main__":
    typer.run(main)
