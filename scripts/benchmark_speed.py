"""Measure CPU load time, latency and throughput of a pipeline (see spacy_callner.training.speed).

    python scripts/benchmark_speed.py MODEL --data corpus/real_dev.jsonl --output metrics/speed.json

With --compare-int8, the fp32 pipeline MODEL and its int8 copy are measured side by side in one
run with the same threads, and each is scored (NER micro F1) on every --dev-set:

    python scripts/benchmark_speed.py MODEL --data corpus/real_dev.jsonl --compare-int8 --threads 2 \
        --dev-set dev=corpus/dev.spacy --dev-set real_dev=corpus/real_dev.spacy --output metrics/quantize.json
"""
from pathlib import Path
from typing import List, Optional

import srsly

import typer
from wasabi import msg

from spacy_callner.training.speed import (
    benchmark_speed, compare_int8, print_int8_comparison, print_speed, read_texts,
)
from spacy_callner.training.reporting import timed_step


@timed_step("benchmark-speed")
def main(
    model: str = typer.Argument(..., help="Pipeline directory or installed package name"),
    data: Path = typer.Option(..., "--data", exists=True, dir_okay=False,
                              help="JSONL with a text field, or plain text"),
    output: Optional[Path] = typer.Option(None, "--output", help="Write the result as JSON"),
    n_latency: int = typer.Option(200, help="Single-utterance calls to time"),
    batch_size: int = typer.Option(64, help="Batch size of nlp.pipe"),
    warmup: int = typer.Option(10, help="Untimed calls first"),
    repeat: int = typer.Option(1, help="Passes over the texts for throughput"),
    limit: Optional[int] = typer.Option(None, help="Use only the first N texts"),
    compare_int8_copy: bool = typer.Option(False, "--compare-int8",
                                           help="Measure MODEL (fp32) and its int8 copy side by side"),
    dev_set: List[str] = typer.Option([], "--dev-set", help="NAME=PATH of a gold set scored with --compare-int8"),
    threads: Optional[int] = typer.Option(None, help="torch threads (both variants share them)"),
):
    texts = read_texts(data, limit=limit)
    if compare_int8_copy:
        dev_sets = dict(item.split("=", 1) for item in dev_set)
        comparison = compare_int8(model, texts, dev_sets, threads=threads, n_latency=n_latency,
                                  batch_size=batch_size, warmup=warmup, repeat=repeat)
        comparison["data"] = str(data)
        print_int8_comparison(comparison)
        if output is not None:
            output.parent.mkdir(parents=True, exist_ok=True)
            srsly.write_json(output, comparison)
            msg.good(f"Wrote {output}")
        return
    if threads:
        import torch

        torch.set_num_threads(threads)
    result = benchmark_speed(model, texts, n_latency=n_latency, batch_size=batch_size, warmup=warmup, repeat=repeat)
    result.data = str(data)
    print_speed(result)
    if output is not None:
        result.save(output)
        msg.good(f"Wrote {output}")


if __name__ == "__main__":
    typer.run(main)
