"""benchmark.md and the console summary of a benchmark report."""
from pathlib import Path
from typing import Dict, List, Optional, Union

import srsly
from wasabi import msg

from ..reporting import markdown_table, percent
from .names import KO_CALLNER, SAME_BUDGET

PathLike = Union[str, Path]

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

