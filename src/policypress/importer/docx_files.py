"""Is this a .docx we can read? Checked before python-docx opens it, so that a wrong, corrupt,
password-protected or oversized file is an input error with a way forward, never a traceback."""

from __future__ import annotations

import zipfile
from pathlib import Path

from policypress.core.errors import Problem, SourceErrors

MAX_UNPACKED_BYTES = 200 * 1024 * 1024
"""A .docx whose parts unpack to more than this is refused (a zip bomb; real policies are a few MB)."""
MAX_PARTS = 5000
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
    unpacked = sum(member.file_size for member in members)
    if unpacked > MAX_UNPACKED_BYTES or len(members) > MAX_PARTS:
        raise unreadable(
            path,
            f"the file unpacks to {unpacked // (1024 * 1024)} MB in {len(members)} parts, more than a policy has",
            "check the file; remove large embedded files (videos, spreadsheets) in Word and save again",
        )
