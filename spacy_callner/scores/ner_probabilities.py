"""Per-entity probabilities from spaCy's greedy transition-based ``ner``.

spaCy's ``ner`` decodes greedily in compiled code and keeps no scores. This module
replays the same greedy decoding in Python with the same model: at every step the
step model scores all moves, the move taken is the best-scoring valid one (spaCy's
``arg_max_if_valid``, applied by ``Parser.transition_states`` on the same scores),
and the probability of that move is its softmax over the valid moves. An entity
is built by the moves B…I…L or U; its features are the probabilities of those
moves (``ActionProbabilities``). The replay's entities are the ``ner``'s own
(checked on every dev doc, docs/scores.md).

The replay must run on a doc without entity annotation (the NER treats preset
entities as constraints), with the ``doc._.trf_data`` the ``ner`` saw:
``ner_view`` builds that doc from the scored doc.
"""
from dataclasses import dataclass
from typing import Dict, List, Optional, Sequence, Tuple

import numpy
from spacy.tokens import Doc

CharSpan = Tuple[int, int, str]


@dataclass(frozen=True)
class ActionProbabilities:
    """The probabilities of the moves that built one entity, in order (B, I…, L or U)."""

    probabilities: Tuple[float, ...]

    @property
    def product(self) -> float:
        return float(numpy.prod(self.probabilities))

    @property
    def minimum(self) -> float:
        return float(min(self.probabilities))

    @property
    def mean(self) -> float:
        return float(numpy.mean(self.probabilities))


def _valid_mask(moves, names: Sequence[str], states: list) -> numpy.ndarray:
    mask = numpy.zeros((len(states), len(names)), dtype=bool)
    for row, state in enumerate(states):
        for column, name in enumerate(names):
            mask[row, column] = moves.is_valid(state, name)
    return mask


def _softmax_of_chosen(scores: numpy.ndarray, valid: numpy.ndarray, temperature: float) -> Tuple[numpy.ndarray, numpy.ndarray]:
    """The index of the best valid move per row, and its softmax probability over the valid moves."""
    masked = numpy.where(valid, scores.astype("float64") / temperature, -numpy.inf)
    chosen = masked.argmax(axis=1)
    shifted = masked - masked.max(axis=1, keepdims=True)
    exp = numpy.exp(shifted)
    probability = exp[numpy.arange(len(chosen)), chosen] / exp.sum(axis=1)
    return chosen, probability


def greedy_parse_with_probabilities(ner, docs: Sequence[Doc], temperature: float = 1.0,
                                    ) -> List[Dict[CharSpan, ActionProbabilities]]:
    """Greedy-decode `docs` with `ner`'s model; per doc, each entity's move probabilities by char span.

    The states are advanced by ``ner.transition_states`` on the very scores the probabilities
    come from, so the decisions are spaCy's. Docs are left unannotated.
    """
    docs = list(docs)
    results: List[Dict[CharSpan, ActionProbabilities]] = [{} for _ in docs]
    nonempty = [i for i, doc in enumerate(docs) if len(doc)]
    if not nonempty:
        return results
    moves = ner.moves
    names = [moves.get_class_name(i) for i in range(moves.n_moves)]
    states = moves.init_batch([docs[i] for i in nonempty])
    step_model = ner.model.predict([docs[i] for i in nonempty])
    chosen_by_state = {id(state): [] for state in states}
    active = [state for state in states if not state.is_final()]
    while active:
        scores = numpy.ascontiguousarray(step_model.predict(active), dtype="float32")
        chosen, probability = _softmax_of_chosen(scores, _valid_mask(moves, names, active), temperature)
        for state, move, prob in zip(active, chosen, probability):
            chosen_by_state[id(state)].append((names[move], float(prob)))
        active = ner.transition_states(active, scores)
    step_model.clear_memory()
    for index, state in zip(nonempty, states):
        results[index] = _entities_from_moves(docs[index], chosen_by_state[id(state)])
    return results


def _entities_from_moves(doc: Doc, moves: List[Tuple[str, float]]) -> Dict[CharSpan, ActionProbabilities]:
    """Rebuild the entities from the BILUO moves taken (one move per token, then none)."""
    entities: Dict[CharSpan, ActionProbabilities] = {}
    start: Optional[int] = None
    probabilities: List[float] = []
    for token_index, (name, probability) in enumerate(moves[:len(doc)]):
        action, _, label = name.partition("-")
        if action == "U":
            entities[(doc[token_index].idx, doc[token_index].idx + len(doc[token_index]), label)] = \
                ActionProbabilities((probability,))
        elif action == "B":
            start, probabilities = token_index, [probability]
        elif action == "I" and start is not None:
            probabilities.append(probability)
        elif action == "L" and start is not None:
            probabilities.append(probability)
            span = doc[start:token_index + 1]
            entities[(span.start_char, span.end_char, label)] = ActionProbabilities(tuple(probabilities))
            start = None
    return entities


def ner_view(doc: Doc, tokenizer=None) -> Optional[Doc]:
    """A copy of `doc`'s tokens without entities, carrying the ``trf_data`` the ``ner`` saw, or None.

    When a later component split tokens (``callner_regex_ner``), the ``ner``'s tokens are the
    tokenizer's: `tokenizer` rebuilds them. None when no aligned encoder output exists (long docs
    run in pieces keep ``trf_data`` None).
    """
    trf_data = doc._.trf_data if Doc.has_extension("trf_data") else None
    if trf_data is None or not len(doc):
        return None
    aligned_tokens = len(trf_data.align.lengths)
    if aligned_tokens == len(doc):
        view = Doc(doc.vocab, words=[t.text for t in doc], spaces=[bool(t.whitespace_) for t in doc])
    elif tokenizer is not None:
        view = tokenizer(doc.text)
        if len(view) != aligned_tokens:
            return None
    else:
        return None
    view._.trf_data = trf_data
    return view
