"""ko_callner against the Hugging Face recipe, measured in one run on one machine.

The claim to support is that ko_callner is at least as accurate as the recipe
the project grew from (see `hf_baseline`) and faster. Numbers from different
runs or machines do not support it, so one command trains the baseline on the
same training data and base encoder, scores both systems on the same sets with
the same matching, and times both on the same texts with the same threads.

Accuracy: exact character-offset matching of (start, end, label), plus seqeval
strict IOB2 over the gold tokens (the view `evaluation` uses, with spaCy's
scorer beside it as a check). A baseline span that does not fall on token
boundaries can only be wrong by character offsets; for the IOB2 view it is
expanded to whole tokens, and the report counts how many there were.

Training time: the assembled model given to the benchmark was trained earlier,
on data and for steps the benchmark does not control. So, unless told not to,
the benchmark also trains ko_callner in this run with spaCy's own loop, on the
same (possibly capped) training set and for the same number of passes over it
as the baseline, assembles it with the regex post-processor and scores it too:
that pair (same data, same budget) is the fair accuracy comparison, and its
training times are the ones compared. Speed, size and memory are measured on the
given model.

Speed and memory: each system runs in its own child process (this module, run
with `python -m`), which loads it, warms it up, times single utterances and
batches, and reports its peak resident memory (`ru_maxrss`). Top-level imports
here are light and spaCy, torch and transformers are imported where they are
used, so the baseline's child never loads spaCy and its memory is its own.
"""
from __future__ import annotations

import datetime
import json
import math
import os
import platform
import resource
import shutil
import statistics
import subprocess
import sys
import time
from collections import Counter, defaultdict
from pathlib import Path
from typing import TYPE_CHECKING, Callable, Dict, List, Optional, Sequence, Union

import srsly
from wasabi import msg

from ..scheme.labels import LABELS
from .reporting import markdown_table, percent
from .hf_baseline import (
    RECIPE, is_token_aligned, load_hf_pipeline, predict_char_spans, predicted_doc, read_docs,
    sample_docs, train_hf_baseline,
)

if TYPE_CHECKING:
    from spacy.language import Language
    from spacy.tokens import Doc

PathLike = Union[str, Path]
CharSpan = tuple

KO_CALLNER = "ko_callner"
SAME_BUDGET = "ko_callner_same_budget"
BASELINE = "hf_baseline"
SPACY_SYSTEM = "spacy"
HF_SYSTEM = "hf"

DEFAULT_TRAIN_EXAMPLES = 200
DEFAULT_BATCH_SIZE = 64
DEFAULT_N_LATENCY = 200
DEFAULT_WARMUP = 10
DEFAULT_DEV_LIMIT = 100
THROUGHPUT_TARGET = 1.5
WORKER_ENV_THREADS = ("OMP_NUM_THREADS", "MKL_NUM_THREADS", "OPENBLAS_NUM_THREADS", "RAYON_NUM_THREADS")


# ------------------------------------------------------------------ accuracy


def _prf(tp: int, fp: int, fn: int) -> dict:
    precision = tp / (tp + fp) if tp + fp else 0.0
    recall = tp / (tp + fn) if tp + fn else 0.0
    f1 = 2 * precision * recall / (precision + recall) if precision + recall else 0.0
    return {"precision": precision, "recall": recall, "f1": f1, "support": tp + fn,
            "tp": tp, "fp": fp, "fn": fn}


def is_over_unknown_annotation(gold_doc: Doc, span: CharSpan) -> bool:
    """Whether a prediction touches tokens whose gold annotation is unknown (spaCy's scorer skips those)."""
    tokens = gold_doc.char_span(span[0], span[1], alignment_mode="expand")
    return tokens is not None and any(token.ent_iob == 0 for token in tokens)


def score_char_spans(gold_docs: Sequence[Doc], predictions: Sequence[Sequence[CharSpan]]) -> dict:
    """Exact (start, end, label) matching: micro and per-label P/R/F1.

    Predictions over unknown gold annotation are ignored, as in spaCy's scorer;
    `misaligned` counts the kept predictions whose edges fall inside a gold token.
    """
    counts: Dict[str, Counter] = defaultdict(Counter)
    misaligned = ignored = n_pred = 0
    for gold_doc, spans in zip(gold_docs, predictions):
        gold = {(e.start_char, e.end_char, e.label_) for e in gold_doc.ents}
        predicted = set()
        for span in spans:
            if is_over_unknown_annotation(gold_doc, span):
                ignored += 1
                continue
            misaligned += not is_token_aligned(gold_doc, span)
            predicted.add(tuple(span))
        n_pred += len(predicted)
        for span in gold:
            counts[span[2]]["tp" if span in predicted else "fn"] += 1
        for span in predicted - gold:
            counts[span[2]]["fp"] += 1
    total = Counter()
    for label_counts in counts.values():
        total.update(label_counts)
    return {
        "micro": _prf(total["tp"], total["fp"], total["fn"]),
        "per_label": {label: _prf(c["tp"], c["fp"], c["fn"]) for label, c in sorted(counts.items())},
        "n_gold": sum(len(doc.ents) for doc in gold_docs),
        "n_pred": n_pred,
        "misaligned": misaligned,
        "ignored": ignored,
    }


