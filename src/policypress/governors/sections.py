"""Which section of a policy each word is in, so that the pack can group changes by heading.

The redline compares words (compose/provenance.py), which carry no headings. The words of the
rendered Markdown are the same words in the same order (tests/test_redline.py checks it for every
example policy), so reading the Markdown line by line gives each word's heading: the nearest
heading of level 1 to 3 above it, as the printed contents list them. Each heading also gets its
link in the pack, so that a group of changes can say on which page its section is.
"""

from __future__ import annotations

import re
from collections.abc import Sequence
from dataclasses import dataclass

from policypress.compose.provenance import tagged_words

HEADING = re.compile(r"^(#{1,3})\s+(.*)$")
HEADING_ID = re.compile(r"\{[^}]*#([\w-]+)[^}]*\}\s*#*\s*$")
FENCE = re.compile(r"^(`{3,}|~{3,})")


@dataclass(frozen=True)
class Heading:
    """A section of a policy as the pack names it."""

    title: str
    """The heading's words as a reader sees them ('' for the text before the first heading)."""
    href: str = ""
    """Its link in the pack, for the page number ('' when not known)."""


def word_headings(markdown: str, ids: Sequence[str], href: str, opening: Heading) -> list[Heading]:
    """For each word of the policy, the heading it comes under.

    ids are the HTML ids of the headings (level 1 to 3) in order, as the print contents give them;
    href is how one becomes a link in the pack ('#p1-{}'); opening is the section before any heading.
    """
    found: list[Heading] = []
    current, number, fenced = opening, 0, False
    for line in markdown.splitlines():
        fenced = fenced != bool(FENCE.match(line))
        heading = None if fenced else HEADING.match(line)
        if heading:
            heading_id = _heading_id(line, ids, number)
            current = Heading(_title(line), href.format(heading_id) if heading_id else "")
            number += 1
        found += [current] * len(tagged_words(line))
    return found


def _title(line: str) -> str:
    return " ".join(word.text for word in tagged_words(line))


def _heading_id(line: str, ids: Sequence[str], number: int) -> str:
    """The heading's own {#id}, else the id the contents give the heading in this place."""
    written = HEADING_ID.search(line)
    if written:
        return written.group(1)
    return ids[number] if number < len(ids) else ""
