"""The HTTP redaction and extraction service (the ``[service]`` extra: FastAPI on uvicorn).

``create_app(ServiceSettings(...))`` builds the app; ``python -m spacy_callner serve`` runs it.
Importing ``spacy_callner`` never imports this package, so the runtime needs no web framework.
"""
from .settings import ServiceSettings

__all__ = ["ServiceSettings", "create_app"]


def __getattr__(name: str):
    """``create_app``, imported (with FastAPI) when first asked for."""
    if name == "create_app":
        from .app import create_app

        return create_app
    raise AttributeError(f"module {__name__!r} has no attribute {name!r}")