def set_accuracy(scorer_nlp: Language, gold_docs: Sequence[Doc], predicted_docs: Sequence[Doc],
                 predicted_spans: Sequence[Sequence[CharSpan]], *, name: str) -> dict:
    """Char-offset, seqeval and spaCy-scorer results of one system on one set."""
    from spacy.training import Example

    from .evaluation import error_breakdown, evaluate_examples

    examples = [Example(pred, gold) for pred, gold in zip(predicted_docs, gold_docs)]
    result = evaluate_examples(scorer_nlp, examples, name=name)
    return {
        "n_docs": len(gold_docs),
        "char_offsets": score_char_spans(gold_docs, predicted_spans),
        "seqeval": result.seqeval,
        "spacy": {key: result.spacy.get(key) for key in ("ents_p", "ents_r", "ents_f")},
        "scorers_agree": result.agreement["agree"],
        "errors": error_breakdown(result.docs)["counts"],
    }


def spacy_accuracy(nlp: Language, gold_sets: Dict[str, List[Doc]], *, batch_size: int) -> Dict[str, dict]:
    """Run the whole pipeline on each gold doc's raw text and score it."""
    from .evaluation import predict

    results = {}
    for name, gold_docs in gold_sets.items():
        predicted = [eg.predicted for eg in predict(nlp, gold_docs, batch_size=batch_size)]
        spans = [[(e.start_char, e.end_char, e.label_) for e in doc.ents] for doc in predicted]
        results[name] = set_accuracy(nlp, gold_docs, predicted, spans, name=name)
    return results


def hf_accuracy(hf_pipeline, gold_sets: Dict[str, List[Doc]], *, batch_size: int) -> Dict[str, dict]:
    """Run the baseline pipeline on each gold doc's raw text and score it on the gold tokens."""
    from ..tokenizer import make_korean_nlp

    scorer_nlp = make_korean_nlp()
    results = {}
    for name, gold_docs in gold_sets.items():
        spans = predict_char_spans(hf_pipeline, [doc.text for doc in gold_docs], batch_size=batch_size)
        predicted = [predicted_doc(gold, doc_spans) for gold, doc_spans in zip(gold_docs, spans)]
        results[name] = set_accuracy(scorer_nlp, gold_docs, predicted, spans, name=name)
    return results


# ------------------------------------------------------------------ training


def config_batches_per_pass(config_path: PathLike, docs: Sequence[Doc]) -> int:
    """How many batches the config's own `[training.batcher]` makes of `docs` (one pass)."""
    from spacy.util import load_config, registry

    batcher_config = load_config(config_path, interpolate=False)["training"]["batcher"]
    batcher = registry.resolve({"batcher": batcher_config})["batcher"]
    return sum(1 for _ in batcher(list(docs)))


def spacy_max_steps_for_passes(passes: float, batches_per_pass: int) -> int:
    """spaCy `max_steps` for about `passes` passes; spaCy makes `max_steps + 1` updates, and 0 means no limit."""
    return max(1, math.ceil(passes * batches_per_pass) - 1)


def scaled_warmup_steps(config_path: PathLike, max_steps: int) -> Optional[int]:
    """The config's warm-up scaled to `max_steps`, keeping its share of the run (None if it has none).

    The config's `warmup_steps` is written for its own `max_steps`; a shorter run
    with the same absolute warm-up would end before the learning rate decays.
    """
    from spacy.util import load_config

    training = load_config(config_path, interpolate=False)["training"]
    warmup = training.get("optimizer", {}).get("learn_rate", {})
    if not isinstance(warmup, dict) or not isinstance(warmup.get("warmup_steps"), int):
        return None
    config_steps = training.get("max_steps")
    if not isinstance(config_steps, int) or config_steps <= 0:
        return None
    return max(1, round(warmup["warmup_steps"] * max_steps / config_steps))


