"""One function from a processed ``Doc`` to the JSON-able record every consumer uses.

The CLI, the HTTP service, Ray jobs and Presidio all call ``doc_to_record``, so an
entity looks the same wherever it is read: label, text, character offsets, score,
value (with the reason when there is none) and the linked product's id.
"""
from typing import Any, Dict, List

from spacy.tokens import Doc, Span

from . import extensions  # noqa: F401  (registers span._.value, span._.score, doc._.record)


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


def doc_to_record(doc: Doc) -> Dict[str, Any]:
    """``{"text", "entities": [...]}`` for ``doc``, entities in text order."""
    entities: List[Dict[str, Any]] = [entity_record(ent) for ent in doc.ents]
    return {"text": doc.text, "entities": entities}
