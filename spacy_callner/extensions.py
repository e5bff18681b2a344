"""The custom attributes ko_callner puts on spaCy objects, registered in one place.

``span._.value`` / ``span._.value_error`` hold an entity's normalised value (ANNOTATION.md,
"Values") or why it has none; ``span._.score`` the calibrated probability that the span
(label and both boundaries) is right; ``doc._.record`` is the JSON-able record apps, the CLI, the
service and Ray all use. Span values live in ``doc.user_data``, so they survive
``doc.to_bytes()`` and a ``DocBin(store_user_data=True)``: gold values travel that way too.
Importing this module registers them, and every module that reads or writes them imports it
(the components, ``records``, the converter); registering twice is a no-op.
"""
from spacy.tokens import Doc, Span

SPAN_EXTENSIONS = ("value", "value_error", "score")
"""Span attributes with a default of None, set by the values and scores components (or from gold data)."""


def _doc_record(doc: Doc) -> dict:
    from .records import doc_to_record

    return doc_to_record(doc)


def register_extensions() -> None:
    """Register ``span._.value``, ``span._.value_error``, ``span._.score`` and ``doc._.record`` once."""
    for name in SPAN_EXTENSIONS:
        if not Span.has_extension(name):
            Span.set_extension(name, default=None)
    if not Doc.has_extension("record"):
        Doc.set_extension("record", getter=_doc_record)


register_extensions()
