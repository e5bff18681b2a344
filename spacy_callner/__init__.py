"""Korean call-center NER for spaCy: tokenizer rules, the regex post-processor, data I/O.

Components and callbacks register through entry points, so spacy.load needs no import.
"""
from .about import __version__

__all__ = ["__version__"]
