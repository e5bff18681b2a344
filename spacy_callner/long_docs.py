"""Long transcripts through transformer + NER in bounded memory: the NER runs them in pieces.

A 500,000-character transcript is about 187,000 tokens. Encoded whole, its
transformer output (every strided window's wordpieces) is 1.6 GB, and the NER's
listener and feature precomputation double that. Nothing in the NER needs the
whole doc at once: its decisions look a few tokens around each position, and
the transformer's windows are already independent. So a doc longer than
`max_doc_tokens`

- is not encoded by the transformer step: its `doc._.trf_data` stays `None`
  (the encoder guard, `spacy_callner.encoder`, skips it);
- is cut by the NER step into consecutive pieces of at most `max_doc_tokens`
  tokens (`piece_bounds`: after a sentence end near the limit, else at a space
  between tokens that do not look like part of an entity, else at any space);
  each piece (`doc[a:b].as_doc()`) runs through the transformer and the NER,
  its entities (with their kb_id) are copied onto the long doc at their token
  offsets, and its transformer output is dropped before the next piece.

A long doc's entities are therefore exactly those of its pieces run on their
own; memory is that of one piece. Docs of at most `max_doc_tokens` tokens take
the usual path and are annotated exactly as before, `trf_data` included.

The NER component is a `PiecewiseEntityRecognizer`, a subclass of spaCy's
`EntityRecognizer` that shares the original's model, moves and settings: spaCy's
recognizer is a compiled class whose `__call__`/`pipe` cannot be wrapped on the
instance. Training, scoring and serialization are the inherited ones; the
config still names the plain `ner` factory. The swap is made by the
`callner.guard_encoder.v1` callback.
"""
from typing import Any, Dict, Iterable, Iterator, List, Optional, Tuple

from spacy.language import Language
from spacy.pipeline import EntityRecognizer
from spacy.tokens import Doc, Span
from spacy.util import minibatch

from .scheme.numbers import CURRENCY_SYMBOLS, CURRENCY_WORDS, HANGUL_NUMERALS, SPOKEN_DIGITS

DEFAULT_MAX_DOC_TOKENS = 5000
NUMBER_SYLLABLES = frozenset(HANGUL_NUMERALS + SPOKEN_DIGITS)
SENTENCE_END = (".", "?", "!", "。", "？", "！")


def _ends_sentence(token) -> bool:
    return token.text.endswith(SENTENCE_END) or "\n" in token.text or "\n" in token.whitespace_


def _looks_like_entity_part(token) -> bool:
    """Digits, Latin letters, currencies, number words: what PHONE, MONEY, CONTRACT, PRODUCT are made of."""
    text = token.text
    return (any(char.isdigit() or char.isascii() and char.isalpha() or char in CURRENCY_SYMBOLS for char in text)
            or text in CURRENCY_WORDS or all(char in NUMBER_SYLLABLES for char in text))


def _cut_rank(doc: Doc, i: int) -> Optional[int]:
    """How good a cut before token `i` is: 0 after a sentence end, 1 at a space away from entity-looking
    tokens, 2 at any space, 3 between glued tokens; None inside an entity already set."""
    left, right = doc[i - 1], doc[i]
    if right.ent_iob_ == "I":
        return None
    if not (left.whitespace_ or left.is_space or right.is_space):
        return 3
    if _ends_sentence(left):
        return 0
    if not (_looks_like_entity_part(left) or _looks_like_entity_part(right)):
        return 1
    return 2


