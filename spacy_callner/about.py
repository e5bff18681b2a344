"""Distribution metadata, read by setup.cfg and the packaging step."""
__title__ = "spacy-callner"
__version__ = "0.1.0"
