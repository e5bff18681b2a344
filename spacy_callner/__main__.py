"""``python -m spacy_callner annotate|redact ...``: the same command line as ``ko-callner``."""
from .cli import main

main()
