"""How accuracy grows with training data: train on nested subsets, score on both dev sets.

If F1 on the realistic dev set flattens while synthetic F1 still climbs, more
synthetic data will not help real calls; a different base model or more varied
data might. Each size trains from the same config for a bounded number of steps
(hyperparameters stay in the config), and subsets are nested prefixes of one
seeded shuffle, so a larger size only adds examples. Running it once per
`base_model` and overlaying the curves compares base models.
"""
import random
import shutil
import time
from pathlib import Path
from typing import Dict, List, Optional, Sequence, Tuple, Union

import spacy
import srsly
from spacy.cli.train import train
from wasabi import msg

from . import loggers  # noqa: F401  (registers callner.ConsoleLogger.v1 for the in-process spacy train)
from .data import AnnotatedText, read_annotated_jsonl, records_to_docbin
from ..tokenizer import make_korean_nlp
from .base_model import PROVENANCE_FILE
from .evaluation import evaluate_set, load_gold_docs
from .reporting import save_figure

PathLike = Union[str, Path]
DEFAULT_SIZES = (100, 500, 1000, 2000, 5000)
CHECKPOINTS = ("model-last", "model-best")


def parse_sizes(text: str) -> List[int]:
    """`"100,500,1000"` → `[100, 500, 1000]`, sorted and deduplicated."""
    try:
        sizes = sorted({int(part) for part in text.split(",") if part.strip()})
    except ValueError as err:
        raise ValueError(f"sizes must be comma-separated integers, got {text!r}") from err
    if not sizes or sizes[0] <= 0:
        raise ValueError(f"sizes must be positive integers, got {text!r}")
    return sizes


def nested_subsets(
    records: Sequence[AnnotatedText], sizes: Sequence[int], *, seed: int = 0
) -> Dict[int, List[AnnotatedText]]:
    """For each size, the first `size` records of one seeded shuffle (capped at what there is)."""
    order = list(range(len(records)))
    random.Random(seed).shuffle(order)
    shuffled = [records[i] for i in order]
    return {size: shuffled[:size] for size in sizes}


def base_model_name(base_model: Optional[PathLike]) -> Optional[str]:
    """The source model recorded in a built base model directory, else the given name."""
    if base_model is None:
        return None
    provenance = Path(base_model) / PROVENANCE_FILE
    if provenance.is_file():
        return srsly.read_json(provenance).get("model") or str(base_model)
    return str(base_model)


def train_subset(
    config_path: PathLike,
    train_path: PathLike,
    dev_path: PathLike,
    output_path: PathLike,
    *,
    max_steps: int,
    base_model: Optional[PathLike] = None,
    gpu_id: int = -1,
) -> float:
    """Train one model with spaCy's own training loop; returns the seconds it took."""
    overrides = {
        "paths.train": str(train_path),
        "paths.dev": str(dev_path),
        "training.max_steps": max_steps,
    }
    if base_model is not None:
        overrides["paths.base_model"] = str(base_model)
    started = time.perf_counter()
    train(config_path, output_path, use_gpu=gpu_id, overrides=overrides)
    return time.perf_counter() - started


def _set_scores(result) -> dict:
    micro = result.seqeval["micro"]
    return {
        "precision": micro["precision"],
        "recall": micro["recall"],
        "f1": micro["f1"],
        "per_label_f1": {label: values["f1"] for label, values in result.seqeval["per_label"].items()},
        "n_docs": len(result.docs),
        "agree": result.agreement["agree"],
    }


def drop_evaluation_texts(
    records: Sequence[AnnotatedText], nlp, eval_paths
) -> Tuple[List[AnnotatedText], int]:
    """Training records minus those whose text is scored: the generated corpus also
    holds the dev and test splits, and training on them would inflate the curve."""
    held_out = {doc.text for path in eval_paths for doc in load_gold_docs(nlp, path)}
    kept = [record for record in records if record.text not in held_out]
    return kept, len(records) - len(kept)


