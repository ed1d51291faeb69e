"""A Word file's body as policy Markdown: headings with stable section ids, lists, tables, pictures, notes.

The policy's own title (a level-1 heading at the top) becomes its front matter's title, so the body
starts with its first section. Footnotes become a "Notes" section at the end ("(note 1)" where they
were referenced): the Markdown dialect has no footnotes, and a reader on a phone finds them there.
"""

from __future__ import annotations

import re
from collections.abc import Callable
from dataclasses import dataclass

from policypress.importer.document import Block

PictureLink = Callable[[Block], str]


@dataclass(frozen=True)
class Assembled:
    """The body as Markdown, the title it came with, and the section ids given."""

    title: str
    markdown: str
    section_ids: tuple[str, ...]


def section_id(text: str, taken: set[str]) -> str:
    """'5.1 Reporting bullying' → 'reporting-bullying' (numbers dropped), unique among taken."""
    words = re.sub(r"\{\{.*?\}\}|\[\^\d+\]|[*_`\\]", "", text.lower())
    base = re.sub(r"[^a-z0-9]+", "-", words).strip("-")[:50].strip("-") or "section"
    candidate, n = base, 2
    while candidate in taken:
        candidate, n = f"{base}-{n}", n + 1
    taken.add(candidate)
    return candidate


def assemble(blocks: list[Block], footnotes: dict[str, str], picture_link: PictureLink) -> Assembled:
    """The body's Markdown; picture_link gives each picture block its Markdown (it saves the picture)."""
    title, rest = _title(blocks)
    taken: set[str] = set()
    parts: list[str] = []
    previous = ""
    for block in rest:
        text = _block(block, taken, picture_link)
        glue = "\n" if block.kind == "list_item" and previous == "list_item" else "\n\n"
        parts.append((glue if parts else "") + text)
        previous = block.kind
    body = "".join(parts)
    body, notes = _notes(body, footnotes)
    if notes:
        body += "\n\n## Notes {#" + section_id("notes", taken) + "}\n\n" + notes
    return Assembled(title, body.strip() + "\n", tuple(sorted(taken)))


def _title(blocks: list[Block]) -> tuple[str, list[Block]]:
    for index, block in enumerate(blocks[:5]):
        if block.kind == "heading" and block.level == 1:
            return _words(block.text), blocks[:index] + blocks[index + 1:]
    return "", blocks


def _words(text: str) -> str:
    return re.sub(r"[*_\\]", "", text).strip()


def _block(block: Block, taken: set[str], picture_link: PictureLink) -> str:
    if block.kind == "heading":
        level = max(2, min(block.level, 6))
        number = f"{block.number} " if block.number else ""  # "5.1": other sections and documents refer to it
        return f"{'#' * level} {number}{block.text.strip()} {{#{section_id(block.text, taken)}}}"
    if block.kind == "list_item":
        marker = "1." if block.ordered else "-"
        return "    " * block.level + f"{marker} {block.text.strip()}"
    if block.kind == "table":
        return _table(block)
    if block.kind == "picture":
        return picture_link(block)
    return block.text.strip()


def _table(block: Block) -> str:
    width = max(len(row) for row in block.rows) if block.rows else 0
    rows = [[_cell(cell) for cell in row] + [""] * (width - len(row)) for row in block.rows]
    if not rows:
        return ""
    head, body = rows[0], rows[1:]  # a pipe table needs a header row: a table without one gets its first
    lines = ["| " + " | ".join(head) + " |", "|" + "---|" * width]
    lines += ["| " + " | ".join(row) + " |" for row in body]
    return "\n".join(lines)


def _cell(text: str) -> str:
    return text.replace("|", "\\|").replace("\n", "<br>").strip()


def _notes(body: str, footnotes: dict[str, str]) -> tuple[str, str]:
    """[^n] → '(note n)', and the notes in the order they are first referenced."""
    order: list[str] = []

    def mark(found: re.Match[str]) -> str:
        number = found.group(1)
        if number not in order:
            order.append(number)
        return f" (note {order.index(number) + 1})"

    body = re.sub(r"\s?\[\^(\w+)\]", mark, body)
    notes = "\n".join(f"{n}. {footnotes.get(key, '').strip()}" for n, key in enumerate(order, 1))
    return body, notes
