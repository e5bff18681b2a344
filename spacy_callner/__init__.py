"""Korean call-center NER for spaCy: the annotation scheme, tokenizer rules, the regex post-processor.

Components and callbacks register through entry points, so spacy.load needs no import;
importing the package makes forked `nlp.pipe(n_process=N)` workers safe (`processes`).
"""
from . import processes  # noqa: F401
from .about import __version__

__all__ = ["__version__"]
