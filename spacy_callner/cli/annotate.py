"""``annotate IN OUT``: each input line with its entities (``doc_to_record``) and line number."""
from pathlib import Path
from typing import Optional

import typer

from . import streaming


def annotate_command(
    input_path: Path = typer.Argument(..., exists=True, dir_okay=False, metavar="IN", help="JSONL or plain-text input."),
    out_path: Path = typer.Argument(..., dir_okay=False, metavar="OUT", help="JSONL output."),
    model: str = streaming.MODEL,
    text_field: str = streaming.TEXT_FIELD,
    input_format: Optional[str] = streaming.INPUT_FORMAT,
    n_process: int = streaming.N_PROCESS,
    batch_size: int = streaming.BATCH_SIZE,
    gpu_id: int = streaming.GPU_ID,
    rejects: Optional[Path] = streaming.REJECTS,
    resume: bool = streaming.RESUME,
    progress: bool = streaming.PROGRESS,
) -> None:
    """Annotate every line of IN into OUT: the input's fields, "line" and "entities".

    Bad lines go to the rejects file with their line number and reason; a summary is
    printed and written to OUT.summary.json.
    """
    from ..bulk import OUT, annotation_line

    streaming.run_and_report(
        model=model, gpu_id=gpu_id, input_path=input_path, out_path=out_path, rejects_path=rejects,
        side_paths={}, input_format=input_format, text_field=text_field, batch_size=batch_size,
        n_process=n_process, resume=resume, progress=progress,
        make_lines=lambda doc, record: {OUT: annotation_line(doc, record)},
    )
