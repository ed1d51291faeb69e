"""A trust's scheme of delegation: which bodies may approve a policy, and how each is named.

A trust that declares no `governance:` keeps the fixed approvers (schema_types.Approver): a policy is
approved by the body its front matter names, and a trust-wide approval also by the trust board. A
trust that declares one names its bodies (`the local governing committee`), who may approve what
(by policy id, then category, then the policy's own approver if declared, then `default`), and
delegation: a body acting on behalf of another prints so, and lets that other body approve too.
`approve`, the hand-written approvals (cross_checks) and every printed "approved by" use this.
"""

from __future__ import annotations

import typing

from policypress.compose.wording import approver_words
from policypress.core.errors import Problem
from policypress.source.content_schema import PolicyMeta
from policypress.source.project import Project
from policypress.source.schema_types import Approver
from policypress.source.school_schema import Governance, Trust

TRUST_BOARD = "trust_board"
FIXED = typing.get_args(Approver)


def body_words(trust: Trust, body: str) -> str:
    """'the local governing committee on behalf of the board of trustees', or the fixed words."""
    governance = trust.governance
    if governance is None or body not in governance.bodies:
        return approver_words(body)
    declared = governance.bodies[body]
    above = governance.bodies.get(declared.on_behalf_of or "")
    return f"{declared.name} on behalf of {above.name}" if above else declared.name


def allowed_bodies(trust: Trust, meta: PolicyMeta, policy_id: str, trust_wide: bool = False) -> list[str]:
    """The bodies that may approve this policy for this trust, first the one that usually does."""
    governance = trust.governance
    if governance is None:
        return [meta.approver] + ([TRUST_BOARD] if trust_wide and meta.approver != TRUST_BOARD else [])
    named = _named(governance, meta, policy_id)
    for body in list(named):
        above = governance.bodies[body].on_behalf_of if body in governance.bodies else None
        while above and above not in named:
            named.append(above)
            above = governance.bodies[above].on_behalf_of if above in governance.bodies else None
    return named


def _named(governance: Governance, meta: PolicyMeta, policy_id: str) -> list[str]:
    for key in (policy_id, meta.category):
        if key in governance.approves:
            return list(governance.approves[key])
    if meta.approver in governance.bodies:
        return [meta.approver]
    return list(governance.approves.get("default", []))


def usual_approver(trust: Trust, meta: PolicyMeta, policy_id: str) -> str:
    """The body that usually approves the policy (the pack's 'Decided by', the reviews check)."""
    return next(iter(allowed_bodies(trust, meta, policy_id)), meta.approver)


def unknown_body(trust: Trust, by: str) -> str | None:
    """'what — fix' when `by` names no body this trust has, else None."""
    governance = trust.governance
    known = ", ".join(governance.bodies if governance else FIXED)
    if governance and by not in governance.bodies:
        return (f"'{by}' is not a body of {trust.name}'s scheme of delegation — use one of: {known}, or declare it "
                "under governance.bodies in its trust.yml")
    if governance is None and by not in FIXED:
        return f"'{by}' is not an approving body — use one of: {known}, or declare the trust's own under governance:"
    return None


def refusal(trust: Trust, meta: PolicyMeta, policy_id: str, by: str,
            trust_wide: bool = False) -> tuple[str, str] | None:
    """Why a known body `by` may not approve this policy ('what', 'which body may'), or None when it may."""
    governance = trust.governance
    allowed = allowed_bodies(trust, meta, policy_id, trust_wide)
    if by in allowed:
        return None
    if governance is None:
        return (f"{approver_words(by)} may not approve the \"{meta.title}\": its front matter says it is approved by "
                f"{approver_words(meta.approver)} (approver: {meta.approver})", meta.approver)
    if not allowed:
        return (f"{trust.name}'s scheme of delegation names no body that may approve the \"{meta.title}\"",
                f"a body added for '{policy_id}' under governance.approves in trust.yml")
    names = " or ".join(f"{body_words(trust, b)} ({b})" for b in allowed)
    return (f"{body_words(trust, by)} may not approve the \"{meta.title}\": {trust.name}'s scheme of delegation "
            f"lets only {names} approve it", allowed[0])


def governance_problems(project: Project) -> list[Problem]:
    """Delegation to a body not declared, and 'approves' naming an unknown body or policy."""
    problems = []
    categories = {p.meta.model.category for p in project.policies.values()}
    for trust in project.trusts.values():
        governance = trust.model.governance
        if governance is None:
            continue
        bodies = governance.bodies
        for body_id, body in bodies.items():
            if body.on_behalf_of and (body.on_behalf_of not in bodies or body.on_behalf_of == body_id):
                line = trust.lines.get(("governance", "bodies", body_id, "on_behalf_of"), 1)
                problems.append(Problem(trust.path, line, f"'{body_id}' acts on behalf of '{body.on_behalf_of}', "
                                        "which is not another body of the scheme",
                                        f"use one of: {', '.join(b for b in bodies if b != body_id)}"))
        for key, listed in governance.approves.items():
            line = trust.lines.get(("governance", "approves", key), 1)
            if key != "default" and key not in project.policies and key not in categories:
                problems.append(Problem(trust.path, line, f"'{key}' is neither a policy id nor a category",
                                        "write a policy id (e.g. anti-bullying), a category (e.g. Safeguarding) "
                                        "or default"))
            problems += [Problem(trust.path, line, f"'{body}' is not a body of the scheme",
                                 f"declare it under governance.bodies, or use one of: {', '.join(bodies)}")
                         for body in listed if body not in bodies]
    return problems
