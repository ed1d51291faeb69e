"""Small Word files made with python-docx for tests: every kind of heading, list, table, link, footnote,
contents list, header and footer, picture, and the files that cannot be read.

Build a document with `new_document()`, add to it with the add_* functions, then `save(document, path)`.
Footnotes are not in python-docx: `add_footnote_reference` marks the place and `save(..., footnotes=…)`
writes the footnotes part.
"""

from __future__ import annotations

import re
import struct
import zipfile
import zlib
from pathlib import Path
from typing import Any

import docx
from docx.enum.style import WD_STYLE_TYPE
from docx.enum.text import WD_BREAK
from docx.opc.constants import RELATIONSHIP_TYPE
from docx.oxml import OxmlElement
from docx.oxml.ns import qn
from docx.shared import Pt

Document = Any
"""A python-docx Document (python-docx's types are not exported for mypy)."""
Paragraph = Any


def new_document() -> Document:
    """An empty Word document (python-docx's default template)."""
    return docx.Document()


def save(document: Document, path: Path, footnotes: dict[str, str] | None = None) -> Path:
    """Write the .docx; with `footnotes` ({id: text}) also its footnotes part."""
    document.save(str(path))
    if footnotes:
        _add_footnotes_part(path, footnotes)
    return path


# Headings


def add_styled_heading(document: Document, text: str, level: int) -> Paragraph:
    """A paragraph in Word's Heading `level` style (0 is the Title style)."""
    return document.add_heading(text, level)


def add_bold_paragraph(document: Document, text: str) -> Paragraph:
    """A Normal paragraph whose whole text is bold: how many schools type headings."""
    paragraph = document.add_paragraph()
    paragraph.add_run(text).bold = True
    return paragraph


def add_paragraph(document: Document, text: str = "", bold: str = "", italic: str = "", after: str = "") -> Paragraph:
    """A Normal paragraph: `text`, then `bold` in bold, `italic` in italics, then `after`."""
    paragraph = document.add_paragraph(text)
    if bold:
        paragraph.add_run(bold).bold = True
    if italic:
        paragraph.add_run(italic).italic = True
    if after:
        paragraph.add_run(after)
    return paragraph


# Lists


def add_word_bullets(document: Document, items: list[str], numbered: bool = False) -> None:
    """Items in Word's List Bullet (or List Number) style: real Word numbering."""
    for item in items:
        document.add_paragraph(item, style="List Number" if numbered else "List Bullet")


def add_typed_bullets(document: Document, items: list[str], bullet: str = "•\t", indent_twips: int = 720) -> None:
    """Items typed with a bullet character at the start and indented by hand."""
    for item in items:
        paragraph = document.add_paragraph(f"{bullet}{item}")
        indent = OxmlElement("w:ind")
        indent.set(qn("w:left"), str(indent_twips))
        paragraph._p.get_or_add_pPr().append(indent)


def add_symbol_bullet(document: Document, text: str) -> Paragraph:
    """A bullet made with Word's Symbol font character F0B7, then a tab and the text."""
    paragraph = document.add_paragraph()
    run = paragraph.add_run()
    symbol = OxmlElement("w:sym")
    symbol.set(qn("w:font"), "Symbol")
    symbol.set(qn("w:char"), "F0B7")
    run._r.append(symbol)
    run.add_tab()
    paragraph.add_run(text)
    return paragraph


# Tables


def add_table(
    document: Document, rows: list[list[str]], repeat_header: bool = False, bold_first_row: bool = False
) -> Any:
    """A table of plain text cells; the first row marked as a repeating header row or typed in bold."""
    table = document.add_table(rows=len(rows), cols=len(rows[0]))
    for row_cells, row in zip(table.rows, rows, strict=True):
        for cell, text in zip(row_cells.cells, row, strict=True):
            cell.paragraphs[0].add_run(text).bold = bold_first_row and row is rows[0]
    if repeat_header:
        header = OxmlElement("w:tblHeader")
        table.rows[0]._tr.get_or_add_trPr().append(header)
    return table


# Links


def add_link(paragraph: Paragraph, address: str, text: str) -> None:
    """A hyperlink to an external address (a relationship) at the end of the paragraph."""
    relationship = paragraph.part.relate_to(address, RELATIONSHIP_TYPE.HYPERLINK, is_external=True)
    link = OxmlElement("w:hyperlink")
    link.set(qn("r:id"), relationship)
    link.append(_run(text))
    paragraph._p.append(link)


