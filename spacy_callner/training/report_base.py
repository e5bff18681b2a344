"""The base of every report object: JSON in and out through the dataclass fields.

Apart from `reports.py` so that report modules can share it without importing each other.
"""
import dataclasses
import typing
from pathlib import Path
from typing import Any, Dict, List, Optional, Type, TypeVar, Union

import srsly

PathLike = Union[str, Path]
R = TypeVar("R", bound="JsonReport")

OMIT_IF_NONE = {"omit_if_none": True}


def _from_value(hint: Any, value: Any) -> Any:
    """`value` read from JSON as the type `hint` says: dataclasses built, containers recursed."""
    if value is None:
        return None
    origin, args = typing.get_origin(hint), typing.get_args(hint)
    if origin is Union:
        inner = [arg for arg in args if arg is not type(None)]
        return _from_value(inner[0], value) if len(inner) == 1 else value
    if origin in (dict, Dict) and len(args) == 2:
        return {key: _from_value(args[1], item) for key, item in value.items()}
    if origin in (list, List) and args:
        return [_from_value(args[0], item) for item in value]
    if isinstance(hint, type) and issubclass(hint, JsonReport):
        return hint.from_json(value)
    return value


def _to_value(value: Any) -> Any:
    if isinstance(value, JsonReport):
        return value.to_json()
    if isinstance(value, dict):
        return {key: _to_value(item) for key, item in value.items()}
    if isinstance(value, (list, tuple)):
        return [_to_value(item) for item in value]
    return value


class JsonReport:
    """Base of the report dataclasses: JSON in and out with the files' own keys."""

    def to_json(self) -> dict:
        data = {}
        for spec in dataclasses.fields(self):
            value = getattr(self, spec.name)
            if value is None and spec.metadata.get("omit_if_none"):
                continue
            data[spec.name] = _to_value(value)
        return data

    @classmethod
    def from_json(cls: Type[R], data: dict) -> R:
        """Build from JSON; keys the class does not know are ignored, missing ones take their defaults."""
        hints = typing.get_type_hints(cls)
        values = {spec.name: _from_value(hints[spec.name], data[spec.name])
                  for spec in dataclasses.fields(cls) if spec.name in data}
        return cls(**values)

    def save(self, path: PathLike) -> Path:
        path = Path(path)
        path.parent.mkdir(parents=True, exist_ok=True)
        srsly.write_json(path, self.to_json())
        return path

    @classmethod
    def load(cls: Type[R], path: PathLike) -> R:
        return cls.from_json(srsly.read_json(path))

    @classmethod
    def load_if_exists(cls: Type[R], path: Optional[PathLike]) -> Optional[R]:
        return cls.load(path) if path is not None and Path(path).is_file() else None

    @classmethod
    def coerce(cls: Type[R], value: Union[None, dict, R]) -> Optional[R]:
        """The report itself, or one built from its JSON (callers that still pass dicts)."""
        return cls.from_json(value) if isinstance(value, dict) else value
