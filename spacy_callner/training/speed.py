"""How fast the packaged pipeline is on CPU: load time, per-utterance latency, batch throughput.

A call-center system sees both uses: one utterance at a time while a call runs
(latency matters) and whole transcripts afterwards (throughput matters). Numbers
depend on the machine, so the report records what it ran on and tests never
assert on them. "Words" are spaCy tokens, as in spaCy's own words/sec figures.

The timing helpers take any callable, so the benchmark's speed worker uses them
for the Hugging Face baseline too; spaCy is therefore imported only where a
pipeline is loaded, and a worker that times the baseline never loads it.
"""
from __future__ import annotations

import os
import platform
import statistics
import time
from pathlib import Path
from typing import TYPE_CHECKING, Callable, Dict, List, Optional, Sequence, Union

import srsly
from wasabi import msg

from .base_model.hf_directory import directory_size
from .reports import ComponentCost, LatencyStats, SpeedReport, ThroughputStats

if TYPE_CHECKING:
    from spacy.language import Language

PathLike = Union[str, Path]


def read_texts(path: PathLike, limit: Optional[int] = None) -> List[str]:
    """The `text` of each JSONL record, or each non-empty line of a plain text file."""
    path = Path(path)
    if path.suffix == ".jsonl":
        texts = [record["text"] for record in srsly.read_jsonl(path) if record.get("text")]
    else:
        texts = [line.strip() for line in path.read_text(encoding="utf8").splitlines() if line.strip()]
    if not texts:
        raise ValueError(f"no texts in {path}")
    return texts[:limit] if limit else texts


def torch_threads() -> Optional[int]:
    try:
        import torch
    except ImportError:
        return None
    return torch.get_num_threads()


def percentile(values: Sequence[float], q: int) -> float:
    """The q-th percentile (1-99), interpolated linearly between the closest ranks."""
    if len(values) == 1:
        return float(values[0])
    return statistics.quantiles(values, n=100, method="inclusive")[q - 1]


def time_single_calls(call: Callable[[str], object], texts: Sequence[str], *, n: int) -> LatencyStats:
    """Milliseconds per `call(text)`, one utterance at a time, over the first `n` texts (cycled)."""
    timings = []
    for i in range(n):
        text = texts[i % len(texts)]
        start = time.perf_counter()
        call(text)
        timings.append(1000 * (time.perf_counter() - start))
    return LatencyStats(n=n, p50_ms=percentile(timings, 50), p95_ms=percentile(timings, 95),
                        mean_ms=statistics.fmean(timings), max_ms=max(timings))


def measure_latency(nlp: Language, texts: Sequence[str], *, n: int = 200) -> LatencyStats:
    """Milliseconds per `nlp(text)`, one utterance at a time, over the first `n` texts (cycled)."""
    return time_single_calls(nlp, texts, n=n)


def measure_throughput(nlp: Language, texts: Sequence[str], *, batch_size: int = 64,
                       repeat: int = 1) -> ThroughputStats:
    """Words and characters per second of `nlp.pipe` over all texts, `repeat` times."""
    n_words = n_chars = n_docs = 0
    start = time.perf_counter()
    for _ in range(repeat):
        for doc in nlp.pipe(texts, batch_size=batch_size):
            n_words += len(doc)
            n_chars += len(doc.text)
            n_docs += 1
    seconds = time.perf_counter() - start
    return ThroughputStats(batch_size=batch_size, docs=n_docs, words=n_words, chars=n_chars, seconds=seconds,
                           words_per_sec=n_words / seconds, chars_per_sec=n_chars / seconds,
                           docs_per_sec=n_docs / seconds)


POST_PROCESSOR_PREFIX = "callner_"
"""Our rule components (regex, values): each one's cost is measured against the rest of the pipeline."""