def add_anchor_link(paragraph: Paragraph, anchor: str, text: str) -> None:
    """A hyperlink to a bookmark in the same document (w:anchor)."""
    link = OxmlElement("w:hyperlink")
    link.set(qn("w:anchor"), anchor)
    link.append(_run(text))
    paragraph._p.append(link)


def add_field_link(paragraph: Paragraph, address: str, text: str) -> None:
    """A HYPERLINK complex field: begin, instruction, separate, the shown text, end."""
    paragraph._p.append(_field_character("begin"))
    instruction = OxmlElement("w:r")
    instruction_text = OxmlElement("w:instrText")
    instruction_text.text = f' HYPERLINK "{address}" '
    instruction.append(instruction_text)
    paragraph._p.append(instruction)
    paragraph._p.append(_field_character("separate"))
    paragraph._p.append(_run(text))
    paragraph._p.append(_field_character("end"))


def add_simple_field(paragraph: Paragraph, instruction: str, shown: str) -> None:
    """A simple field (w:fldSimple), e.g. 'HYPERLINK "https://…"' or 'PAGE', showing `shown`."""
    field = OxmlElement("w:fldSimple")
    field.set(qn("w:instr"), instruction)
    field.append(_run(shown))
    paragraph._p.append(field)


def add_bookmark(paragraph: Paragraph, name: str) -> None:
    """A bookmark around nothing at the start of the paragraph."""
    start = OxmlElement("w:bookmarkStart")
    start.set(qn("w:id"), "90")
    start.set(qn("w:name"), name)
    end = OxmlElement("w:bookmarkEnd")
    end.set(qn("w:id"), "90")
    paragraph._p.insert(1 if paragraph._p.pPr is not None else 0, start)
    paragraph._p.append(end)


def add_footnote_reference(paragraph: Paragraph, footnote_id: str) -> None:
    """A footnote mark; give the note's text to save(footnotes={id: text})."""
    run = OxmlElement("w:r")
    reference = OxmlElement("w:footnoteReference")
    reference.set(qn("w:id"), footnote_id)
    run.append(reference)
    paragraph._p.append(run)


# Contents lists, breaks, headers and footers


def add_toc_styled_contents(document: Document, entries: list[str]) -> None:
    """A contents list in Word's 'toc 1' style, each entry linked to a _Toc bookmark, with a page number."""
    if "toc 1" not in [style.name for style in document.styles]:
        document.styles.add_style("toc 1", WD_STYLE_TYPE.PARAGRAPH)
    for number, entry in enumerate(entries, start=1):
        paragraph = document.add_paragraph(style="toc 1")
        add_anchor_link(paragraph, f"_Toc{100 + number}", f"{entry}\t{number + 1}")


def add_typed_contents(document: Document, entries: list[str]) -> None:
    """A bold 'Contents' line then lines typed as 'entry<tab>page', as pasted from another document."""
    add_bold_paragraph(document, "Contents")
    for number, entry in enumerate(entries, start=2):
        document.add_paragraph(f"{entry}\t{number}")


def add_contents_field(document: Document, entries: list[str]) -> None:
    """A TOC complex field whose result paragraphs are the entries (no contents styles)."""
    first = document.add_paragraph()
    first._p.append(_field_character("begin"))
    instruction = OxmlElement("w:r")
    instruction_text = OxmlElement("w:instrText")
    instruction_text.text = ' TOC \\o "1-3" \\h '
    instruction.append(instruction_text)
    first._p.append(instruction)
    first._p.append(_field_character("separate"))
    first.add_run(entries[0])
    for entry in entries[1:]:
        document.add_paragraph(entry)
    document.paragraphs[-1]._p.append(_field_character("end"))


def add_page_break(document: Document) -> None:
    document.add_paragraph().add_run().add_break(WD_BREAK.PAGE)


def set_header_and_footer(document: Document, header: str, footer: str) -> None:
    """Header text, and a footer of `footer` followed by a PAGE field."""
    section = document.sections[0]
    section.header.paragraphs[0].text = header
    footer_paragraph = section.footer.paragraphs[0]
    footer_paragraph.text = footer
    add_simple_field(footer_paragraph, "PAGE", "7")


