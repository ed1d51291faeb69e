"""WordprocessingML names and the document's styles and numbering, read from lxml elements.

Only docx_reader.py opens the Word file; these helpers take the elements it hands them.
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from typing import Any

XmlElement = Any
"""An lxml element (lxml ships no type information)."""

NAMESPACES = {
    "w": "http://schemas.openxmlformats.org/wordprocessingml/2006/main",
    "r": "http://schemas.openxmlformats.org/officeDocument/2006/relationships",
    "a": "http://schemas.openxmlformats.org/drawingml/2006/main",
    "wp": "http://schemas.openxmlformats.org/drawingml/2006/wordprocessingDrawing",
    "v": "urn:schemas-microsoft-com:vml",
    "m": "http://schemas.openxmlformats.org/officeDocument/2006/math",
}


def qn(name: str) -> str:
    """'w:p' → '{namespace}p', the form lxml uses."""
    prefix, local = name.split(":")
    return f"{{{NAMESPACES[prefix]}}}{local}"


def local_name(element: XmlElement) -> str:
    """The tag without its namespace ('' for comments and processing instructions)."""
    tag = element.tag
    return tag.rsplit("}", 1)[-1] if isinstance(tag, str) else ""


def attr(element: XmlElement | None, name: str) -> str | None:
    """A prefixed attribute's value, e.g. attr(el, 'w:val')."""
    return None if element is None else element.get(qn(name))


def child(element: XmlElement | None, name: str) -> XmlElement | None:
    """The first child with this prefixed name, or None."""
    return None if element is None else element.find(qn(name))


def switched_on(element: XmlElement | None) -> bool | None:
    """A toggle property such as <w:b/> or <w:b w:val="0"/>: None when absent."""
    if element is None:
        return None
    return attr(element, "w:val") not in ("0", "false", "off", "none")


@dataclass(frozen=True)
class Style:
    """What the reader needs of one Word style."""

    name: str
    based_on: str | None
    bold: bool | None
    italic: bool | None
    outline: int | None
    """Heading level from the style's name or outline level (1 for Heading 1, 0 for Title)."""
    numbering: tuple[str, int] | None
    """(numId, ilvl) when the style numbers its paragraphs (List Bullet, List Number …)."""


_HEADING_NAME = re.compile(r"^heading ([1-9])$")


def read_style(element: XmlElement) -> Style:
    """One <w:style> as a Style."""
    name = attr(child(element, "w:name"), "w:val") or ""
    run = child(element, "w:rPr")
    paragraph = child(element, "w:pPr")
    return Style(
        name=name,
        based_on=attr(child(element, "w:basedOn"), "w:val"),
        bold=switched_on(child(run, "w:b")),
        italic=switched_on(child(run, "w:i")),
        outline=_outline(name, paragraph),
        numbering=numbering_of(paragraph),
    )


def _outline(name: str, paragraph: XmlElement | None) -> int | None:
    lower = name.strip().lower()
    if lower in ("title",):
        return 0
    found = _HEADING_NAME.match(lower)
    if found:
        return int(found.group(1))
    level = attr(child(paragraph, "w:outlineLvl"), "w:val")
    return int(level) + 1 if level is not None and level.isdigit() and int(level) < 6 else None


def numbering_of(paragraph_properties: XmlElement | None) -> tuple[str, int] | None:
    """(numId, ilvl) of a <w:pPr> or style's <w:pPr> with <w:numPr>, else None."""
    numbering = child(paragraph_properties, "w:numPr")
    if numbering is None:
        return None
    number_id = attr(child(numbering, "w:numId"), "w:val")
    level = attr(child(numbering, "w:ilvl"), "w:val") or "0"
    return (number_id or "", int(level) if level.isdigit() else 0)


class StyleSheet:
    """The styles and numbering definitions of one document, with inheritance (basedOn) resolved."""

    def __init__(self, styles: XmlElement | None, numbering: XmlElement | None) -> None:
        self.styles: dict[str, Style] = {}
        self.default_paragraph = ""
        for element in [] if styles is None else styles.iter(qn("w:style")):
            style_id = attr(element, "w:styleId") or ""
            self.styles[style_id] = read_style(element)
            if attr(element, "w:type") == "paragraph" and attr(element, "w:default") in ("1", "true"):
                self.default_paragraph = style_id
        self.formats = _numbering_formats(numbering)

    def chain(self, style_id: str | None) -> list[Style]:
        """The style and those it is based on, nearest first (at most 20: a loop is cut)."""
        found: list[Style] = []
        current = style_id if style_id is not None else self.default_paragraph
        while current in self.styles and len(found) < 20:
            style = self.styles[current]
            found.append(style)
            current = style.based_on or ""
        return found

    def first(self, style_id: str | None, field: str) -> Any:
        """The nearest defined value of a Style field along the chain, or None."""
        for style in self.chain(style_id):
            value = getattr(style, field)
            if value is not None:
                return value
        return None

    def name(self, style_id: str | None) -> str:
        chain = self.chain(style_id)
        return chain[0].name if chain else ""

    def number_format(self, number_id: str, level: int) -> tuple[str, str]:
        """(numFmt, lvlText) of a list level, ('bullet', '') when unknown."""
        return self.formats.get((number_id, level), ("bullet", ""))


def _numbering_formats(numbering: XmlElement | None) -> dict[tuple[str, int], tuple[str, str]]:
    if numbering is None:
        return {}
    abstract: dict[str, dict[int, tuple[str, str]]] = {}
    for definition in numbering.iter(qn("w:abstractNum")):
        levels = abstract.setdefault(attr(definition, "w:abstractNumId") or "", {})
        for level in definition.iter(qn("w:lvl")):
            ilvl = attr(level, "w:ilvl") or "0"
            number_format = attr(child(level, "w:numFmt"), "w:val") or "decimal"
            levels[int(ilvl) if ilvl.isdigit() else 0] = (number_format, attr(child(level, "w:lvlText"), "w:val") or "")
    formats: dict[tuple[str, int], tuple[str, str]] = {}
    for instance in numbering.iter(qn("w:num")):
        abstract_id = attr(child(instance, "w:abstractNumId"), "w:val") or ""
        for depth, value in abstract.get(abstract_id, {}).items():
            formats[(attr(instance, "w:numId") or "", depth)] = value
    return formats