def measure_component_cost(nlp: Language, texts: Sequence[str], name: str, *,
                           batch_size: int = 64) -> ComponentCost:
    """The time of component ``name`` alone, over the docs the other components made, and the
    time of the pipeline without it: its share of batch time, measured in one run. The docs keep
    their tensors (the release component is held back too), as ``name`` sees them in the pipeline."""
    from ..components.tensors import RELEASE_TENSORS_FACTORY

    start = time.perf_counter()
    docs = list(nlp.pipe(texts, batch_size=batch_size, disable=[name, RELEASE_TENSORS_FACTORY]))
    seconds_without = time.perf_counter() - start
    component = nlp.get_pipe(name)
    start = time.perf_counter()
    for doc in docs:
        component(doc)
    seconds = time.perf_counter() - start
    return ComponentCost(component=name, seconds=seconds, seconds_without=seconds_without,
                         share=seconds / (seconds + seconds_without))


def benchmark_speed(
    model: Union[PathLike, Language],
    texts: Sequence[str],
    *,
    n_latency: int = 200,
    batch_size: int = 64,
    warmup: int = 10,
    repeat: int = 1,
    post_processor_costs: bool = True,
) -> SpeedReport:
    """Load (unless given a pipeline), warm up, then measure latency and throughput on CPU
    (and each post-processor's share of batch time, with `post_processor_costs`)."""
    import spacy
    from spacy.language import Language

    load_seconds = None
    if isinstance(model, Language):
        nlp = model
    else:
        start = time.perf_counter()
        nlp = spacy.load(model)
        load_seconds = time.perf_counter() - start
    for text in list(texts)[:warmup]:
        nlp(text)
    latency = measure_latency(nlp, texts, n=n_latency)
    throughput = measure_throughput(nlp, texts, batch_size=batch_size, repeat=repeat)
    costs = [measure_component_cost(nlp, texts, name, batch_size=batch_size)
             for name in nlp.pipe_names if post_processor_costs and name.startswith(POST_PROCESSOR_PREFIX)]
    return SpeedReport(
        model=None if isinstance(model, Language) else str(model),
        pipeline=f"{nlp.meta.get('lang', nlp.lang)}_{nlp.meta.get('name', '')}",
        version=nlp.meta.get("version"),
        components=list(nlp.pipe_names),
        device="cpu",
        load_seconds=load_seconds,
        warmup_texts=min(warmup, len(texts)),
        n_texts=len(texts),
        latency=latency,
        throughput=throughput,
        torch_threads=torch_threads(),
        cpu_count=os.cpu_count(),
        platform=platform.platform(),
        processor=platform.processor() or platform.machine(),
        python=platform.python_version(),
        spacy=spacy.__version__,
        component_costs=costs,
    )


def print_speed(result: SpeedReport) -> None:
    msg.divider(f"Speed of {result.pipeline} {result.version or ''} on CPU")
    latency, throughput = result.latency, result.throughput
    rows = [
        ("load (spacy.load)", "–" if result.load_seconds is None else f"{result.load_seconds:.2f} s"),
        ("latency p50", f"{latency.p50_ms:.1f} ms"),
        ("latency p95", f"{latency.p95_ms:.1f} ms"),
        ("latency mean", f"{latency.mean_ms:.1f} ms"),
        (f"throughput (batch {throughput.batch_size})", f"{throughput.words_per_sec:,.0f} words/s"),
        ("", f"{throughput.chars_per_sec:,.0f} chars/s"),
        ("", f"{throughput.docs_per_sec:,.1f} docs/s"),
        ("torch threads", str(result.torch_threads)),
        ("CPU cores", str(result.cpu_count)),
    ]
    rows += [(f"{cost.component} share of batch time", f"{100 * cost.share:.2f} %")
             for cost in result.component_costs]
    msg.table(rows, header=("measure", "value"), aligns=("l", "r"))
    msg.text(f"{latency.n} single utterances; {throughput.docs} docs, {throughput.words:,} words in batches")


