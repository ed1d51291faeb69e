"""The one module that reads .docx files (python-docx): a Word file becomes a `WordDocument`.

python-docx opens the package (parts, relationships, styles, numbering); the docx_* helper modules read
the XML it hands them. The comparison behind this choice is in the README ("Which converter reads Word
files") and scripts/compare-converters.
"""

from __future__ import annotations

import zipfile
import zlib
from pathlib import Path
from typing import Any

import docx
from docx.opc.constants import RELATIONSHIP_TYPE as RT
from docx.opc.exceptions import PackageNotFoundError
from docx.oxml.parser import parse_xml
from lxml import etree  # type: ignore[import-untyped]

from policypress.importer.document import WordDocument
from policypress.importer.docx_body import BodyReader
from policypress.importer.docx_files import SAVE_AS_DOCX, check_word_file, unreadable
from policypress.importer.docx_inline import InlineReader, PartResources, plain
from policypress.importer.docx_xml import StyleSheet, XmlElement, attr, qn

MISSING_NOTE = "(the text of this note is missing from the Word file)"
_READ_ERRORS = (KeyError, ValueError, AttributeError, etree.LxmlError, zipfile.BadZipFile, PackageNotFoundError,
                zlib.error, EOFError, RecursionError)


def read_word_file(path: Path) -> WordDocument:
    """The body of the Word file at `path` as blocks; SourceErrors (never a traceback) when it cannot be read."""
    check_word_file(path)
    try:
        document = docx.Document(str(path))
        return _read(path, document)
    except _READ_ERRORS as error:
        what = f"the Word file cannot be read ({type(error).__name__}: {error})"[:300]
        if isinstance(error, KeyError) and "no item named" in str(error):
            what = f"the file is damaged: a part it lists is missing ({str(error).strip(chr(34))})"[:300]
        raise unreadable(path, what, SAVE_AS_DOCX) from None


def _read(path: Path, document: Any) -> WordDocument:
    part = document.part
    sheet = StyleSheet(_part_element(part, RT.STYLES), _part_element(part, RT.NUMBERING))
    footnote_numbers: dict[str, str] = {}
    reader = InlineReader(sheet, _resources(part), footnote_numbers)
    blocks, removed = BodyReader(sheet, reader).read(document.element.body)
    if not blocks:
        raise unreadable(path, "the Word file's body has no text, tables or pictures", "check this is the right file")
    headers = _margin_text(part, RT.HEADER, sheet)
    footers = _margin_text(part, RT.FOOTER, sheet)
    footnotes = _notes(part, sheet, footnote_numbers)
    return WordDocument(path, tuple(blocks), footnotes, headers, footers, tuple(removed))


def _related_parts(part: Any, relationship_type: str) -> list[Any]:
    return [rel.target_part for rel in part.rels.values() if rel.reltype == relationship_type and not rel.is_external]


def _part_element(part: Any, relationship_type: str) -> XmlElement | None:
    for related in _related_parts(part, relationship_type):
        element = getattr(related, "element", None)
        return element if element is not None else parse_xml(related.blob)
    return None


def _resources(part: Any) -> PartResources:
    resources = PartResources()
    for relationship_id, rel in part.rels.items():
        if rel.reltype == RT.HYPERLINK and rel.is_external:
            resources.links[relationship_id] = rel.target_ref
        elif rel.reltype == RT.IMAGE and rel.is_external:
            resources.linked_pictures[relationship_id] = rel.target_ref
        elif rel.reltype == RT.IMAGE:
            image = rel.target_part
            name = str(image.partname).rsplit("/", 1)[-1]
            resources.pictures[relationship_id] = (name, image.blob, image.content_type)
    return resources


def _margin_text(part: Any, relationship_type: str, sheet: StyleSheet) -> tuple[str, ...]:
    """The text lines of every header (or footer) part, each once, page-number fields left out."""
    lines: list[str] = []
    for related in sorted(_related_parts(part, relationship_type), key=lambda p: str(p.partname)):
        element = getattr(related, "element", None)
        element = element if element is not None else parse_xml(related.blob)
        reader = InlineReader(sheet, _resources(related), {})
        for paragraph in element.iter(qn("w:p")):
            line = " ".join(plain(reader.read(paragraph).text).split())
            if line and line not in lines:
                lines.append(line)
    return tuple(lines)


def _notes(part: Any, sheet: StyleSheet, numbers: dict[str, str]) -> dict[str, str]:
    """Footnote (and endnote) text by the number shown in the body."""
    texts: dict[str, str] = {}
    for relationship_type, prefix, tag in ((RT.FOOTNOTES, "", "w:footnote"), (RT.ENDNOTES, "e", "w:endnote")):
        for related in _related_parts(part, relationship_type):
            reader = InlineReader(sheet, _resources(related), {})
            for note in parse_xml(related.blob).iter(qn(tag)):
                key = prefix + (attr(note, "w:id") or "")
                if key in numbers:
                    paragraphs = [reader.read(p).markdown() for p in note.iter(qn("w:p"))]
                    texts[numbers[key]] = " ".join(" ".join(paragraphs).split())
    for number in numbers.values():  # a reference whose note part or note is missing (a damaged file)
        texts.setdefault(number, MISSING_NOTE)
    return texts
