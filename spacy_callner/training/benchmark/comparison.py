"""The compared numbers: each system's metrics beside the baseline's, their ratios, and the targets."""
from typing import Dict, List, Optional

from .names import BASELINE, KO_CALLNER, SAME_BUDGET, THROUGHPUT_TARGET


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

