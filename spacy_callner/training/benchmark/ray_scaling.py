"""How ``annotate --engine ray`` scales against the local ``annotate``, measured in one run on one machine.

The scale-out claim needs three numbers: words/s with 1 and 2 Ray workers beside the local
command at ``--n-process`` 1 and 2, what Ray costs per record, and from those a capacity
estimate. Every run is timed end to end (process or job start to files written), at two
sizes: the fixed costs (interpreter, imports, pipeline load, cluster scheduling, actor
start) are the same at both, so ``(t_large - t_small) / (n_large - n_small)`` is the cost
of one more record and its inverse the sustained rate. Ray's overhead per record is its
marginal cost minus the local command's at the same parallelism. Timings move with the
machine's load (STACK_NOTES: another training run may share the CPUs): compare them as
ratios within one report.
"""
import dataclasses
import json
import math
import os
import shutil
import subprocess
import sys
import time
from pathlib import Path
from typing import Any, Dict, List, Optional

from ..reporting import markdown_table

UTTERANCES_PER_DAY = 10_000_000
SECONDS_PER_DAY = 86_400


@dataclasses.dataclass
class Run:
    """One timed run: engine, parallelism, records, words and wall-clock seconds."""

    engine: str
    parallel: int
    records: int
    words: int
    seconds: float


@dataclasses.dataclass
class Setting:
    """One engine at one parallelism, measured at two sizes."""

    engine: str
    parallel: int
    small: Run
    large: Run

    @property
    def marginal_seconds_per_record(self) -> float:
        return (self.large.seconds - self.small.seconds) / max(1, self.large.records - self.small.records)

    @property
    def words_per_second(self) -> float:
        """Sustained rate: the words of the extra records over their extra seconds."""
        extra = self.large.seconds - self.small.seconds
        return (self.large.words - self.small.words) / extra if extra > 0 else float("nan")

    @property
    def end_to_end_words_per_second(self) -> float:
        return self.large.words / self.large.seconds

    def to_json(self) -> Dict[str, Any]:
        return {**dataclasses.asdict(self), "marginal_ms_per_record": 1000 * self.marginal_seconds_per_record,
                "words_per_second": self.words_per_second,
                "end_to_end_words_per_second": self.end_to_end_words_per_second}


def write_corpus(path: Path, n: int, seed: int) -> Path:
    """``n`` generated utterances as JSONL with ids (``synthetic.generate_examples``)."""
    from ..synthetic import generate_examples

    with Path(path).open("w", encoding="utf8") as file_:
        for index, example in enumerate(generate_examples(n, seed=seed)):
            file_.write(json.dumps({"id": f"u{index}", "text": example["text"]}, ensure_ascii=False) + "\n")
    return Path(path)


def time_local(model: str, corpus: Path, workdir: Path, n_process: int, batch_size: int) -> Run:
    """The local command in a subprocess, as a user runs it."""
    out = workdir / f"local-{n_process}-{corpus.stem}.jsonl"
    command = [sys.executable, "-m", "spacy_callner", "annotate", str(corpus), str(out), "--model", model,
               "--n-process", str(n_process), "--batch-size", str(batch_size), "--no-progress"]
    start = time.perf_counter()
    subprocess.run(command, check=True, capture_output=True, env={**os.environ, "HF_HUB_OFFLINE": "1"})
    seconds = time.perf_counter() - start
    summary = json.loads(Path(f"{out}.summary.json").read_text(encoding="utf8"))
    return Run("local", n_process, summary["annotated"], summary["words"], seconds)


def time_ray(model: str, corpus: Path, workdir: Path, workers: int, batch_size: int) -> Run:
    """``distributed.annotate_files`` on the cluster this process joined (started once, not timed)."""
    from spacy_callner.distributed import annotate_files

    out = workdir / f"ray-{workers}-{corpus.stem}"
    for previous in (out, Path(f"{out}.rejects")):
        shutil.rmtree(previous, ignore_errors=True)
    start = time.perf_counter()
    summary = annotate_files(str(corpus), str(out), model, workers=workers, batch_size=batch_size)
    return Run("ray", workers, summary.annotated, summary.words, time.perf_counter() - start)


