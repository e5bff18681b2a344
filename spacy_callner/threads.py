"""One loaded pipeline can be called from several threads and gives the same entities.

thinc's PyTorchShim runs every prediction as `model.eval()`, forward pass,
`model.train()`: with two threads in flight, one thread's forward pass runs after
the other has switched the encoder back to training mode, with dropout on (24 of
384 calls gave other entities). The `callner.serialise_torch_predict.v1` callback
(`[nlp.after_pipeline_creation]`) puts one lock around the `predict` of the
components whose model runs torch (`transformer`), so those calls take turns; tokenization, the
NER's decoding and the regex component still run concurrently, and torch uses its
own threads inside each call. Processes (`nlp.pipe(n_process=N)`) are the way to
use several cores for the encoder.
"""
import functools
import threading
from typing import Callable, Iterable, Sequence

from spacy.language import Language
from spacy.util import registry


class SerialisedPredict:
    """A component's `predict` behind a lock shared by the pipeline's torch components."""

    def __init__(self, predict: Callable, lock: threading.Lock):
        self.predict = predict
        self.lock = lock

    def __call__(self, docs: Iterable):
        with self.lock:
            return self.predict(docs)

    def __getstate__(self) -> dict:
        return {"predict": self.predict}

    def __setstate__(self, state: dict) -> None:
        self.predict = state["predict"]
        self.lock = threading.Lock()


def serialise_predict(nlp: Language, components: Sequence[str]) -> Language:
    """Wrap the `predict` of the named components of `nlp` with one shared lock (idempotent).

    Names the pipeline does not have are skipped, so one setting serves the trf and cnn configs.
    """
    lock = threading.Lock()
    for name in components:
        if name not in nlp.component_names:
            continue
        component = nlp.get_pipe(name)
        if not isinstance(component.predict, SerialisedPredict):
            component.predict = SerialisedPredict(component.predict, lock)
    return nlp


@registry.callbacks("callner.serialise_torch_predict.v1")
def create_serialise_torch_predict(components: Sequence[str] = ("transformer",)) -> Callable[[Language], Language]:
    """Config: `[nlp.after_pipeline_creation] @callbacks = "callner.serialise_torch_predict.v1"`.

    components: the components whose model runs torch (the weights load after this
        callback runs, so they are named rather than detected).
    """
    return functools.partial(serialise_predict, components=tuple(components))