def run_learning_curve(
    config_path: PathLike,
    train_jsonl: PathLike,
    output_dir: PathLike,
    *,
    dev_path: PathLike,
    real_dev_path: Optional[PathLike] = None,
    sizes: Sequence[int] = DEFAULT_SIZES,
    max_steps: int = 1000,
    base_model: Optional[PathLike] = None,
    gpu_id: int = -1,
    seed: int = 0,
    checkpoint: str = "model-last",
    keep_models: bool = False,
) -> dict:
    """Train at each size and score on the synthetic dev set and the realistic dev set.

    `dev_path` (a .spacy file) is also what spaCy's training loop evaluates on.
    `checkpoint` is the saved model to score: `model-last` by default, since with
    few steps `model-best` can be the untrained step-0 model. Models are deleted
    after scoring unless `keep_models`. Writes learning_curve.json and .png.
    """
    if checkpoint not in CHECKPOINTS:
        raise ValueError(f"checkpoint must be one of {CHECKPOINTS}, got {checkpoint!r}")
    output_dir = Path(output_dir)
    output_dir.mkdir(parents=True, exist_ok=True)
    nlp = make_korean_nlp()
    records, report = read_annotated_jsonl(train_jsonl, nlp)
    if not report.ok:
        report.print(f"Validation of {train_jsonl}", max_problems=5)
    eval_sets = {"dev": Path(dev_path)}
    if real_dev_path is not None:
        eval_sets["real_dev"] = Path(real_dev_path)
    records, n_held_out = drop_evaluation_texts(records, nlp, eval_sets.values())
    if n_held_out:
        msg.info(f"left out {n_held_out} training records whose text is in an evaluation set")
    curve = {
        "config": str(config_path),
        "train_data": str(train_jsonl),
        "train_records_available": len(records),
        "train_records_left_out": n_held_out,
        "base_model": str(base_model) if base_model is not None else None,
        "base_model_name": base_model_name(base_model),
        "max_steps": max_steps,
        "seed": seed,
        "checkpoint": checkpoint,
        "sets": {name: str(path) for name, path in eval_sets.items()},
        "points": [],
    }
    subsets = nested_subsets(records, sizes, seed=seed)
    for size, subset in subsets.items():
        if len(subset) < size:
            msg.warn(f"asked for {size} training examples, only {len(subset)} available")
        msg.divider(f"Learning curve: {len(subset)} training examples")
        run_dir = output_dir / f"size_{size}"
        point = train_and_score(nlp, config_path, subset, run_dir, dev_path=dev_path, eval_sets=eval_sets,
                                max_steps=max_steps, base_model=base_model, gpu_id=gpu_id, checkpoint=checkpoint)
        point["size"] = size
        curve["points"].append(point)
        msg.good(f"{len(subset)} examples: " + ", ".join(
            f"{name} F1 {point[name]['f1']:.3f}" for name in eval_sets
        ))
        if not keep_models:
            shutil.rmtree(run_dir / "model")
        srsly.write_json(output_dir / "learning_curve.json", curve)
    plot_learning_curves([curve], output_dir / "learning_curve.png")
    return curve


def train_and_score(nlp, config_path: PathLike, subset: Sequence, run_dir: Path, *, dev_path: PathLike,
                    eval_sets: Dict[str, Path], max_steps: int, base_model: Optional[PathLike], gpu_id: int,
                    checkpoint: str) -> dict:
    """One point of the curve: train on `subset` in `run_dir`, score the checkpoint on every set."""
    run_dir.mkdir(parents=True, exist_ok=True)
    train_path = run_dir / "train.spacy"
    records_to_docbin(nlp, subset).to_disk(train_path)
    seconds = train_subset(config_path, train_path, dev_path, run_dir / "model",
                           max_steps=max_steps, base_model=base_model, gpu_id=gpu_id)
    trained = spacy.load(run_dir / "model" / checkpoint)
    point = {"size": None, "n_train": len(subset), "train_seconds": seconds}
    for name, path in eval_sets.items():
        point[name] = _set_scores(evaluate_set(trained, path, name=name))
    return point


def plot_learning_curves(curves: Sequence[dict], path: PathLike) -> Path:
    """F1 against training size (log x), one line per dev set and curve."""
    import matplotlib

    matplotlib.use("Agg")
    import matplotlib.pyplot as plt

    fig, ax = plt.subplots(figsize=(7, 4.5))
    markers = {"dev": "o", "real_dev": "s"}
    for curve in curves:
        model = curve.get("base_model_name") or Path(curve.get("config", "")).stem
        for name in curve["sets"]:
            points = [p for p in curve["points"] if name in p]
            ax.plot([p["n_train"] for p in points], [p[name]["f1"] for p in points],
                    marker=markers.get(name, "^"), label=f"{name} · {model}" if len(curves) > 1 else name)
    sizes = sorted({p["n_train"] for curve in curves for p in curve["points"]})
    ax.set_xscale("log")
    if sizes:
        ax.set_xticks(sizes, [str(s) for s in sizes])
        ax.minorticks_off()
    ax.set_ylim(0, 1.0)
    ax.set_xlabel("training examples (log scale)")
    ax.set_ylabel("entity F1 (seqeval strict)")
    steps = sorted({curve.get("max_steps") for curve in curves if curve.get("max_steps")})
    title = "Learning curve"
    if len(curves) == 1:
        title += f" · {curves[0].get('base_model_name') or Path(curves[0].get('config', '')).stem}"
    ax.set_title(title + (f" (max {', '.join(map(str, steps))} steps per run)" if steps else ""))
    ax.grid(True, alpha=0.3)
    ax.legend()
    return save_figure(fig, path)


def print_learning_curve(curve: dict) -> None:
    names = list(curve["sets"])
    rows = [[p["n_train"], f"{p['train_seconds']:.0f}"] + [f"{p[name]['f1']:.3f}" for name in names]
            for p in curve["points"]]
    msg.divider("Learning curve")
    msg.table(rows, header=["train examples", "seconds"] + [f"F1 {name}" for name in names],
              aligns=["r"] * (2 + len(names)))
