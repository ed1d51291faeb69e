"""The body of a Word file as blocks: headings (styled, bold or numbered paragraphs), list items (Word's
numbering and typed bullets), paragraphs, tables and pictures; contents lists, page breaks, empty
paragraphs and bookmarks set aside with their place."""

from __future__ import annotations

import re
from dataclasses import dataclass, field

from policypress.importer.document import Block, BlockKind, Place
from policypress.importer.docx_draft import Draft, HeadingKind
from policypress.importer.docx_headings import fix_levels, heading_like, split_number
from policypress.importer.docx_inline import Inline, InlineReader, escape_markdown, plain
from policypress.importer.docx_tables import read_table
from policypress.importer.docx_xml import StyleSheet, XmlElement, attr, child, local_name, numbering_of, qn

_TYPED_BULLET = re.compile(r"^\s*([•·▪◦■●○➢➤✓\-–]|o(?=[ \t]))[ \t\u00a0]*(?=\S)")
_TYPED_NUMBER = re.compile(r"^\s*(\d{1,2}(?:\.\d{1,2})*)([.)])?[ \t\u00a0]+(?=\S)")
_CONTENTS_TITLES = {"contents", "table of contents", "contents page", "content"}
_CONTENTS_LINE = re.compile(r"\t\s*\d*\s*$")
_TOC_STYLE = re.compile(r"^(toc \d|toc heading|table of figures|contents \d)$", re.IGNORECASE)


