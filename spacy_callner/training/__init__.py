"""Training-only code: generators, corpus conversion, base model, evaluation, packaging.

It installs with the project (`pip install -e ".[train]"`), never in the runtime
wheel. Importing it registers the training logger `callner.ConsoleLogger.v1`
(`spacy train` on the command line gets it with `--code spacy_callner/training/loggers.py`).
"""
from . import loggers  # noqa: F401
