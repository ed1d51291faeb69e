"""Is this a .docx we can read? Checked before python-docx opens it, so that a wrong, corrupt,
password-protected or oversized file is an input error with a way forward, never a traceback."""

from __future__ import annotations

import zipfile
import zlib
from pathlib import Path

from policypress.core.errors import Problem, SourceErrors

MAX_UNPACKED_BYTES = 200 * 1024 * 1024
"""A .docx whose parts unpack to more than this is refused (a zip bomb; real policies are a few MB)."""
MAX_PARTS = 5000
PROLOG_BYTES = 4096
"""How much of each XML part is looked at for a DOCTYPE (it can only come before the first element)."""
CONTENT_TYPES_BYTES = 1024 * 1024
"""How much of [Content_Types].xml is looked at for a macro-enabled body (real ones are a few KB)."""
OLE_MAGIC = bytes.fromhex("D0CF11E0A1B11AE1")
SAVE_AS_DOCX = "open it in Word and save it as .docx (Word Document), then import that file"
_OTHER_FORMATS = {
    ".doc": "an old Word file (.doc)",
    ".odt": "an OpenDocument text file (.odt)",
    ".pdf": "a PDF",
    ".rtf": "a Rich Text file (.rtf)",
    ".docm": "a Word file with macros (.docm)",
    ".dotx": "a Word template (.dotx)",
}


def unreadable(path: Path, what: str, fix: str) -> SourceErrors:
    """The one error for a Word file that cannot be read."""
    return SourceErrors([Problem(str(path), 1, what, fix)])


def check_word_file(path: Path) -> None:
    """Raise SourceErrors unless `path` is a .docx zip with a body and a sensible unpacked size."""
    suffix = path.suffix.lower()
    if suffix != ".docx":
        kind = _OTHER_FORMATS.get(suffix, f"not a Word .docx file (its name ends in '{suffix or 'nothing'}')")
        raise unreadable(path, f"this is {kind}; policypress imports .docx files only", SAVE_AS_DOCX)
    try:
        with path.open("rb") as file:
            start = file.read(8)
    except OSError as error:
        raise unreadable(path, f"the file cannot be opened ({error.strerror})", "check the name and path") from None
    if start == OLE_MAGIC:
        raise unreadable(
            path,
            "this file is password-protected (or an old .doc renamed to .docx)",
            "remove the password in Word (File > Info > Protect Document) and save again as .docx",
        )
    _check_zip(path)


def _check_zip(path: Path) -> None:
    try:
        with zipfile.ZipFile(path) as archive:
            members = archive.infolist()
    except (zipfile.BadZipFile, OSError, ValueError):
        raise unreadable(
            path, "the file is damaged: it is not a .docx (a .docx is a zip package)", SAVE_AS_DOCX
        ) from None
    names = {member.filename for member in members}
    if "word/document.xml" not in names:
        raise unreadable(path, "the package has no document body (word/document.xml)", SAVE_AS_DOCX)
    _check_size(path, members)
    _check_no_doctype(path, members)
    _check_no_macros(path, members)


def _check_size(path: Path, members: list[zipfile.ZipInfo]) -> None:
    unpacked = sum(member.file_size for member in members)
    if unpacked > MAX_UNPACKED_BYTES or len(members) > MAX_PARTS:
        raise unreadable(
            path,
            f"the file unpacks to {unpacked // (1024 * 1024)} MB in {len(members)} parts, more than a policy has",
            "check the file; remove large embedded files (videos, spreadsheets) in Word and save again",
        )


def _check_no_doctype(path: Path, members: list[zipfile.ZipInfo]) -> None:
    """Word never writes a DOCTYPE: one in an XML part declares entities (an entity bomb, or an external entity
    that names a local file), so the file is refused before any part is parsed."""
    with zipfile.ZipFile(path) as archive:
        for member in members:
            if member.filename.endswith((".xml", ".rels")) and b"<!DOCTYPE" in _prolog(path, archive, member):
                raise unreadable(
                    path,
                    f"its part {member.filename} declares a DOCTYPE (entities), which Word never writes",
                    "this file was not saved by Word: open it in Word and save it as .docx, or ask for the original",
                )


def _prolog(path: Path, archive: zipfile.ZipFile, member: zipfile.ZipInfo, size: int = PROLOG_BYTES) -> bytes:
    try:
        with archive.open(member) as part:
            start: bytes = part.read(size)
            return start
    except (zipfile.BadZipFile, zlib.error, RuntimeError, NotImplementedError, OSError, EOFError):
        what = f"the file is damaged: its part {member.filename} cannot be unpacked"
        raise unreadable(path, what, SAVE_AS_DOCX) from None


def _check_no_macros(path: Path, members: list[zipfile.ZipInfo]) -> None:
    """A .docm renamed .docx: refused by what it is, not only by its name (its macros are never run)."""
    with zipfile.ZipFile(path) as archive:
        types = [m for m in members if m.filename == "[Content_Types].xml"]
        if types and b"macroEnabled" in _prolog(path, archive, types[0], CONTENT_TYPES_BYTES):
            raise unreadable(path, f"this is {_OTHER_FORMATS['.docm']} named .docx; policypress never runs macros",
                             SAVE_AS_DOCX)
