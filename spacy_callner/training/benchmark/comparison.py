"""The closing table: one row per system, joining its scores, its speed and its training time.

`bench-score` and `bench-speed` write one record per system under the same
names; this module reads them side by side. A figure that was not measured
(an extra system without a training record) is None, never a guess.
"""
from typing import Dict, List, Optional

from .names import KO_CALLNER

SET_NAMES = ("test", "real_dev")
COLUMNS = {
    "f1_test": "F1 test",
    "f1_real_dev": "F1 real_dev",
    "training_seconds": "training (s)",
    "words_per_sec": "words/s",
    "latency_p50_ms": "p50 (ms)",
    "latency_p95_ms": "p95 (ms)",
    "load_seconds": "load (s)",
    "size_mb": "size (MB)",
    "peak_memory_mb": "memory (MB)",
}


def micro_f1(accuracy: dict, set_name: str) -> float:
    """The one matcher: exact (start, end, label) character offsets, micro-averaged."""
    return accuracy[set_name]["char_offsets"]["micro"]["f1"]


def system_row(name: str, accuracy: dict, speed: dict, training_seconds: Optional[float]) -> Dict[str, object]:
    row: Dict[str, object] = {"system": name}
    for set_name in SET_NAMES:
        row[f"f1_{set_name}"] = micro_f1(accuracy, set_name)
    row.update({
        "training_seconds": training_seconds,
        "words_per_sec": speed["throughput"]["words_per_sec"],
        "latency_p50_ms": speed["latency"]["p50_ms"],
        "latency_p95_ms": speed["latency"]["p95_ms"],
        "load_seconds": speed["load_seconds"],
        "size_mb": speed["size_bytes"] / 2 ** 20,
        "peak_memory_mb": speed["peak_rss_mb"],
    })
    return row


def training_seconds_of(name: str, trainings: Dict[str, Optional[dict]], default_seconds: float) -> Optional[float]:
    """A system's recorded training time; the default model's is the one `train` took."""
    if name == KO_CALLNER:
        return default_seconds
    record = trainings.get(name)
    return record["seconds"] if record else None


def table_rows(scores: dict, speed: dict, trainings: Dict[str, Optional[dict]],
               default_seconds: float) -> List[Dict[str, object]]:
    """One row per scored system, in the scoring order; every system must also have been timed."""
    missing = [name for name in scores["systems"] if name not in speed["systems"]]
    if missing:
        raise ValueError(f"systems scored but not timed: {missing}")
    return [system_row(name, record["accuracy"], speed["systems"][name],
                       training_seconds_of(name, trainings, default_seconds))
            for name, record in scores["systems"].items()]
