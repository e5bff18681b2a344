"""ko_callner against the Hugging Face token-classification recipe, one subcommand per project step.

The project's `benchmark` workflow runs them in order (about an hour on 2 CPU
cores with the default corpus; see README, "Benchmark"):

    python scripts/benchmark.py data corpus/train.spacy training/benchmark/train_1000.spacy --n 1000
    python scripts/benchmark.py train-spacy configs/trf.cfg training/benchmark/train_1000.spacy corpus/dev.spacy \\
        training/benchmark/spacy_1000 --base-model assets/base_model
    python scripts/benchmark.py train-hf training/benchmark/train_1000.spacy training/benchmark/hf_recipe \\
        --base-model assets/base_model
    python scripts/benchmark.py train-hf corpus/train.spacy training/benchmark/hf_equal_time \\
        --base-model assets/base_model --equal-time --budget-fallback training/benchmark/spacy_1000/training.json
    python scripts/benchmark.py score  --systems "hf_recipe=... ko_callner=models/ko_callner" ...
    python scripts/benchmark.py speed  --systems "..." ...
    python scripts/benchmark.py report --systems "..." ...
"""
import os
from pathlib import Path
from typing import Optional

import srsly
import typer
from wasabi import msg

from spacy_callner.training.benchmark.names import (
    DEFAULT_BATCH_SIZE, DEFAULT_N_LATENCY, DEFAULT_TRAIN_PAIRS, DEFAULT_WARMUP, TRAINING_RECORD,
)
from spacy_callner.training.benchmark.systems import parse_systems, split_pairs
from spacy_callner.training.hf_baseline import RECIPE

app = typer.Typer(add_completion=False, help=__doc__.split("\n")[0])
SYSTEMS_HELP = "The compared systems as name=path pairs, separated by spaces or commas"


def set_threads(threads: int) -> None:
    """Every step runs offline with a fixed torch thread count."""
    import torch

    os.environ.setdefault("HF_HUB_OFFLINE", "1")
    torch.set_num_threads(threads)


@app.command("data")
def data(train: Path = typer.Argument(..., exists=True, dir_okay=False, help="All training docs (.spacy)"),
         output: Path = typer.Argument(..., help="The sampled pairs (.spacy); a .json record goes beside it"),
         n: int = typer.Option(DEFAULT_TRAIN_PAIRS, help="Training pairs to sample; 0 = all"),
         seed: int = typer.Option(0)):
    """Sample the training pairs both systems train on (seeded)."""
    from spacy_callner.training.benchmark.training import sample_training_pairs

    record = sample_training_pairs(train, output, n or None, seed=seed)
    srsly.write_json(output.with_suffix(".json"), record)
    msg.good(f"Sampled {record['used']} of {record['available']} training docs into {output}")


@app.command("train-spacy")
def train_spacy(config: Path = typer.Argument(..., exists=True, dir_okay=False),
                train: Path = typer.Argument(..., exists=True, dir_okay=False),
                dev: Path = typer.Argument(..., exists=True, dir_okay=False),
                output: Path = typer.Argument(..., help="Gets model/ (assembled) and training.json"),
                base_model: Optional[Path] = typer.Option(None, exists=True, file_okay=False),
                max_steps: int = typer.Option(0, help="0 = the config's own steps"),
                threads: int = typer.Option(2), gpu_id: int = typer.Option(-1)):
    """ko_callner's config trained on the sampled pairs, assembled as `assemble` does."""
    from spacy_callner.training.benchmark.training import train_spacy_system

    set_threads(threads)
    record = train_spacy_system(config, train, dev, output, base_model=base_model, max_steps=max_steps or None,
                                gpu_id=gpu_id)
    msg.good(f"Trained ko_callner in {record['seconds']:.0f} s → {output}")


@app.command("train-hf")
def train_hf(train: Path = typer.Argument(..., exists=True, dir_okay=False),
             output: Path = typer.Argument(..., help="Gets model/ and training.json"),
             base_model: Path = typer.Option(..., exists=True, file_okay=False),
             epochs: float = typer.Option(RECIPE["num_train_epochs"]),
             max_steps: int = typer.Option(0, help="Cap the optimiser steps (a deviation); 0 = no cap"),
             equal_time: bool = typer.Option(False, help="Stop at ko_callner's default training time"),
             budget_from: Optional[Path] = typer.Option(None, help="The training time `train` recorded (JSON)"),
             budget_fallback: Optional[Path] = typer.Option(None, help="Else this training.json's seconds"),
             budget_seconds: float = typer.Option(0, help="Else (first, when > 0) this many seconds"),
             seed: int = typer.Option(0), threads: int = typer.Option(2), gpu_id: int = typer.Option(-1),
             progress: bool = typer.Option(False)):
    """The Hugging Face recipe (Trainer, lr 3e-5, batch 16, warm-up 0.1, 5 epochs, every layer)."""
    from spacy_callner.training.benchmark.training import default_training_seconds, train_hf_system

    set_threads(threads)
    budget, source = (None, None)
    if equal_time:
        budget, source = default_training_seconds(budget_from, budget_fallback, budget_seconds or None)
        msg.info(f"Training-time budget: {budget:.1f} s (from {source})")
    record = train_hf_system(train, output, base_model=base_model, num_train_epochs=epochs,
                             max_steps=max_steps or None, max_seconds=budget, seed=seed, gpu_id=gpu_id,
                             show_progress=progress)
    if equal_time:
        record.update({"budget_seconds": budget, "budget_source": source})
        srsly.write_json(output / TRAINING_RECORD, record)
    msg.good(f"Trained the recipe for {record['steps']} steps in {record['seconds']:.0f} s → {output}")