def train_spacy_same_budget(
    config_path: PathLike,
    train_path: PathLike,
    dev_path: PathLike,
    output_dir: PathLike,
    *,
    max_steps: int,
    base_model: Optional[PathLike],
    dev_limit: int = DEFAULT_DEV_LIMIT,
    gpu_id: int = -1,
) -> dict:
    """`spacy train` with the project config for `max_steps`; the final model, no selection on dev.

    spaCy always scores the dev set at step 0; it is scored again only at the
    last step, on at most `dev_limit` docs, so that training time is mostly
    training, as the baseline's is (the recipe scores nothing while training).
    The warm-up keeps its share of the run (see `scaled_warmup_steps`).
    """
    import torch
    from spacy.cli.train import train

    overrides = {
        "paths.train": str(train_path),
        "paths.dev": str(dev_path),
        "training.max_steps": max_steps,
        "training.eval_frequency": max_steps,
        "corpora.dev.limit": dev_limit,
    }
    warmup_steps = scaled_warmup_steps(config_path, max_steps)
    if warmup_steps is not None:
        overrides["training.optimizer.learn_rate.warmup_steps"] = warmup_steps
    if base_model is not None:
        overrides["paths.base_model"] = str(base_model)
    started = time.perf_counter()
    train(config_path, output_dir, use_gpu=gpu_id, overrides=overrides)
    return {
        "seconds": time.perf_counter() - started,
        "config": str(config_path),
        "max_steps": max_steps,
        "updates": max_steps + 1,
        "warmup_steps": warmup_steps,
        "eval_frequency": max_steps,
        "dev_limit": dev_limit,
        "checkpoint": "model-last",
        "torch_threads": torch.get_num_threads(),
    }


# ------------------------------------------------------------------ speed


def peak_rss_mb() -> float:
    """This process's peak resident memory in MiB.

    On Linux, `VmHWM` of /proc/self/status: `ru_maxrss` is carried over from the
    parent across fork and exec, so a worker started by a large parent would
    report the parent's size. Elsewhere `ru_maxrss` (bytes on macOS, KiB otherwise).
    """
    status = Path("/proc/self/status")
    if status.is_file():
        for line in status.read_text().splitlines():
            if line.startswith("VmHWM:"):
                return int(line.split()[1]) / 1024
    peak = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss
    return peak / (1024 * 1024) if sys.platform == "darwin" else peak / 1024


def time_single_calls(call: Callable[[str], object], texts: Sequence[str], *, n: int) -> dict:
    """Milliseconds per call, one utterance at a time, over the first `n` texts (cycled)."""
    timings = []
    for i in range(n):
        started = time.perf_counter()
        call(texts[i % len(texts)])
        timings.append(1000 * (time.perf_counter() - started))
    cuts = statistics.quantiles(timings, n=100, method="inclusive") if len(timings) > 1 else timings * 99
    return {"n": n, "p50_ms": cuts[49], "p95_ms": cuts[94], "mean_ms": statistics.fmean(timings),
            "max_ms": max(timings)}


def time_batches(call: Callable[[Sequence[str]], object], texts: Sequence[str], *, n_words: int,
                 batch_size: int, repeat: int = 1) -> dict:
    """Words per second of one batched call over all texts, `repeat` times."""
    started = time.perf_counter()
    for _ in range(repeat):
        call(texts)
    seconds = time.perf_counter() - started
    return {"batch_size": batch_size, "repeat": repeat, "docs": len(texts) * repeat, "words": n_words * repeat,
            "seconds": seconds, "words_per_sec": n_words * repeat / seconds,
            "docs_per_sec": len(texts) * repeat / seconds}


def measure_speed(spec: dict) -> dict:
    """Load one system, warm it up, time it; runs inside the child process."""
    import torch

    torch.set_num_threads(spec["threads"])
    texts, batch_size = spec["texts"], spec["batch_size"]
    started = time.perf_counter()
    if spec["system"] == SPACY_SYSTEM:
        import spacy

        nlp = spacy.load(spec["model"])
        run_one = nlp

        def run_batch(batch: Sequence[str]) -> list:
            return list(nlp.pipe(batch, batch_size=batch_size))
    else:
        hf_pipeline = load_hf_pipeline(spec["model"])
        run_one = hf_pipeline

        def run_batch(batch: Sequence[str]) -> list:
            return hf_pipeline(list(batch), batch_size=batch_size)
    load_seconds = time.perf_counter() - started
    for text in texts[:spec["warmup"]]:
        run_one(text)
    latency = time_single_calls(run_one, texts, n=spec["n_latency"])
    throughput = time_batches(run_batch, texts, n_words=spec["n_words"], batch_size=batch_size,
                              repeat=spec["repeat"])
    return {
        "system": spec["system"],
        "model": spec["model"],
        "load_seconds": load_seconds,
        "warmup_texts": min(spec["warmup"], len(texts)),
        "latency": latency,
        "throughput": throughput,
        "torch_threads": torch.get_num_threads(),
        "imports_spacy": "spacy" in sys.modules,
        "peak_rss_mb": peak_rss_mb(),
    }


