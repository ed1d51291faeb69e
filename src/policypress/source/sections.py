"""Policy text as lines that remember their source, split into sections by heading id.

Overlays (replace, append, prepend, insert_after, remove) work on these lines, so an error
while rendering the combined text can still name the file and line each line came from.
"""

from __future__ import annotations

import re
from dataclasses import dataclass

from policypress.source.school_schema import SectionChange

HEADING = re.compile(r"^(#{1,6})\s+.*?(?:\{#([a-z0-9][a-z0-9-]*)\})?\s*$")
FENCE = re.compile(r"^\s*(```|~~~)")


@dataclass(frozen=True)
class Line:
    """One line of policy text and where it was written."""

    text: str
    path: str
    lineno: int


def lines_from(text: str, path: str, first_line: int) -> list[Line]:
    """Split text into Lines numbered from first_line."""
    return [Line(t, path, first_line + i) for i, t in enumerate(text.splitlines())]


@dataclass(frozen=True)
class Section:
    """A heading with an id and the lines it spans (its subsections included).

    start is the heading, or the `{% if … %}` / `{% for … %}` lines written directly above it:
    a conditional section moves, or goes, with the condition that opens it.
    """

    id: str
    start: int
    end: int
    level: int
    heading: int


def sections(lines: list[Line]) -> dict[str, Section]:
    """Every section with an id, in order; duplicates are reported by duplicate_ids()."""
    heads = _headings(lines)
    found: dict[str, Section] = {}
    for n, (index, level, section_id) in enumerate(heads):
        if section_id is None or section_id in found:
            continue
        end = next((_lead_in(lines, i) for i, lvl, _ in heads[n + 1:] if lvl <= level), len(lines))
        found[section_id] = Section(section_id, _lead_in(lines, index), end, level, index)
    return found


OPENING_TAG = re.compile(r"^\s*\{%-?\s*(if|for)\b.*%\}\s*$")


def _lead_in(lines: list[Line], heading: int) -> int:
    """The first of the `{% if %}`/`{% for %}` lines directly above a heading (or the heading)."""
    start = heading
    while start > 0 and OPENING_TAG.match(lines[start - 1].text):
        start -= 1
    return start


def duplicate_ids(lines: list[Line]) -> list[tuple[Line, Line]]:
    """(heading, first heading with the same id) for every heading that reuses an id."""
    first: dict[str, Line] = {}
    dupes = []
    for index, _, section_id in _headings(lines):
        if section_id in first:
            dupes.append((lines[index], first[section_id]))
        elif section_id:
            first[section_id] = lines[index]
    return dupes


def _headings(lines: list[Line]) -> list[tuple[int, int, str | None]]:
    """(index, level, id) of every Markdown heading outside fenced code."""
    heads = []
    in_fence = False
    for i, line in enumerate(lines):
        if FENCE.match(line.text):
            in_fence = not in_fence
            continue
        match = None if in_fence else HEADING.match(line.text)
        if match:
            heads.append((i, len(match.group(1)), match.group(2)))
    return heads


def apply_change(lines: list[Line], change: SectionChange, new: list[Line]) -> list[Line]:
    """Return lines with one section change applied; the section must exist."""
    sec = sections(lines)[change.section]
    blank = [Line("", new[0].path if new else "", new[0].lineno if new else 0)]
    head, body_start, end = lines[: sec.start], sec.heading + 1, sec.end
    if change.action == "remove":
        return head + lines[end:]
    if change.action == "replace":
        return lines[:body_start] + blank + new + blank + lines[end:]
    if change.action == "prepend":
        return lines[:body_start] + blank + new + blank + lines[body_start:]
    # append and insert_after both go at the end of the section; insert_after brings a heading.
    return lines[:end] + blank + new + blank + lines[end:]
