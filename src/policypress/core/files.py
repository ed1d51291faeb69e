"""Every file the tool writes goes through here: written beside its final name, then renamed.

A reader (a web server, a calendar client, a parallel worker) never sees half a file, and a
failure leaves the previous file as it was. A whole site is staged in a temporary folder and
swapped in with one atomic exchange of the two folders, so there is no moment when the site is
missing and nothing is left behind.
"""

from __future__ import annotations

import ctypes
import ctypes.util
import errno
import os
import shutil
import tempfile
from collections.abc import Iterator, Mapping
from contextlib import contextmanager
from pathlib import Path

AT_FDCWD = -100
RENAME_EXCHANGE = 2  # linux/fs.h: swap two paths in one step
_PARTIAL = ".partial"


@contextmanager
def staging(build_dir: Path) -> Iterator[Path]:
    """A fresh folder beside build/site (same file system, so the final rename is atomic)."""
    build_dir.mkdir(parents=True, exist_ok=True)
    tmp = Path(tempfile.mkdtemp(prefix=".staging-", dir=build_dir))
    try:
        yield tmp
    finally:
        shutil.rmtree(tmp, ignore_errors=True)


def write_file(path: Path, data: bytes | str) -> None:
    """Write one file atomically: a hidden temporary file beside it, then a rename."""
    path.parent.mkdir(parents=True, exist_ok=True)
    partial = path.with_name(f".{path.name}.{os.getpid()}{_PARTIAL}")
    try:
        partial.write_bytes(data.encode("utf-8") if isinstance(data, str) else data)
        os.replace(partial, path)
    finally:
        partial.unlink(missing_ok=True)


def write_atomically(folder: Path, files: Mapping[str, bytes | str]) -> None:
    """Write each file (by path relative to folder) atomically, in name order."""
    for name, data in sorted(files.items()):
        write_file(folder / name, data)


def write_files(folder: Path, files: Mapping[str, str]) -> None:
    """Write text files into a staging folder (nobody reads it until it is swapped in)."""
    for rel, text in sorted(files.items()):
        path = folder / rel
        path.parent.mkdir(parents=True, exist_ok=True)
        path.write_text(text, encoding="utf-8")


def replace_tree(new: Path, target: Path) -> None:
    """Put new (a folder or a file) where target is, in one step where the system allows it."""
    target.parent.mkdir(parents=True, exist_ok=True)
    if new.is_dir() and target.is_dir() and not target.is_symlink() and _exchange(new, target):
        shutil.rmtree(new)  # new now holds the old tree
        return
    if target.is_dir() and not target.is_symlink():
        old = target.with_name(f".old-{target.name}-{os.getpid()}")
        os.replace(target, old)  # no exchange here: the short gap of two renames
        os.replace(new, target)
        shutil.rmtree(old)
        return
    os.replace(new, target)  # a file, or a folder where there was none: one atomic rename


def replace_parts(new_site: Path, site: Path, parts: list[str]) -> None:
    """Swap in only some top-level entries of a site (a build of some schools)."""
    site.mkdir(parents=True, exist_ok=True)
    for name in parts:
        replace_tree(new_site / name, site / name)


def link_tree(source: Path, target: Path) -> None:
    """A copy of a folder whose files are hard links to the original's: the same bytes and times,
    made in a moment (a file is copied, times and all, where the system cannot link it)."""
    for base, dirs, names in os.walk(source):
        dirs.sort()
        here = target / Path(base).relative_to(source)
        here.mkdir(parents=True, exist_ok=True)
        for name in sorted(names):
            original = Path(base, name)
            if original.is_symlink():
                os.symlink(os.readlink(original), here / name)
                continue
            try:
                os.link(original, here / name)
            except OSError:
                shutil.copy2(original, here / name)


def same_text(path: Path, text: str) -> bool:
    """True when the file already holds exactly this text (so it need not be written again)."""
    try:
        return path.read_bytes() == text.encode("utf-8")
    except OSError:
        return False


def _exchange(first: Path, second: Path) -> bool:
    """Swap two folders atomically (Linux renameat2); False where the system cannot."""
    libc = _libc()
    renameat2 = getattr(libc, "renameat2", None) if libc else None
    if renameat2 is None:
        return False
    done = renameat2(AT_FDCWD, os.fsencode(first), AT_FDCWD, os.fsencode(second), RENAME_EXCHANGE)
    if done == 0:
        return True
    if ctypes.get_errno() in (errno.EINVAL, errno.ENOSYS, errno.ENOTSUP, errno.EXDEV):
        return False
    raise OSError(ctypes.get_errno(), os.strerror(ctypes.get_errno()), str(second))


def _libc() -> ctypes.CDLL | None:
    name = ctypes.util.find_library("c")
    return ctypes.CDLL(name, use_errno=True) if name else None
