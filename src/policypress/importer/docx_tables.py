"""A Word table as rows of inline-Markdown cells: merged cells, a header row, nested tables flattened."""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass

from policypress.importer.docx_inline import Inline
from policypress.importer.docx_xml import XmlElement, attr, child, local_name, qn

MAX_COLUMNS = 63
_WRAPPERS = ("sdt", "sdtContent", "customXml", "ins", "moveTo")
ReadParagraph = Callable[[XmlElement], Inline]


@dataclass(frozen=True)
class TableContent:
    """What a table holds, ready for a table Block."""

    rows: tuple[tuple[str, ...], ...]
    header: bool
    pictures: tuple[Inline, ...]
    """The paragraphs in its cells that hold pictures (kept as picture blocks after the table)."""


def read_table(table: XmlElement, read_paragraph: ReadParagraph) -> TableContent:
    """Rows of cells; a merged cell's text in its first cell and '' in the cells it covers."""
    rows: list[tuple[str, ...]] = []
    bold_rows: list[bool] = []
    with_pictures: list[Inline] = []
    for row in _wrapped(table, "tr"):
        cells: list[str] = []
        bold = True
        for cell in _wrapped(row, "tc"):
            inlines = [read_paragraph(p) for p in _cell_paragraphs(cell)]
            with_pictures += [inline for inline in inlines if inline.pictures]
            texts = [inline.markdown().replace("\n", "<br>").strip() for inline in inlines]
            bold &= all(inline.all_bold for inline in inlines if inline.text.strip())
            merged_from_above = _merge(cell) == "continue"
            cells.append("" if merged_from_above else "<br>".join(text for text in texts if text))
            cells += [""] * (_span(cell) - 1)
        rows.append(tuple(cells))
        bold_rows.append(bold and any(cells))
    width = max((len(row) for row in rows), default=0)
    padded = tuple(row + ("",) * (width - len(row)) for row in rows)
    return TableContent(padded, _has_header(table, bold_rows), tuple(with_pictures))


def _wrapped(element: XmlElement, name: str) -> list[XmlElement]:
    """The rows of a table (or cells of a row), those inside content controls and tracked insertions included."""
    found: list[XmlElement] = []
    for item in element.iterchildren():
        kind = local_name(item)
        if kind == name:
            found.append(item)
        elif kind in _WRAPPERS:
            found += _wrapped(item, name)
    return found


def _cell_paragraphs(cell: XmlElement) -> list[XmlElement]:
    """The cell's paragraphs in order, those of nested tables and text boxes included (their text flattened
    in), those of an alternate content's fallback left out (its first choice is read)."""
    return [p for p in cell.iter(qn("w:p")) if not any(local_name(a) == "Fallback" for a in p.iterancestors())]


def _span(cell: XmlElement) -> int:
    """The columns a cell spans (at most Word's 63: a larger number is a damaged file, not a wider table)."""
    value = attr(child(child(cell, "w:tcPr"), "w:gridSpan"), "w:val") or "1"
    return max(1, min(MAX_COLUMNS, int(value))) if value.isdigit() else 1


def _merge(cell: XmlElement) -> str:
    merge = child(child(cell, "w:tcPr"), "w:vMerge")
    if merge is None:
        return ""
    return "restart" if attr(merge, "w:val") == "restart" else "continue"


def _has_header(table: XmlElement, bold_rows: list[bool]) -> bool:
    first = table.find(qn("w:tr"))
    if first is not None and child(child(first, "w:trPr"), "w:tblHeader") is not None:
        return True
    return len(bold_rows) > 1 and bold_rows[0] and not all(bold_rows)
