"""The one way a file of the project is read: inside the project, bounded, UTF-8, or a Problem.

Every source file (content/, schools/, approvals/, checks.yml) is read through `read_source`:
- it must stay inside the project once symlinks are resolved (a link out is refused at its path);
- it must be a regular file (a pipe or a device would hang the run) of at most MAX_FILE_BYTES;
- it must be UTF-8 (a byte-order mark is accepted and dropped; line endings become '\\n').
Anything else raises UnreadableFile, a SourceErrors (exit 2) holding one `path:line: what — fix`.
"""

from __future__ import annotations

import os
import stat
from pathlib import Path

from policypress.core.errors import Problem, SourceErrors

MAX_FILE_BYTES = 4 * 1024 * 1024
BOM = b"\xef\xbb\xbf"
OUTSIDE = ("this file points outside the source tree", "replace the link with a real file inside the project")


class UnreadableFile(SourceErrors):
    """A project file that cannot be read as text; its one problem says why and what to do."""

    def __init__(self, problem: Problem) -> None:
        self.problem = problem
        super().__init__([problem])


def shown_path(root: Path, path: Path) -> str:
    """path as messages show it: relative to the project where it is in it."""
    try:
        return path.absolute().relative_to(root.absolute()).as_posix()
    except ValueError:
        return str(path)


def read_source_bytes(root: Path | None, path: Path, rel: str | None = None) -> bytes:
    """The bytes of path (a picture, say), which must stay inside root: a regular file, not too big.

    Raises UnreadableFile with a `path:line` problem, as read_source does."""
    rel = rel or (shown_path(root, path) if root else str(path))
    try:
        real = path.resolve()
    except (OSError, RuntimeError):  # a loop of links
        raise UnreadableFile(Problem(rel, 1, "this link leads round in a loop",
                                     "replace the link with a real file inside the project")) from None
    if root is not None and not real.is_relative_to(root.resolve()):
        raise UnreadableFile(Problem(rel, 1, *OUTSIDE))
    return _read_bytes(real, rel)


def read_source(root: Path | None, path: Path, rel: str | None = None) -> str:
    """The text of path, which must stay inside root (None: a file the user named, anywhere).

    Raises UnreadableFile with a `path:line` problem: a link out of the project, not a regular
    file, too big, or not UTF-8 (at the line of the first byte that is not)."""
    rel = rel or (shown_path(root, path) if root else str(path))
    raw = read_source_bytes(root, path, rel)
    if raw.startswith(BOM):
        raw = raw[len(BOM):]
    try:
        text = raw.decode("utf-8")
    except UnicodeDecodeError as exc:
        line = raw[:exc.start].count(b"\n") + 1
        raise UnreadableFile(Problem(rel, line, "not UTF-8", "save the file as UTF-8")) from None
    return text.replace("\r\n", "\n").replace("\r", "\n")


def _read_bytes(real: Path, rel: str) -> bytes:
    """At most MAX_FILE_BYTES of a regular file, opened without following a link or blocking."""
    flags = os.O_RDONLY | getattr(os, "O_NOFOLLOW", 0) | getattr(os, "O_NONBLOCK", 0)
    try:
        fd = os.open(real, flags)
    except FileNotFoundError:
        raise UnreadableFile(Problem(rel, 1, "this file is not there (a link to a file that does not exist?)",
                                     "replace the link with the real file, or remove it")) from None
    except OSError as exc:
        raise UnreadableFile(Problem(rel, 1, f"this file cannot be read ({exc.strerror})",
                                     "check that it is a file you are allowed to read")) from None
    try:
        info = os.fstat(fd)
        if not stat.S_ISREG(info.st_mode):
            raise UnreadableFile(Problem(rel, 1, "this is not a file of text (a folder, pipe or device)",
                                         "replace it with a text file, or move it out of the project"))
        if info.st_size > MAX_FILE_BYTES:
            raise UnreadableFile(_too_big(rel, info.st_size))
        with os.fdopen(fd, "rb", closefd=False) as handle:
            raw = handle.read(MAX_FILE_BYTES + 1)
    finally:
        os.close(fd)
    if len(raw) > MAX_FILE_BYTES:  # it grew while being read
        raise UnreadableFile(_too_big(rel, len(raw)))
    return raw


def _too_big(rel: str, size: int) -> Problem:
    return Problem(rel, 1, f"this file is {size / 1024 / 1024:.1f} MB, more than the "
                   f"{MAX_FILE_BYTES // 1024 // 1024} MB a source file may be",
                   "split it into smaller files, or remove text pasted in by mistake")
