"""The run loop: keep requests in flight, take replies, write validated records, report.

Long runs survive: the SDK retries 429/5xx/timeouts with backoff; a request
whose retries run out is counted and the run goes on; errors that every later
request would repeat (authentication, permission, unknown model, bad request)
stop the run with the SDK's message. Records are appended as they arrive, so an
interruption loses only the requests in flight, and a re-run tops the file up
to the requested count. One run at a time writes a file (`<output>.lock`), and
SIGTERM ends a run as Ctrl-C does, with its report written.
"""
import logging
import math
from concurrent.futures import FIRST_COMPLETED, Future, ThreadPoolExecutor, wait
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any, Callable, Dict, List, Optional, Sequence, Set, TextIO

from spacy.language import Language
from tqdm import tqdm
from tqdm.contrib.logging import logging_redirect_tqdm

from ...tokenizer import make_korean_nlp
from .annotate import annotate_reply_item
from .client import (
    DEFAULT_MAX_RETRIES, DEFAULT_MODEL, DEFAULT_TIMEOUT_S, MissingAPIKeyError, api_error_message, create_message,
    fatal_api_error, has_api_key, is_api_error, make_client, missing_key_message,
)
from .lock import OutputLock
from .output import ExistingOutput, append_record, dedup_key, read_existing_output, report_path_for
from .parsing import MalformedResponse, parse_utterances, response_text
from .prompts import FEW_SHOT_POOL_SIZE, PromptBank, RequestPlan, load_few_shot_pool, parse_label_mix, plan_request
from .report import GenerationReport
from .stopping import GenerationInterrupted, GenerationStopped, StopOnSignals, outcome_recorded

logger = logging.getLogger(__name__)

DEFAULT_PER_REQUEST = 10
DEFAULT_CONCURRENCY = 4
MAX_CONSECUTIVE_FAILURES = 5
MALFORMED_EXCERPT_CHARS = 120
CUT_LINE_REPORT_CHARS = 500
STOP_POLL_S = 0.2


@dataclass
class RunState:
    """The moving parts of one run: what is needed, what is in flight, which texts are taken."""

    report: GenerationReport
    needed: int
    max_requests: int
    next_index: int
    seen: Set[str]
    few_shot_keys: Set[str]
    in_flight: Dict[Future, RequestPlan] = field(default_factory=dict)
    consecutive_failures: int = 0