@app.command("score")
def score(systems: str = typer.Option(..., help=SYSTEMS_HELP),
          test: Path = typer.Option(..., exists=True, dir_okay=False, help="Synthetic test split"),
          real_dev: Path = typer.Option(..., exists=True, dir_okay=False, help="Realistic dev set"),
          output: Path = typer.Option(..., help="scores.json"),
          batch_size: int = typer.Option(DEFAULT_BATCH_SIZE), threads: int = typer.Option(2),
          gpu_id: int = typer.Option(-1)):
    """Every system scored with one matcher on both sets."""
    from spacy_callner.training.benchmark.accuracy import load_gold_sets, score_system

    set_threads(threads)
    gold_sets = load_gold_sets({"test": test, "real_dev": real_dev})
    result = {"gold_sets": {name: {"path": str(path), "docs": len(gold_sets[name]),
                                   "entities": sum(len(doc.ents) for doc in gold_sets[name])}
                            for name, path in (("test", test), ("real_dev", real_dev))},
              "systems": {}}
    for system in parse_systems(split_pairs(systems)):
        msg.info(f"Scoring {system.name} ({system.kind}, {system.path})")
        result["systems"][system.name] = {"kind": system.kind, "model": str(system.path),
                                          "accuracy": score_system(system, gold_sets, batch_size=batch_size,
                                                                   gpu_id=gpu_id)}
    output.parent.mkdir(parents=True, exist_ok=True)
    srsly.write_json(output, result)
    msg.good(f"Wrote {output}")


@app.command("speed")
def speed(systems: str = typer.Option(..., help=SYSTEMS_HELP),
          test: Path = typer.Option(..., exists=True, dir_okay=False),
          real_dev: Path = typer.Option(..., exists=True, dir_okay=False),
          output: Path = typer.Option(..., help="speed.json"),
          work_dir: Path = typer.Option(Path("training/benchmark/speed")),
          threads: int = typer.Option(2), batch_size: int = typer.Option(DEFAULT_BATCH_SIZE),
          n_latency: int = typer.Option(DEFAULT_N_LATENCY), warmup: int = typer.Option(DEFAULT_WARMUP),
          repeat: int = typer.Option(1), max_texts: int = typer.Option(0, help="0 = all texts of both sets"),
          gpu_id: int = typer.Option(-1)):
    """words/s, p50/p95 latency, load time, size and peak memory, each system in its own process."""
    from spacy_callner.training.benchmark.accuracy import load_gold_sets
    from spacy_callner.training.benchmark.timing import speed_texts, time_systems

    docs = speed_texts(load_gold_sets({"test": test, "real_dev": real_dev}), max_texts)
    result = time_systems(parse_systems(split_pairs(systems)), docs, threads=threads, work_dir=work_dir,
                          batch_size=batch_size, n_latency=n_latency, warmup=warmup, repeat=repeat, gpu_id=gpu_id)
    output.parent.mkdir(parents=True, exist_ok=True)
    srsly.write_json(output, result)
    msg.good(f"Wrote {output}")


@app.command("report")
def report(systems: str = typer.Option(..., help=SYSTEMS_HELP),
           scores: Path = typer.Option(..., exists=True, dir_okay=False),
           speed_json: Path = typer.Option(..., "--speed", exists=True, dir_okay=False),
           data_record: Path = typer.Option(..., "--data", exists=True, dir_okay=False,
                                            help="The sampled pairs' .json record"),
           equal_time: Path = typer.Option(..., exists=True, dir_okay=False,
                                           help="The equal-time recipe's training.json (holds the budget)"),
           output: Path = typer.Option(..., help="Gets benchmark.json and benchmark.md")):
    """The closing table: accuracy, training time, speed, size and memory per system."""
    from spacy_callner.training.benchmark.rendering import print_report, write_report
    from spacy_callner.training.benchmark.report import build_report

    equal_time_record = srsly.read_json(equal_time)
    budget = {"seconds": equal_time_record["budget_seconds"], "source": equal_time_record["budget_source"]}
    result = build_report(parse_systems(split_pairs(systems)), srsly.read_json(scores), srsly.read_json(speed_json),
                          srsly.read_json(data_record), budget)
    paths = write_report(result, output)
    print_report(result)
    msg.good("Wrote " + ", ".join(str(p) for p in paths.values()))


if __name__ == "__main__":
    app()
