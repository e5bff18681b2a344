"""Korean call-center NER for spaCy: the annotation scheme, tokenizer rules, the regex post-processor, values.

Components and callbacks register through entry points, so spacy.load needs no import;
importing the package makes forked `nlp.pipe(n_process=N)` workers safe (`processes`).
"""
from . import processes  # noqa: F401
from .about import __version__
from .extensions import register_extensions
from .records import doc_to_record, entity_record

register_extensions()

__all__ = ["__version__", "doc_to_record", "entity_record"]