def ner_micro_f1(nlp: Language, path: PathLike, *, batch_size: int = 64) -> float:
    """spaCy's NER micro F1 (`ents_f`) of `nlp` on the gold docs at `path`, scored as the evaluate step scores."""
    from .evaluation.scoring import load_gold_docs, predict, score_spacy

    return float(score_spacy(nlp, predict(nlp, load_gold_docs(nlp, path), batch_size=batch_size))["ents_f"] or 0.0)


def measure_variant(path: PathLike, texts: Sequence[str], dev_sets: Dict[str, PathLike], **speed_options) -> dict:
    """Load time, speed, size on disk (whole pipeline and transformer) and NER F1 per dev set of one pipeline."""
    import spacy

    start = time.perf_counter()
    nlp = spacy.load(path)
    load_seconds = time.perf_counter() - start
    report = benchmark_speed(nlp, texts, post_processor_costs=False, **speed_options)
    report.model, report.load_seconds = str(path), load_seconds
    transformer_dir = Path(path) / "transformer"
    return {
        "speed": report.to_json(),
        "pipeline_bytes": directory_size(path),
        "transformer_bytes": directory_size(transformer_dir) if transformer_dir.exists() else None,
        "ner_f1": {name: ner_micro_f1(nlp, set_path) for name, set_path in dev_sets.items()},
    }


def compare_int8(model: PathLike, texts: Sequence[str], dev_sets: Dict[str, PathLike], *,
                 threads: Optional[int] = None, **speed_options) -> dict:
    """fp32 and int8 of the same pipeline measured side by side in one run, with the same threads.

    `model` is the fp32 pipeline; its int8 copy (`spacy_callner.quantization.quantized_copy`)
    lives in a temporary directory for the run. The F1 differences are int8 minus fp32.
    """
    import torch

    from ..quantization import is_quantized_dir, quantized_copy
    from .evaluation import scoring  # noqa: F401  (fails before the timing, not after it)

    if threads:
        torch.set_num_threads(threads)
    if is_quantized_dir(model):
        raise ValueError(f"{model} is already int8: give the fp32 pipeline")
    with quantized_copy(model) as tmp:
        variants = {"fp32": measure_variant(model, texts, dev_sets, **speed_options),
                    "int8": measure_variant(Path(tmp) / "model", texts, dev_sets, **speed_options)}
    f1_diff = {name: variants["int8"]["ner_f1"][name] - variants["fp32"]["ner_f1"][name] for name in dev_sets}
    return {"model": str(model), "torch_threads": torch.get_num_threads(), "variants": variants,
            "ner_f1_diff": f1_diff}


def print_int8_comparison(result: dict) -> None:
    fp32, int8 = result["variants"]["fp32"], result["variants"]["int8"]
    msg.divider(f"fp32 vs int8 of {result['model']} ({result['torch_threads']} torch threads)")
    rows = [
        ("load (spacy.load)", *(f"{v['speed']['load_seconds']:.2f} s" for v in (fp32, int8))),
        ("latency p50", *(f"{v['speed']['latency']['p50_ms']:.1f} ms" for v in (fp32, int8))),
        ("latency p95", *(f"{v['speed']['latency']['p95_ms']:.1f} ms" for v in (fp32, int8))),
        ("throughput", *(f"{v['speed']['throughput']['words_per_sec']:,.0f} words/s" for v in (fp32, int8))),
        ("pipeline on disk", *(f"{v['pipeline_bytes'] / 2**20:.1f} MiB" for v in (fp32, int8))),
        ("transformer on disk", *(f"{(v['transformer_bytes'] or 0) / 2**20:.1f} MiB" for v in (fp32, int8))),
    ]
    rows += [(f"NER F1 {name}", f"{fp32['ner_f1'][name]:.4f}", f"{int8['ner_f1'][name]:.4f}")
             for name in result["ner_f1_diff"]]
    msg.table(rows, header=("measure", "fp32", "int8"), aligns=("l", "r", "r"))
