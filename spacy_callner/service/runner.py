"""The loaded pipeline behind the service: loading with a warm-up, and bounded calls off the event loop.

Model calls run on a pool of ``concurrency`` threads (one loaded pipeline is thread-safe, see the
README's "Threads"); at most ``max_queue`` more requests wait for a thread, beyond that a request
is refused as busy instead of piling up. Per-request thresholds travel as ``component_cfg`` of that
call, so the shared pipeline's thresholds never change. Each batch's records, redactions and
HTML are built inside the call (and its memory zone), before any spaCy object is freed.
"""
import asyncio
import contextlib
from concurrent.futures import ThreadPoolExecutor
from typing import Any, Callable, Dict, List, Optional, Sequence

from ..displacy import LABEL_COLORS
from ..records import doc_to_record
from ..redact import RedactionSettings, redact
from ..components.scores import SCORES_FACTORY
from .settings import ServiceSettings

WARM_UP_TEXT = "제 번호는 010-1234-5678이고요, 계약번호 KR-2026-0042로 3만 원 결제했어요."


class ServiceBusy(Exception):
    """More requests wait for the model than ``max_queue`` allows."""


class ServiceTimeout(Exception):
    """A request waited for and used the model longer than ``request_timeout``."""


class ModelRunner:
    """The pipeline, its readiness, and the bounded pool its calls run on."""

    def __init__(self, settings: ServiceSettings):
        self.settings = settings
        self.nlp = None
        self.ready = False
        self.error: Optional[str] = None
        self.in_flight = 0
        self._executor = ThreadPoolExecutor(max_workers=settings.concurrency, thread_name_prefix="callner-model")

    def load(self) -> None:
        """Load the pipeline and run one warm-up call; ``ready`` after both."""
        import spacy

        nlp = spacy.load(self.settings.model)
        with self._zone(nlp):
            nlp(WARM_UP_TEXT)
        self.nlp = nlp
        self.ready = True

    def _zone(self, nlp):
        return nlp.memory_zone() if self.settings.uses_memory_zone else contextlib.nullcontext()

    async def call(self, work: Callable[..., Any], *args) -> Any:
        """``work(nlp, *args)`` on a model thread, within ``request_timeout`` including the wait."""
        if self.in_flight >= self.settings.concurrency + self.settings.max_queue:
            raise ServiceBusy()
        self.in_flight += 1
        future = self._executor.submit(self._run, work, *args)
        try:
            return await asyncio.wait_for(asyncio.wrap_future(future), self.settings.request_timeout)
        except asyncio.TimeoutError:
            future.cancel()
            raise ServiceTimeout() from None
        finally:
            self.in_flight -= 1

    def _run(self, work: Callable[..., Any], *args) -> Any:
        with self._zone(self.nlp):
            return work(self.nlp, *args)

    def shutdown(self) -> None:
        """Wait for running calls, drop queued ones (uvicorn has finished the requests in flight)."""
        self._executor.shutdown(wait=True, cancel_futures=True)


def scores_component(nlp) -> Optional[str]:
    """The name of the pipeline's scores component, if it has one."""
    for name in nlp.pipe_names:
        if nlp.get_pipe_meta(name).factory == SCORES_FACTORY:
            return name
    return None


def process(nlp, texts: Sequence[str], thresholds: Optional[Dict[str, float]]):
    """``nlp.pipe`` over ``texts``, with ``thresholds`` over the pipeline's own for this call only."""
    if not thresholds:
        return nlp.pipe(texts)
    name = scores_component(nlp)
    if name is None:
        raise ValueError("this pipeline has no callner_scores component, so it takes no thresholds")
    merged = {**nlp.get_pipe(name).thresholds, **thresholds}
    return nlp.pipe(texts, component_cfg={name: {"thresholds": merged}})


def annotate_batch(nlp, texts: Sequence[str], thresholds: Optional[Dict[str, float]],
                   labels: Optional[Sequence[str]], render_html: bool) -> List[Dict[str, Any]]:
    """Per text, its record (``records.doc_to_record``) with only ``labels``, and displaCy HTML if asked."""
    from spacy import displacy

    results = []
    for doc in process(nlp, texts, thresholds):
        record = doc_to_record(doc)
        if labels is not None:
            record["entities"] = [entity for entity in record["entities"] if entity["label"] in labels]
        if render_html:
            options = {"colors": LABEL_COLORS, **({"ents": list(labels)} if labels is not None else {})}
            record["html"] = displacy.render(doc, style="ent", options=options, jupyter=False)
        results.append(record)
    return results


def redact_batch(nlp, texts: Sequence[str], thresholds: Optional[Dict[str, float]],
                 settings: RedactionSettings) -> List[Dict[str, Any]]:
    """Per text, the redacted text and its redactions (``redact.redact``)."""
    results = []
    for doc in process(nlp, texts, thresholds):
        redaction = redact(doc, settings)
        results.append({"text": redaction.text, "redactions": redaction.audit})
    return results
