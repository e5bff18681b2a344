"""Korean call-center NER for spaCy: the annotation scheme, tokenizer rules, the regex post-processor, values.

Components and callbacks register through entry points, so spacy.load needs no import;
importing the package makes forked `nlp.pipe(n_process=N)` workers safe (`processes`).
Importing the package does not import spaCy (a worker that times the Hugging Face
baseline must not pay for it): `doc_to_record` and `entity_record` load on first use,
and the custom attributes register with the modules that use them (`extensions`).
"""
from . import processes  # noqa: F401
from .about import __version__

__all__ = ["__version__", "doc_to_record", "entity_record"]


def __getattr__(name: str):
    """`spacy_callner.doc_to_record` and `.entity_record`, imported (with spaCy) when first asked for."""
    if name in ("doc_to_record", "entity_record"):
        from . import records

        return getattr(records, name)
    raise AttributeError(f"module {__name__!r} has no attribute {name!r}")
