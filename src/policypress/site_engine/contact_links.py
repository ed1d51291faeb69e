"""Phone numbers and email addresses in text become `tel:` and `mailto:` links, in one tap.

A Python-Markdown extension of the dialect (dialect.py): the site (MkDocs loads it by this
module's name) and the PDF read every policy through it. It runs after Markdown has made its
own links, so it never touches a link, code, a heading or raw HTML written as a block (kept as
written); it only adds links made from plain text, so the escaping promises hold: a fact is
still text, and an address is built from the digits or the characters of an email address only.

What counts as a phone number (UK numbers, as written in policies):
- a number from its leading 0 in the groups people write: 020 7946 0302, 0121 496 0000,
  0800 028 0285, 01632 960100, 01632 960 100, 0800 123456, 01697 12345, or all ten or eleven
  digits together; the area code may be in brackets, (020) 7946 0302; +44 forms (+44 20 7946 0302,
  +44 (0)20 7946 0302); and the 8-digit 0800 1111 (Childline);
- 999 where it stands alone as a number (not "section 999", "£999", "999 days", "999-1000");
- the other short numbers (101, 111, 112, 105, 119, 116 123) only where the words say a call:
  "call 101", "ring the police on 101", "NHS 111", "the non-emergency number (101)", right
  after another number ("999 / 101", "999 or 101"), or alone in a table column whose heading
  says phone, telephone, number or call.
Years, dates, times, section numbers, money, postcodes and other digits never match: they do
not start with 0 in these groups, or they are short numbers without such words.

Email addresses (name@example.org) and web addresses written as text (https://…, www.…) may
break only at `@`, `.` and `/`: a `<wbr>` after `@` and `/`, before `.` (in an email, only the
dots after its `@`: "o.griffiths@" is a name and stays whole). The text of an
existing link that is an address gets the same. A web address written as text is not made
into a link: `policypress check links` checks only the links that the source writes.
"""

from __future__ import annotations

import re
import xml.etree.ElementTree as ET
from dataclasses import dataclass

import markdown
from markdown.extensions import Extension
from markdown.treeprocessors import Treeprocessor
from markdown.util import HTML_PLACEHOLDER_RE

SEP = r"[ \u00a0-]"
SPACE = r"[ \u00a0]"
# The groups after the area code, by the area code's length without its 0.
SHAPES = [(2, [rf"{SEP}\d{{4}}{SEP}\d{{4}}"]),
          (3, [rf"{SEP}\d{{3}}{SEP}\d{{4}}", rf"{SEP}\d{{6}}", rf"{SEP}\d{{3}}{SEP}\d{{3}}"]),
          (4, [rf"{SEP}\d{{6}}", rf"{SEP}\d{{3}}{SEP}\d{{3}}", rf"{SEP}\d{{5}}"])]


def _lead(area: str) -> str:
    """The area code as written: 020, (020), +44 20, +44 (0)20."""
    return rf"(?:0{area}|\(0{area}\)|\+44{SPACE}?(?:\(0\){SPACE}?)?{area})"


def _long_number() -> str:
    shapes = [_lead(rf"[1-9]\d{{{n - 1}}}") + rest for n, rests in SHAPES for rest in rests]
    shapes.append(_lead("80[08]") + rf"{SPACE}(?:\d{{4}}|\d\d{SPACE}\d\d)")  # 0800 1111, 0800 11 11
    shapes.append(r"(?:0|\+44)[1-9]\d{8,9}")  # written without spaces
    return "|".join(shapes)


NOT_BEFORE = r"(?<![\w@£$€#.,/+&-])"
NOT_AFTER = r"(?![\w%@]|[.,/:]\d|\s?[-–]\s?\d)"
FINDER = re.compile(
    r"(?P<email>(?<![\w.+%/:@-])[A-Za-z0-9][A-Za-z0-9._%+-]*@[A-Za-z0-9](?:[A-Za-z0-9-]*[A-Za-z0-9])?"
    r"(?:\.[A-Za-z0-9](?:[A-Za-z0-9-]*[A-Za-z0-9])?)*\.[A-Za-z]{2,}(?![\w@-]|\.[A-Za-z0-9]))"
    r"|(?P<web>(?<![\w@/.-])(?:https?://|www\.)[^\s<>\"'\x02\x03]*[^\s<>\"'.,;:!?)\]\x02\x03])"
    rf"|(?P<phone>{NOT_BEFORE}(?:{_long_number()}){NOT_AFTER})"
    rf"|(?P<short>{NOT_BEFORE}(?:999|1(?:0[15]|1[129])|116{SPACE}?\d{{3}}){NOT_AFTER})"
)
# Words after which a short number is a reference or a quantity, not a phone number.
REFERENCE_BEFORE = re.compile(
    r"\b(?:sections?|s|pages?|pp?|paragraphs?|paras?|regulations?|regs?|schedules?|parts?|chapters?|"
    r"clauses?|articles?|annex|appendix|years?|versions?|rooms?|urn|no|nos|ref|reference|items?|steps?|"
    r"questions?|levels?)\.?\s*$", re.IGNORECASE)
