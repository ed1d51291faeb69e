"""Fingerprints: a digest of everything an output is made from, to tell when it must be made again.

`canonical` turns the build's own values (dataclasses, pydantic models, paths, dates, and the
usual containers) into plain JSON data, field by field. It refuses any other type rather than
fall back on repr(), which may hold a memory address and so differ between two runs: a
fingerprint that changes by itself would rebuild everything, one that misses a field would keep
a stale site.
"""

from __future__ import annotations

import dataclasses
import datetime as dt
import enum
import hashlib
import json
import os
from collections.abc import Iterable, Mapping
from pathlib import Path
from typing import Any

from pydantic import BaseModel

Plain = None | bool | int | float | str | list["Plain"] | dict[str, "Plain"]


def canonical(value: Any) -> Plain:
    """value as JSON data; a file is its name and the digest of its bytes."""
    if value is None or isinstance(value, bool | int | float | str):
        return value
    if isinstance(value, BaseModel):
        return {"@model": type(value).__name__, **value.model_dump(mode="json")}
    if dataclasses.is_dataclass(value) and not isinstance(value, type):
        return {"@data": type(value).__name__,
                **{f.name: canonical(getattr(value, f.name)) for f in dataclasses.fields(value)}}
    if isinstance(value, Mapping):
        return {"@map": sorted([[canonical(k), canonical(v)] for k, v in value.items()], key=_sort_key)}
    if isinstance(value, list | tuple):
        return [canonical(item) for item in value]
    if isinstance(value, set | frozenset):
        return sorted((canonical(item) for item in value), key=_sort_key)
    return _leaf(value)


def _leaf(value: Any) -> Plain:
    if isinstance(value, Path):  # its name and bytes, not where the project is: a moved project is the same
        return {"@path": value.name, "sha256": file_digest(value) if value.is_file() else None}
    if isinstance(value, bytes):
        return {"@bytes": hashlib.sha256(value).hexdigest()}
    if isinstance(value, dt.date | dt.datetime):
        return value.isoformat()
    if isinstance(value, enum.Enum):
        return canonical(value.value)
    raise TypeError(f"no fingerprint for a {type(value).__name__}: teach core/fingerprint.py its fields")


def _sort_key(item: Plain) -> str:
    return json.dumps(item, sort_keys=True)


def digest(*parts: Any) -> str:
    """sha256 of the canonical form of parts."""
    text = json.dumps([canonical(part) for part in parts], sort_keys=True, ensure_ascii=False, allow_nan=False)
    return hashlib.sha256(text.encode("utf-8")).hexdigest()


def file_digest(path: Path) -> str:
    """sha256 of a file's bytes."""
    with path.open("rb") as stream:
        return hashlib.file_digest(stream, "sha256").hexdigest()


def files_digest(folder: Path, suffixes: Iterable[str] | None = None) -> str:
    """sha256 of every file under folder (optionally only these suffixes): names and bytes, in name order."""
    wanted = tuple(suffixes) if suffixes is not None else None
    total = hashlib.sha256()
    for path in sorted(_files(folder)):
        if wanted is None or path.suffix in wanted:
            total.update(f"{path.relative_to(folder).as_posix()}\0{file_digest(path)}\0".encode())
    return total.hexdigest()


def stat_digest(folder: Path) -> str | None:
    """sha256 of every file's name, size and modification time under folder: cheap to take, and
    changed by any edit, removal or addition (None when folder is missing)."""
    if not folder.is_dir() or folder.is_symlink():
        return None
    total = hashlib.sha256()
    for path in sorted(_files(folder)):
        info = path.lstat()
        total.update(f"{path.relative_to(folder).as_posix()}\0{info.st_size}\0{info.st_mtime_ns}\0".encode())
    return total.hexdigest()


def _files(folder: Path) -> list[Path]:
    found = []
    for base, dirs, names in os.walk(folder):
        dirs.sort()
        found += [Path(base, name) for name in names]
    return found
