"""A paragraph's runs as inline Markdown: bold, italic, links (relationships, anchors, HYPERLINK fields),
footnote references, pictures; page-number fields and deleted text left out."""

from __future__ import annotations

import re
from dataclasses import dataclass, field

from policypress.importer.document import Picture
from policypress.importer.docx_xml import StyleSheet, XmlElement, attr, child, local_name, qn, switched_on

_MARKDOWN_CHARACTERS = re.compile(r"([\\`*_\[\]<>|])")
_HIDDEN_FIELDS = {"PAGE", "NUMPAGES", "SECTIONPAGES", "PAGEREF", "NOTEREF", "FILENAME", "DATE", "TIME"}
_CHARACTER_SUBSTITUTES = {"\u00a0": " ", "\t": " ", "\u2011": "-", "\u00ad": "", "\uf0b7": "•", "\u200b": ""}
_GRAPHIC_KINDS = {"chart": "chart", "chartex": "chart", "diagram": "SmartArt diagram"}
"""The last part of a <a:graphicData uri> that is neither a picture nor a shape, as a person calls it."""
_TEMPLATE_START = re.compile(r"\{(?=[{%#:])")
"""A brace that would start a placeholder, template tag or comment, or an attribute list ('{: .class}')."""
_ENTITY_START = re.compile(r"&(?=#?\w+;)")
_ADDRESS_UNSAFE = re.compile(r"[\s()<>\x00-\x1f\x7f]")
_QUOTES = "\"\u201c\u201d"
_HYPERLINK_FIELD = re.compile(
    rf"HYPERLINK\s+(?:[{_QUOTES}]([^{_QUOTES}]*)[{_QUOTES}]?|([^\s{_QUOTES}]+))?(?:.*?\\l\s+[{_QUOTES}]([^{_QUOTES}]*))?"
)


def escape_markdown(text: str) -> str:
    """Plain text made safe inside Markdown (the characters that would start emphasis, links, HTML or cells),
    and as policy source: a typed '{{', '{%', '{#' or '{:' is not a placeholder, a typed '&lt;' not an entity."""
    text = _MARKDOWN_CHARACTERS.sub(r"\\\1", text)
    return _TEMPLATE_START.sub("&#123;", _ENTITY_START.sub("&amp;", text))


def plain(text: str) -> str:
    """Word's special spaces and hyphens as ordinary characters."""
    for special, ordinary in _CHARACTER_SUBSTITUTES.items():
        text = text.replace(special, ordinary)
    return text


@dataclass
class Piece:
    """A stretch of text with one formatting; `markdown` is already escaped (or a whole link)."""

    raw: str
    markdown: str
    bold: bool
    italic: bool


@dataclass
class Field:
    """A complex field (fldChar begin … separate … end) that may span runs and paragraphs."""

    instruction: str = ""
    showing_result: bool = False
    link: str | None = None
    collected: list[Piece] = field(default_factory=list)

    @property
    def kind(self) -> str:
        words = self.instruction.split()
        return words[0].upper() if words else ""


@dataclass
class PartResources:
    """What a part's relationships point to: external links and pictures."""

    links: dict[str, str] = field(default_factory=dict)
    pictures: dict[str, tuple[str, bytes, str]] = field(default_factory=dict)
    """rId → (file name, bytes, content type)."""
    linked_pictures: dict[str, str] = field(default_factory=dict)
    """rId → address of a picture linked, not embedded (its bytes are not in the file)."""


@dataclass
class Inline:
    """One paragraph's inline content and what was noticed while reading it."""

    pieces: list[Piece] = field(default_factory=list)
    pictures: list[Picture] = field(default_factory=list)
    page_break: bool = False
    line_break: bool = False
    bookmarks: list[str] = field(default_factory=list)
    contents_links: int = 0
    """Links to Word's own _Toc bookmarks (the entries of a generated contents list)."""
    inside_contents_field: bool = False
    text_boxes: list[XmlElement] = field(default_factory=list)
    """The <w:txbxContent> of text boxes anchored in the paragraph (read as paragraphs after it)."""

    @property
    def text(self) -> str:
        return "".join(piece.raw for piece in self.pieces)

    @property
    def all_bold(self) -> bool:
        with_text = [piece for piece in self.pieces if piece.raw.strip()]
        return bool(with_text) and all(piece.bold for piece in with_text)

    def markdown(self, formatting: bool = True) -> str:
        """The paragraph as inline Markdown; without formatting for a heading (a heading is bold already)."""
        groups: list[Piece] = []
        for piece in self.pieces:
            bold, italic = (piece.bold, piece.italic) if formatting else (False, False)
            if groups and (groups[-1].bold, groups[-1].italic) == (bold, italic):
                groups[-1].markdown += piece.markdown
            else:
                groups.append(Piece("", piece.markdown, bold, italic))
        return "".join(_emphasised(group) for group in groups)