def _cut_before(doc: Doc, start: int, limit: int) -> int:
    """Where the piece starting at `start` ends: the latest best-ranked cut in its second half, else the
    latest cut anywhere in it that is not inside an entity, else `limit`."""
    second_half = start + max(1, (limit - start) // 2)
    best: Dict[int, int] = {}
    for i in range(limit, start, -1):
        if i < second_half and best:
            break
        rank = _cut_rank(doc, i)
        if rank is None:
            continue
        best.setdefault(rank if i >= second_half else 3, i)
        if rank == 0:
            break
    return best[min(best)] if best else limit


def piece_bounds(doc: Doc, max_tokens: int) -> List[Tuple[int, int]]:
    """Consecutive token ranges covering `doc`, each of at most `max_tokens` tokens."""
    bounds, start = [], 0
    while len(doc) - start > max_tokens:
        end = _cut_before(doc, start, start + max_tokens)
        bounds.append((start, end))
        start = end
    bounds.append((start, len(doc)))
    return bounds


class PiecewiseEntityRecognizer(EntityRecognizer):
    """spaCy's NER, running docs longer than `max_doc_tokens` through `transformer` and itself in pieces."""

    transformer: Any
    max_doc_tokens: int

    @classmethod
    def from_recognizer(cls, ner: EntityRecognizer, transformer: Any,
                        max_doc_tokens: int) -> "PiecewiseEntityRecognizer":
        cfg = ner.cfg
        piecewise = cls(ner.vocab, ner.model, name=ner.name, moves=ner.moves,
                        update_with_oracle_cut_size=cfg["update_with_oracle_cut_size"],
                        beam_width=cfg["beam_width"], beam_density=cfg["beam_density"],
                        beam_update_prob=cfg["beam_update_prob"], multitasks=cfg["multitasks"],
                        incorrect_spans_key=cfg["incorrect_spans_key"], scorer=ner.scorer)
        piecewise.cfg = cfg
        piecewise.transformer = transformer
        piecewise.max_doc_tokens = max_doc_tokens
        return piecewise

    def is_long(self, doc: Doc) -> bool:
        return len(doc) > self.max_doc_tokens

    def __call__(self, doc: Doc) -> Doc:
        if not self.is_long(doc):
            return super().__call__(doc)
        self._recognize_or_handle(doc)
        return doc

    def pipe(self, docs: Iterable[Doc], *, batch_size: int = 256) -> Iterator[Doc]:
        for batch in minibatch(docs, size=batch_size):
            short = [doc for doc in batch if not self.is_long(doc)]
            for _ in super().pipe(short, batch_size=batch_size):
                pass
            for doc in batch:
                if self.is_long(doc):
                    self._recognize_or_handle(doc)
            yield from batch

    def _recognize_or_handle(self, doc: Doc) -> None:
        """`recognize_in_pieces`, its errors going to the pipeline's error handler like spaCy's own."""
        try:
            self.recognize_in_pieces(doc)
        except Exception as error:
            self.get_error_handler()(self.name, self, [doc], error)

    def recognize_in_pieces(self, doc: Doc) -> None:
        """Set `doc.ents` to the entities of its pieces, each piece encoded and decoded on its own."""
        entities = []
        for start, end in piece_bounds(doc, self.max_doc_tokens):
            piece = doc[start:end].as_doc()
            self.transformer.set_annotations([piece], self.transformer.predict([piece]))
            super().set_annotations([piece], super().predict([piece]))
            entities += [Span(doc, ent.start + start, ent.end + start, label=ent.label, kb_id=ent.kb_id)
                         for ent in piece.ents]
            piece._.trf_data = None
        doc.ents = entities

    def __reduce__(self):
        return (_rebuild, (self.vocab, self.model, self.name, self.moves, self.cfg, self.scorer,
                           self.transformer, self.max_doc_tokens))


def _rebuild(vocab, model, name, moves, cfg, scorer, transformer, max_doc_tokens) -> PiecewiseEntityRecognizer:
    ner = EntityRecognizer(vocab, model, name=name, moves=moves, scorer=scorer)
    ner.cfg = cfg
    return PiecewiseEntityRecognizer.from_recognizer(ner, transformer, max_doc_tokens)


def _listening_components(nlp: Language, transformer_name: str) -> List[str]:
    from spacy_transformers.layers import TransformerListener

    names = []
    for name, component in nlp.components:
        model = getattr(component, "model", None)
        if model is not None and hasattr(model, "walk") and any(
                isinstance(node, TransformerListener) and node.upstream_name in ("*", transformer_name)
                for node in model.walk()):
            names.append(name)
    return names


def recognize_long_docs_in_pieces(nlp: Language, transformer_name: str, max_doc_tokens: Optional[int]) -> bool:
    """Make every NER listening to `transformer_name` piecewise; True when those are all its listeners.

    The transformer may skip long docs only then: any other listener would get no features for them.
    """
    if not max_doc_tokens:
        return False
    listeners = _listening_components(nlp, transformer_name)
    if not listeners or not all(isinstance(nlp.get_pipe(name), EntityRecognizer) for name in listeners):
        return False
    transformer = nlp.get_pipe(transformer_name)
    for index, (name, component) in enumerate(nlp._components):
        if isinstance(component, PiecewiseEntityRecognizer):
            component.max_doc_tokens = max_doc_tokens
        elif name in listeners:
            nlp._components[index] = (name, PiecewiseEntityRecognizer.from_recognizer(
                component, transformer, max_doc_tokens))
    return True

