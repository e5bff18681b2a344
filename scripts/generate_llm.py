"""Grow the LLM corpus with the Anthropic API (see spacy_callner.training.llm).

Needs ANTHROPIC_API_KEY. Re-running the same command tops the file up to --n.
"""
import os
import sys
from pathlib import Path
from typing import Optional

import typer
from wasabi import msg

from spacy_callner.scheme import LABELS
from spacy_callner.training.llm import (
    DEFAULT_CONCURRENCY, DEFAULT_MAX_RETRIES, DEFAULT_MODEL, DEFAULT_PER_REQUEST, DEFAULT_TIMEOUT_S,
    GenerationInterrupted, GenerationStopped, MissingAPIKeyError, OutputLocked, generate_llm_corpus, parse_label_mix,
)

TEMPERATURE_REMOVED = (
    "--temperature is not supported: the anthropic SDK 2.x sends API version 2026-10-21, "
    "which rejects temperature, top_p and top_k (HTTP 400). Variety comes from the prompt "
    "styles and few-shot examples, which change with every request and with --seed."
)
EXIT_SIGNALLED = 128
EXIT_INTERRUPTED = EXIT_SIGNALLED + 2  # SIGINT, as a shell reports it


def main(
    output_path: Path = typer.Argument(..., dir_okay=False, help="JSONL file to create or top up"),
    n: int = typer.Option(1000, "--n", min=1, help="Records the file should hold when done"),
    model: str = typer.Option(DEFAULT_MODEL, help="Anthropic model ID"),
    labels: str = typer.Option(
        ",".join(LABELS), help="Labels to ask for: PHONE,MONEY or weights such as PHONE=1,MONEY=1,PRODUCT=2,CONTRACT=1"
    ),
    concurrency: int = typer.Option(DEFAULT_CONCURRENCY, min=1, help="Requests in flight at once"),
    per_request: int = typer.Option(DEFAULT_PER_REQUEST, min=1, max=50, help="Utterances asked for per request"),
    seed: int = typer.Option(0, help="Seed of prompt styles and few-shot examples"),
    max_retries: int = typer.Option(DEFAULT_MAX_RETRIES, min=0, help="SDK retries (with backoff) per request"),
    timeout: float = typer.Option(DEFAULT_TIMEOUT_S, help="Seconds per request attempt"),
    max_requests: Optional[int] = typer.Option(None, min=1, help="Stop after this many requests (default: 3x the needed)"),
    temperature: Optional[float] = typer.Option(None, hidden=True),
    progress: bool = typer.Option(True, "--progress/--no-progress"),
):
    if temperature is not None:
        msg.fail(TEMPERATURE_REMOVED, exits=2)
    try:
        label_weights = parse_label_mix(labels)
    except ValueError as err:
        msg.fail(str(err), exits=2)
    try:
        generate_llm_corpus(
            output_path, n=n, model=model, label_weights=label_weights, per_request=per_request,
            concurrency=concurrency, seed=seed, max_retries=max_retries, timeout=timeout,
            max_requests=max_requests, show_progress=progress,
        )
    except (MissingAPIKeyError, OutputLocked) as err:
        msg.fail(str(err), exits=1)
    except GenerationInterrupted as err:
        exit_now(f"{err}. The records in {output_path} are kept.", EXIT_SIGNALLED + err.signal_number)
    except GenerationStopped as err:
        msg.fail(str(err), exits=1)
    except KeyboardInterrupt:
        exit_now(f"Interrupted. The records in {output_path} are kept; run the same command to resume.",
                 EXIT_INTERRUPTED)


def exit_now(message: str, code: int) -> None:
    """Exit without waiting for worker threads, which may sit in a request for up to --timeout seconds."""
    msg.warn(message)
    sys.stdout.flush()
    sys.stderr.flush()
    os._exit(code)


if __name__ == "__main__":
    typer.run(main)
