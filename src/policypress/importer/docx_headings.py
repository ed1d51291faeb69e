"""Which paragraphs are headings, and at what level.

A Word file marks headings in three ways: heading styles (Heading 1–6, Title), bold paragraphs used as
headings, and numbers typed at the start ("5.1. Types of bullying"). The policy's title is level 1; the
shallowest section level the file uses becomes level 2, and deeper ones follow.
"""

from __future__ import annotations

import re

from policypress.importer.docx_draft import Draft

MAX_HEADING_WORDS = 12
_LABEL_STARTS = ("appendix", "annex", "annexe", "section", "part", "schedule", "chapter", "stage", "step")
_SPACE = r"[ \t\u00a0]"
_NUMBER = re.compile(rf"^\s*(\d{{1,2}}(?:\.\d{{1,2}})*\.?)(?:{_SPACE}+[-–—:]?{_SPACE}*|{_SPACE}*[-–—:]{_SPACE}*)(?=\S)")
_QUOTES = ("quote", "intense quote")
_DOCUMENT_WORDS = re.compile(r"\b(policy|procedures?|statement|guidance|protocol|code of conduct)\b", re.IGNORECASE)


def heading_like(text: str, bold: bool, line_break: bool, previous_style: str) -> bool:
    """A short, entirely bold line without a full stop: a heading in a file that does not use heading styles.

    Not a heading: a 'Label: value' line (Last reviewed: May 2025), a quotation's attribution (a bold line
    after a Quote paragraph), a line with line breaks inside (a bold block of instructions)."""
    words = text.split()
    if not bold or line_break or not words or len(words) > MAX_HEADING_WORDS:
        return False
    if text.rstrip()[-1] in ".,;:!" or not any(character.isalpha() for character in text):
        return False
    if ":" in text and not text.lower().startswith(_LABEL_STARTS):
        return False
    return previous_style not in _QUOTES


def split_number(text: str) -> tuple[str, int]:
    """A typed number at the start of a heading ('5.1. ' → ('5.1.', 5)), or ('', 0)."""
    found = _NUMBER.match(text)
    if not found:
        return "", 0
    return found.group(1), found.end()


def fix_levels(drafts: list[Draft]) -> None:
    """Give every heading draft its level: the title 1, the shallowest section level 2, deeper ones after."""
    raw_levels = _raw_levels(drafts)
    headings = [index for index, draft in enumerate(drafts) if draft.kind == "heading"]
    title = _title_index(drafts, headings, raw_levels)
    sections = [raw_levels[index] for index in headings if index != title]
    shallowest = min(sections, default=1)
    for index in headings:
        level = 1 if index == title else raw_levels[index] - shallowest + 2
        drafts[index].level = max(2, min(6, level)) if index != title else 1


def _raw_levels(drafts: list[Draft]) -> dict[int, int]:
    """Each heading's level as the file states it: the style's or the number's depth; a bold line one
    below the styled or numbered heading above it (1 when there is none); a bold bullet below any."""
    raw: dict[int, int] = {}
    structured: int | None = None
    last = 0
    for index, draft in enumerate(drafts):
        if draft.kind != "heading":
            continue
        if draft.heading_kind in ("style", "numbered", "title"):
            raw[index] = draft.level
            structured = draft.level if draft.heading_kind != "title" else structured
        elif draft.heading_kind == "bullet":
            raw[index] = last + 1 if last else 2
        else:
            raw[index] = structured + 1 if structured is not None else 1
        if draft.heading_kind != "bullet":
            last = raw[index]
    return raw


def _title_index(drafts: list[Draft], headings: list[int], raw_levels: dict[int, int]) -> int | None:
    """The Title-styled heading; else the first block when it is a heading whose level no other heading shares,
    or a bold line that names the kind of document ("Uniform Policy")."""
    for index in headings:
        if drafts[index].heading_kind == "title":
            return index
    if not headings or headings[0] != 0:
        return None
    first = raw_levels[0]
    if all(raw_levels[index] != first for index in headings[1:]):
        return 0
    names_document = _DOCUMENT_WORDS.search(drafts[0].text)
    return 0 if drafts[0].heading_kind == "bold" and names_document else None
