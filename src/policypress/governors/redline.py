"""What changed in a policy since governors approved it, word by word, and where each change came from.

The words of the approved snapshot (with the origins stored beside it) are compared with the
words the policy renders to now. Each changed passage is put down, in governors' words, to the
trust's model text, the trust's or the school's own text (overlays), or a fact whose value changed
("a contact changed: deputy DSL Karen Lowe → Daniel Osei", "the statutory guidance changed:
KCSIE 2024 → 2025"), and placed under the section heading it falls in. The same change in several
places (a new DSL's name is printed many times) is listed once. Nothing here names a file, a
line or a key as the source writes them: the redline is read at a meeting, not by an editor.
"""

from __future__ import annotations

import difflib
import re
from collections.abc import Sequence
from dataclasses import dataclass, replace

from policypress.compose.fact_types import FactWords, describe_origin
from policypress.compose.provenance import Word
from policypress.governors.sections import Heading
from policypress.source.project import LA_FOLDER, Project, SchoolSource

CONTEXT = 6  # words of unchanged text shown either side of a change
UNKNOWN = "a part of the text whose source was not recorded when it was approved"
EDGES = "()[]{}.,;:"  # brackets and punctuation a value is printed with, not part of it
NO_SECTION = Heading("")  # when the sections are not known
SCOPED_MODEL = re.compile(r"^schools/(?:[^/]+/){1,2}policies/[^/]+\.md$")  # a trust's or a local authority's model


@dataclass(frozen=True)
class Origin:
    """Where a change came from, in governors' words."""

    words: str
    """In full: "the trust's model text", "a contact changed: deputy DSL Karen Lowe → Daniel Osei"."""
    short: str
    """The same, short, for the cover: "a contact changed (deputy DSL)"."""
    fact: bool = False
    """A fact's value changed (a contact, the guidance, the school's details), not the wording."""


@dataclass(frozen=True)
class Change:
    """One change to the policy's text, as a redline shows it."""

    origin: Origin
    """Where it came from."""
    deleted: str
    """Words taken out ('' if none)."""
    inserted: str
    """Words put in ('' if none)."""
    before: str
    """Unchanged words just before, for context."""
    after: str
    """Unchanged words just after, for context."""
    section: Heading = NO_SECTION
    """The section of the policy it falls in (where it first falls, if made in several places)."""
    places: int = 1
    """How many places in the policy the same change was made."""


def compare(approved: list[Word], current: list[Word], project: Project, school_id: str,
            headings: Sequence[Heading] = ()) -> list[Change]:
    """Every change from the approved words to the current ones, attributed, in reading order.

    headings gives the section of each current word (governors/sections.py); without it, or if
    it does not match the words, every change is in one unnamed section.
    """
    matcher = difflib.SequenceMatcher(None, [w.text for w in approved], [w.text for w in current], autojunk=False)
    sections = headings if len(headings) == len(current) else [NO_SECTION] * len(current)
    found: dict[tuple[str, str, str], Change] = {}
    for tag, i1, i2, j1, j2 in matcher.get_opcodes():
        if tag == "equal":
            continue
        gone, added = approved[i1:i2], current[j1:j2]
        origin = attribute(gone, added, project, school_id)
        key = (origin.words, _text(gone), _text(added))
        if key in found:
            found[key] = replace(found[key], places=found[key].places + 1)
            continue
        where = sections[j1 if added else max(j1 - 1, 0)] if sections else NO_SECTION
        found[key] = Change(origin, key[1], key[2], _text(current[max(0, j1 - CONTEXT):j1]),
                            _text(current[j2:j2 + CONTEXT]), where)
    return list(found.values())


def _text(words: Sequence[Word]) -> str:
    return " ".join(w.text for w in words)


