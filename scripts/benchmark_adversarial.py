"""Time the tokenizer, the regex component and the span checks on adversarial input
(see spacy_callner.training.adversarial); prints µs per character per case.

    python scripts/benchmark_adversarial.py --output metrics/adversarial.json
"""
from pathlib import Path
from typing import List, Optional

import typer
from wasabi import msg

from spacy_callner.training.adversarial import (
    DEFAULT_LENGTHS, GENERATORS, print_adversarial, run_adversarial_benchmark,
)
from spacy_callner.training.reporting import timed_step


@timed_step("benchmark-adversarial")
def main(
    output: Optional[Path] = typer.Option(None, "--output", help="Write the result as JSON"),
    lengths: List[int] = typer.Option(list(DEFAULT_LENGTHS), "--length", help="Text lengths in characters"),
    generators: List[str] = typer.Option(list(GENERATORS), "--generator", help="Generators to run"),
    seed: int = typer.Option(0, help="Seed of the random generators"),
):
    report = run_adversarial_benchmark(generators, lengths, seed=seed)
    print_adversarial(report)
    if output is not None:
        report.save(output)
        msg.good(f"Wrote {output}")


if __name__ == "__main__":
    typer.run(main)
