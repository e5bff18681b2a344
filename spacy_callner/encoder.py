"""How the pipeline calls its encoder: one call at a time, and in slices of windows.

Threads. thinc's PyTorchShim runs every prediction as `model.eval()`, forward
pass, `model.train()`: with two threads in flight, one thread's forward pass runs
after the other has switched the encoder back to training mode, with dropout on
(29 of 384 threaded calls on a tiny pipeline gave other entities). One lock around
the encoder component's `predict` makes those calls take turns; tokenization, the
NER's decoding and the regex component still run concurrently, and torch uses its
own threads inside each call. Processes (`nlp.pipe(n_process=N)`) are the way to
spread the encoder over cores.

Memory. spacy-transformers runs every strided window of a doc through the encoder
in one batch, so a 500,000-character transcript (thousands of windows) holds all
their attention matrices at once. At inference the encoder's forward is run in
slices of at most `max_windows` windows and the outputs are concatenated: the
windows never see each other, so the result is the same as one batch.

Long docs. A doc of more than `max_doc_tokens` tokens is not encoded here: the
NER listening to the encoder runs it in pieces (`spacy_callner.long_docs`), and
its `doc._.trf_data` stays `None`. Shorter docs are encoded as before.

All three are installed by the `callner.guard_encoder.v1` callback
(`[nlp.after_pipeline_creation]`). The encoder's weights load after that callback,
so the forward pass is wrapped lazily, on the first prediction.
"""
import functools
import threading
from typing import Any, Callable, Iterable, Optional, Sequence

from spacy.language import Language
from spacy.util import registry

from .long_docs import DEFAULT_MAX_DOC_TOKENS, recognize_long_docs_in_pieces

DEFAULT_MAX_WINDOWS = 32


def _slice_batch(value: Any, rows: slice, n_rows: int) -> Any:
    is_batch_tensor = hasattr(value, "shape") and len(value.shape) > 0 and value.shape[0] == n_rows
    return value[rows] if is_batch_tensor else value


def _concatenate(pieces: Sequence[Any]) -> Any:
    """Join model outputs sliced along the batch axis (tensors, tuples of tensors, ModelOutput)."""
    import torch

    first = pieces[0]
    if isinstance(first, torch.Tensor):
        return torch.cat(list(pieces), dim=0)
    if isinstance(first, tuple):
        return tuple(_concatenate([piece[i] for piece in pieces]) for i in range(len(first)))
    if isinstance(first, dict):
        return type(first)(**{key: _concatenate([piece[key] for piece in pieces]) for key in first})
    return first


def forward_in_slices(forward: Callable, max_windows: int) -> Callable:
    """`forward` run on at most `max_windows` rows at a time when no gradient is being recorded."""
    import torch

    @functools.wraps(forward)
    def sliced_forward(*args, **kwargs):
        input_ids = kwargs.get("input_ids", args[0] if args else None)
        n_rows = getattr(input_ids, "shape", (0,))[0]
        if torch.is_grad_enabled() or n_rows <= max_windows:
            return forward(*args, **kwargs)
        pieces = []
        for start in range(0, n_rows, max_windows):
            rows = slice(start, start + max_windows)
            pieces.append(forward(*[_slice_batch(a, rows, n_rows) for a in args],
                                  **{k: _slice_batch(v, rows, n_rows) for k, v in kwargs.items()}))
        return _concatenate(pieces)

    sliced_forward.callner_sliced = True
    return sliced_forward


class GuardedPredict:
    """A component's `predict` behind the pipeline's encoder lock, its encoder run in slices.

    With `max_doc_tokens` set, docs longer than that are left out of the encoder: their
    entry in the returned batch's `doc_data` is None, which `set_annotations` writes to
    `doc._.trf_data`.
    """

    def __init__(self, component: Any, predict: Callable, lock: threading.Lock, max_windows: int,
                 max_doc_tokens: Optional[int] = None):
        self.component = component
        self.predict = predict
        self.lock = lock
        self.max_windows = max_windows
        self.max_doc_tokens = max_doc_tokens

    def _slice_encoder_forward(self) -> None:
        encoder = getattr(getattr(self.component, "model", None), "transformer", None)
        forward = getattr(encoder, "forward", None)
        if forward is not None and not getattr(forward, "callner_sliced", False):
            encoder.forward = forward_in_slices(forward, self.max_windows)

    def _is_long(self, doc) -> bool:
        return self.max_doc_tokens is not None and len(doc) > self.max_doc_tokens

    def _predict_short_docs(self, docs: list) -> Any:
        """The encoder's batch for the docs that are not long, its `doc_data` None for the long ones."""
        short = [doc for doc in docs if not self._is_long(doc)]
        batch = self.predict(short)
        short_data = iter(batch.doc_data)
        batch.cached_doc_data = [None if self._is_long(doc) else next(short_data) for doc in docs]
        return batch

    def __call__(self, docs: Iterable):
        docs = list(docs)
        with self.lock:
            self._slice_encoder_forward()
            if any(self._is_long(doc) for doc in docs):
                return self._predict_short_docs(docs)
            return self.predict(docs)

    def __getstate__(self) -> dict:
        return {"component": self.component, "predict": self.predict, "max_windows": self.max_windows,
                "max_doc_tokens": self.max_doc_tokens}

    def __setstate__(self, state: dict) -> None:
        self.__dict__.update(state)
        self.lock = threading.Lock()


def guard_encoder(nlp: Language, components: Sequence[str], max_windows: int = DEFAULT_MAX_WINDOWS,
                  max_doc_tokens: Optional[int] = DEFAULT_MAX_DOC_TOKENS) -> Language:
    """Guard the `predict` of the named components of `nlp` with one shared lock (idempotent).

    Names the pipeline does not have are skipped, so one setting serves the trf and cnn configs.
    Long docs skip an encoder only where every component listening to it is an NER that
    `recognize_long_docs_in_pieces` made piecewise (a tok2vec encoder is never skipped).
    """
    lock = threading.Lock()
    for name in components:
        if name not in nlp.component_names:
            continue
        component = nlp.get_pipe(name)
        skip_long = _is_transformer(component) and recognize_long_docs_in_pieces(nlp, name, max_doc_tokens)
        if not isinstance(component.predict, GuardedPredict):
            component.predict = GuardedPredict(component, component.predict, lock, max_windows)
        component.predict.max_doc_tokens = max_doc_tokens if skip_long else None
    return nlp


def _is_transformer(component: Any) -> bool:
    return type(component).__module__.startswith("spacy_transformers")


@registry.callbacks("callner.guard_encoder.v1")
def create_guard_encoder(components: Sequence[str] = ("transformer",), max_windows: int = DEFAULT_MAX_WINDOWS,
                         max_doc_tokens: Optional[int] = DEFAULT_MAX_DOC_TOKENS,
                         ) -> Callable[[Language], Language]:
    """Config: `[nlp.after_pipeline_creation] @callbacks = "callner.guard_encoder.v1"`.

    components: the components whose model runs the torch encoder (named, not detected:
        the weights load after this callback runs).
    max_windows: the most strided windows one encoder forward pass sees at inference.
    max_doc_tokens: docs longer than this go through the transformer's NER in pieces of at
        most this many tokens (`spacy_callner.long_docs`); null or 0 encodes every doc whole.
    """
    return functools.partial(guard_encoder, components=tuple(components), max_windows=max_windows,
                             max_doc_tokens=max_doc_tokens)
