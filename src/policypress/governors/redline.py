"""What changed in a policy since governors approved it, word by word, and where each change came from.

The words of the approved snapshot (with the origins stored beside it) are compared with the
words the policy renders to now. Each changed passage is attributed: to the model policy text,
a trust or school overlay, the statutory registry, or the school's facts (such as a new DSL).
The same change in several places (a new DSL's name is printed many times) is listed once.
"""

from __future__ import annotations

import difflib
from dataclasses import dataclass

from policypress.compose.fact_types import describe_origin
from policypress.compose.provenance import Word
from policypress.source.project import Project

CONTEXT = 6  # words of unchanged text shown either side of a change


@dataclass(frozen=True)
class Change:
    """One change to the policy's text, as a redline shows it."""

    origin: str
    """Where it came from, in words, e.g. 'School facts: the dsl contact (schools/…/x.yml)'."""
    deleted: str
    """Words taken out ('' if none)."""
    inserted: str
    """Words put in ('' if none)."""
    before: str
    """Unchanged words just before, for context."""
    after: str
    """Unchanged words just after, for context."""
    places: int = 1
    """How many places in the policy the same change was made."""


def compare(approved: list[Word], current: list[Word], project: Project, school_id: str) -> list[Change]:
    """Every change from the approved words to the current ones, each attributed, in reading order."""
    matcher = difflib.SequenceMatcher(None, [w.text for w in approved], [w.text for w in current], autojunk=False)
    found: dict[tuple[str, str, str], Change] = {}
    for tag, i1, i2, j1, j2 in matcher.get_opcodes():
        if tag == "equal":
            continue
        gone, added = approved[i1:i2], current[j1:j2]
        origin = origin_words(_cause(gone, added), project, school_id)
        key = (origin, _text(gone), _text(added))
        if key in found:
            found[key] = _one_more(found[key])
        else:
            found[key] = Change(origin, key[1], key[2], _text(current[max(0, j1 - CONTEXT):j1]),
                                _text(current[j2:j2 + CONTEXT]))
    return list(found.values())


def _one_more(change: Change) -> Change:
    return Change(change.origin, change.deleted, change.inserted, change.before, change.after, change.places + 1)


def _text(words: list[Word]) -> str:
    return " ".join(w.text for w in words)


def _cause(gone: list[Word], added: list[Word]) -> str:
    """The origin a change is put down to: a changed fact first, else where the new words are written."""
    for words in (added, gone):
        facts = [w.origin for w in words if w.origin.startswith("fact:")]
        if facts:
            return facts[0]
    lines = [w.origin for w in added or gone if w.origin.startswith("line:")]
    return lines[0] if lines else ""


def origin_words(origin: str, project: Project, school_id: str) -> str:
    """An origin as governors read it."""
    kind, _, rest = origin.partition(":")
    if kind == "line":
        path, _, line = rest.rpartition(":")
        return f"{_text_source(path, project)} ({path}, line {line})"
    if kind == "fact":
        return _fact_words(rest, project, school_id)
    return "Not known (the approved version was recorded without its origins)"


def _text_source(path: str, project: Project) -> str:
    if path.startswith("content/policies/"):
        return "Trust model policy text"
    if path.endswith("/trust.yml"):
        return "Trust overlay"
    if path.startswith("schools/"):
        return "School overlay"
    return "Policy text"


def _fact_words(fact: str, project: Project, school_id: str) -> str:
    kind, _, name = fact.partition(":")
    return describe_origin(kind, name, project, project.schools[school_id])
