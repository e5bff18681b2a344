"""Write a synthetic training set and print what it contains.

Usage: python scripts/generate.py OUTPUT.jsonl --n 5000 --seed 0
"""
import time
from pathlib import Path

import typer
from wasabi import msg

from spacy_callner.training.synthetic import FORMAT_CLASSES, generate_examples, summarize, write_jsonl


def main(
    output: Path = typer.Argument(..., help="JSONL file to write"),
    n: int = typer.Option(5000, "--n", help="Number of examples"),
    seed: int = typer.Option(0, "--seed", help="Random seed"),
) -> None:
    """Generate ``n`` examples with ``seed`` into ``output`` and report counts and rates."""
    started = time.perf_counter()
    records = generate_examples(n, seed)
    output.parent.mkdir(parents=True, exist_ok=True)
    write_jsonl(records, output)
    elapsed = time.perf_counter() - started
    stats = summarize(records)
    msg.good(f"Wrote {stats['examples']} examples to {output} in {elapsed:.2f}s")
    msg.info(f"Unique texts: {stats['unique_ratio']:.2%}")
    msg.table(stats["label_counts"], header=("Label", "Spans"), divider=True)
    rows = [
        (name, f"{rate:.2%}", f"{FORMAT_CLASSES[name]:.2%}", "" if rate >= FORMAT_CLASSES[name] else "BELOW")
        for name, rate in stats["format_rates"].items()
    ]
    msg.table(rows, header=("Format class", "Rate", "Promised", ""), divider=True)
    msg.info(f"Hard-negative rate: {stats['hard_negative_rate']:.2%}")
    msg.info(f"Entity-free rate: {stats['entity_free_rate']:.2%}")
    msg.info(f"Time taken: {elapsed:.2f}s")


if __name__ == "__main__":
    typer.run(main)