class LLMGenerator:
    """Requests utterances from a Messages API client and writes validated records.

    `client` is anything with `.messages.create(**kwargs)` returning an
    `anthropic.types.Message`; by default the SDK client is made on first use.
    """

    def __init__(
        self,
        *,
        model: str = DEFAULT_MODEL,
        label_weights: Optional[Dict[str, float]] = None,
        per_request: int = DEFAULT_PER_REQUEST,
        concurrency: int = DEFAULT_CONCURRENCY,
        seed: int = 0,
        client: Any = None,
        max_retries: int = DEFAULT_MAX_RETRIES,
        timeout: float = DEFAULT_TIMEOUT_S,
        max_requests: Optional[int] = None,
        max_consecutive_failures: int = MAX_CONSECUTIVE_FAILURES,
        nlp: Optional[Language] = None,
        few_shot_pool: Optional[Sequence[Dict[str, Any]]] = None,
        prompts: Optional[PromptBank] = None,
        show_progress: bool = True,
    ):
        if per_request < 1 or concurrency < 1:
            raise ValueError("per_request and concurrency must be at least 1")
        self.model = model
        self.label_weights = label_weights or parse_label_mix(None)
        self.per_request = per_request
        self.concurrency = concurrency
        self.seed = seed
        self._client = client
        self.max_retries = max_retries
        self.timeout = timeout
        self.max_requests = max_requests
        self.max_consecutive_failures = max_consecutive_failures
        self.nlp = nlp or make_korean_nlp()
        self._few_shot_pool = list(few_shot_pool) if few_shot_pool is not None else None
        self.prompts = prompts or PromptBank.load()
        self.show_progress = show_progress
        self.report: Optional[GenerationReport] = None

    @property
    def client(self) -> Any:
        if self._client is None:
            self._client = make_client(max_retries=self.max_retries, timeout=self.timeout)
        return self._client

    @property
    def few_shot_pool(self) -> List[Dict[str, Any]]:
        if self._few_shot_pool is None:
            self._few_shot_pool = load_few_shot_pool(FEW_SHOT_POOL_SIZE, self.seed)
        return self._few_shot_pool

    def plan(self, index: int) -> RequestPlan:
        return plan_request(
            index, seed=self.seed, n_utterances=self.per_request, label_weights=self.label_weights,
            few_shot_pool=self.few_shot_pool, bank=self.prompts,
        )

    def request(self, plan: RequestPlan) -> Any:
        """One Messages API call (runs in a worker thread)."""
        return create_message(
            self.client,
            model=self.model,
            max_tokens=plan.max_tokens,
            system=self.prompts.system,
            messages=[{"role": "user", "content": plan.prompt}],
        )

    def run(
        self, output_path: Path, n: int, *, finish: Optional[Callable[[GenerationReport], None]] = None
    ) -> GenerationReport:
        """Top `output_path` up to `n` records; returns the report (also kept as `self.report`).

        Holds `<output>.lock` for the whole run (OutputLocked if another run
        holds it) and turns SIGTERM into GenerationInterrupted. Raises
        GenerationStopped on an error no retry can fix, and re-raises
        KeyboardInterrupt; in all cases the records written so far stay.
        `finish(report)` is called at the end, however the run ends, while the
        lock is still held.
        """
        if self._client is None and not has_api_key():
            raise MissingAPIKeyError(missing_key_message())
        output_path = Path(output_path)
        output_path.parent.mkdir(parents=True, exist_ok=True)
        with OutputLock(output_path), StopOnSignals() as stop:
            report = self.report = GenerationReport(model=self.model, target=n, output_path=str(output_path))
            try:
                with outcome_recorded(report):
                    self._top_up(output_path, n, report, stop)
            finally:
                if finish is not None:
                    finish(report)
        return report

    def _top_up(self, output_path: Path, n: int, report: GenerationReport, stop: StopOnSignals) -> None:
        existing = self._read_existing(output_path, report)
        if n - existing.n_records <= 0:
            report.status = "complete"
            return
        state = self._start_state(report, existing, needed=n - existing.n_records)
        pool = ThreadPoolExecutor(max_workers=self.concurrency, thread_name_prefix="llm-request")
        bar = tqdm(total=n, initial=existing.n_records, unit="utt", desc="generate-llm",
                   disable=not self.show_progress, dynamic_ncols=True)
        try:
            with output_path.open("a", encoding="utf8") as out, logging_redirect_tqdm(loggers=[logger]):
                self._drive(state, pool, out, bar, stop)
            self._settle(state)
        finally:
            bar.close()
            pool.shutdown(wait=not state.in_flight, cancel_futures=True)

    def _read_existing(self, output_path: Path, report: GenerationReport) -> ExistingOutput:
        existing = read_existing_output(output_path, self.nlp)
        report.already_in_file = existing.n_records
        if existing.cut_partial_line:
            report.cut_last_line = existing.cut_text[:CUT_LINE_REPORT_CHARS]
            logger.warning("cut an incomplete last line from %s (an interrupted write): %r",
                           output_path, existing.cut_text[:MALFORMED_EXCERPT_CHARS])
        return existing

    def _start_state(self, report: GenerationReport, existing: ExistingOutput, *, needed: int) -> RunState:
        """Dedup keys come from the file and the few-shots; the request limit leaves room for rejects."""
        default_limit = 3 * math.ceil(needed / self.per_request) + 2 * self.concurrency
        return RunState(
            report=report,
            needed=needed,
            max_requests=self.max_requests or default_limit,
            next_index=existing.next_request_index,
            seen=set(existing.keys),
            few_shot_keys={dedup_key(example["text"]) for example in self.few_shot_pool},
        )

    def _drive(self, state: RunState, pool: ThreadPoolExecutor, out: TextIO, bar: tqdm, stop: StopOnSignals) -> None:
        """Keep requests in flight and take each reply as it arrives, until none is wanted or a signal came."""
        while True:
            if stop.requested:
                self._interrupt(state, stop)
            self._submit_requests(state, pool)
            if not state.in_flight:
                return
            done, _ = wait(state.in_flight, timeout=STOP_POLL_S, return_when=FIRST_COMPLETED)
            for future in done:
                plan = state.in_flight.pop(future)
                error = future.exception()
                if error is not None:
                    self._count_failed_request(state, plan, error)
                    continue
                state.consecutive_failures = 0
                self._take_response(future.result(), plan, out, state)
                self._show_progress(bar, state.report)

    @staticmethod
    def _interrupt(state: RunState, stop: StopOnSignals) -> None:
        """Abandon the requests in flight (their replies are not waited for) and end the run."""
        report = state.report
        for future in state.in_flight:
            future.cancel()
        raise GenerationInterrupted(
            f"stopped by signal {stop.signal_number} with {report.in_file} of {report.target} records "
            f"({len(state.in_flight)} requests in flight abandoned); run the command again to resume",
            stop.signal_number,
        )

    def _submit_requests(self, state: RunState, pool: ThreadPoolExecutor) -> None:
        """Top up the requests in flight to what the remaining records need, within the limit."""
        report = state.report
        remaining = state.needed - report.accepted
        wanted_in_flight = min(self.concurrency, math.ceil(max(remaining, 0) / self.per_request))
        while len(state.in_flight) < wanted_in_flight and report.requests_sent < state.max_requests:
            plan = self.plan(state.next_index)
            state.next_index += 1
            state.in_flight[pool.submit(self.request, plan)] = plan
            report.requests_sent += 1

    def _count_failed_request(self, state: RunState, plan: RequestPlan, error: BaseException) -> None:
        """Count a request whose retries ran out; raise when no retry can help or too many failed in a row."""
        if isinstance(error, KeyboardInterrupt):
            raise error
        if fatal_api_error(error):
            raise GenerationStopped(f"stopped: {api_error_message(error)}") from error
        if not is_api_error(error):
            raise error
        report = state.report
        report.failed_requests += 1
        state.consecutive_failures += 1
        report.add_sample("failed_request", api_error_message(error))
        logger.warning("request %d failed after retries: %s", plan.index, api_error_message(error))
        if state.consecutive_failures >= self.max_consecutive_failures:
            raise GenerationStopped(
                f"stopped: {state.consecutive_failures} requests in a row failed after retries; "
                f"last: {api_error_message(error)}"
            ) from error

    @staticmethod
    def _show_progress(bar: tqdm, report: GenerationReport) -> None:
        bar.update(report.in_file - bar.n)
        bar.set_postfix(rejected=sum(report.rejected.values()), dup=report.duplicates,
                        failed=report.failed_requests, refresh=False)

    @staticmethod
    def _settle(state: RunState) -> None:
        """The status of a run that ended without an error: complete, or out of requests."""
        report = state.report
        if report.accepted >= state.needed:
            report.status = "complete"
            return
        report.status = "incomplete"
        report.stop_message = (
            f"request limit ({state.max_requests}) reached with {report.in_file} of {report.target} records; "
            "run the command again to continue"
        )

    def _take_response(self, message: Any, plan: RequestPlan, out: TextIO, state: RunState) -> None:
        """Parse, annotate, deduplicate and append the utterances of one reply."""
        report = state.report
        report.responses += 1
        usage = getattr(message, "usage", None)
        report.input_tokens += _token_count(getattr(usage, "input_tokens", 0))
        report.output_tokens += _token_count(getattr(usage, "output_tokens", 0))
        text = response_text(message)
        try:
            items, salvaged = parse_utterances(text)
        except MalformedResponse as err:
            report.malformed_responses += 1
            excerpt = " ".join(text.split())[:MALFORMED_EXCERPT_CHARS]
            report.add_sample("malformed_response", f"{err}: {excerpt!r}")
            logger.warning("request %d: malformed reply (%s): %r", plan.index, err, excerpt)
            return
        if salvaged:
            report.salvaged_responses += 1
        for position, item in enumerate(items):
            self._take_item(item, f"request {plan.index} item {position}", message, plan, out, state)

    def _take_item(self, item: Any, source: str, message: Any, plan: RequestPlan, out: TextIO, state: RunState) -> None:
        """Write one utterance if it is valid, new and still needed; otherwise count why not."""
        report = state.report
        annotation = annotate_reply_item(item, self.nlp, source=source)
        report.fixes.update(annotation.fixes)
        if annotation.record is None:
            report.rejected[annotation.reason] += 1
            report.add_sample(annotation.reason, annotation.detail)
            return
        key = dedup_key(annotation.record["text"])
        if key in state.seen or key in state.few_shot_keys:
            report.duplicates += 1
            report.few_shot_copies += key in state.few_shot_keys
            return
        if report.accepted >= state.needed:
            report.surplus += 1
            return
        append_record(out, {**annotation.record, "meta": self._record_meta(message, plan)})
        state.seen.add(key)
        report.accepted += 1

    def _record_meta(self, message: Any, plan: RequestPlan) -> Dict[str, Any]:
        return {
            "generator": "llm",
            "model": getattr(message, "model", None) or self.model,
            "message_id": getattr(message, "id", None),
            "request_index": plan.index,
            "seed": self.seed,
            "prompt_style": plan.style,
        }


