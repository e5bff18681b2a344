"""The ``ko-callner`` / ``python -m spacy_callner`` command line: thin commands over the library.

``annotate`` writes each line's entities, ``redact`` each line's text with its PII hidden,
both streaming through ``spacy_callner.bulk``; ``serve`` answers the same over HTTP
(``spacy_callner.service``). typer comes with spaCy, so the runtime package
needs nothing more for its command line.
"""
import typer

from .annotate import annotate_command
from .redact import redact_command
from .serve import serve_command

app = typer.Typer(add_completion=False, no_args_is_help=True,
                  help="Korean call-center NER (ko_callner): annotate or redact files of transcripts, or serve.")
app.command("annotate")(annotate_command)
app.command("redact")(redact_command)
app.command("serve")(serve_command)


def main() -> None:
    """Entry point of the ``ko-callner`` console script."""
    app()
