"""A Word file as the importer sees it: its body as blocks, each with its place in the file.

`docx_reader.read_word_file` (the one module that reads .docx) makes a `WordDocument`; every other
importer module reads only these types, so the converter could be replaced in one place.

Inline text in a block is Markdown already: **bold**, *italic*, [text](address), with Markdown's
own characters escaped, footnote references as `[^n]` (their text in `WordDocument.footnotes`).
"""

from __future__ import annotations

from dataclasses import dataclass, field
from pathlib import Path
from typing import Literal

BlockKind = Literal["heading", "paragraph", "list_item", "table", "picture"]


@dataclass(frozen=True)
class Place:
    """Where something is in the Word file, in words a person can find it by."""

    paragraph: int
    """The block's number in the body, counted from 1 (tables and pictures count as one)."""
    heading: str = ""
    """The nearest heading above it ('' before the first)."""
    context: str = ""
    """A few words of the text around it (at most about 80 characters)."""

    def words(self) -> str:
        """'paragraph 12, under "Reporting bullying": "… the text …"'."""
        under = f', under "{self.heading}"' if self.heading else ""
        around = f': "{self.context}"' if self.context else ""
        return f"paragraph {self.paragraph}{under}{around}"


@dataclass(frozen=True)
class Picture:
    """A picture in the body."""

    name: str
    """Its file name inside the Word file, e.g. 'image3.png'."""
    data: bytes
    """The picture's bytes."""
    alt: str
    """Its text alternative from Word ('' when it has none)."""
    content_type: str
    """e.g. 'image/png'."""


@dataclass(frozen=True)
class Block:
    """One piece of the body, in reading order."""

    kind: BlockKind
    text: str
    """Inline Markdown of a heading, paragraph or list item; '' for a table or picture."""
    place: Place
    level: int = 0
    """A heading's level (1 is the policy's own title level, 2 its sections …) or a list item's depth (0 first)."""
    ordered: bool = False
    """A list item of a numbered list."""
    number: str = ""
    """A heading's or list item's typed or Word numbering as shown, e.g. '5.1.' ('' when none)."""
    rows: tuple[tuple[str, ...], ...] = ()
    """A table's cells as inline Markdown, row by row; a merged cell's text is in its first cell, the
    cells it covers are ''."""
    header: bool = False
    """The table's first row is a header row."""
    picture: Picture | None = None
    """For a picture block."""


@dataclass(frozen=True)
class WordDocument:
    """The body of one Word file, with what was set aside."""

    path: Path
    blocks: tuple[Block, ...]
    """The body in reading order, without the pasted contents list, page-number fields and bookmarks."""
    footnotes: dict[str, str] = field(default_factory=dict)
    """Footnote text (inline Markdown) by its number as referenced in blocks ('1' for [^1])."""
    header_text: tuple[str, ...] = ()
    """The text of the page headers, e.g. the school's name: a hint, never part of the policy."""
    footer_text: tuple[str, ...] = ()
    """The text of the page footers."""
    removed: tuple[tuple[str, Place], ...] = ()
    """What was set aside and where: ('contents list', place), ('page break', place) …"""


@dataclass(frozen=True)
class Item:
    """Something the import could not decide, for a person: what, where in the Word file, and what to do."""

    kind: str
    """e.g. 'unknown-person', 'placeholder-link', 'not-public-link', 'stale-citation', 'no-alt-text',
    'flowchart-picture', 'summary-needed'."""
    what: str
    """What was found, in words."""
    place: Place
    """Where it is in the Word file."""
    fix: str
    """What to do about it, e.g. a suggested contact entry to add to the school file."""