# Pictures


def tiny_png() -> bytes:
    """A valid 2×2 PNG."""
    def chunk(kind: bytes, data: bytes) -> bytes:
        return struct.pack(">I", len(data)) + kind + data + struct.pack(">I", zlib.crc32(kind + data) & 0xFFFFFFFF)

    header = struct.pack(">IIBBBBB", 2, 2, 8, 2, 0, 0, 0)
    pixels = zlib.compress(b"\x00" + b"\xff\x00\x00" * 2 + b"\x00" + b"\x00\x00\xff" * 2)
    return b"\x89PNG\r\n\x1a\n" + chunk(b"IHDR", header) + chunk(b"IDAT", pixels) + chunk(b"IEND", b"")


def add_picture(document: Document, folder: Path, alt: str = "", title: str = "") -> None:
    """An inline picture with Word's alt text (descr) and title, either of which may be empty."""
    image = folder / "tiny.png"
    image.write_bytes(tiny_png())
    document.add_picture(str(image), width=Pt(20))
    properties = document.paragraphs[-1]._p.find(".//" + qn("wp:docPr"))
    properties.set("descr", alt)
    if title:
        properties.set("title", title)


# Files that cannot be read


def write_corrupt(path: Path) -> Path:
    """Bytes that are not a zip package."""
    path.write_bytes(b"this is not a Word file at all" * 10)
    return path


def write_ole(path: Path) -> Path:
    """An OLE compound file header: what a password-protected .docx (or an old .doc) starts with."""
    path.write_bytes(bytes.fromhex("D0CF11E0A1B11AE1") + bytes(504))
    return path


def write_zip_without_body(path: Path) -> Path:
    """A zip package with no word/document.xml."""
    with zipfile.ZipFile(path, "w") as archive:
        archive.writestr("[Content_Types].xml", "<Types/>")
        archive.writestr("word/styles.xml", "<styles/>")
    return path


def write_broken_body(path: Path) -> Path:
    """A .docx whose word/document.xml is not well-formed XML."""
    save(new_document(), path)
    with zipfile.ZipFile(path) as archive:
        parts = {name: archive.read(name) for name in archive.namelist()}
    parts["word/document.xml"] = b"<w:document><w:body><w:p>unclosed"
    with zipfile.ZipFile(path, "w") as archive:
        for name, data in parts.items():
            archive.writestr(name, data)
    return path


# Helpers


def _run(text: str) -> Any:
    run = OxmlElement("w:r")
    shown = OxmlElement("w:t")
    shown.text = text
    shown.set(qn("xml:space"), "preserve")
    run.append(shown)
    return run


def _field_character(kind: str) -> Any:
    run = OxmlElement("w:r")
    character = OxmlElement("w:fldChar")
    character.set(qn("w:fldCharType"), kind)
    run.append(character)
    return run


_FOOTNOTES_TYPE = "application/vnd.openxmlformats-officedocument.wordprocessingml.footnotes+xml"
_W = "http://schemas.openxmlformats.org/wordprocessingml/2006/main"


def _add_footnotes_part(path: Path, footnotes: dict[str, str]) -> None:
    with zipfile.ZipFile(path) as archive:
        parts = {name: archive.read(name) for name in archive.namelist()}
    notes = "".join(
        f'<w:footnote w:id="{note_id}"><w:p><w:r><w:t xml:space="preserve">{text}</w:t></w:r></w:p></w:footnote>'
        for note_id, text in footnotes.items()
    )
    separator = '<w:footnote w:type="separator" w:id="-1"><w:p><w:r><w:separator/></w:r></w:p></w:footnote>'
    parts["word/footnotes.xml"] = f'<w:footnotes xmlns:w="{_W}">{separator}{notes}</w:footnotes>'.encode()
    relationship = (
        '<Relationship Id="rIdFootnotes" Type="http://schemas.openxmlformats.org/officeDocument/2006/'
        'relationships/footnotes" Target="footnotes.xml"/></Relationships>'
    )
    rels = "word/_rels/document.xml.rels"
    parts[rels] = parts[rels].replace(b"</Relationships>", relationship.encode())
    override = f'<Override PartName="/word/footnotes.xml" ContentType="{_FOOTNOTES_TYPE}"/></Types>'
    parts["[Content_Types].xml"] = parts["[Content_Types].xml"].replace(b"</Types>", override.encode())
    with zipfile.ZipFile(path, "w") as archive:
        for name, data in parts.items():
            archive.writestr(name, data)


