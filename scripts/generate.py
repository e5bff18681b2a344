"""Write a synthetic training set and print what it contains.

Every record is checked with the converter's validator first; records that
break a rule are dropped (not written) and reported here by problem kind.
Every record carries its call intent (corpus/INTENTS.md); their counts are printed too.

Usage: python scripts/generate.py OUTPUT.jsonl --n 5000 --seed 0
"""
import time
from pathlib import Path

import typer
from wasabi import msg

from spacy_callner.training.synthetic import FORMAT_CLASSES, generate_corpus, summarize, write_jsonl


def print_validation_failures(failures: dict) -> None:
    """Say how many generated records the validator refused, by problem kind, with a few examples."""
    if not failures["records"]:
        msg.good("Validation: every generated record follows the annotation rules")
        return
    msg.warn(f"Validation: {failures['records']} generated records broke a rule and were dropped")
    msg.table(failures["problems_by_kind"], header=("Problem", "Count"), divider=True)
    for example in failures["examples"]:
        msg.text(example)


def main(
    output: Path = typer.Argument(..., help="JSONL file to write"),
    n: int = typer.Option(5000, "--n", help="Number of examples"),
    seed: int = typer.Option(0, "--seed", help="Random seed"),
) -> None:
    """Generate ``n`` examples with ``seed`` into ``output`` and report counts, rates and validation failures."""
    started = time.perf_counter()
    corpus = generate_corpus(n, seed)
    output.parent.mkdir(parents=True, exist_ok=True)
    write_jsonl(corpus.records, output)
    elapsed = time.perf_counter() - started
    stats = summarize(corpus.records, corpus.rejected)
    msg.good(f"Wrote {stats['examples']} examples to {output} in {elapsed:.2f}s")
    print_validation_failures(stats["validation_failures"])
    msg.info(f"Unique texts: {stats['unique_ratio']:.2%}")
    msg.table(stats["label_counts"], header=("Label", "Spans"), divider=True)
    msg.table(stats["intent_counts"], header=("Intent", "Records"), divider=True)
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
