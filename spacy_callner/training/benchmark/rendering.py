"""benchmark.md and the console table of a benchmark report."""
from pathlib import Path
from typing import Dict, List, Optional, Union

import srsly
from wasabi import msg

from ..reporting import markdown_table, percent
from .comparison import COLUMNS

PathLike = Union[str, Path]


def format_value(column: str, value: Optional[float]) -> str:
    if value is None:
        return "–"
    if column.startswith("f1_"):
        return percent(value)
    if column == "words_per_sec":
        return f"{value:,.0f}"
    return f"{value:,.1f}"


def table_cells(report: dict) -> List[List[str]]:
    return [[row["system"]] + [format_value(column, row[column]) for column in COLUMNS] for row in report["table"]]


def render_markdown(report: dict) -> str:
    machine, data, budget = report["machine"], report["data"], report["budget"]
    out = [
        "# ko_callner against the Hugging Face token-classification recipe",
        "",
        f"{report['created']}, on {machine['processor']} ({machine['cpu_count']} cores, {machine['threads']} "
        f"threads for every system, device {machine['device']}), Python {machine['python']}, spaCy "
        f"{machine['spacy']}, torch {machine['torch']}, transformers {machine['transformers']}.",
        "",
        f"Training pairs: a seeded sample of {data['used']} of {data['available']} docs ({data['words']:,} words). "
        f"Equal wall-clock budget: {budget['seconds']:,.1f} s, ko_callner's default training time "
        f"(from {budget['source']}).",
        "",
        "F1: micro, exact character offsets (start, end, label), on the synthetic test split and the realistic "
        "dev set. Training: the training loop's seconds. Speed: batch throughput in words (spaCy tokens) per "
        "second, single-utterance latency, each system in its own process.",
        "",
        markdown_table(["system"] + list(COLUMNS.values()), table_cells(report)),
        "",
        "## Systems",
        "",
    ]
    out += [f"- `{name}`: {system['description']}" for name, system in report["systems"].items()]
    out += ["", "## Notes", ""] + [f"- {note}" for note in report["notes"]] + [""]
    return "\n".join(out)


def print_report(report: dict) -> None:
    msg.divider("ko_callner vs the Hugging Face recipe")
    msg.table(table_cells(report), header=["system"] + list(COLUMNS.values()),
              aligns=["l"] + ["r"] * len(COLUMNS))


def write_report(report: dict, output_dir: PathLike) -> Dict[str, Path]:
    """benchmark.json and benchmark.md."""
    output_dir = Path(output_dir)
    output_dir.mkdir(parents=True, exist_ok=True)
    paths = {"json": output_dir / "benchmark.json", "markdown": output_dir / "benchmark.md"}
    srsly.write_json(paths["json"], report)
    paths["markdown"].write_text(render_markdown(report), encoding="utf8")
    return paths