def measure_speed_in_subprocess(system: str, model: PathLike, texts: Sequence[str], *, n_words: int,
                                threads: int, work_dir: PathLike, batch_size: int = DEFAULT_BATCH_SIZE,
                                n_latency: int = DEFAULT_N_LATENCY, warmup: int = DEFAULT_WARMUP,
                                repeat: int = 1) -> dict:
    """`measure_speed` in a fresh Python process, so its peak memory is that system's alone."""
    work_dir = Path(work_dir)
    work_dir.mkdir(parents=True, exist_ok=True)
    spec_path, result_path = work_dir / f"speed_{system}_spec.json", work_dir / f"speed_{system}.json"
    srsly.write_json(spec_path, {
        "system": system, "model": str(model), "texts": list(texts), "n_words": n_words, "threads": threads,
        "batch_size": batch_size, "n_latency": n_latency, "warmup": warmup, "repeat": repeat,
    })
    env = dict(os.environ)
    env.update({name: str(threads) for name in WORKER_ENV_THREADS})
    env.setdefault("HF_HUB_OFFLINE", "1")
    env.setdefault("TOKENIZERS_PARALLELISM", "false")
    completed = subprocess.run(
        [sys.executable, "-m", __name__, str(spec_path), str(result_path)],
        env=env, capture_output=True, text=True,
    )
    if completed.returncode != 0:
        raise RuntimeError(f"speed worker for {system} failed:\n{completed.stderr[-4000:]}")
    return srsly.read_json(result_path)


def dir_size_bytes(path: PathLike) -> int:
    """Bytes of all files under `path`, as on disk after `save`/`to_disk`."""
    return sum(p.stat().st_size for p in Path(path).rglob("*") if p.is_file())


# ------------------------------------------------------------------ the run


def machine_info(threads: int) -> dict:
    import spacy
    import torch
    import transformers

    return {
        "platform": platform.platform(),
        "processor": platform.processor() or platform.machine(),
        "cpu_count": os.cpu_count(),
        "threads": threads,
        "python": platform.python_version(),
        "spacy": spacy.__version__,
        "torch": torch.__version__,
        "transformers": transformers.__version__,
    }


def train_same_budget_pipeline(
    config_path: PathLike,
    train_docs: Sequence[Doc],
    train_path: PathLike,
    dev_path: PathLike,
    output_dir: PathLike,
    *,
    passes: float,
    max_steps: Optional[int],
    base_model: PathLike,
    dev_limit: int,
) -> tuple:
    """Train ko_callner for about `passes` passes over `train_docs` and assemble it like the release.

    Returns its record and the assembled pipeline. `max_steps`, when given,
    replaces the step count worked out from the config's own batcher.
    """
    from .packaging import assemble_pipeline

    output_dir = Path(output_dir)
    batches_per_pass = config_batches_per_pass(config_path, train_docs)
    if max_steps is None:
        max_steps = spacy_max_steps_for_passes(passes, batches_per_pass)
    msg.divider(f"Training ko_callner on the same {len(train_docs)} docs for {max_steps} steps")
    training = train_spacy_same_budget(config_path, train_path, dev_path, output_dir / "training",
                                       max_steps=max_steps, base_model=base_model, dev_limit=dev_limit)
    training.update({
        "n_examples": len(train_docs),
        "n_words": sum(len(doc) for doc in train_docs),
        "batches_per_pass": batches_per_pass,
        "epochs": training["updates"] / batches_per_pass,
    })
    nlp = assemble_pipeline(output_dir / "training" / "model-last", output_dir / "model",
                            name="callner_same_budget", version="0.0.0", base_model=str(base_model))
    return {"model": str(output_dir / "model"), "pipeline": list(nlp.pipe_names), "training": training}, nlp


