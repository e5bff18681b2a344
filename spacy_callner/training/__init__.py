"""Training-only code: generators, corpus conversion, base model, evaluation, packaging.

It installs with the project (`pip install -e ".[train]"`), never in the runtime
wheel. The training logger `callner.ConsoleLogger.v1` registers when
`spacy_callner.training.loggers` is imported: the modules that train in-process
import it, and `spacy train` on the command line gets it with
`--code spacy_callner/training/loggers.py`.
"""
