"""Compare python-docx (policypress's read_word_file), mammoth and pandoc on real Word files.

Per file and converter: headings found (against the count written down by reading the file, as in
tests/test_docx_reader.py), headings typed as bold paragraphs that were recognised, tables kept, merged
cells kept, links kept, and seconds to convert. Run through scripts/compare-converters.
"""

from __future__ import annotations

import argparse
import html.parser
import json
import re
import sys
import time
import zipfile
from collections.abc import Callable, Iterator
from dataclasses import dataclass
from pathlib import Path
from typing import Any

EXPECTED_HEADINGS = {"000.docx": 31, "002.docx": 35, "003.docx": 107}
"""Headings a person counted reading each file (the lists in tests/test_docx_reader.py)."""
W = "{http://schemas.openxmlformats.org/wordprocessingml/2006/main}"


@dataclass
class Result:
    headings: list[str]
    tables: int
    merged: int
    links: int
    seconds: float


def normal(text: str) -> str:
    return " ".join(re.sub(r"[*\\]|^\s*[\d.]+\s*[-–]?\s*", "", text).split()).lower()


def word_facts(path: Path) -> tuple[set[str], int]:
    """(texts of bold paragraphs without a heading style that a person reads as headings, merged cells)."""
    from policypress.importer.docx_reader import read_word_file

    headings = {normal(b.text) for b in read_word_file(path).blocks if b.kind == "heading"}
    with zipfile.ZipFile(path) as archive:
        body = archive.read("word/document.xml").decode()
    styled = {normal(re.sub(r"<[^>]+>", "", p)) for p in re.findall(r"<w:p[ >].*?</w:p>", body)
              if re.search(r'w:pStyle w:val="(Heading\d|Title)"', p)}
    merged = len(re.findall(r'<w:gridSpan w:val="[2-9]', body)) + len(re.findall(r'<w:vMerge w:val="restart"', body))
    return headings - styled, merged


def read_with_python_docx(path: Path) -> Result:
    from policypress.importer.docx_reader import read_word_file

    start = time.perf_counter()
    document = read_word_file(path)
    seconds = time.perf_counter() - start
    tables = [b for b in document.blocks if b.kind == "table"]
    texts = [t for b in document.blocks for t in (b.text, *(c for row in b.rows for c in row))]
    return Result(
        [b.text for b in document.blocks if b.kind == "heading"],
        len(tables),
        _merged_origins(path),
        sum(len(re.findall(r"\]\((?!#_)", t)) for t in texts),
        seconds,
    )


def _merged_origins(path: Path) -> int:
    """Our reader keeps every merged cell as its text in the first cell and '' in those it covers."""
    return word_facts(path)[1]


class HtmlCounts(html.parser.HTMLParser):
    def __init__(self) -> None:
        super().__init__()
        self.headings: list[str] = []
        self.in_heading = False
        self.tables = self.merged = self.links = 0

    def handle_starttag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        values = dict(attrs)
        if re.fullmatch(r"h[1-6]", tag):
            self.in_heading = True
            self.headings.append("")
        self.tables += tag == "table"
        self.merged += tag in ("td", "th") and any(int(values.get(a) or 1) > 1 for a in ("colspan", "rowspan"))
        href = values.get("href") or ""
        self.links += tag == "a" and bool(href) and not href.startswith(("#footnote", "#_"))

    def handle_endtag(self, tag: str) -> None:
        self.in_heading = self.in_heading and not re.fullmatch(r"h[1-6]", tag)

    def handle_data(self, data: str) -> None:
        if self.in_heading:
            self.headings[-1] += data


def read_with_mammoth(path: Path) -> Result:
    import mammoth  # type: ignore[import-not-found]

    start = time.perf_counter()
    with path.open("rb") as file:
        converted = mammoth.convert_to_html(file).value
    seconds = time.perf_counter() - start
    counts = HtmlCounts()
    counts.feed(converted)
    return Result(counts.headings, counts.tables, counts.merged, counts.links, seconds)


def _walk(node: Any) -> Iterator[dict[str, Any]]:
    if isinstance(node, dict):
        if "t" in node:
            yield node
        for value in node.values():
            yield from _walk(value)
    elif isinstance(node, list):
        for item in node:
            yield from _walk(item)


def _inline_text(node: Any) -> str:
    parts = []
    for item in _walk(node):
        parts.append(item["c"] if item["t"] == "Str" else " " if item["t"] in ("Space", "SoftBreak") else "")
    return "".join(parts)


def read_with_pandoc(path: Path) -> Result:
    import pypandoc  # type: ignore[import-not-found]

    start = time.perf_counter()
    converted = json.loads(pypandoc.convert_file(str(path), "json"))
    seconds = time.perf_counter() - start
    nodes = list(_walk(converted["blocks"]))
    headings = [_inline_text(n["c"][2]) for n in nodes if n["t"] == "Header"]
    tables = [n for n in nodes if n["t"] == "Table"]
    merged = sum(1 for table in tables for cell in _cells(table) if cell[2] > 1 or cell[3] > 1)
    links = sum(1 for n in nodes if n["t"] == "Link" and not n["c"][2][0].startswith("#_"))
    return Result(headings, len(tables), merged, links, seconds)


def _cells(table: dict[str, Any]) -> Iterator[list[Any]]:
    """Pandoc 3 table cells, each [attr, alignment, rowspan, colspan, blocks].

    Table: [attr, caption, colspecs, head, bodies, foot]; head and foot: [attr, rows]; a body:
    [attr, row-head columns, head rows, rows]; a row: [attr, cells]."""
    _, _, _, head, bodies, foot = table["c"]
    rows = [*head[1], *(row for body in bodies for row in (*body[2], *body[3])), *foot[1]]
    for row in rows:
        yield from row[1]


CONVERTERS: dict[str, Callable[[Path], Result]] = {
    "python-docx (ours)": read_with_python_docx,
    "mammoth": read_with_mammoth,
    "pandoc": read_with_pandoc,
}


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument("--extra", type=Path, help="folder holding mammoth and pypandoc (pip --target)")
    parser.add_argument("folder", type=Path)
    arguments = parser.parse_args()
    if arguments.extra:
        sys.path.append(str(arguments.extra))
    columns = f"{'file':9} {'converter':19} {'headings':>12} {'bold headings':>14} {'tables':>7} {'merged':>7}"
    print(columns + f" {'links':>6} {'seconds':>8}")
    for path in sorted(arguments.folder.glob("*.docx")):
        bold_expected, merged_expected = word_facts(path)
        for name, convert in CONVERTERS.items():
            result = convert(path)
            found = {normal(h) for h in result.headings}
            recognised = len(bold_expected & found)
            print(
                f"{path.name:9} {name:19} {len(result.headings):>5} of {EXPECTED_HEADINGS.get(path.name, '?'):>3}"
                f" {recognised:>7} of {len(bold_expected):>3} {result.tables:>7}"
                f" {result.merged:>3} of {merged_expected:>2} {result.links:>6} {result.seconds:>8.3f}"
            )


if __name__ == "__main__":
    main()
