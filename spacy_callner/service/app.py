"""The FastAPI app of the redaction and extraction service: ``create_app(settings)``.

``POST /v1/annotate`` and ``POST /v1/redact`` take one text or a batch and answer with the
records of ``records.doc_to_record`` or the redactions of ``redact.redact``; ``GET /healthz``
says the process is up, ``GET /readyz`` that the pipeline is loaded and warmed up; ``/`` is a
page to try it and ``/docs`` the OpenAPI schema. Every request gets one audit line
(``audit``). Errors are JSON ``{"error", "message", "limit"}``: 400 malformed JSON, 401 no or
wrong API key, 413 over a size limit, 422 a body of the wrong shape, 503 busy or not ready,
504 over the request timeout; a limit's message names its setting.
"""
import asyncio
import hmac
import os
import signal
import sys
import time
from contextlib import asynccontextmanager
from pathlib import Path
from typing import Any, Dict, Optional

from fastapi import FastAPI, Request
from fastapi.exceptions import RequestValidationError
from fastapi.responses import FileResponse, JSONResponse
from fastapi.staticfiles import StaticFiles
from starlette.exceptions import HTTPException as StarletteHTTPException

from ..about import __version__
from ..redact import DEFAULT_LABELS, RedactionSettings
from .audit import REQUEST_ID_HEADER, AuditLog, label_counts, request_id_from
from .models import (AnnotateRequest, AnnotateResponse, ErrorResponse, ReadyResponse, RedactRequest,
                     RedactResponse, TextsRequest)
from .runner import ModelRunner, ServiceBusy, ServiceTimeout, annotate_batch, redact_batch
from .settings import ServiceSettings

STATIC = Path(__file__).parent / "static"
PROTECTED_PREFIX = "/v1/"
HTTP_ERRORS = {400: "invalid_body", 404: "not_found", 405: "method_not_allowed"}
"""Error kinds of the framework's own refusals (a body that is not UTF-8, an unknown path or method)."""
ERRORS = {status: {"model": ErrorResponse} for status in (400, 401, 413, 422, 503, 504)}


class ServiceError(Exception):
    """An answer other than 200, as JSON ``{"error", "message", "limit"}``."""

    def __init__(self, status: int, error: str, message: str, limit: Optional[str] = None):
        super().__init__(message)
        self.status, self.error, self.message, self.limit = status, error, message, limit


def error_response(status: int, error: str, message: str, limit: Optional[str] = None,
                   details: Optional[list] = None, headers: Optional[Dict[str, str]] = None) -> JSONResponse:
    body = ErrorResponse(error=error, message=message, limit=limit, details=details)
    return JSONResponse(body.model_dump(exclude_none=True), status_code=status, headers=headers)


def create_app(settings: ServiceSettings) -> FastAPI:
    """The app serving ``settings.model``; the pipeline loads in the background once it starts."""
    runner = ModelRunner(settings)
    audit = AuditLog(settings.audit_log)

    @asynccontextmanager
    async def lifespan(app: FastAPI):
        loading = asyncio.create_task(_load(runner, app))
        yield
        loading.cancel()
        await asyncio.get_running_loop().run_in_executor(None, runner.shutdown)
        audit.close()

    app = FastAPI(title="ko_callner redaction and extraction service", version=__version__, lifespan=lifespan,
                  description="Korean call-center NER (PHONE, MONEY, PRODUCT, CONTRACT): entities with values, "
                              "and redaction. Send `X-API-Key` (or `Authorization: Bearer`) when the server has a key.")
    app.state.runner, app.state.settings, app.state.audit = runner, settings, audit
    _add_middleware(app, settings, audit)
    _add_error_handlers(app)
    _add_routes(app, settings, runner)
    app.mount("/static", StaticFiles(directory=STATIC), name="static")
    return app


