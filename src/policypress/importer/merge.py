"""Several schools' copies of one policy → one model plus each school's overlay.

Works on plain Markdown (facts already turned into placeholders), split into flat sections: a
heading and the text up to the next heading of any level. The model keeps each section that at
least half the copies have, with the text most of them share. Each school's overlay is found by
changing a copy of the model, step by step, into the school's sections with the same rules the
real overlay code applies (compose/overlays.py): replace and remove take a section's
subsections with it, append and insert_after land after them, prepend lands under the heading.
"""

from __future__ import annotations

import re
import unicodedata
from collections import Counter
from dataclasses import dataclass, field, replace
from difflib import SequenceMatcher

from policypress.importer.fidelity import matching_blocks, words

_HEADING = re.compile(r"^(#{1,6})[ \t]+(.*?)(?:[ \t]*\{#([a-z0-9][a-z0-9-]*)\})?[ \t]*$")
_FENCE = re.compile(r"^\s*(```|~~~)")
_NUMBERING = re.compile(r"^\s*(\d+[.)]?)+\s+")  # "5.1. Reporting" and "5.1 Reporting"
_MAX_SLUG = 60

Change = dict[str, str]
"""One overlay change as a school file holds it: {"section", "action"[, "text"]}."""


@dataclass(frozen=True)
class Section:
    """A heading and the text under it, up to the next heading of any level."""

    id: str
    """The heading's id ({#id}, or a slug of its text); '' for the text before the first heading."""
    heading: str
    """The heading's text, without its # marks and {#id}."""
    level: int
    """2 for `##` …; 0 for the text before the first heading."""
    body: str
    """The Markdown under the heading (placeholders already in it), exactly as written."""


@dataclass(frozen=True)
class Counts:
    """How far one school's copy is from the model."""

    sections: int
    """Sections the school has differently, alone, in another place, or not at all."""
    words: int
    """Words added, left out or changed (a changed stretch counts its longer side)."""
    unplaced: tuple[str, ...] = ()
    """Section ids an overlay cannot express ('' is the text before the first heading, which has no id)."""


@dataclass(frozen=True)
class Merged:
    """The model every school shares and what each school changes."""

    model: list[Section]
    overlays: dict[str, list[Change]] = field(default_factory=dict)
    counts: dict[str, Counts] = field(default_factory=dict)


def split_sections(markdown: str) -> list[Section]:
    """The opening text (id '', always first, maybe empty) and every heading's section, in order."""
    found: list[tuple[int, str, str | None, list[str]]] = [(0, "", "", [])]
    in_fence = False
    for line in markdown.splitlines(keepends=True):
        if _FENCE.match(line):
            in_fence = not in_fence
        match = None if in_fence else _HEADING.match(line.rstrip("\r\n"))
        if match:
            found.append((len(match.group(1)), match.group(2).strip(), match.group(3), []))
        else:
            found[-1][3].append(line)
    ids = unique_ids([given if given is not None else slug(text) for _, text, given, _ in found[1:]])
    return [Section(sid, text, level, "".join(body))
            for sid, (level, text, _, body) in zip(["", *ids], found, strict=True)]


def join_sections(sections: list[Section]) -> str:
    """The Markdown of sections, each heading written `## Heading {#id}`."""
    return "".join(_heading_line(s) + s.body for s in sections)


def slug(heading: str) -> str:
    """A stable id from a heading's words: '5.1. Reporting bullying' → 'reporting-bullying'."""
    plain = re.sub(r"\[([^\]]*)\]\([^)]*\)", r"\1", _NUMBERING.sub("", heading))
    ascii_text = unicodedata.normalize("NFKD", plain).encode("ascii", "ignore").decode()
    text = re.sub(r"[^a-z0-9]+", "-", ascii_text.lower()).strip("-")
    if len(text) > _MAX_SLUG:
        text = text[:_MAX_SLUG].rsplit("-", 1)[0]
    return text or "section"


def unique_ids(ids: list[str]) -> list[str]:
    """ids with a later repeat made unique by -2, -3 … (the first keeps its id)."""
    taken: set[str] = set()
    unique = []
    for wanted in ids:
        candidate, n = wanted, 1
        while candidate in taken:
            n += 1
            candidate = f"{wanted}-{n}"
        taken.add(candidate)
        unique.append(candidate)
    return unique


