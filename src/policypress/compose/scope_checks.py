"""Scoped model policies: a school or trust that names a model outside its scope.

Which model a school gets is decided in one place, `Project.find_model` (source/project.py): the
trust's own model, else its local authority's, else the shared one. Here are the problems when
none of them has the id: the message says where a model of that id does exist, so the fix is
plain ("'uniform' is a model of trust 'riverside-academy-trust', and Hillcrest is in trust
'oakfield-learning-trust'").
"""

from __future__ import annotations

from collections.abc import Callable

from policypress.core.errors import Problem
from policypress.source.project import PolicySource, Project, SchoolSource


def school_policy_problem(project: Project, school: SchoolSource, policy_id: str,
                          is_broken: Callable[[str], bool]) -> list[Problem]:
    """A school lists policy_id but no model in its scope has it (None if one does, or its file is unreadable)."""
    if project.find_model(school, policy_id) or is_broken(policy_id):
        return []
    source = school.source
    line = source.lines.get(("policies", policy_id), 1)
    known = ", ".join(sorted(project.models_seen_by(school))) or "none"
    elsewhere = project_models(project, policy_id)
    if not elsewhere:
        return [Problem(source.path, line, f"there is no policy '{policy_id}' in content/policies",
                        f"use one of: {known}")]
    la = source.model.local_authority
    return [Problem(source.path, line, f"{_where(elsewhere)}, and {source.model.name} is in trust '{school.trust}' "
                    f"and local authority '{la}'",
                    f"use one of the models it can see ({known}), or add schools/{school.trust}/policies/"
                    f"{policy_id}.md (for the trust's schools) or content/policies/{policy_id}.md (shared)")]


def trust_policy_problem(project: Project, trust_id: str, policy_id: str,
                         is_broken: Callable[[str], bool]) -> list[Problem]:
    """A trust adapts policy_id (trust.yml `policies:`) but neither it nor any of its schools can see that model."""
    if project.trust_model(trust_id, policy_id) or is_broken(policy_id):
        return []
    trust = project.trusts[trust_id]
    line = trust.lines.get(("policies", policy_id), 1)
    elsewhere = project_models(project, policy_id)
    known = ", ".join(sorted(trust_models(project, trust_id))) or "none"
    if not elsewhere:
        return [Problem(trust.path, line, f"there is no policy '{policy_id}' in content/policies",
                        f"use one of: {known}")]
    return [Problem(trust.path, line, f"{_where(elsewhere)}, which no school of trust '{trust_id}' can use",
                    f"remove it from policies: here, or add schools/{trust_id}/policies/{policy_id}.md; "
                    f"the trust's schools can use: {known}")]


def project_models(project: Project, policy_id: str) -> list[PolicySource]:
    """Every model of this id, whatever its scope."""
    return [policy for policy in project.all_models() if policy.id == policy_id]


def trust_models(project: Project, trust_id: str) -> set[str]:
    """The ids of every model the trust or one of its schools can see."""
    found = set(project.trust_policies.get(trust_id, {}))
    for school in (school for school in project.schools.values() if school.trust == trust_id):
        found |= set(project.models_seen_by(school))
    return found | set(project.policies)


def _where(models: list[PolicySource]) -> str:
    """"'uniform' is a model of trust 'x' (schools/x/policies/uniform.md)", several joined by 'and of'."""
    places = [f"{m.scope.words()} ({m.meta.path})" for m in models]
    return f"'{models[0].id}' is a model of " + " and of ".join(places)

