"""``serve``: the redaction and extraction service on uvicorn (``spacy_callner.service``).

Thin: the options become a ``ServiceSettings`` and uvicorn runs ``create_app``. FastAPI and
uvicorn come with the ``[service]`` extra and are imported only when this command runs.
uvicorn handles SIGTERM and Ctrl-C gracefully: it stops accepting connections and finishes the
requests in flight (up to the request timeout) before the process exits.
"""
from pathlib import Path
from typing import Optional

import typer

from . import streaming


def serve_command(
    model: str = streaming.MODEL,
    host: str = typer.Option("127.0.0.1", "--host", help="Address to listen on."),
    port: int = typer.Option(8080, "--port", min=1, max=65535, help="Port to listen on."),
    max_text_chars: int = typer.Option(100_000, "--max-text-chars", min=1, help="Most characters of one text."),
    max_batch: int = typer.Option(64, "--max-batch", min=1, help="Most texts of one request."),
    max_body_bytes: int = typer.Option(8_000_000, "--max-body-bytes", min=1, help="Most bytes of a request body."),
    request_timeout: float = typer.Option(60.0, "--request-timeout", min=0.001,
                                          help="Seconds a request may wait for and use the model."),
    concurrency: int = typer.Option(1, "--concurrency", min=1, help="Model calls at once (threads)."),
    max_queue: int = typer.Option(64, "--max-queue", min=0, help="Requests waiting for the model before 503."),
    api_key_file: Optional[Path] = typer.Option(None, "--api-key-file", help="File holding the API key clients send."),
    api_key_env: Optional[str] = typer.Option(None, "--api-key-env", help="Environment variable holding the API key."),
    hash_key_file: Optional[Path] = typer.Option(None, "--hash-key-file", help="HMAC key of the hash style (file)."),
    hash_key_env: Optional[str] = typer.Option(None, "--hash-key-env", help="HMAC key of the hash style (variable)."),
    audit_log: Optional[Path] = typer.Option(None, "--audit-log", help="Audit JSON-lines file (default: stderr)."),
    memory_zone: bool = typer.Option(True, "--memory-zone/--no-memory-zone",
                                     help="Free each call's strings (nlp.memory_zone); with --concurrency 1 only."),
) -> None:
    """Serve POST /v1/annotate and /v1/redact, /healthz, /readyz, a page at / and the schema at /docs."""
    from ..service.settings import ServiceSettings, optional_key

    try:
        settings = ServiceSettings(
            model=model, host=host, port=port, max_text_chars=max_text_chars, max_batch=max_batch,
            max_body_bytes=max_body_bytes, request_timeout=request_timeout, concurrency=concurrency,
            max_queue=max_queue, api_key=optional_key(api_key_file, api_key_env),
            hash_key=optional_key(hash_key_file, hash_key_env), audit_log=audit_log, memory_zone=memory_zone)
    except ValueError as err:
        raise typer.BadParameter(str(err))
    try:
        import uvicorn

        from ..service.app import create_app
    except ImportError as err:
        raise typer.BadParameter(f"the service needs its extra: pip install 'spacy-callner[service]' ({err})")
    app = create_app(settings)
    server = uvicorn.Server(uvicorn.Config(app, host=host, port=port, access_log=False, log_level="info",
                                           timeout_graceful_shutdown=int(request_timeout) + 5))
    app.state.stop_server = lambda: setattr(server, "should_exit", True)
    server.run()
    if app.state.runner.error is not None:
        raise typer.Exit(code=1)