def attribute(gone: list[Word], added: list[Word], project: Project, school_id: str) -> Origin:
    """Where one changed passage came from: a fact whose value changed, else the text it is written in."""
    school = project.schools[school_id]
    changed = _changed_fact(gone, added)
    if changed:
        return _fact_change(_fact_words(changed, project, school), _value(gone, changed), _value(added, changed))
    lines = [w.origin for w in [*added, *gone] if w.origin.startswith("line:")]
    if lines:
        return Origin(text_source(lines[0]), text_source(lines[0]))
    # Only facts, none of them changed: the wording now prints another fact, or no longer prints one.
    for words, shows in ((added, "now shows"), (gone, "no longer shows")):
        facts = [w.origin for w in words if w.origin.startswith("fact:")]
        if facts:
            said = f"the text {shows} {_named(_fact_words(facts[0], project, school))}"
            return Origin(said, said)
    return Origin(UNKNOWN, UNKNOWN)


def _fact_words(origin: str, project: Project, school: SchoolSource) -> FactWords:
    kind, _, key = origin.removeprefix("fact:").partition(":")
    return describe_origin(kind, key, project, school)


def _changed_fact(gone: list[Word], added: list[Word]) -> str | None:
    """The first fact printed both before and after, with different words (before: or words without origins)."""
    for origin in dict.fromkeys(w.origin for w in [*added, *gone] if w.origin.startswith("fact:")):
        before, after = _value(gone, origin), _value(added, origin)
        if before and after and before != after:
            return origin
    return None


def _value(words: list[Word], origin: str) -> str:
    """The words a fact printed, as a value: '(2025).' → '2025'; all of them when origins were not kept."""
    mine = [w for w in words if w.origin == origin] or [w for w in words if not w.origin]
    return _text(mine).strip(EDGES)


def _fact_change(words: FactWords, old: str, new: str) -> Origin:
    """'a contact changed: deputy DSL Karen Lowe → Daniel Osei', and for the cover 'a contact changed (deputy DSL)'.

    The cover shows the values too when each is one word (an edition, a town)."""
    named = f"{words.name} " if words.name else ""
    full = f"{words.what} changed: {named}{old} → {new}"
    if len(old.split()) == 1 and len(new.split()) == 1:
        return Origin(full, f"{words.what} changed ({named}{old} → {new})", fact=True)
    return Origin(full, f"{words.what} changed ({words.name})" if words.name else f"{words.what} changed", fact=True)


def _named(words: FactWords) -> str:
    return f"{words.what}: {words.name}" if words.name else words.what


def text_source(origin: str) -> str:
    """Whose text a line of source is ('line:PATH:LINE' or a path), in governors' words."""
    path = origin.removeprefix("line:").rpartition(":")[0] if origin.startswith("line:") else origin
    if SCOPED_MODEL.match(path):  # a trust's or a local authority's own model policy
        local = path.startswith(f"schools/{LA_FOLDER}/")
        return "the local authority's model text" if local else "the trust's model text"
    if path.startswith("content/"):
        return "the trust's model text"
    if path.endswith("/trust.yml"):
        return "the trust's own text"
    if path.startswith(f"schools/{LA_FOLDER}/"):
        return "the local authority's text"
    if path.startswith("schools/"):
        return "our school's own text"
    return "the policy's text"


def by_section(changes: Sequence[Change]) -> list[tuple[Heading, list[Change]]]:
    """The changes grouped by the section they fall in, sections in reading order."""
    groups: dict[Heading, list[Change]] = {}
    for change in changes:
        groups.setdefault(change.section, []).append(change)
    return list(groups.items())


def summary(changes: Sequence[Change]) -> str:
    """One line for the cover: '3 changes: the statutory guidance changed (KCSIE 2024 → 2025); …'.

    Changed facts come first (a new edition, a new person), then whose text was reworded."""
    kinds = dict.fromkeys(o.short for o in sorted((c.origin for c in changes), key=lambda o: not o.fact))
    count = f"{len(changes)} change{'s' if len(changes) != 1 else ''}"
    return f"{count}: {'; '.join(kinds)}"