def run_benchmark(
    model_dir: PathLike,
    *,
    train_path: PathLike,
    test_path: PathLike,
    real_dev_path: PathLike,
    base_model: PathLike,
    work_dir: PathLike,
    dev_path: Optional[PathLike] = None,
    config_path: Optional[PathLike] = None,
    max_train_examples: Optional[int] = DEFAULT_TRAIN_EXAMPLES,
    num_train_epochs: float = RECIPE["num_train_epochs"],
    max_steps: Optional[int] = None,
    spacy_max_steps: Optional[int] = None,
    train_spacy: bool = True,
    spacy_train_seconds: Optional[float] = None,
    dev_limit: int = DEFAULT_DEV_LIMIT,
    threads: int = 2,
    batch_size: int = DEFAULT_BATCH_SIZE,
    n_latency: int = DEFAULT_N_LATENCY,
    warmup: int = DEFAULT_WARMUP,
    repeat: int = 1,
    max_speed_texts: Optional[int] = None,
    seed: int = 0,
    show_progress: bool = True,
) -> dict:
    """Train the baseline (and ko_callner on the same budget), then score and time both.

    `work_dir` receives the trained models and the speed workers' files.
    `max_train_examples`, `max_steps` and `spacy_max_steps` exist so the run fits
    a time budget; whatever deviates from the recipe is listed in `notes`.
    """
    import spacy
    import torch
    from spacy.tokens import DocBin

    from ..tokenizer import make_korean_nlp
    from .evaluation import load_gold_docs

    torch.set_num_threads(threads)
    work_dir = Path(work_dir)
    work_dir.mkdir(parents=True, exist_ok=True)
    phases: Dict[str, float] = {}
    notes: List[str] = []

    def phase(name: str, started: float) -> None:
        phases[name] = time.perf_counter() - started

    started = time.perf_counter()
    korean_nlp = make_korean_nlp()
    all_train = read_docs(train_path, korean_nlp.vocab)
    train_docs = sample_docs(all_train, max_train_examples, seed=seed)
    train_subset_path = work_dir / "train_subset.spacy"
    DocBin(docs=train_docs, store_user_data=False).to_disk(train_subset_path)
    gold_sets = {"test": load_gold_docs(korean_nlp, test_path), "real_dev": load_gold_docs(korean_nlp, real_dev_path)}
    train_words = sum(len(doc) for doc in train_docs)
    if len(train_docs) < len(all_train):
        notes.append(f"Both systems trained on a seeded sample of {len(train_docs)} of the {len(all_train)} "
                     f"training docs, to fit the time budget.")
    phase("data", started)

    msg.divider(f"Training the HF baseline on {len(train_docs)} docs")
    started = time.perf_counter()
    hf_dir = work_dir / BASELINE
    if hf_dir.exists():
        shutil.rmtree(hf_dir)
    hf_training = train_hf_baseline(train_docs, hf_dir, base_model=base_model, num_train_epochs=num_train_epochs,
                                    max_steps=max_steps, seed=seed, show_progress=show_progress)
    srsly.write_json(work_dir / f"{BASELINE}_training.json", hf_training)
    phase("train_hf_baseline", started)
    notes += [f"HF baseline: {d} (the recipe is {RECIPE['num_train_epochs']} epochs)."
              for d in hf_training["deviations"]]

    same_budget, same_budget_nlp = None, None
    if train_spacy:
        if dev_path is None or config_path is None:
            raise ValueError("training ko_callner in the benchmark needs dev_path and config_path")
        started = time.perf_counter()
        same_budget, same_budget_nlp = train_same_budget_pipeline(
            config_path, train_docs, train_subset_path, dev_path, work_dir / SAME_BUDGET,
            passes=hf_training["epochs"], max_steps=spacy_max_steps, base_model=base_model, dev_limit=dev_limit,
        )
        phase("train_ko_callner_same_budget", started)
    if spacy_train_seconds is not None:
        notes.append(f"ko_callner's training time ({spacy_train_seconds:.0f} s) was given, not measured in this run.")

    msg.divider("Scoring")
    started = time.perf_counter()
    nlp = spacy.load(model_dir)
    ko_callner = {"model": str(model_dir), "pipeline": list(nlp.pipe_names),
                  "training": {"seconds": spacy_train_seconds, "measured": False} if spacy_train_seconds else None,
                  "accuracy": spacy_accuracy(nlp, gold_sets, batch_size=batch_size)}
    del nlp
    if same_budget is not None:
        same_budget["accuracy"] = spacy_accuracy(same_budget_nlp, gold_sets, batch_size=batch_size)
    del same_budget_nlp
    hf_pipeline = load_hf_pipeline(hf_dir)
    baseline = {"model": str(hf_dir), "pipeline": ["token-classification (aggregation_strategy=simple)"],
                "training": hf_training, "accuracy": hf_accuracy(hf_pipeline, gold_sets, batch_size=batch_size)}
    del hf_pipeline
    phase("scoring", started)

    msg.divider("Timing")
    started = time.perf_counter()
    speed_docs = gold_sets["real_dev"] + gold_sets["test"]
    speed_docs = speed_docs[:max_speed_texts] if max_speed_texts else speed_docs
    speed_texts = [doc.text for doc in speed_docs]
    n_words = sum(len(doc) for doc in speed_docs)
    speed_options = dict(n_words=n_words, threads=threads, work_dir=work_dir / "speed", batch_size=batch_size,
                         n_latency=n_latency, warmup=warmup, repeat=repeat)
    for system, record, kind in ((KO_CALLNER, ko_callner, SPACY_SYSTEM), (BASELINE, baseline, HF_SYSTEM)):
        record["speed"] = measure_speed_in_subprocess(kind, record["model"], speed_texts, **speed_options)
        record["size_bytes"] = dir_size_bytes(record["model"])
    phase("timing", started)

    systems = {KO_CALLNER: ko_callner, SAME_BUDGET: same_budget, BASELINE: baseline}
    systems = {name: system for name, system in systems.items() if system is not None}
    notes += [
        "Baseline entity spans are stripped of surrounding whitespace (sentencepiece offsets often start at "
        "the space before a word); spans still off the gold token boundaries count as wrong by character "
        "offsets and are expanded to whole tokens for seqeval (see `misaligned`).",
        "The baseline trains on the gold docs' spaCy tokens as pre-split words, as the recipe does, "
        "and is run on raw text. Its collator pads each batch to its longest example (the recipe's default), "
        "so long utterances dominate its training and batched inference time.",
        "Both systems are trained without model selection on dev: the baseline's final model (the recipe) "
        "and spaCy's model-last.",
        f"Throughput: {len(speed_texts)} texts ({n_words} words = spaCy tokens, the same count for both), "
        f"batch size {batch_size}; latency: {n_latency} single calls after {warmup} warm-up calls; "
        f"each system in its own process, torch threads: {threads}.",
    ]
    if same_budget is not None:
        budget = same_budget["training"]
        warmup = (f"warm-up {budget['warmup_steps']} steps (the config's share of its own run)"
                  if budget["warmup_steps"] is not None else "the config's learning rate")
        notes.append(
            f"`{SAME_BUDGET}` was trained in this run with {config_path} on the same {len(train_docs)} docs: "
            f"{budget['updates']} updates of the config's batches, {budget['batches_per_pass']} per pass "
            f"(~{budget['epochs']:.2f} passes; the baseline made {hf_training['epochs']:.2f} epochs), "
            f"{warmup}. "
            f"Its training time is the one compared. `{KO_CALLNER}` is the given model, trained earlier "
            f"on its own data and steps."
        )
    report = {
        "created": datetime.datetime.now().isoformat(timespec="seconds"),
        "machine": machine_info(threads),
        "settings": {
            "model": str(model_dir), "train": str(train_path), "dev": str(dev_path) if dev_path else None,
            "test": str(test_path), "real_dev": str(real_dev_path), "base_model": str(base_model),
            "config": str(config_path) if config_path else None, "max_train_examples": max_train_examples,
            "num_train_epochs": num_train_epochs, "max_steps": max_steps, "spacy_max_steps": spacy_max_steps,
            "train_spacy": train_spacy, "dev_limit": dev_limit, "threads": threads, "batch_size": batch_size,
            "n_latency": n_latency, "warmup": warmup, "repeat": repeat, "max_speed_texts": max_speed_texts,
            "seed": seed,
        },
        "data": {
            "train": {"available": len(all_train), "used": len(train_docs), "words": train_words},
            **{name: {"docs": len(docs), "words": sum(len(d) for d in docs),
                      "entities": sum(len(d.ents) for d in docs)} for name, docs in gold_sets.items()},
            "speed_texts": {"docs": len(speed_texts), "words": n_words},
        },
        "labels": list(LABELS),
        "systems": systems,
        "phase_seconds": phases,
        "notes": notes,
    }
    report["comparisons"] = comparisons(report)
    report["targets"] = targets(report)
    report["targets_met"] = all(t["met"] for t in report["targets"])
    return report


