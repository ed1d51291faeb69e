"""Layer a model policy with its trust overlay and school overlay: text and front matter."""

from __future__ import annotations

from dataclasses import dataclass

from policypress.core.errors import Problem
from policypress.source.content_schema import PolicyMeta
from policypress.source.project import PolicySource, Source
from policypress.source.school_schema import Overlay, School, SectionChange, Trust
from policypress.source.sections import HEADING, Line, Section, apply_change, duplicate_ids, lines_from, sections
from policypress.source.yaml_lines import text_line


@dataclass(frozen=True)
class _Layer:
    """One overlay being applied: where it is written and what the trust locked."""

    source: Source[Trust] | Source[School]
    policy_id: str
    locked: dict[str, str]  # section id -> "schools/<trust>/trust.yml:<line>"


def compose_text(
    policy: PolicySource, trust: Source[Trust], school: Source[School]
) -> tuple[list[Line], list[Problem]]:
    """The policy's lines after the trust's then the school's section changes."""
    problems: list[Problem] = []
    lines = list(policy.body)
    trust_policy = trust.model.policies.get(policy.id)
    if trust_policy:
        lines = _apply(lines, trust_policy.overlay, _Layer(trust, policy.id, {}), problems)
    school_policy = school.model.policies.get(policy.id)
    if school_policy:
        layer = _Layer(school, policy.id, _locked_at(trust, policy.id))
        lines = _apply(lines, school_policy.overlay, layer, problems)
    return lines, problems


def compose_meta(policy: PolicySource, trust: Trust, school: School) -> PolicyMeta:
    """The policy's front matter with the trust's then the school's `set:` values."""
    meta = policy.meta.model
    for overlay in _overlays(policy.id, trust, school):
        changes = overlay.set.model_dump(exclude_none=True)
        meta = meta.model_copy(update=changes)
    return meta


def duplicate_problem(line: Line, other: Line) -> Problem:
    """A heading that reuses the id of another heading."""
    match = HEADING.match(line.text)
    section_id = match.group(2) if match else "?"
    where = f"line {other.lineno}" if other.path == line.path else f"{other.path}:{other.lineno}"
    return Problem(line.path, line.lineno, f"the section id '{section_id}' is used twice "
                   f"(also on {where})", "give every heading in a policy a different {#id}")


def _overlays(policy_id: str, trust: Trust, school: School) -> list[Overlay]:
    found = [trust.policies[policy_id].overlay] if policy_id in trust.policies else []
    if policy_id in school.policies:
        found.append(school.policies[policy_id].overlay)
    return found


def _locked_at(trust: Source[Trust], policy_id: str) -> dict[str, str]:
    trust_policy = trust.model.policies.get(policy_id)
    if not trust_policy:
        return {}
    loc = ("policies", policy_id, "locked")
    return {sid: f"{trust.path}:{trust.lines.get((*loc, i), 1)}"
            for i, sid in enumerate(trust_policy.locked)}


def _apply(lines: list[Line], overlay: Overlay, layer: _Layer, problems: list[Problem]) -> list[Line]:
    loc = ("policies", layer.policy_id, "overlay", "sections")
    for i, change in enumerate(overlay.sections):
        where = layer.source.lines.get((*loc, i, "section"), 1)
        first = text_line(layer.source.lines, (*loc, i, "text"))
        new = lines_from(change.text.rstrip("\n"), layer.source.path, first)
        problem = _refuse(lines, change, new, layer, where)
        if problem:
            problems.append(problem)
            continue
        changed = apply_change(lines, change, new)
        clashes = [duplicate_problem(*((a, b) if a in new else (b, a)))
                   for a, b in duplicate_ids(changed) if a in new or b in new]
        problems += clashes
        lines = lines if clashes else changed
    return lines


def _refuse(
    lines: list[Line], change: SectionChange, new: list[Line], layer: _Layer, line: int
) -> Problem | None:
    known = sections(lines)
    path, policy_id = layer.source.path, layer.policy_id
    if change.section not in known:
        ids = ", ".join(known) or "none"
        return Problem(path, line, f"policy '{policy_id}' has no section '{change.section}'",
                       f"use one of its section ids: {ids}")
    for locked_id, locked_at in layer.locked.items():
        if locked_id in known and _touches(known[change.section], known[locked_id], change.action):
            return Problem(path, line,
                           f"section '{locked_id}' of policy '{policy_id}' is locked by the trust "
                           f"({locked_at})", "remove this change, or ask the trust to change its text")
    if change.action == "insert_after":
        return _heading_problem(new, known[change.section], path)
    return None


def _touches(target: Section, locked: Section, action: str) -> bool:
    """Whether changing target this way would change the text of the locked section."""
    inside = locked.start <= target.start and target.end <= locked.end
    holds = target.start < locked.start and locked.end <= target.end
    if action == "insert_after":  # after the locked section itself is fine; inside it is not
        return inside and target.id != locked.id
    if action in ("replace", "remove"):
        return inside or holds
    if action == "append":  # appended text would land at the end of a locked last subsection
        return inside or (holds and locked.end == target.end)
    return inside  # prepend goes before any subsection


def _heading_problem(new: list[Line], target: Section, path: str) -> Problem | None:
    """insert_after brings a new section: its text must start with a heading no deeper than target's."""
    first = next((line for line in new if line.text.strip()), None)
    match = HEADING.match(first.text) if first else None
    hashes = "#" * target.level
    if first is None or match is None:
        return Problem(path, first.lineno if first else 1,
                       "the text of an insert_after change must start with a heading of its own",
                       f"start it with a heading such as '{hashes} Local arrangements {{#local}}', "
                       "or use append to add to the section")
    if len(match.group(1)) > target.level:
        return Problem(path, first.lineno,
                       f"this heading is deeper than the section '{target.id}' it follows, "
                       "so it would go inside that section",
                       f"start the heading with '{hashes}', or use append to add to the section")
    return None
