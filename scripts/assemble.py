"""Add the regex post-processor and package meta to a trained pipeline."""
from pathlib import Path
from typing import Optional

import typer

from spacy_callner.training.packaging import assemble_pipeline
from spacy_callner.training.reports import ConvertReport
from spacy_callner.training.reporting import timed_step


@timed_step("assemble")
def main(
    trained_dir: Path = typer.Argument(..., exists=True, file_okay=False, help="spacy train's model-best"),
    output_dir: Path = typer.Argument(..., help="Where the assembled pipeline goes"),
    name: str = typer.Option(..., help="Package name without the language prefix"),
    version: str = typer.Option(..., help="Package version"),
    base_model: str = typer.Option(..., help="Base encoder directory or hub name, for the model card"),
    train_report: Optional[Path] = typer.Option(None, help="metrics/convert.json, for the model card"),
    quantize: str = typer.Option("none", help="int8: store the encoder's linear layers int8-quantized "
                                              "(CPU inference; docs/quantization.md), none: fp32"),
):
    report = ConvertReport.load_if_exists(train_report) if train_report else None
    assemble_pipeline(trained_dir, output_dir, name=name, version=version, base_model=base_model,
                      train_report=report, quantize=quantize)


if __name__ == "__main__":
    typer.run(main)