# ------------------------------------------------------------------ comparison


def _f1(system: dict, set_name: str, view: str) -> float:
    accuracy = system["accuracy"][set_name]
    return accuracy["char_offsets"]["micro"]["f1"] if view == "char_offsets" else accuracy["seqeval"]["micro"]["f1"]


def metric_rows(system: dict) -> Dict[str, Optional[float]]:
    """The compared numbers of one system (None where it was not measured)."""
    rows: Dict[str, Optional[float]] = {}
    for set_name in ("test", "real_dev"):
        rows[f"f1_char_offsets_{set_name}"] = _f1(system, set_name, "char_offsets")
        rows[f"f1_seqeval_{set_name}"] = _f1(system, set_name, "seqeval")
    training = system.get("training") or {}
    rows["training_seconds"] = training.get("seconds")
    speed = system.get("speed")
    rows["throughput_words_per_sec"] = speed["throughput"]["words_per_sec"] if speed else None
    rows["latency_p50_ms"] = speed["latency"]["p50_ms"] if speed else None
    rows["latency_p95_ms"] = speed["latency"]["p95_ms"] if speed else None
    rows["load_seconds"] = speed["load_seconds"] if speed else None
    rows["size_on_disk_mb"] = system["size_bytes"] / 2 ** 20 if "size_bytes" in system else None
    rows["peak_memory_mb"] = speed["peak_rss_mb"] if speed else None
    return rows