def merge_copies(copies: dict[str, list[Section]]) -> Merged:
    """One model from the schools' copies (school id → sections), and each school's overlay."""
    order = _order([_with_opening(c) for c in copies.values()])
    model = [s for sid in order if (s := _shared(sid, copies)) is not None]
    if not model:  # no copies
        return Merged([Section("", "", 0, "")])
    model[-1] = replace(model[-1], body=model[-1].body.rstrip("\n") + "\n")  # one newline at the end
    merged = Merged(model)
    for school, sections in copies.items():
        merged.overlays[school], merged.counts[school] = overlays_against(model, sections)
    return merged


def overlays_against(model: list[Section], sections: list[Section]) -> tuple[list[Change], Counts]:
    """The overlay changes that turn model into a school's sections, and how much differs."""
    builder = _Builder(_with_opening(model), _with_opening(sections))
    builder.run()
    return builder.changes, _counts(builder)


def tidy(body: str) -> str:
    """A body as the model and overlays write it: a blank line after the heading and after the text."""
    text = body.strip("\n").rstrip()
    return f"\n{text}\n\n" if text else "\n"


def _heading_line(section: Section) -> str:
    return f"{'#' * section.level} {section.heading} {{#{section.id}}}\n" if section.level else ""


def _with_opening(sections: list[Section]) -> list[Section]:
    """sections, starting with the opening text (an empty one when it has none), every id unique."""
    if not sections or sections[0].level != 0:
        sections = [Section("", "", 0, ""), *sections]
    ids = ["", *unique_ids([s.id for s in sections[1:]])]
    return [s if s.id == sid else replace(s, id=sid) for s, sid in zip(sections, ids, strict=True)]


def _order(copies: list[list[Section]]) -> list[str]:
    """Every section id in the order they appear across copies (a new id goes after its predecessor)."""
    order: list[str] = []
    for sections in copies:
        position = -1
        for section in sections:
            if section.id in order:
                position = order.index(section.id)
            else:
                position += 1
                order.insert(position, section.id)
    return order


def _shared(section_id: str, copies: dict[str, list[Section]]) -> Section | None:
    """The section as most copies have it (ties: the first school), if at least half have it."""
    variants = [s for c in copies.values() for s in _with_opening(c) if s.id == section_id]
    if section_id and 2 * len(variants) < len(copies):
        return None
    votes = Counter(_text(s) for s in variants)
    best = max(votes.items(), key=lambda item: item[1])[0]  # max keeps the first of equal counts
    chosen = next(s for s in variants if _text(s) == best)
    if not section_id:
        opening = chosen.body.strip("\n").rstrip()
        return replace(chosen, body=opening + "\n\n" if opening else "")
    return replace(chosen, body=tidy(chosen.body))


def _text(section: Section) -> tuple[str, str, int, str]:
    """A section's heading and words, blank lines around them aside."""
    return section.id, section.heading, section.level, section.body.strip()


def _key(section: Section) -> tuple[str, str, int]:
    """What must match for two sections to be the same section (the body may differ)."""
    return section.id, section.heading, section.level


def _end(sections: list[Section], index: int) -> int:
    """The index just after a section's subsections."""
    level = sections[index].level
    if level == 0:
        return index + 1
    return next((j for j in range(index + 1, len(sections)) if sections[j].level <= level), len(sections))


