"""The one error type of the base-model builder, shared by every step.

Callers (the CLI, `spacy project run base-model`) catch a single exception for
"inputs unusable or built directory failed verification", whichever step found it.
"""
from __future__ import annotations

from pathlib import Path
from typing import Union

PathLike = Union[str, Path]


class BaseModelError(RuntimeError):
    """The inputs are unusable or the built directory failed verification."""
