"""``annotate IN OUT``: each input line with its entities (``doc_to_record``) and line number."""
from pathlib import Path
from typing import Optional

import typer

from . import streaming

ENGINES = ("local", "ray")


def annotate_command(
    input_path: Path = typer.Argument(..., exists=True, metavar="IN",
                                      help="JSONL or plain-text input (--engine ray: also a directory, or Parquet)."),
    out_path: Path = typer.Argument(..., metavar="OUT",
                                    help="JSONL output (--engine ray: a directory of parts, Parquet if *.parquet)."),
    model: str = streaming.MODEL,
    text_field: str = streaming.TEXT_FIELD,
    input_format: Optional[str] = streaming.INPUT_FORMAT,
    n_process: int = streaming.N_PROCESS,
    batch_size: int = streaming.BATCH_SIZE,
    gpu_id: int = streaming.GPU_ID,
    rejects: Optional[Path] = streaming.REJECTS,
    resume: bool = streaming.RESUME,
    progress: bool = streaming.PROGRESS,
    engine: str = typer.Option("local", "--engine",
                               help="local (nlp.pipe here) or ray (a Ray cluster; docs/ray.md)."),
    address: Optional[str] = typer.Option(None, "--address",
                                          help="Ray cluster: auto or HOST:PORT; default: start one on this machine."),
    workers: int = typer.Option(1, "--workers", min=1, help="Ray workers, each with the pipeline loaded once."),
    gpus_per_worker: float = typer.Option(0.0, "--gpus-per-worker", min=0.0, help="GPUs Ray gives each worker."),
) -> None:
    """Annotate every line of IN into OUT: the input's fields, "line" and "entities".

    Bad lines go to the rejects file with their line number and reason; a summary is
    printed and written to OUT.summary.json.
    """
    from ..bulk import OUT, annotation_line

    if engine not in ENGINES:
        raise typer.BadParameter(f"{engine!r} is not one of {', '.join(ENGINES)}", param_hint="--engine")
    if engine == "ray":
        run_on_ray(input_path, out_path, model=model, rejects=rejects, input_format=input_format,
                   text_field=text_field, batch_size=batch_size, address=address, workers=workers,
                   gpus_per_worker=gpus_per_worker, resume=resume)
        return
    for path, hint in ((input_path, "IN"), (out_path, "OUT")):
        if path.is_dir():
            raise typer.BadParameter(f"{path} is a directory: a directory needs --engine ray", param_hint=hint)
    streaming.run_and_report(
        model=model, gpu_id=gpu_id, input_path=input_path, out_path=out_path, rejects_path=rejects,
        side_paths={}, input_format=input_format, text_field=text_field, batch_size=batch_size,
        n_process=n_process, resume=resume, progress=progress,
        make_lines=lambda doc, record: {OUT: annotation_line(doc, record)},
    )


def run_on_ray(input_path: Path, out_path: Path, *, model: str, rejects: Optional[Path], input_format: Optional[str],
               text_field: str, batch_size: int, address: Optional[str], workers: int, gpus_per_worker: float,
               resume: bool) -> None:
    """``distributed.annotate_files`` with the local command's summary; a missing cluster or Ray is one line."""
    import json

    from wasabi import msg

    if resume:
        raise typer.BadParameter("the Ray engine re-runs lost work itself and has no --resume", param_hint="--resume")
    from .. import distributed

    try:
        summary = distributed.annotate_files(
            str(input_path), str(out_path), model, rejects=str(rejects) if rejects else None,
            input_format=input_format, output_format="parquet" if out_path.suffix == ".parquet" else "jsonl",
            text_field=text_field, workers=workers, gpus_per_worker=gpus_per_worker, batch_size=batch_size,
            address=address)
    except (ImportError, FileExistsError, ValueError, distributed.NoClusterError) as err:
        msg.fail(str(err))
        raise typer.Exit(1)
    report = {**summary.to_json(), "engine": "ray", "workers": workers, "gpus_per_worker": gpus_per_worker}
    summary_path = streaming.suffixed(Path(str(out_path).rstrip("/")), ".summary.json")
    summary_path.write_text(json.dumps(report, ensure_ascii=False, indent=2) + "\n", encoding="utf8")
    streaming.print_summary(report, summary_path)