def _ratio(value: Optional[float], baseline: Optional[float]) -> Optional[float]:
    if value is None or baseline is None or baseline == 0:
        return None
    return value / baseline


def comparisons(report: dict) -> dict:
    """Values and ratios (system / baseline) per metric, for the given model and the same-budget run."""
    systems = report["systems"]
    baseline = metric_rows(systems[BASELINE])
    result = {}
    for name in (KO_CALLNER, SAME_BUDGET):
        if name not in systems:
            continue
        values = metric_rows(systems[name])
        if name == KO_CALLNER and values["training_seconds"] is None and SAME_BUDGET in systems:
            values["training_seconds"] = systems[SAME_BUDGET]["training"]["seconds"]
        result[name] = {metric: {"value": value, "baseline": baseline[metric], "ratio": _ratio(value, baseline[metric])}
                        for metric, value in values.items() if value is not None}
    return result


def targets(report: dict) -> List[dict]:
    """The issue's targets: F1 ≥ baseline on both sets, throughput ≥ 1.5×, p95 latency ≤ baseline."""
    checks = []
    for name, rows in report["comparisons"].items():
        for metric in ("f1_char_offsets_test", "f1_char_offsets_real_dev", "f1_seqeval_test", "f1_seqeval_real_dev"):
            row = rows[metric]
            checks.append({"system": name, "metric": metric, "rule": "≥ baseline", "value": row["value"],
                           "baseline": row["baseline"], "met": row["value"] >= row["baseline"]})
    if KO_CALLNER in report["comparisons"]:
        rows = report["comparisons"][KO_CALLNER]
        throughput = rows["throughput_words_per_sec"]
        checks.append({"system": KO_CALLNER, "metric": "throughput_words_per_sec",
                       "rule": f"≥ {THROUGHPUT_TARGET}× baseline", "value": throughput["value"],
                       "baseline": throughput["baseline"], "met": throughput["ratio"] >= THROUGHPUT_TARGET})
        p95 = rows["latency_p95_ms"]
        checks.append({"system": KO_CALLNER, "metric": "latency_p95_ms", "rule": "≤ baseline", "value": p95["value"],
                       "baseline": p95["baseline"], "met": p95["value"] <= p95["baseline"]})
    return checks


# ------------------------------------------------------------------ rendering

METRIC_NAMES = {
    "f1_char_offsets_test": "F1 test, char offsets strict",
    "f1_seqeval_test": "F1 test, seqeval strict",
    "f1_char_offsets_real_dev": "F1 real_dev, char offsets strict",
    "f1_seqeval_real_dev": "F1 real_dev, seqeval strict",
    "training_seconds": "training wall time on the benchmark's training docs (s)",
    "throughput_words_per_sec": "throughput (words/s, batch)",
    "latency_p50_ms": "latency p50 (ms)",
    "latency_p95_ms": "latency p95 (ms)",
    "load_seconds": "load time (s)",
    "size_on_disk_mb": "size on disk (MB)",
    "peak_memory_mb": "peak memory (MB RSS)",
}




def _format(metric: str, value: Optional[float]) -> str:
    if value is None:
        return "–"
    if metric.startswith("f1_"):
        return percent(value)
    if metric == "throughput_words_per_sec":
        return f"{value:,.0f}"
    return f"{value:,.1f}"