QUANTITY_AFTER = re.compile(
    r"^\s*(?:years?|months?|weeks?|days?|hours?|minutes?|pupils?|children|people|pounds|times|per\s?cent)\b",
    re.IGNORECASE)
# A short number after words that say a call: "call 101", "ring the police on 101", "NHS 111".
CALL_BEFORE = re.compile(
    r"\b(?:call|ring|phone|dial|telephone|tel|text|nhs|police)\w*\.?"
    r"(?:(?:\s+[\w'\u2019-]+){0,4}?\s*(?:\bon\b|:|\(|\bnumber\b|\bline\b))?\s*$", re.IGNORECASE)
# Between two numbers of one list: "999 / 101", "999 or 101", "999, 101".
JOINER = re.compile(r"^[\s/,&()]*(?:\b(?:or|and)\b)?[\s/,&(]*$", re.IGNORECASE)
PHONE_HEADING = re.compile(r"\b(?:phone|telephone|tel|numbers?|call)\b", re.IGNORECASE)
# Inline raw HTML inside which nothing is linked: links, code, headings.
SKIPPED_TAGS = frozenset({"a", "code", "pre", "kbd", "samp", "script", "style", "h1", "h2", "h3", "h4",
                          "h5", "h6", "svg", "math"})
BLOCKS = frozenset({"p", "li", "td", "th", "dd", "dt", "div", "blockquote", "h1", "h2", "h3", "h4", "h5",
                    "h6", "pre", "table", "tr", "ul", "ol", "dl", "details", "summary", "figure", "figcaption"})
RAW_TAG = re.compile(r"^<(/?)([A-Za-z][A-Za-z0-9]*)\b[^>]*?(/?)>$")
BREAK_AT = re.compile(r"(?<=[@/])(?!/)|(?<=.)(?=\.)")
ADDRESS = re.compile(r"^(?:[^\s@]+@[^\s@]+\.[^\s@]+|(?:https?://|www\.)\S+)$")


@dataclass(frozen=True)
class Found:
    """A phone number or address found in text: text[start:end], and its link (None: only breakable)."""

    start: int
    end: int
    href: str | None


def tel_href(number: str) -> str:
    """tel: and the digits (a leading + kept; the 0 of '+44 (0)20' dropped)."""
    number = number.replace("(0)", "")
    return "tel:" + ("+" if number.startswith("+") else "") + re.sub(r"\D", "", number)


def find_contacts(text: str, before: str = "", phone_column: bool = False) -> list[Found]:
    """Every phone number and address in text, in order. `before`: the text that leads up to it in
    the same block (for the words that make 101 a phone number); `phone_column`: the text is a
    table cell under a heading that says phone or number."""
    found: list[Found] = []
    last_number = None
    for match in FINDER.finditer(text):
        kind = match.lastgroup
        lead = before + text[:match.start()]
        if kind == "email":
            found.append(Found(match.start(), match.end(), "mailto:" + match.group()))
        elif kind == "web":
            found.append(Found(match.start(), match.end(), None))
        elif _is_phone(match, lead, text, last_number, phone_column):
            found.append(Found(match.start(), match.end(), tel_href(match.group())))
            last_number = len(lead) + len(match.group())
    return found


def _is_phone(match: re.Match[str], lead: str, text: str, last_number: int | None, phone_column: bool) -> bool:
    if match.lastgroup == "phone":
        return True
    if REFERENCE_BEFORE.search(lead) or QUANTITY_AFTER.match(text[match.end():]):
        return False
    if match.group() == "999":
        return True
    after_a_number = last_number is not None and bool(JOINER.match(lead[last_number:]))
    alone = phone_column and not re.sub(r"[\d\s/,()]|\bor\b|\band\b", "", text)
    return after_a_number or alone or bool(CALL_BEFORE.search(lead[-80:]))


def breakable(text: str) -> list[str]:
    """An address in pieces between which a line may break: after @ and /, before a dot; an email
    breaks only after its @ and before the dots of its domain ("o.griffiths@" stays whole)."""
    if "@" in text and "/" not in text:
        local, _, domain = text.rpartition("@")
        return [f"{local}@", *(piece for piece in BREAK_AT.split(domain) if piece)]
    return [piece for piece in BREAK_AT.split(text) if piece]


