"""Page layout of every PDF of the built example, as poppler reads each page's lines and their places.

A printed policy has no near-empty pages: no page but the cover carries fewer than three lines, no
page but the last is less than a fifth full, no page ends with a heading, a heading is followed on
its page by at least two lines, a statutory reference is never alone on a page, and the running
header and footer are one line each. (A page before a flowchart that takes most of a page may be
part empty: the chart stays with its heading and introduction, and the text before them cannot move.)
"""

from __future__ import annotations

import re
import subprocess
import xml.etree.ElementTree as ET
from dataclasses import dataclass
from pathlib import Path

import pikepdf
import pytest

from test_pdf import link_annotation_tags

MM = 72 / 25.4
TOP, BOTTOM = 24 * MM, 297 * MM - 22 * MM  # the page margins of templates/pdf/print.css
XHTML = "{http://www.w3.org/1999/xhtml}"


@dataclass(frozen=True)
class Line:
    """One line of text as pdftotext -bbox-layout finds it, in points from the top of the page."""

    text: str
    top: float
    bottom: float


def page_lines(pdf: Path) -> list[list[Line]]:
    """Each page's lines, top to bottom (lines side by side, as in a table row, by their left edge)."""
    done = subprocess.run(["pdftotext", "-bbox-layout", str(pdf), "-"], capture_output=True, check=True)
    root = ET.fromstring(done.stdout)
    pages = []
    for page in root.iter(f"{XHTML}page"):
        lines = [(float(line.get("yMin", 0)), float(line.get("xMin", 0)), Line(
            " ".join(word.text or "" for word in line.iter(f"{XHTML}word")),
            float(line.get("yMin", 0)), float(line.get("yMax", 0)))) for line in page.iter(f"{XHTML}line")]
        pages.append([line for _, _, line in sorted(lines, key=lambda item: item[:2])])
    return pages


def body(lines: list[Line]) -> list[Line]:
    return [line for line in lines if line.top >= TOP and line.bottom <= BOTTOM]


def rows(lines: list[Line]) -> int:
    """How many lines of print: text side by side (a left and a right margin box) is one line."""
    return len({round(line.top) for line in lines})


def headings(pdf: Path) -> set[str]:
    """The PDF's headings, from its bookmarks (h1-h3), and the flowcharts' "steps in words" titles."""
    with pikepdf.open(pdf) as document, document.open_outline() as outline:
        found: set[str] = set()
        todo = list(outline.root)
        while todo:
            item = todo.pop()
            found.add(" ".join(item.title.split()))
            todo.extend(item.children)
    return found


@dataclass(frozen=True)
class Printed:
    """One PDF of the example: where it is, its pages' lines and its headings."""

    path: Path
    pages: list[list[Line]]
    headings: set[str]

    def __str__(self) -> str:
        return f"{self.path.parent.parent.name}/{self.path.name}"


@pytest.fixture(scope="module")
def printed(example_site: Path) -> list[Printed]:
    pdfs = sorted(example_site.glob("*/pdf/*.pdf"))
    assert len(pdfs) >= 20
    return [Printed(pdf, page_lines(pdf), headings(pdf)) for pdf in pdfs]


def ends_with_heading(lines: list[Line], titles: set[str], followed_by: int) -> str | None:
    """A heading whose last line is among the page's last `followed_by + 1` lines, if there is one."""
    texts = [line.text for line in lines]
    for end in range(len(texts), max(len(texts) - followed_by - 1, 0), -1):
        for start in range(max(end - 3, 0), end):  # a heading wraps to three lines at most
            joined = " ".join(texts[start:end])
            if joined in titles or joined.endswith(": the steps in words"):
                return joined
    return None


def test_no_page_but_the_cover_carries_a_lone_line(printed: list[Printed]) -> None:
    thin = [(str(pdf), number, [line.text for line in body(lines)])
            for pdf in printed for number, lines in enumerate(pdf.pages[1:], start=2) if rows(body(lines)) < 3]
    assert thin == [], thin


def test_no_page_but_the_last_is_less_than_a_fifth_full(printed: list[Printed]) -> None:
    empty = []
    for pdf in printed:
        for number, lines in enumerate(pdf.pages[1:-1], start=2):
            used = max(line.bottom for line in body(lines)) - TOP
            if used < (BOTTOM - TOP) / 5:
                empty.append((str(pdf), number, f"{used / (BOTTOM - TOP):.0%}"))
    assert empty == [], empty


def test_a_heading_is_followed_on_its_page_by_two_lines(printed: list[Printed]) -> None:
    stranded = []
    for pdf in printed:
        for number, lines in enumerate(pdf.pages, start=1):
            found = ends_with_heading(body(lines), pdf.headings, followed_by=1)
            if found:
                stranded.append((str(pdf), number, found))
    assert stranded == [], stranded


def test_no_statutory_reference_is_alone_on_a_page(printed: list[Printed]) -> None:
    alone = []
    for pdf in printed:
        start = next((n for n, lines in enumerate(pdf.pages)
                      if any(line.text == "Statutory references" for line in body(lines))), len(pdf.pages))
        items = [[line.text for line in body(lines) if re.match(r"\d+\. \S", line.text)]
                 for lines in pdf.pages[start:]]
        if sum(map(len, items)) > 1:
            alone += [(str(pdf), start + n, on_page) for n, on_page in enumerate(items, start=1) if len(on_page) == 1]
    assert alone == [], alone


def test_running_header_and_footer_are_one_line_each(printed: list[Printed]) -> None:
    wrapped = []
    for pdf in printed:
        for number, lines in enumerate(pdf.pages, start=1):
            header = [line for line in lines if line.bottom <= TOP]
            footer = [line for line in lines if line.top >= BOTTOM]
            if rows(footer) != 1 or (number > 1 and rows(header) != 1):
                wrapped.append((str(pdf), number, [line.text for line in header + footer]))
    assert wrapped == [], wrapped


def test_the_checks_see_what_they_look_for(printed: list[Printed]) -> None:
    """The checks above read real pages: headings are found, and the footer and header are where we look."""
    pdf = next(p for p in printed if str(p) == "hillcrest-primary/child-protection.pdf")
    assert {"Document control", "Key contacts", "Statutory references"} <= pdf.headings
    second = pdf.pages[1]
    assert [line.text for line in second if line.top >= BOTTOM][-1].endswith("Page 2 of " + str(len(pdf.pages)))
    assert any("Hillcrest Primary School" in line.text for line in second if line.bottom <= TOP)
    assert ends_with_heading([Line("Some text", 0, 0), Line("Key contacts", 0, 0)], pdf.headings, 1) == "Key contacts"


def test_every_link_of_every_pdf_is_tagged_as_a_link(printed: list[Printed]) -> None:
    """PDF/UA: each link annotation sits in a Link element (an element inside a link would add one that does not)."""
    untagged = [(str(pdf), tag) for pdf in printed for tag in link_annotation_tags(pdf.path.read_bytes())
                if tag != "/Link"]
    assert untagged == [], untagged