# Odd Word files: raw WordprocessingML in a real package (tests/test_import_odd_files.py)

_EXTRA_NAMESPACES = {
    "a": "http://schemas.openxmlformats.org/drawingml/2006/main",
    "pic": "http://schemas.openxmlformats.org/drawingml/2006/picture",
    "c": "http://schemas.openxmlformats.org/drawingml/2006/chart",
    "dgm": "http://schemas.openxmlformats.org/drawingml/2006/diagram",
}
_RELATIONSHIPS = "http://schemas.openxmlformats.org/officeDocument/2006/relationships"


def text_paragraph(text: str, properties: str = "") -> str:
    """A <w:p> of one run of `text` (XML-escaped by the caller when needed); `properties` inside <w:pPr>."""
    paragraph_properties = f"<w:pPr>{properties}</w:pPr>" if properties else ""
    return f'<w:p>{paragraph_properties}<w:r><w:t xml:space="preserve">{text}</w:t></w:r></w:p>'


def relationship(relationship_id: str, kind: str, target: str, external: bool = False) -> str:
    """A <Relationship> for word/_rels/document.xml.rels; `kind` is the last part of the type, e.g. 'image'."""
    mode = ' TargetMode="External"' if external else ""
    return f'<Relationship Id="{relationship_id}" Type="{_RELATIONSHIPS}/{kind}" Target="{target}"{mode}/>'


def write_body_xml(
    path: Path,
    body: str,
    parts: dict[str, bytes] | None = None,
    relationships: str = "",
    content_types: str = "",
    drop: tuple[str, ...] = (),
    document_xml: bytes | None = None,
) -> Path:
    """A .docx from python-docx's template whose body is `body` (WordprocessingML; the prefixes w, r, wp, wps,
    v, mc, o, a, pic, c, dgm and m are declared), with extra `parts` ({zip name: bytes}), extra <Relationship>s
    of the document part, extra <Override>/<Default> content types, and the zip members in `drop` left out
    (with the document's relationships to them); `document_xml` replaces word/document.xml whole."""
    document = new_document()
    sections = document.element.body.find(qn("w:sectPr"))
    section_xml = "" if sections is None else _xml_text(sections)
    save(document, path)
    members = _members(path)
    declared = " ".join(f'xmlns:{prefix}="{uri}"' for prefix, uri in _EXTRA_NAMESPACES.items())
    head, _, _ = members["word/document.xml"].decode().partition("<w:body>")
    head = head.replace("<w:document ", f"<w:document {declared} ", 1)
    members["word/document.xml"] = f"{head}<w:body>{body}{section_xml}</w:body></w:document>".encode()
    rels = "word/_rels/document.xml.rels"
    members[rels] = members[rels].replace(b"</Relationships>", relationships.encode() + b"</Relationships>")
    types = "[Content_Types].xml"
    members[types] = members[types].replace(b"</Types>", content_types.encode() + b"</Types>")
    for name in drop:
        target = name.removeprefix("word/").encode()
        members[rels] = re.sub(rb'<Relationship [^>]*Target="' + re.escape(target) + rb'"/>', b"", members[rels])
    members.update(parts or {})
    if document_xml is not None:
        members["word/document.xml"] = document_xml
    write_members(path, {name: data for name, data in members.items() if name not in drop})
    return path


def write_members(path: Path, members: dict[str, bytes]) -> Path:
    """A zip of exactly these members (names as given, even '../x')."""
    with zipfile.ZipFile(path, "w", zipfile.ZIP_DEFLATED) as archive:
        for name, data in members.items():
            archive.writestr(name, data)
    return path


def _members(path: Path) -> dict[str, bytes]:
    with zipfile.ZipFile(path) as archive:
        return {name: archive.read(name) for name in archive.namelist()}


def _xml_text(element: Any) -> str:
    from lxml import etree  # type: ignore[import-untyped]

    text: str = etree.tostring(element, encoding="unicode")
    return text
