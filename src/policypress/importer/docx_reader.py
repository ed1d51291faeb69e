"""The one module that reads .docx files (python-docx): a Word file becomes a `WordDocument`."""

from __future__ import annotations

from pathlib import Path

import docx

from policypress.importer.document import Block, Place, WordDocument


def read_word_file(path: Path) -> WordDocument:
    """The body of the Word file at `path` as blocks (first version: plain paragraphs)."""
    document = docx.Document(str(path))
    blocks = []
    for paragraph in document.paragraphs:
        if paragraph.text.strip():
            place = Place(len(blocks) + 1, "", paragraph.text[:80])
            blocks.append(Block("paragraph", paragraph.text, place))
    return WordDocument(path, tuple(blocks))
