"""``redact IN OUT``: each input line with its text redacted (``spacy_callner.redact``), and an audit file.

Output line: the input's fields with the text field replaced by the redacted text, then
``"line"``. An ``"entities"`` field (a file ``annotate`` wrote) is dropped: its entity
texts are the values being hidden. Audit line: ``{"line", "redactions"}``, no raw values.
Both files are resumed and flushed together (``spacy_callner.bulk``).
"""
from pathlib import Path
from typing import Any, Dict, Optional

import typer

from ..io import InputRecord
from . import streaming

AUDIT = "audit"
DROPPED_FIELDS = ("line", "entities")


def redacted_line(record: InputRecord, text_field: str, text: str) -> Dict[str, Any]:
    """The record's fields with the text redacted in place, ``"line"`` last."""
    fields = {key: value for key, value in record.fields.items() if key not in DROPPED_FIELDS}
    fields[text_field] = text
    fields["line"] = record.line
    return fields


def redact_command(
    input_path: Path = typer.Argument(..., exists=True, dir_okay=False, metavar="IN", help="JSONL or plain-text input."),
    out_path: Path = typer.Argument(..., dir_okay=False, metavar="OUT", help="JSONL output with redacted texts."),
    style: str = typer.Option("tag", "--style", help="tag ([PHONE]), mask (010-****-5678) or hash (keyed HMAC)."),
    labels: str = typer.Option("PHONE,CONTRACT", "--labels", help="Comma-separated labels to redact."),
    threshold: Optional[float] = typer.Option(None, "--threshold",
                                              help="Lowest score of a candidate still redacted (default: recall-first)."),
    keep_visible: int = typer.Option(4, "--keep-visible", min=0, help="Trailing digits a mask leaves visible."),
    key_file: Optional[Path] = typer.Option(None, "--key-file", help="File holding the HMAC key (style hash)."),
    key_env: Optional[str] = typer.Option(None, "--key-env", help="Environment variable holding the HMAC key."),
    audit: Optional[Path] = typer.Option(None, "--audit", help="Audit file (default: OUT + '.audit.jsonl')."),
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
    """Redact every line of IN into OUT, one audit record per line in the audit file."""
    from ..bulk import OUT
    from ..redact import RedactionSettings, load_key, redact

    try:
        key = load_key(key_file, key_env) if (key_file or key_env or style == "hash") else None
        chosen = tuple(label.strip() for label in labels.split(",") if label.strip())
        settings = RedactionSettings(style=style, labels=chosen, threshold=threshold, keep_visible=keep_visible,
                                     key=key)
    except ValueError as err:
        raise typer.BadParameter(str(err))

    def make_lines(doc, record) -> Dict[str, dict]:
        redaction = redact(doc, settings)
        return {OUT: redacted_line(record, text_field, redaction.text),
                AUDIT: {"line": record.line, "redactions": redaction.audit}}

    streaming.run_and_report(
        model=model, gpu_id=gpu_id, input_path=input_path, out_path=out_path, rejects_path=rejects,
        side_paths={AUDIT: audit or streaming.suffixed(out_path, ".audit.jsonl")}, input_format=input_format,
        text_field=text_field, batch_size=batch_size, n_process=n_process, resume=resume, progress=progress,
        make_lines=make_lines,
    )
