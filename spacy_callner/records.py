"""One function from a processed ``Doc`` to the JSON-able record every consumer uses.

The CLI, the HTTP service, Ray jobs and Presidio all call ``doc_to_record``, so an
entity looks the same wherever it is read: label, text, character offsets, score,
value (with the reason when there is none) and the linked product's id; and, when the
pipeline has a textcat over the intent labels (configs/trf_intent.cfg), the call intent.
"""
from typing import Any, Dict, List, Optional

from spacy.tokens import Doc, Span

from . import extensions  # noqa: F401  (registers span._.value, span._.score, doc._.record)
from .scheme.intents import are_intent_cats

INTENT_KEY = "intent"


def entity_record(span: Span) -> Dict[str, Any]:
    """One entity: ``label``, ``text``, ``start``/``end`` (characters), ``score``, ``value``,
    ``value_error``, ``kb_id`` (``None`` where the pipeline set none)."""
    return {
        "label": span.label_,
        "text": span.text,
        "start": span.start_char,
        "end": span.end_char,
        "score": span._.score,
        "value": span._.value,
        "value_error": span._.value_error,
        "kb_id": span.kb_id_ or None,
    }


def intent_record(doc: Doc) -> Optional[Dict[str, Any]]:
    """``{"label", "score"}`` of the most probable intent in ``doc.cats``; ``None`` unless every
    category there is an intent label (no textcat, or one over other labels)."""
    if not are_intent_cats(doc.cats):
        return None
    label = max(doc.cats, key=doc.cats.__getitem__)
    return {"label": label, "score": float(doc.cats[label])}


def doc_to_record(doc: Doc) -> Dict[str, Any]:
    """``{"text", "entities": [...]}`` for ``doc``, entities in text order, and ``"intent"``
    (``intent_record``) only where the pipeline classified the intent."""
    entities: List[Dict[str, Any]] = [entity_record(ent) for ent in doc.ents]
    record: Dict[str, Any] = {"text": doc.text, "entities": entities}
    intent = intent_record(doc)
    if intent is not None:
        record[INTENT_KEY] = intent
    return record