@dataclass
class BodyReader:
    """Walks <w:body> in reading order."""

    sheet: StyleSheet
    inline: InlineReader
    drafts: list[Draft] = field(default_factory=list)
    removed: list[tuple[str, int, str]] = field(default_factory=list)
    in_contents: bool = False
    previous_style: str = ""

    def read(self, body: XmlElement) -> tuple[list[Block], list[tuple[str, Place]]]:
        self._container(body)
        return self._settled()

    def _container(self, element: XmlElement) -> None:
        for item in element.iterchildren():
            name = local_name(item)
            if name == "p":
                self._paragraph(item)
            elif name == "tbl":
                self._table(item)
            elif name == "sdt":
                self._content_control(item)
            elif name == "altChunk":  # another file's content merged in by Word when it opens: not read
                self._set_aside("embedded document (altChunk), not imported", "")
            elif name in ("customXml", "sdtContent", "ins", "moveTo"):
                self._container(item)

    def _content_control(self, element: XmlElement) -> None:
        gallery = element.find(f".//{qn('w:docPartGallery')}")
        if gallery is not None and "contents" in (attr(gallery, "w:val") or "").lower():
            self._set_aside("contents list", "".join(element.itertext())[:80])
            return
        content = child(element, "w:sdtContent")
        if content is not None:
            self._container(content)

    def _set_aside(self, what: str, context: str) -> None:
        self.removed.append((what, len(self.drafts), " ".join(plain(context).split())[:80]))

    def _table(self, table: XmlElement) -> None:
        self.in_contents = False
        content = read_table(table, self.inline.read)
        context = " | ".join(cell for cell in content.rows[0] if cell)[:80] if content.rows else ""
        self.drafts.append(Draft("table", "", context, rows=content.rows, header=content.header))
        for inline in content.pictures:
            self._pictures(inline)

    def _paragraph(self, paragraph: XmlElement) -> None:
        properties = child(paragraph, "w:pPr")
        style = attr(child(properties, "w:pStyle"), "w:val")
        inline = self.inline.read(paragraph)
        text = inline.text
        self._note_breaks(inline, properties, text)
        if self._contents_entry(inline, self.sheet.name(style), text):
            self._set_aside("contents list", text)
        elif not text.strip():
            self._pictures(inline) if inline.pictures else self._set_aside("empty paragraph", "")
        else:
            self._classify(inline, properties, style)
            self._pictures(inline)
        self.previous_style = self.sheet.name(style).lower()
        for box in inline.text_boxes:
            self._container(box)  # a text box's paragraphs follow the paragraph it is anchored in

    def _note_breaks(self, inline: Inline, properties: XmlElement | None, text: str) -> None:
        if inline.page_break or child(properties, "w:pageBreakBefore") is not None:
            self._set_aside("page break", text)
        for bookmark in inline.bookmarks:
            if bookmark and bookmark != "_GoBack":
                self._set_aside(f"bookmark {bookmark}", text)

    def _contents_entry(self, inline: Inline, style_name: str, text: str) -> bool:
        if _TOC_STYLE.match(style_name.strip()) or inline.inside_contents_field:
            return True
        if (inline.contents_links and _CONTENTS_LINE.search(text.rstrip(" "))) or inline.contents_links > 1:
            return True
        if " ".join(text.split()).lower().rstrip(":") in _CONTENTS_TITLES:
            self.in_contents = True
            return True
        if self.in_contents and text.strip():
            self.in_contents = bool(_CONTENTS_LINE.search(text.rstrip(" ")))
        return self.in_contents

    def _pictures(self, inline: Inline) -> None:
        for picture in inline.pictures:
            self.drafts.append(Draft("picture", "", picture.alt or picture.name, picture=picture))

    def _classify(self, inline: Inline, properties: XmlElement | None, style: str | None) -> None:
        outline = self.sheet.first(style, "outline")
        numbering = numbering_of(properties) or self.sheet.first(style, "numbering")
        if numbering is not None and numbering[0] in ("0", ""):
            numbering = None
        text = " ".join(plain(inline.text).split())
        bullet = _TYPED_BULLET.match(inline.text)
        if outline is not None:
            self._heading(inline, "title" if outline == 0 else "style", outline)
        elif bullet:
            self._typed_bullet(inline, properties, len(bullet.group(0)))
        elif numbering is not None:
            self._list_item(inline, numbering[1], self._ordered(numbering), "")
        elif (typed := _TYPED_NUMBER.match(inline.text)) and (typed.group(2) or "." in typed.group(1)):
            self._typed_number(inline, typed)
        elif heading_like(text, inline.all_bold, inline.line_break, self.previous_style):
            self._heading(inline, "bold", 0)
        else:
            self._add("paragraph", inline, 0)

    def _ordered(self, numbering: tuple[str, int]) -> bool:
        return self.sheet.number_format(*numbering)[0] not in ("bullet", "none")

    def _heading(self, inline: Inline, kind: HeadingKind, raw_level: int) -> None:
        number, skip = split_number(inline.text)
        _drop_prefix(inline, skip)
        draft = self._add("heading", inline, raw_level, formatting=False)
        draft.heading_kind, draft.number = kind, number
        draft.text = draft.text.replace("<br>", " ")

    def _typed_bullet(self, inline: Inline, properties: XmlElement | None, skip: int) -> None:
        _drop_prefix(inline, skip)
        left = attr(child(properties, "w:ind"), "w:left") or attr(child(properties, "w:ind"), "w:start") or "0"
        indent = int(left) if left.lstrip("-").isdigit() else 0
        draft = self._list_item(inline, max(0, min(3, (indent - 360) // 720)), False, "")
        text = " ".join(plain(inline.text).split())
        draft.bold_bullet = heading_like(text, inline.all_bold, inline.line_break, "")

    def _typed_number(self, inline: Inline, typed: re.Match[str]) -> None:
        number = typed.group(1) + (typed.group(2) or "")
        rest = " ".join(plain(inline.text[typed.end() :]).split())
        parts = number.count(".") + 1 - number.endswith(".")
        if heading_like(rest, inline.all_bold or parts > 1, inline.line_break, self.previous_style):
            _drop_prefix(inline, typed.end())
            draft = self._add("heading", inline, parts, formatting=False)
            draft.heading_kind, draft.number = "numbered", number
            return
        _drop_prefix(inline, typed.end())
        self._list_item(inline, parts - 1, True, number)

    def _list_item(self, inline: Inline, level: int, ordered: bool, number: str) -> Draft:
        bullet = _TYPED_BULLET.match(inline.text)
        if bullet:
            _drop_prefix(inline, len(bullet.group(0)))
        draft = self._add("list_item", inline, level)
        draft.ordered, draft.number = ordered, number
        return draft

    def _add(self, kind: BlockKind, inline: Inline, level: int, formatting: bool = True) -> Draft:
        markdown = " ".join(inline.markdown(formatting).replace("\n", "<br>").split(" "))
        markdown = re.sub(r" {2,}", " ", markdown).strip()
        markdown = re.sub(r"^(\s*(?:<br>\s*)*)", "", markdown)
        draft = Draft(kind, _protect_start(markdown), " ".join(plain(inline.text).split())[:80], level=level)
        self.drafts.append(draft)
        return draft

    def _settled(self) -> tuple[list[Block], list[tuple[str, Place]]]:
        for index, draft in enumerate(self.drafts):
            following = self.drafts[index + 1] if index + 1 < len(self.drafts) else None
            if draft.bold_bullet and (following is None or following.kind == "paragraph"):
                draft.kind, draft.heading_kind, draft.text = "heading", "bullet", _unbold(draft.text)
        fix_levels(self.drafts)
        headings: list[str] = []
        blocks = []
        for index, draft in enumerate(self.drafts):
            if draft.kind == "heading":
                headings.append(draft.context)
            place = Place(index + 1, headings[-1] if headings else "", draft.context)
            blocks.append(_block(draft, place))
        removed = [(what, _place_before(self.drafts, at, context)) for what, at, context in self.removed]
        return blocks, removed


def _protect_start(markdown: str) -> str:
    """Escape what Markdown would read as a heading, list or quotation at the start of a line."""
    if markdown[:1] in "#+-=>":
        return "\\" + markdown
    if markdown.startswith(("!!!", ":")):  # an admonition or a definition, in the site's Markdown dialect
        return f"&#{ord(markdown[0])};{markdown[1:]}"
    return re.sub(r"^(\d+)([.)])(\s)", r"\1\\\2\3", markdown)


def _unbold(markdown: str) -> str:
    return markdown[2:-2] if markdown.startswith("**") and markdown.endswith("**") else markdown


def _block(draft: Draft, place: Place) -> Block:
    return Block(
        draft.kind, draft.text, place, draft.level, draft.ordered, draft.number, draft.rows, draft.header, draft.picture
    )


def _place_before(drafts: list[Draft], at: int, context: str) -> Place:
    heading = next((d.context for d in reversed(drafts[:at]) if d.kind == "heading"), "")
    return Place(at + 1, heading, context)


def _drop_prefix(inline: Inline, count: int) -> None:
    """Remove the first `count` characters of the paragraph's text (a typed number or bullet)."""
    while count > 0 and inline.pieces:
        piece = inline.pieces[0]
        if len(piece.raw) <= count:
            count -= len(piece.raw)
            inline.pieces.pop(0)
            continue
        if piece.markdown == escape_markdown(plain(piece.raw)):
            piece.raw = piece.raw[count:]
            piece.markdown = escape_markdown(plain(piece.raw))
        count = 0
