"""Which systems a benchmark run compares, and what kind each one is.

Every step (scoring, timing, the report) takes the same list of `name=path`
pairs, so adding a system (an int8 copy, a full-vocabulary model) is one more
pair in the project's `bench_extra` variable. The kind is read from the
directory: a spaCy pipeline has meta.json, a Hugging Face model config.json.
"""
from dataclasses import dataclass
from pathlib import Path
from typing import Iterable, List, Optional, Union

import srsly

from .names import HF_SYSTEM, SPACY_SYSTEM, TRAINING_RECORD

PathLike = Union[str, Path]


@dataclass(frozen=True)
class System:
    name: str
    path: Path
    kind: str


def system_kind(path: PathLike) -> str:
    path = Path(path)
    if (path / "meta.json").is_file():
        return SPACY_SYSTEM
    if (path / "config.json").is_file():
        return HF_SYSTEM
    raise ValueError(f"{path} is neither a spaCy pipeline (meta.json) nor a Hugging Face model (config.json)")


def parse_systems(pairs: Iterable[str]) -> List[System]:
    """`name=path` pairs (blank ones skipped) as systems, in the order given; names must be unique."""
    systems: List[System] = []
    for pair in pairs:
        pair = pair.strip()
        if not pair:
            continue
        name, sep, path = pair.partition("=")
        if not sep or not name or not path:
            raise ValueError(f"a system is given as name=path, not {pair!r}")
        if any(system.name == name for system in systems):
            raise ValueError(f"system {name!r} given twice")
        systems.append(System(name, Path(path), system_kind(path)))
    return systems


def split_pairs(value: str) -> List[str]:
    """A project variable's pairs: separated by commas or whitespace."""
    return value.replace(",", " ").split()


def training_record(system: System) -> Optional[dict]:
    """The training record left next to the system's model (in its directory or the one above), if any."""
    for directory in (system.path, system.path.parent):
        if (directory / TRAINING_RECORD).is_file():
            return srsly.read_json(directory / TRAINING_RECORD)
    return None