class _Builder:
    """Changes a copy of the model into the school's sections, writing down each change."""

    def __init__(self, model: list[Section], target: list[Section]) -> None:
        self.model = model
        self.target = target
        self.current = list(model)
        self.changes: list[Change] = []
        self.unplaced: list[str] = []
        self.moved: set[str] = set()
        """Sections the school has in another place (their text may be the same)."""

    def run(self) -> None:
        """Remove what the school lacks or has elsewhere, then walk its sections in order."""
        if self.current[0].body.strip() != self.target[0].body.strip():
            self.unplaced.append("")
        self._remove_missing()
        self._remove_out_of_order()
        i = 1
        while i < len(self.target):
            i = self._step(i)

    def _index(self, section_id: str) -> int | None:
        return next((n for n, s in enumerate(self.current) if s.id == section_id), None)

    def _remove(self, index: int) -> None:
        self.changes.append({"section": self.current[index].id, "action": "remove"})
        del self.current[index:_end(self.current, index)]

    def _remove_missing(self) -> None:
        wanted = {_key(s) for s in self.target}
        while gone := [n for n, s in enumerate(self.current) if n and _key(s) not in wanted]:
            self._remove(gone[0])

    def _remove_out_of_order(self) -> None:
        """Sections the school moved leave the model's place here and come back where the school has them."""
        target_ids = [s.id for s in self.target]
        first = target_ids[1] if len(target_ids) > 1 else ""
        at = self._index(first)
        if at and all(_end(self.current, n) <= at for n in range(1, at)):
            while self.current[1].id != first:  # nothing can go before the first heading: it stays first
                self.moved.add(self.current[1].id)
                self._remove(1)
        while True:
            current_ids = [s.id for s in self.current]
            matcher = SequenceMatcher(None, current_ids, target_ids, autojunk=False)
            kept = {current_ids[i + k] for i, _, size in matcher.get_matching_blocks() for k in range(size)}
            moved = [n for n, sid in enumerate(current_ids) if n and sid not in kept]
            if not moved:
                return
            self.moved.add(current_ids[moved[0]])
            self._remove(moved[0])

    def _step(self, i: int) -> int:
        """Bring target[i] (and a run of new sections starting there) into place; the next index."""
        index = self._index(self.target[i].id)
        if index is None:
            return self._insert_run(i)
        return self._change_body(i, index)

    def _change_body(self, i: int, index: int) -> int:
        old, new = self.current[index].body.strip(), self.target[i].body.strip()
        section_id, has_subsections = self.current[index].id, _end(self.current, index) > index + 1
        if old == new:
            return i + 1
        if not new:  # replace needs text: the section leaves and comes back as a new one
            self._remove(index)
            return i
        action, text = _body_change(old, new, has_subsections)
        if action == "replace" and has_subsections:  # replace takes them with it: write them again
            text += "\n\n" + join_sections(self.current[index + 1:_end(self.current, index)]).strip("\n")
        self.changes.append({"section": section_id, "action": action, "text": text + "\n"})
        self.current[index] = replace(self.current[index], body=tidy(new))
        return i + 1

    def _insert_run(self, i: int) -> int:
        run_end = next((j for j in range(i, len(self.target)) if self._index(self.target[j].id) is not None),
                       len(self.target))
        before = self._index(self.target[i - 1].id)
        if before is None or before == 0:  # nothing to insert after: before the first heading
            self.unplaced.extend(s.id for s in self.target[i:run_end])
            return run_end
        if _end(self.current, before) > before + 1:  # its subsections come after the run here
            self._remove(before + 1)
            return i  # the run is longer now: the removed subsection joins it
        run = self.target[i:run_end]
        anchor = self.current[before]
        action = "insert_after" if run[0].level <= anchor.level else "append"
        text = join_sections([replace(s, body=tidy(s.body)) for s in run]).strip("\n") + "\n"
        self.changes.append({"section": anchor.id, "action": action, "text": text})
        self.current[before + 1:before + 1] = [replace(s, body=tidy(s.body)) for s in run]
        return run_end


def _body_change(old: str, new: str, has_subsections: bool) -> tuple[str, str]:
    """(action, text) that turns a body old into new (both stripped, new not empty)."""
    if not old:
        return ("prepend" if has_subsections else "append"), new
    if new.endswith("\n\n" + old):
        return "prepend", new[: -len(old)].strip("\n")
    if new.startswith(old + "\n\n") and not has_subsections:  # append would land after the subsections
        return "append", new[len(old):].strip("\n")
    return "replace", new


def _counts(builder: _Builder) -> Counts:
    by_id = {s.id: s for s in builder.model}
    theirs = {s.id: s for s in builder.target}
    differ = {sid for sid in by_id.keys() | theirs.keys()
              if sid not in by_id or sid not in theirs or not _same(by_id[sid], theirs[sid])}
    words = words_differing(join_sections(builder.model), join_sections(builder.target))
    return Counts(len(differ | builder.moved), words, tuple(builder.unplaced))


def _same(a: Section, b: Section) -> bool:
    return _text(a) == _text(b)


def words_differing(a: str, b: str) -> int:
    """Words added, left out or changed between two texts (a changed stretch counts its longer side)."""
    keys_a, keys_b = words(a)[1], words(b)[1]
    total, i, j = 0, 0, 0
    for bi, bj, size in [*matching_blocks(keys_a, keys_b), (len(keys_a), len(keys_b), 0)]:
        total += max(bi - i, bj - j)
        i, j = bi + size, bj + size
    return total