async def _load(runner: ModelRunner, app: FastAPI) -> None:
    """Load the pipeline off the event loop; a pipeline that cannot load stops the server
    (``app.state.stop_server`` where the runner of uvicorn set one, else a SIGTERM to itself)."""
    try:
        await asyncio.get_running_loop().run_in_executor(None, runner.load)
    except Exception as err:  # any load failure: say it and stop, a server that never gets ready helps no one
        runner.error = f"{type(err).__name__}: {err}"
        print(f"ko_callner service: the model failed to load: {runner.error}", file=sys.stderr, flush=True)
        stop_server = getattr(app.state, "stop_server", None)
        if stop_server is not None:
            stop_server()
        else:
            os.kill(os.getpid(), signal.SIGTERM)


def _authorized(request: Request, api_key: bytes) -> bool:
    given = request.headers.get("x-api-key")
    if given is None:
        scheme, _, token = request.headers.get("authorization", "").partition(" ")
        given = token.strip() if scheme.lower() == "bearer" else None
    return given is not None and hmac.compare_digest(given.encode("utf8"), api_key)


def _add_middleware(app: FastAPI, settings: ServiceSettings, audit: AuditLog) -> None:
    @app.middleware("http")
    async def audit_and_guard(request: Request, call_next):
        request_id = request_id_from(request.headers.get(REQUEST_ID_HEADER))
        request.state.audit, request.state.request_id = {}, request_id
        started = time.perf_counter()
        response = _refusal(request, settings)
        if response is None:
            try:
                response = await call_next(request)
            except Exception:  # an unforeseen failure: a JSON 500 and an audit line, never a text
                request.state.audit["error"] = "internal_error"
                response = error_response(500, "internal_error", "the server failed on this request")
        client = request.client.host if request.client else None
        audit.write({"request_id": request_id, "client": client, "method": request.method, "path": request.url.path,
                     "status": response.status_code, "latency_ms": round((time.perf_counter() - started) * 1000, 2),
                     **request.state.audit})
        response.headers[REQUEST_ID_HEADER] = request_id
        return response


def _refusal(request: Request, settings: ServiceSettings) -> Optional[JSONResponse]:
    """The answer to a request refused before its body is read: no or wrong key, a body too large."""
    if not request.url.path.startswith(PROTECTED_PREFIX):
        return None
    if settings.api_key is not None and not _authorized(request, settings.api_key):
        request.state.audit["error"] = "unauthorized"
        return error_response(401, "unauthorized", "send the API key in X-API-Key or Authorization: Bearer",
                              headers={"WWW-Authenticate": "Bearer"})
    length = request.headers.get("content-length")
    if length is not None and length.isdigit() and int(length) > settings.max_body_bytes:
        request.state.audit["error"] = "limit_exceeded"
        return error_response(413, "limit_exceeded", f"the request body has {length} bytes; the limit is "
                              f"max_body_bytes={settings.max_body_bytes}", limit="max_body_bytes")
    return None


def _add_error_handlers(app: FastAPI) -> None:
    @app.exception_handler(ServiceError)
    async def service_error(request: Request, err: ServiceError):
        request.state.audit["error"] = err.error
        return error_response(err.status, err.error, err.message, limit=err.limit)

    @app.exception_handler(StarletteHTTPException)
    async def http_error(request: Request, err: StarletteHTTPException):
        error = HTTP_ERRORS.get(err.status_code, "http_error")
        request.state.audit["error"] = error
        return error_response(err.status_code, error, str(err.detail), headers=getattr(err, "headers", None))

    @app.exception_handler(RequestValidationError)
    async def invalid_request(request: Request, err: RequestValidationError):
        problems = [{"loc": list(problem.get("loc", ())), "msg": problem.get("msg", ""), "type": problem.get("type")}
                    for problem in err.errors()]
        if any(problem["type"] == "json_invalid" for problem in problems):
            request.state.audit["error"] = "invalid_json"
            return error_response(400, "invalid_json", "the request body is not valid JSON", details=problems)
        request.state.audit["error"] = "invalid_request"
        summary = "; ".join(f"{'.'.join(map(str, p['loc'][1:])) or 'body'}: {p['msg']}" for p in problems[:5])
        return error_response(422, "invalid_request", summary, details=problems)


