"""Train on growing subsets and plot F1 on both dev sets (see spacy_callner.training.learning_curve).

    python scripts/learning_curve.py configs/cnn.cfg corpus/generated/synthetic.jsonl metrics/learning_curve \\
        --sizes 100,500,1000,2000,5000 --max-steps 1000 --base-model assets/base_model \\
        --real-dev corpus/real_dev.jsonl --dev corpus/dev.spacy --gpu-id -1
"""
from pathlib import Path
from typing import List, Optional

import srsly
import typer
from wasabi import msg

from spacy_callner.training.learning_curve import (
    parse_sizes, plot_learning_curves, print_learning_curve, run_learning_curve,
)


def main(
    config_path: Path = typer.Argument(..., exists=True, dir_okay=False, help="Training config"),
    train_jsonl: Path = typer.Argument(..., exists=True, dir_okay=False, help="Annotated training JSONL"),
    output_dir: Path = typer.Argument(..., help="Where learning_curve.json/.png and the runs go"),
    sizes: str = typer.Option("100,500,1000,2000,5000", help="Comma-separated training sizes"),
    max_steps: int = typer.Option(1000, help="Training steps per size"),
    base_model: Optional[str] = typer.Option(None, help="paths.base_model for the config"),
    dev_path: Path = typer.Option(..., "--dev", exists=True,
                                  help="Synthetic dev set (.spacy), also used by training"),
    real_dev_path: Optional[Path] = typer.Option(None, "--real-dev", exists=True,
                                                 help="Realistic dev set (.jsonl or .spacy)"),
    gpu_id: int = typer.Option(-1, help="GPU id, or -1 for CPU"),
    seed: int = typer.Option(0, help="Seed of the subset shuffle"),
    checkpoint: str = typer.Option("model-last", help="model-last or model-best"),
    keep_models: bool = typer.Option(False, "--keep-models", help="Keep each size's trained model"),
    compare: List[Path] = typer.Option([], "--compare", exists=True,
                                       help="Earlier learning_curve.json to overlay; repeat"),
):
    try:
        size_list = parse_sizes(sizes)
    except ValueError as err:
        raise typer.BadParameter(str(err)) from err
    curve = run_learning_curve(
        config_path, train_jsonl, output_dir, dev_path=dev_path, real_dev_path=real_dev_path,
        sizes=size_list, max_steps=max_steps, base_model=base_model, gpu_id=gpu_id, seed=seed,
        checkpoint=checkpoint, keep_models=keep_models,
    )
    print_learning_curve(curve)
    if compare:
        curves = [curve] + [srsly.read_json(path) for path in compare]
        path = plot_learning_curves(curves, output_dir / "learning_curve_compare.png")
        msg.good(f"Wrote {path}")
    msg.good(f"Wrote {output_dir / 'learning_curve.json'} and {output_dir / 'learning_curve.png'}")


if __name__ == "__main__":
    typer.run(main)
