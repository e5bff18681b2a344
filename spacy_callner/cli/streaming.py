"""What the bulk commands share: their streaming options, loading the pipeline, the summary.

The options are defined once here and used as defaults by each command, so ``annotate``
and ``redact`` read the same input the same way.
"""
import json
from pathlib import Path
from typing import Any, Callable, Dict, Optional

import typer

from ..io import INPUT_FORMATS

MODEL = typer.Option("ko_callner", "--model", help="Installed pipeline name or path of a pipeline directory.")
TEXT_FIELD = typer.Option("text", "--text-field", help="The JSONL field holding each utterance.")
INPUT_FORMAT = typer.Option(None, "--input-format",
                            help=f"One of {', '.join(INPUT_FORMATS)}; default: text for a .txt file, else jsonl.")
N_PROCESS = typer.Option(1, "--n-process", min=1, help="Worker processes of nlp.pipe (output keeps input order).")
BATCH_SIZE = typer.Option(64, "--batch-size", min=1, help="Lines per nlp.pipe batch; files are flushed each batch.")
GPU_ID = typer.Option(-1, "--gpu-id", help="GPU to require (spacy.require_gpu); -1 runs on CPU.")
REJECTS = typer.Option(None, "--rejects", help="Rejects file (default: OUT + '.rejects.jsonl').")
RESUME = typer.Option(False, "--resume", help="Go on after OUT's last complete line instead of starting over.")
PROGRESS = typer.Option(True, "--progress/--no-progress", help="Progress bar with rate and ETA on stderr.")


def suffixed(path: Path, suffix: str) -> Path:
    """``OUT`` + a suffix: the default place of a side file beside the output."""
    return Path(str(path) + suffix)


def load_pipeline(model: str, gpu_id: int):
    """The pipeline, on the GPU asked for (spaCy's ``require_gpu`` fails loudly when there is none)."""
    import spacy

    if gpu_id >= 0:
        spacy.require_gpu(gpu_id)
    return spacy.load(model)


def run_and_report(
    *,
    model: str,
    gpu_id: int,
    input_path: Path,
    out_path: Path,
    rejects_path: Optional[Path],
    side_paths: Dict[str, Path],
    input_format: Optional[str],
    text_field: str,
    batch_size: int,
    n_process: int,
    resume: bool,
    progress: bool,
    make_lines: Callable[[Any, Any], Dict[str, dict]],
) -> None:
    """Run ``make_lines`` over the input into the files, print the summary and write it beside OUT."""
    from ..bulk import BulkFiles, StreamSettings, run_bulk
    from ..io import input_format_for

    try:
        fmt = input_format_for(input_path, input_format)
    except ValueError as err:
        raise typer.BadParameter(str(err), param_hint="--input-format")
    nlp = load_pipeline(model, gpu_id)
    files = BulkFiles(input_path, out_path, rejects_path or suffixed(out_path, ".rejects.jsonl"), side_paths)
    settings = StreamSettings(fmt, text_field, batch_size, n_process, resume, progress)
    summary = run_bulk(nlp, files, settings, make_lines)
    report = summary.to_json()
    summary_path = suffixed(out_path, ".summary.json")
    summary_path.write_text(json.dumps(report, ensure_ascii=False, indent=2) + "\n", encoding="utf8")
    print_summary(report, summary_path)


def print_summary(report: Dict[str, Any], summary_path: Path) -> None:
    from wasabi import msg

    msg.divider("Summary")
    rows = [("lines read", report["lines_read"]), ("annotated", report["annotated"]),
            ("rejected", report["rejected_total"])]
    if report["resumed_after_line"]:
        rows.insert(0, ("resumed after line", report["resumed_after_line"]))
    rows += [(f"  {reason}", count) for reason, count in sorted(report["rejected"].items())]
    rows += [(f"entities {label}", count) for label, count in sorted(report["entities"].items())]
    wps = report["words_per_second"]
    rows += [("words", report["words"]), ("words/s", f"{wps:,.0f}" if wps else "-")]
    msg.table(rows)
    msg.good(f"Summary written to {summary_path}")