def _check(settings: ServiceSettings, runner: ModelRunner, body: TextsRequest, audit: Dict[str, Any]) -> list:
    """The request's texts once they are within the limits and the model is ready; audit fields set."""
    texts = body.batch
    audit.update(n_texts=len(texts), n_chars=sum(map(len, texts)), labels=body.labels, thresholds=body.thresholds)
    if len(texts) > settings.max_batch:
        raise ServiceError(413, "limit_exceeded", f"the batch has {len(texts)} texts; the limit is "
                           f"max_batch={settings.max_batch}", limit="max_batch")
    for index, text in enumerate(texts):
        if len(text) > settings.max_text_chars:
            raise ServiceError(413, "limit_exceeded", f"text {index} has {len(text)} characters; the limit is "
                               f"max_text_chars={settings.max_text_chars}", limit="max_text_chars")
    if not runner.ready:
        raise ServiceError(503, "not_ready", "the model is still loading; see /readyz")
    return texts


async def _call(settings: ServiceSettings, runner: ModelRunner, work, *args):
    try:
        return await runner.call(work, *args)
    except ServiceBusy:
        raise ServiceError(503, "busy", f"more than max_queue={settings.max_queue} requests are waiting for the "
                           f"model; retry later", limit="max_queue") from None
    except ServiceTimeout:
        raise ServiceError(504, "timeout", f"the request took longer than request_timeout={settings.request_timeout}"
                           f" seconds", limit="request_timeout") from None
    except ValueError as err:
        raise ServiceError(400, "invalid_request", str(err)) from None


def _add_routes(app: FastAPI, settings: ServiceSettings, runner: ModelRunner) -> None:
    @app.get("/", include_in_schema=False)
    async def page():
        return FileResponse(STATIC / "index.html")

    @app.get("/healthz", summary="The process is up")
    async def healthz() -> Dict[str, str]:
        return {"status": "ok"}

    @app.get("/readyz", summary="The model is loaded and warmed up", response_model=ReadyResponse,
             responses={503: {"model": ReadyResponse}})
    async def readyz():
        body = ReadyResponse(ready=runner.ready, model=settings.model, in_flight=runner.in_flight, error=runner.error)
        return JSONResponse(body.model_dump(), status_code=200 if runner.ready else 503)

    @app.post("/v1/annotate", response_model=AnnotateResponse, responses=ERRORS,
              summary="Entities with scores, values and product ids")
    async def annotate(body: AnnotateRequest, request: Request):
        audit = request.state.audit
        texts = _check(settings, runner, body, audit)
        results = await _call(settings, runner, annotate_batch, texts, body.thresholds, body.labels, body.render_html)
        audit["entities"] = label_counts(e["label"] for result in results for e in result["entities"])
        return {"request_id": request.state.request_id, "results": results}

    @app.post("/v1/redact", response_model=RedactResponse, responses=ERRORS,
              summary="Texts with their PHONE and CONTRACT (or chosen labels) redacted")
    async def redact_texts(body: RedactRequest, request: Request):
        audit = request.state.audit
        texts = _check(settings, runner, body, audit)
        audit.update(style=body.style, keep_visible=body.keep_visible, candidate_threshold=body.candidate_threshold)
        if body.style == "hash" and settings.hash_key is None:
            raise ServiceError(422, "invalid_request", "style 'hash' needs a key on the server "
                               "(hash_key: serve --hash-key-file or --hash-key-env)", limit="hash_key")
        redaction = RedactionSettings(style=body.style, labels=tuple(body.labels or DEFAULT_LABELS),
                                      threshold=body.candidate_threshold, keep_visible=body.keep_visible,
                                      key=settings.hash_key if body.style == "hash" else None)
        results = await _call(settings, runner, redact_batch, texts, body.thresholds, redaction)
        audit["redactions"] = label_counts(r["label"] for result in results for r in result["redactions"])
        return {"request_id": request.state.request_id, "results": results}