def _token_count(value: Any) -> int:
    """A usage count as the SDK passes it through unvalidated: an int, or 0 for anything else."""
    return value if isinstance(value, int) and not isinstance(value, bool) and value > 0 else 0


def generate_llm_corpus(
    output_path: Path,
    *,
    n: int,
    model: str = DEFAULT_MODEL,
    label_weights: Optional[Dict[str, float]] = None,
    per_request: int = DEFAULT_PER_REQUEST,
    concurrency: int = DEFAULT_CONCURRENCY,
    seed: int = 0,
    client: Any = None,
    max_retries: int = DEFAULT_MAX_RETRIES,
    timeout: float = DEFAULT_TIMEOUT_S,
    max_requests: Optional[int] = None,
    nlp: Optional[Language] = None,
    few_shot_pool: Optional[Sequence[Dict[str, Any]]] = None,
    show_progress: bool = True,
) -> GenerationReport:
    """The `generate-llm` command: check the key, run, print and save the report.

    The key check comes before anything touches `output_path`.
    """
    if n < 1:
        raise ValueError(f"n must be at least 1, got {n}")
    if client is None and not has_api_key():
        raise MissingAPIKeyError(missing_key_message())
    output_path = Path(output_path)
    generator = LLMGenerator(
        model=model, label_weights=label_weights, per_request=per_request, concurrency=concurrency,
        seed=seed, client=client, max_retries=max_retries, timeout=timeout, max_requests=max_requests,
        nlp=nlp, few_shot_pool=few_shot_pool, show_progress=show_progress,
    )

    def finish(report: GenerationReport) -> None:
        report.print()
        report.save(report_path_for(output_path))

    return generator.run(output_path, n, finish=finish)
