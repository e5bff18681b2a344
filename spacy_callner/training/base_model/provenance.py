"""The provenance record `callner_base_model.json` written beside the built model.

It says which model, wheels, pruning and layers the directory was built from and
which checks it passed. `model_card.py` and `packaging.py` read it as plain JSON by
key, so the field names and layout of `to_json()` are a file format: keep them.
"""
from __future__ import annotations

import json
from dataclasses import MISSING, dataclass, field, fields
from pathlib import Path
from typing import Optional

from .errors import BaseModelError, PathLike

PROVENANCE_FILE = "callner_base_model.json"
SOURCE_MODEL = "intfloat/multilingual-e5-small"
SOURCE_MODEL_LICENSE = "MIT"
ARCHITECTURE = "BertModel (add_pooling_layer=False)"
BUILDER = "spacy_callner.training.base_model"
# The top-level keys in the order builds have always written them.
JSON_KEYS = (
    "model", "model_license", "architecture", "weights", "tokenizer", "pruning", "num_layers",
    "num_layers_source", "parameters", "parameters_source", "verified", "checks",
    "engine_cosines", "builder",
)


@dataclass
class BaseModelProvenance:
    """Where a built base model came from; one field per top-level JSON key."""

    weights: dict
    tokenizer: dict
    pruning: dict
    num_layers: int
    num_layers_source: int
    parameters: int
    parameters_source: int
    verified: bool
    checks: list = field(default_factory=list)
    engine_cosines: Optional[list] = None
    model: str = SOURCE_MODEL
    model_license: str = SOURCE_MODEL_LICENSE
    architecture: str = ARCHITECTURE
    builder: str = BUILDER

    def to_json(self) -> dict:
        """The JSON object of the provenance file, keys in the order builds always wrote."""
        return {key: getattr(self, key) for key in JSON_KEYS}

    @classmethod
    def from_json(cls, data: dict) -> "BaseModelProvenance":
        """Read a provenance object; keys this version does not know are ignored."""
        known = {f.name for f in fields(cls)}
        required = {f.name for f in fields(cls) if f.default is MISSING and f.default_factory is MISSING}
        missing = sorted(required - set(data))
        if missing:
            raise BaseModelError(f"{PROVENANCE_FILE} lacks {missing}")
        return cls(**{key: value for key, value in data.items() if key in known})


def provenance_path(model_dir: PathLike) -> Path:
    return Path(model_dir) / PROVENANCE_FILE


def write_provenance(model_dir: PathLike, provenance: BaseModelProvenance) -> Path:
    path = provenance_path(model_dir)
    path.write_text(json.dumps(provenance.to_json(), ensure_ascii=False, indent=2) + "\n", encoding="utf-8")
    return path


def read_provenance(model_dir: PathLike) -> Optional[BaseModelProvenance]:
    """The provenance of a built directory, or None when it has no provenance file."""
    path = provenance_path(model_dir)
    if not path.is_file():
        return None
    return BaseModelProvenance.from_json(json.loads(path.read_text(encoding="utf-8")))
