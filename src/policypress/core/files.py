"""Write output safely: stage everything in a temporary folder, then swap it into place.

A failed build must leave the previous site byte-for-byte intact, so nothing is written
under build/site until the whole new site exists.
"""

from __future__ import annotations

import os
import shutil
import tempfile
from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path


@contextmanager
def staging(build_dir: Path) -> Iterator[Path]:
    """A fresh folder beside build/site (same file system, so the final rename is atomic)."""
    build_dir.mkdir(parents=True, exist_ok=True)
    tmp = Path(tempfile.mkdtemp(prefix=".staging-", dir=build_dir))
    try:
        yield tmp
    finally:
        shutil.rmtree(tmp, ignore_errors=True)


def write_files(folder: Path, files: dict[str, str]) -> None:
    """Write text files (by relative path) under folder."""
    for rel, text in sorted(files.items()):
        path = folder / rel
        path.parent.mkdir(parents=True, exist_ok=True)
        path.write_text(text, encoding="utf-8")


def replace_tree(new: Path, target: Path) -> None:
    """Put new where target is, removing the old target only once new is in place."""
    target.parent.mkdir(parents=True, exist_ok=True)
    old = target.with_name(f".old-{target.name}-{os.getpid()}")
    if target.exists():
        os.replace(target, old)
    os.replace(new, target)
    shutil.rmtree(old, ignore_errors=True)


def replace_parts(new_site: Path, site: Path, parts: list[str]) -> None:
    """Swap in only some top-level entries of a site (a build of some schools)."""
    site.mkdir(parents=True, exist_ok=True)
    for name in parts:
        replace_tree(new_site / name, site / name)


def write_atomically(folder: Path, files: dict[str, bytes]) -> None:
    """Write each file under a temporary name beside it, then rename it into place.

    A calendar client or web server reading build/reports never sees half a file, and a
    failure leaves the previous file as it was.
    """
    folder.mkdir(parents=True, exist_ok=True)
    for name, data in sorted(files.items()):
        partial = folder / f".{name}.{os.getpid()}.partial"
        partial.write_bytes(data)
        os.replace(partial, folder / name)
