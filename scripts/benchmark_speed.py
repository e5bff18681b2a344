"""Measure CPU load time, latency and throughput of a pipeline (see spacy_callner.training.speed).

    python scripts/benchmark_speed.py MODEL --data corpus/real_dev.jsonl --output metrics/speed.json
"""
from pathlib import Path
from typing import Optional

import typer
from wasabi import msg

from spacy_callner.training.speed import benchmark_speed, print_speed, read_texts
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
):
    texts = read_texts(data, limit=limit)
    result = benchmark_speed(model, texts, n_latency=n_latency, batch_size=batch_size, warmup=warmup, repeat=repeat)
    result.data = str(data)
    print_speed(result)
    if output is not None:
        result.save(output)
        msg.good(f"Wrote {output}")


if __name__ == "__main__":
    typer.run(main)