def _emphasised(group: Piece) -> str:
    core = group.markdown.strip()
    marker = ("**" if group.bold else "") + ("*" if group.italic else "")
    if not core or not marker:
        return group.markdown
    lead = group.markdown[: len(group.markdown) - len(group.markdown.lstrip())]
    trail = group.markdown[len(group.markdown.rstrip()) :]
    return f"{lead}{marker}{core}{marker[::-1]}{trail}"


class InlineReader:
    """Reads paragraphs one after another (complex fields can run on from one paragraph to the next)."""

    def __init__(self, sheet: StyleSheet, resources: PartResources, footnote_numbers: dict[str, str]) -> None:
        self.sheet = sheet
        self.resources = resources
        self.footnote_numbers = footnote_numbers
        self.fields: list[Field] = []
        self.inline = Inline()
        self.paragraph_style: str | None = None

    def read(self, paragraph: XmlElement) -> Inline:
        """The inline content of one <w:p>."""
        self.inline = Inline(inside_contents_field=any(f.kind == "TOC" for f in self.fields))
        self.paragraph_style = attr(child(child(paragraph, "w:pPr"), "w:pStyle"), "w:val")
        self._children(paragraph)
        for open_field in self.fields:
            if open_field.collected:
                self._close_link(open_field)
        # A field still in its instruction, or a page number still open, at the paragraph's end is broken
        # (no separate or end): dropped, or it would hide the rest of the document.
        self.fields = [f for f in self.fields if f.showing_result and f.kind not in _HIDDEN_FIELDS]
        return self.inline

    def _children(self, element: XmlElement, link: str | None = None) -> None:
        for item in element.iterchildren():
            name = local_name(item)
            if name == "r":
                self._run(item, link)
            elif name == "hyperlink":
                self._hyperlink(item)
            elif name == "fldSimple":
                self._simple_field(item, link)
            elif name == "bookmarkStart":
                self.inline.bookmarks.append(attr(item, "w:name") or "")
            elif name in ("ins", "smartTag", "customXml", "sdt", "sdtContent", "moveTo", "dir", "bdo"):
                self._children(item, link)
            elif name == "AlternateContent":
                self._children(item[0], link) if len(item) else None
            elif name in ("oMath", "oMathPara"):  # an equation ("1:8") kept as its plain characters
                shown = "".join(text.text or "" for text in item.iter(qn("m:t")))
                self._add(Piece(shown, escape_markdown(plain(shown)), False, False))

    def _hyperlink(self, element: XmlElement) -> None:
        relationship = attr(element, "r:id")
        anchor = attr(element, "w:anchor")
        target = self.resources.links.get(relationship or "", "")
        if anchor:
            target = f"{target}#{anchor}"
            self.inline.contents_links += anchor.startswith("_Toc")
        start = len(self.inline.pieces)
        self._children(element, target)
        self._wrap_link(start, target)

    def _wrap_link(self, start: int, target: str) -> None:
        inner = self.inline.pieces[start:]
        del self.inline.pieces[start:]
        raw = "".join(piece.raw for piece in inner)
        if not raw.strip():
            return
        text = escape_markdown(plain(raw).strip())
        bold = all(piece.bold for piece in inner if piece.raw.strip())
        markdown = f"[{text}]({_link_address(target)})" if target else text
        lead = " " if raw[:1].isspace() else ""
        trail = " " if raw[-1:].isspace() else ""
        self.inline.pieces.append(Piece(raw, f"{lead}{markdown}{trail}", bold, False))

    def _simple_field(self, element: XmlElement, link: str | None) -> None:
        instruction = attr(element, "w:instr") or ""
        kind = (instruction.split() or [""])[0].upper()
        if kind in _HIDDEN_FIELDS:
            return
        target = _field_link(instruction) if kind == "HYPERLINK" else None
        start = len(self.inline.pieces)
        self._children(element, link)
        if target is not None:
            self._wrap_link(start, target)

    def _run(self, run: XmlElement, link: str | None) -> None:
        properties = child(run, "w:rPr")
        bold, italic = self._formatting(properties)
        for item in run.iterchildren():
            name = local_name(item)
            if name == "fldChar":
                self._field_character(attr(item, "w:fldCharType") or "")
            elif name == "instrText" and self.fields and not self.fields[-1].showing_result:
                self.fields[-1].instruction += item.text or ""
            elif self._hidden():
                continue
            elif name in ("t", "tab", "noBreakHyphen", "sym", "cr", "br"):
                self._text(item, name, bold, italic)
            elif name in ("footnoteReference", "endnoteReference"):
                self._note(name, attr(item, "w:id") or "")
            elif name in ("drawing", "pict", "object"):
                self._pictures(item)
            elif name == "AlternateContent" and len(item):
                self._run(item[0], link) if local_name(item[0]) == "Choice" else None

    def _text(self, item: XmlElement, name: str, bold: bool, italic: bool) -> None:
        if name == "br" or name == "cr":
            if attr(item, "w:type") == "page":
                self.inline.page_break = True
                self._add(Piece(" ", " ", bold, italic))  # the words either side stay apart
                return
            self.inline.line_break = True
            self._add(Piece("\n", "\n", bold, italic))
            return
        text = {"tab": "\t", "noBreakHyphen": "-"}.get(name, item.text or "")
        if name == "sym":
            text = "•" if (attr(item, "w:char") or "").upper() in ("F0B7", "F0A7", "F0FC") else ""
        self._add(Piece(text, escape_markdown(plain(text)), bold, italic))

    def _add(self, piece: Piece) -> None:
        collecting = [f for f in self.fields if f.link is not None and f.showing_result]
        (collecting[-1].collected if collecting else self.inline.pieces).append(piece)

    def _note(self, name: str, note_id: str) -> None:
        key = ("e" if name.startswith("end") else "") + note_id
        number = self.footnote_numbers.setdefault(key, str(len(self.footnote_numbers) + 1))
        self._add(Piece("", f"[^{number}]", False, False))

    def _formatting(self, properties: XmlElement | None) -> tuple[bool, bool]:
        run_style = attr(child(properties, "w:rStyle"), "w:val")
        found = []
        for name, field_name in (("w:b", "bold"), ("w:i", "italic")):
            direct = switched_on(child(properties, name))
            by_run_style = self.sheet.first(run_style, field_name) if run_style else None
            by_paragraph = self.sheet.first(self.paragraph_style, field_name)
            found.append(next((v for v in (direct, by_run_style, by_paragraph) if v is not None), False))
        return found[0], found[1]

    def _field_character(self, kind: str) -> None:
        if kind == "begin":
            self.fields.append(Field())
        elif kind == "separate" and self.fields:
            current = self.fields[-1]
            current.showing_result = True
            current.link = _field_link(current.instruction) if current.kind == "HYPERLINK" else None
            self.inline.inside_contents_field |= current.kind == "TOC"
        elif kind == "end" and self.fields:
            ended = self.fields.pop()
            if ended.collected:
                self._close_link(ended)

    def _close_link(self, ended: Field) -> None:
        start = len(self.inline.pieces)
        self.inline.pieces.extend(ended.collected)
        ended.collected = []
        self.inline.contents_links += (ended.link or "").startswith("#_Toc")
        self._wrap_link(start, ended.link or "")

    def _hidden(self) -> bool:
        return any(not f.showing_result or f.kind in _HIDDEN_FIELDS for f in self.fields)

    def _pictures(self, element: XmlElement) -> None:
        self.inline.text_boxes += [box for box in element.iter(qn("w:txbxContent")) if not _inside_text_box(box)]
        alt = _alt_text(element)
        for blip in [*element.iter(qn("a:blip")), *element.iter(qn("v:imagedata"))]:
            picture = self._picture(blip, alt)
            self.inline.pictures += [picture] if picture else []
        for graphic in element.iter(qn("a:graphicData")):
            kind = _GRAPHIC_KINDS.get((graphic.get("uri") or "").rsplit("/", 1)[-1])
            if kind:  # a chart or diagram Word draws itself: no picture to keep, so it is reported
                self.inline.pictures.append(Picture(kind, b"", alt, kind))

    def _picture(self, blip: XmlElement, alt: str) -> Picture | None:
        """The picture a blip shows; one with no bytes (reported) when it is linked or its part is missing."""
        relationship = attr(blip, "r:embed") or attr(blip, "r:id") or ""
        linked = self.resources.linked_pictures.get(attr(blip, "r:link") or attr(blip, "r:href") or "")
        if relationship in self.resources.pictures:
            name, data, content_type = self.resources.pictures[relationship]
            return Picture(name, data, alt, content_type)
        if linked is not None:
            return Picture(linked, b"", alt, f"picture linked from outside the file ({linked})")
        return Picture(relationship, b"", alt, "missing from the Word file") if relationship else None


def _inside_text_box(box: XmlElement) -> bool:
    return any(local_name(ancestor) == "txbxContent" for ancestor in box.iterancestors())


def _alt_text(drawing: XmlElement) -> str:
    for properties in drawing.iter(qn("wp:docPr")):
        return (properties.get("descr") or properties.get("title") or "").strip()
    for shape in drawing.iter(qn("v:shape")):
        return (shape.get("alt") or "").strip()
    return ""


def _link_address(target: str) -> str:
    """An address safe inside Markdown's (…): spaces, brackets and control characters percent-encoded."""
    return _ADDRESS_UNSAFE.sub(lambda found: "".join(f"%{byte:02X}" for byte in found.group().encode()), target)


def _field_link(instruction: str) -> str:
    """The address of a HYPERLINK field: 'HYPERLINK "https://…"' or 'HYPERLINK \\l "anchor"'."""
    found = _HYPERLINK_FIELD.search(instruction)
    if not found:
        return ""
    address = (found.group(1) or found.group(2) or "").strip()
    return f"{address}#{found.group(3)}" if found.group(3) else address