def measure_scaling(model: str, workdir: Path, *, n: int = 2000, n_small: int = 200, batch_size: int = 64,
                    parallel: tuple = (1, 2), seed: int = 16) -> Dict[str, Any]:
    """Every setting at ``n_small`` and ``n`` utterances; the report ``render_table`` prints."""
    import ray

    workdir.mkdir(parents=True, exist_ok=True)
    large, small = write_corpus(workdir / "large.jsonl", n, seed), write_corpus(workdir / "small.jsonl", n_small, seed)
    ray.init(num_cpus=os.cpu_count(), include_dashboard=False, log_to_driver=False)
    settings: List[Setting] = []
    try:
        for count in parallel:
            for engine, timer in (("local", time_local), ("ray", time_ray)):
                runs = [timer(model, corpus, workdir, count, batch_size) for corpus in (small, large)]
                settings.append(Setting(engine, count, *runs))
    finally:
        ray.shutdown()
    return scaling_report(model, settings, n=n, n_small=n_small, batch_size=batch_size)


def scaling_report(model: str, settings: List[Setting], **params: Any) -> Dict[str, Any]:
    by_key = {(s.engine, s.parallel): s for s in settings}
    overhead = {str(p): 1000 * (by_key[("ray", p)].marginal_seconds_per_record
                                - by_key[("local", p)].marginal_seconds_per_record)
                for engine, p in by_key if engine == "ray" and ("local", p) in by_key}
    one_worker = by_key.get(("ray", 1))
    return {"model": model, **params, "cpu_count": os.cpu_count(), "load_average": os.getloadavg(),
            "settings": [s.to_json() for s in settings], "ray_overhead_ms_per_record": overhead,
            "capacity": capacity(one_worker) if one_worker else None}


def capacity(one_worker: Setting, utterances_per_day: int = UTTERANCES_PER_DAY,
             busy_fraction: float = 0.5) -> Dict[str, Any]:
    """CPU workers (one core each) for ``utterances_per_day`` at the measured one-worker rate.

    Assumptions, in the report: the measured mean words per utterance; work spread over the
    day at ``busy_fraction`` of the day (calls come in office hours; headroom for peaks and
    retries), i.e. the day's words in ``busy_fraction * 24`` hours.
    """
    words_per_utterance = one_worker.large.words / max(1, one_worker.large.records)
    rate = one_worker.words_per_second
    needed = utterances_per_day * words_per_utterance / (SECONDS_PER_DAY * busy_fraction)
    return {"utterances_per_day": utterances_per_day, "mean_words_per_utterance": words_per_utterance,
            "busy_fraction_of_day": busy_fraction, "needed_words_per_second": needed,
            "words_per_second_per_worker": rate,
            "workers": math.ceil(needed / rate) if rate == rate and rate > 0 else None,
            "workers_if_spread_over_24h": math.ceil(needed * busy_fraction / rate) if rate == rate and rate > 0
            else None}


def render_table(report: Dict[str, Any]) -> str:
    """The scaling table as Markdown (docs/ray.md takes it as it is)."""
    header = ["engine", "processes / workers", "wall s (small)", "wall s (large)", "marginal ms/record",
              "words/s (sustained)", "words/s (end to end)"]
    rows = [[s["engine"], s["parallel"], f"{s['small']['seconds']:.1f}", f"{s['large']['seconds']:.1f}",
             f"{s['marginal_ms_per_record']:.1f}", f"{s['words_per_second']:,.0f}",
             f"{s['end_to_end_words_per_second']:,.0f}"] for s in report["settings"]]
    lines = [markdown_table(header, rows), ""]
    for parallel, ms in report["ray_overhead_ms_per_record"].items():
        lines.append(f"Ray overhead per record at {parallel} worker(s): {ms:+.2f} ms")
    cap: Optional[Dict[str, Any]] = report.get("capacity")
    if cap and cap["workers"]:
        lines.append(f"Capacity: {cap['utterances_per_day']:,} utterances/day x {cap['mean_words_per_utterance']:.1f} "
                     f"words in {cap['busy_fraction_of_day']:.0%} of the day = {cap['needed_words_per_second']:,.0f} "
                     f"words/s; at {cap['words_per_second_per_worker']:,.0f} words/s per worker: {cap['workers']} "
                     f"workers ({cap['workers_if_spread_over_24h']} if spread over 24 h)")
    return "\n".join(lines)
