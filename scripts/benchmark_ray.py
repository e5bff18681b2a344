"""Ray scaling: words/s with 1 and 2 Ray workers against the local annotate at --n-process 1 and 2, and
Ray's overhead per record (see spacy_callner.training.benchmark.ray_scaling).

    python scripts/benchmark_ray.py training/ko_callner --n 2000 --output metrics/ray_scaling.json
"""
import json
from pathlib import Path

import typer
from wasabi import msg

from spacy_callner.training.benchmark.ray_scaling import measure_scaling, render_table
from spacy_callner.training.reporting import timed_step


@timed_step("benchmark-ray")
def main(
    model: str = typer.Argument(..., help="Pipeline directory or installed package name"),
    n: int = typer.Option(2000, "--n", min=2, help="Generated utterances of the large run"),
    n_small: int = typer.Option(200, "--n-small", min=1, help="Generated utterances of the small run (fixed costs)"),
    batch_size: int = typer.Option(64, "--batch-size", min=1, help="Lines per nlp.pipe batch / Ray batch"),
    workdir: Path = typer.Option(Path("training/ray_scaling"), "--workdir", help="Corpora and outputs of the runs"),
    output: Path = typer.Option(Path("metrics/ray_scaling.json"), "--output", help="The report as JSON"),
):
    if n <= n_small:
        raise typer.BadParameter("--n must be larger than --n-small", param_hint="--n")
    report = measure_scaling(model, workdir, n=n, n_small=n_small, batch_size=batch_size)
    print(render_table(report))
    output.parent.mkdir(parents=True, exist_ok=True)
    output.write_text(json.dumps(report, ensure_ascii=False, indent=2) + "\n", encoding="utf8")
    msg.good(f"Wrote {output}")


if __name__ == "__main__":
    typer.run(main)
