"""Build the ko_callner pipeline wheel and the spacy-callner runtime wheel."""
from pathlib import Path
from typing import Optional

import typer
from wasabi import msg

from spacy_callner.training.packaging import build_packages
from spacy_callner.training.reporting import timed_step


@timed_step("package")
def main(
    model_dir: Path = typer.Argument(..., exists=True, file_okay=False, help="Assembled pipeline"),
    output_dir: Path = typer.Argument(..., help="packages/ folder; wheels land in its dist/"),
    name: str = typer.Option(..., help="Package name without the language prefix"),
    version: str = typer.Option(..., help="Package version"),
    metrics_dir: Optional[Path] = typer.Option(None, help="metrics/ with evaluation results for the model card"),
):
    wheels = build_packages(model_dir, output_dir, name=name, version=version, metrics_dir=metrics_dir)
    for wheel in wheels:
        msg.good(f"{wheel} ({wheel.stat().st_size / 1e6:.1f} MB)")
    msg.info(f"Install: pip install torch==2.13.0 --find-links {output_dir / 'dist'} {wheels[0].name.split('-')[0]}")


if __name__ == "__main__":
    typer.run(main)