class ContactLinks(Treeprocessor):
    """Walks the page in reading order and links what find_contacts finds in plain text."""

    def run(self, root: ET.Element) -> None:
        self.raw_skips = 0  # open raw HTML tags (<a>, <code>…) inside which nothing is linked
        self.block_text = ""  # the text of the current block so far: what leads up to a number
        self.phone_cells: set[int] = set()
        self._walk(root, linking=True)

    def _walk(self, element: ET.Element, linking: bool) -> None:
        if element.tag in BLOCKS:
            self.block_text = ""
        if element.tag == "table":
            self._note_phone_columns(element)
        own = linking and element.tag not in SKIPPED_TAGS
        if element.tag == "a" and not len(element):
            _break_link_text(element)
        phone_cell = id(element) in self.phone_cells
        children = list(element)  # before any link is added: what is added is not walked again
        if element.text:
            element.text = self._linked(element, None, element.text, own, phone_cell)
        for child in children:
            self._walk(child, own)
            if child.tail:
                child.tail = self._linked(element, child, child.tail, own, phone_cell)

    def _linked(self, parent: ET.Element, after: ET.Element | None, text: str, linking: bool,
                phone_cell: bool) -> str:
        """Link what the text holds; new elements go into parent after `after` (None: first).
        Returns the text that stays where it was."""
        parts: list[str | ET.Element] = []
        last = 0
        for stashed in [*HTML_PLACEHOLDER_RE.finditer(text), None]:
            chunk = text[last:stashed.start() if stashed else len(text)]
            if chunk:
                parts += self._pieces(chunk, linking and not self.raw_skips, phone_cell)
                self.block_text += chunk
            if stashed:
                self._note_raw(int(stashed.group(1)))
                parts.append(stashed.group())
                last = stashed.end()
        return _place(parent, after, parts)

    def _pieces(self, text: str, linking: bool, phone_cell: bool) -> list[str | ET.Element]:
        if not linking:
            return [text]
        parts: list[str | ET.Element] = []
        last = 0
        for found in find_contacts(text, self.block_text[-80:], phone_cell):
            parts.append(text[last:found.start])
            parts += _address_parts(text[found.start:found.end], found.href)
            last = found.end
        return [*parts, text[last:]]

    def _note_raw(self, index: int) -> None:
        """Count the raw HTML tags that open or close a link, code or heading."""
        stashed = self.md.htmlStash.rawHtmlBlocks[index] if index < len(self.md.htmlStash.rawHtmlBlocks) else ""
        tag = RAW_TAG.match(stashed.strip()) if isinstance(stashed, str) else None
        if tag and tag.group(2).lower() in SKIPPED_TAGS and not tag.group(3):
            self.raw_skips = max(0, self.raw_skips + (-1 if tag.group(1) else 1))

    def _note_phone_columns(self, table: ET.Element) -> None:
        rows = list(table.iter("tr"))
        if not rows:
            return
        headings = ["".join(cell.itertext()) for cell in rows[0] if cell.tag == "th"]
        columns = {i for i, words in enumerate(headings) if PHONE_HEADING.search(words)}
        for row in rows[1:]:
            self.phone_cells.update(id(cell) for i, cell in enumerate(row) if i in columns)


def _address_parts(text: str, href: str | None) -> list[str | ET.Element]:
    """A found phone number or address as a link (href) or as breakable text (None)."""
    if href is None:
        return _with_breaks(breakable(text))
    link = ET.Element("a", href=href)
    if href.startswith("mailto:"):
        _fill(link, breakable(text))
    else:
        link.text = text
    return [link]


def _with_breaks(pieces: list[str]) -> list[str | ET.Element]:
    parts: list[str | ET.Element] = []
    for i, piece in enumerate(pieces):
        if i:
            parts.append(ET.Element("wbr"))
        parts.append(piece)
    return parts


def _fill(link: ET.Element, pieces: list[str]) -> None:
    """Put pieces into link, a <wbr> between each two."""
    link.text = pieces[0] if pieces else ""
    for piece in pieces[1:]:
        ET.SubElement(link, "wbr").tail = piece


def _break_link_text(link: ET.Element) -> None:
    """The words of an existing link that are an address may break at @ . / too."""
    text = link.text or ""
    if ADDRESS.match(text) and not HTML_PLACEHOLDER_RE.search(text):
        _fill(link, breakable(text))


def _place(parent: ET.Element, after: ET.Element | None, parts: list[str | ET.Element]) -> str:
    """Insert the elements of parts into parent after `after`, strings joined as text and tails."""
    leading: list[str] = []
    current: ET.Element | None = None
    position = 0 if after is None else list(parent).index(after) + 1
    for part in parts:
        if isinstance(part, str):
            if current is None:
                leading.append(part)
            else:
                current.tail = (current.tail or "") + part
            continue
        parent.insert(position, part)
        position += 1
        current = part
    return "".join(leading)


class ContactLinksExtension(Extension):
    """Registers ContactLinks after Markdown's own inline work and unescaping."""

    def extendMarkdown(self, md: markdown.Markdown) -> None:  # Markdown's API names it
        md.treeprocessors.register(ContactLinks(md), "contact_links", -1)


def makeExtension(**kwargs: object) -> ContactLinksExtension:  # the name Markdown looks for
    """What Python-Markdown (and MkDocs' markdown_extensions) calls to load this module by name."""
    return ContactLinksExtension(**kwargs)
