"""Layer a model policy with its trust overlay and school overlay: text and front matter."""

from __future__ import annotations

from typing import TYPE_CHECKING

from policypress.errors import Problem
from policypress.model import Overlay, PolicyMeta, School, SectionChange, Trust
from policypress.sections import Line, apply_change, contained_in, lines_from, sections

if TYPE_CHECKING:
    from policypress.load import PolicySource, Source


def compose_text(
    policy: PolicySource, trust: Source[Trust], school: Source[School]
) -> tuple[list[Line], list[Problem]]:
    """The policy's lines after the trust's then the school's section changes."""
    problems: list[Problem] = []
    lines = list(policy.body)
    trust_policy = trust.model.policies.get(policy.id)
    if trust_policy:
        lines = _apply(lines, trust_policy.overlay, trust, policy.id, problems, locked={})
    school_policy = school.model.policies.get(policy.id)
    if school_policy:
        locked = _locked_lines(trust, policy.id)
        lines = _apply(lines, school_policy.overlay, school, policy.id, problems, locked)
    return lines, problems


def compose_meta(policy: PolicySource, trust: Trust, school: School) -> PolicyMeta:
    """The policy's front matter with the trust's then the school's `set:` values."""
    meta = policy.meta.model
    for overlay in _overlays(policy.id, trust, school):
        changes = overlay.set.model_dump(exclude_none=True)
        meta = meta.model_copy(update=changes)
    return meta


def _overlays(policy_id: str, trust: Trust, school: School) -> list[Overlay]:
    found = [trust.policies[policy_id].overlay] if policy_id in trust.policies else []
    if policy_id in school.policies:
        found.append(school.policies[policy_id].overlay)
    return found


def _locked_lines(trust: Source[Trust], policy_id: str) -> dict[str, int]:
    trust_policy = trust.model.policies.get(policy_id)
    if not trust_policy:
        return {}
    loc = ("policies", policy_id, "locked")
    return {sid: trust.lines.get((*loc, i), 1) for i, sid in enumerate(trust_policy.locked)}


def _apply(
    lines: list[Line], overlay: Overlay, source: Source[Trust] | Source[School],
    policy_id: str, problems: list[Problem], locked: dict[str, int],
) -> list[Line]:
    loc = ("policies", policy_id, "overlay", "sections")
    for i, change in enumerate(overlay.sections):
        where = source.lines.get((*loc, i, "section"), 1)
        problem = _refuse(lines, change, locked, source.path, where, policy_id)
        if problem:
            problems.append(problem)
            continue
        text_line = source.lines.get((*loc, i, "text"), where)
        first = text_line + 1 if "\n" in change.text else text_line
        lines = apply_change(lines, change, lines_from(change.text.rstrip("\n"), source.path, first))
    return lines


def _refuse(
    lines: list[Line], change: SectionChange, locked: dict[str, int], path: str, line: int,
    policy_id: str,
) -> Problem | None:
    known = sections(lines)
    if change.section not in known:
        ids = ", ".join(known) or "none"
        return Problem(path, line, f"policy '{policy_id}' has no section '{change.section}'",
                       f"use one of its section ids: {ids}")
    for locked_id, locked_line in locked.items():
        if _touches(lines, change, locked_id):
            return Problem(path, line,
                           f"section '{locked_id}' of policy '{policy_id}' is locked by the trust "
                           f"(schools/{path.split('/')[1]}/trust.yml:{locked_line})",
                           "remove this change, or ask the trust to change its text")
    return None


def _touches(lines: list[Line], change: SectionChange, locked_id: str) -> bool:
    if change.action == "insert_after":
        # Inserting after the locked section leaves it alone; inserting inside it does not.
        return change.section != locked_id and contained_in(lines, change.section, locked_id)
    return contained_in(lines, change.section, locked_id)