def comparison_rows(report: dict, system: str) -> List[List[str]]:
    return [[METRIC_NAMES[metric], _format(metric, row["value"]), _format(metric, row["baseline"]),
             "–" if row["ratio"] is None else f"{row['ratio']:.2f}"]
            for metric, row in report["comparisons"][system].items()]


def per_label_rows(report: dict, set_name: str) -> List[List[str]]:
    """Per-label F1 (char offsets / seqeval) of each system on one set."""
    rows = []
    for label in list(report["labels"]) + ["micro"]:
        row = [label]
        for system in report["systems"].values():
            accuracy = system["accuracy"][set_name]
            char = accuracy["char_offsets"]["micro"] if label == "micro" else \
                accuracy["char_offsets"]["per_label"].get(label)
            seq = accuracy["seqeval"]["micro"] if label == "micro" else accuracy["seqeval"]["per_label"].get(label)
            row.append(f"{percent(char['f1'] if char else None)} / {percent(seq['f1'] if seq else None)}")
        rows.append(row)
    return rows




def render_markdown(report: dict) -> str:
    machine, data = report["machine"], report["data"]
    out = [
        "# ko_callner against the Hugging Face token-classification recipe",
        "",
        f"One run, {report['created']}, on {machine['processor']} ({machine['cpu_count']} cores, "
        f"{machine['threads']} torch threads for both systems), Python {machine['python']}, spaCy {machine['spacy']}, "
        f"torch {machine['torch']}, transformers {machine['transformers']}. Training data: "
        f"{data['train']['used']} of {data['train']['available']} docs ({data['train']['words']:,} words). "
        f"Ratios are ko_callner / baseline.",
        "",
        "## The given ko_callner model",
        "",
        markdown_table(["metric", "ko_callner", "HF baseline", "ratio"], comparison_rows(report, KO_CALLNER)),
        "",
    ]
    if SAME_BUDGET in report["comparisons"]:
        out += ["## Same training data and budget", "",
                markdown_table(["metric", "ko_callner (same budget)", "HF baseline", "ratio"],
                          comparison_rows(report, SAME_BUDGET)), ""]
    out += ["## Targets", "", markdown_table(
        ["system", "metric", "target", "value", "baseline", "met"],
        [[t["system"], METRIC_NAMES[t["metric"]], t["rule"], _format(t["metric"], t["value"]),
          _format(t["metric"], t["baseline"]), "yes" if t["met"] else "**no**"] for t in report["targets"]],
    ), ""]
    for set_name in ("test", "real_dev"):
        misaligned = {name: s["accuracy"][set_name]["char_offsets"]["misaligned"]
                      for name, s in report["systems"].items()}
        out += [f"## Per label F1 on {set_name} ({data[set_name]['docs']} docs, {data[set_name]['entities']} "
                "entities): char offsets / seqeval", "",
                markdown_table(["label"] + list(report["systems"]), per_label_rows(report, set_name)), "",
                "Predictions off the gold token boundaries: "
                + ", ".join(f"{name} {n}" for name, n in misaligned.items()) + ".", ""]
    out += ["## Notes", ""] + [f"- {note}" for note in report["notes"]] + [""]
    return "\n".join(out)


def print_report(report: dict) -> None:
    header = ("metric", "ko_callner", "HF baseline", "ratio")
    aligns = ("l", "r", "r", "r")
    msg.divider("ko_callner (given model) vs HF baseline")
    msg.table(comparison_rows(report, KO_CALLNER), header=header, aligns=aligns)
    if SAME_BUDGET in report["comparisons"]:
        msg.divider("Same training data and budget")
        msg.table(comparison_rows(report, SAME_BUDGET), header=("metric", "ko_callner (same budget)") + header[2:],
                  aligns=aligns)
    for target in report["targets"]:
        text = (f"{target['system']}: {METRIC_NAMES[target['metric']]} {target['rule']} "
                f"({_format(target['metric'], target['value'])} vs {_format(target['metric'], target['baseline'])})")
        (msg.good if target["met"] else msg.fail)(text)


def write_report(report: dict, output_dir: PathLike) -> Dict[str, Path]:
    """benchmark.json and benchmark.md."""
    output_dir = Path(output_dir)
    output_dir.mkdir(parents=True, exist_ok=True)
    paths = {"json": output_dir / "benchmark.json", "markdown": output_dir / "benchmark.md"}
    srsly.write_json(paths["json"], report)
    paths["markdown"].write_text(render_markdown(report), encoding="utf8")
    return paths


if __name__ == "__main__":
    spec_file, result_file = sys.argv[1:3]
    Path(result_file).write_text(json.dumps(measure_speed(srsly.read_json(spec_file))), encoding="utf8")
