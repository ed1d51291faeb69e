"""Cross-file checks of the publishing requirements and old terms: every name they use points somewhere.

Kept apart from compose/publishing.py (which needs rendered schools) so that load-time checks do not
import the renderer.
"""

from __future__ import annotations

import difflib

from policypress.core.errors import Problem
from policypress.source.project import Project
from policypress.source.publishing_schema import KINDS, Requirement


def publishing_problems(project: Project) -> list[Problem]:
    """Names that point nowhere (a policy's meets:, a school's published_elsewhere:, a requirement's registry
    id, an old term's changed_by) and schools that do not say what kind they are, when it matters."""
    problems = _registry_names(project)
    known = project.requirements.model.requirements if project.requirements else {}
    for policy in project.all_models():
        for i, req_id in enumerate(policy.meta.model.meets):
            problems += _unknown(req_id, known, policy.meta.path, policy.meta.lines.get(("meets", i), 1))
    for school in project.schools.values():
        source = school.source
        for req_id in source.model.published_elsewhere:
            problems += _unknown(req_id, known, source.path, source.lines.get(("published_elsewhere", req_id), 1))
        if project.requirements and source.model.kind is None:
            problems.append(Problem(source.path, source.lines.get(("phase",), 1),
                                    "the school does not say what kind of school it is, so what it must publish "
                                    "online cannot be worked out", f"add 'kind:' with one of {', '.join(KINDS)}"))
    return problems


def _unknown(req_id: str, known: dict[str, Requirement], path: str, line: int) -> list[Problem]:
    if req_id in known:
        return []
    close = difflib.get_close_matches(req_id, sorted(known), n=1)
    hint = f"did you mean '{close[0]}'?" if close else (
        f"use one of: {', '.join(sorted(known))}" if known else "add content/publishing.yml with that requirement")
    return [Problem(path, line, f"'{req_id}' is not a publishing requirement in content/publishing.yml", hint)]


def _registry_names(project: Project) -> list[Problem]:
    entries = project.registry.model.entries
    named: list[tuple[str, str, int]] = []
    if project.requirements:
        source = project.requirements
        named += [(r.registry, source.path, source.lines.get(("requirements", i, "registry"), 1))
                  for i, r in source.model.requirements.items()]
    if project.terms:
        source2 = project.terms
        named += [(t.changed_by, source2.path, source2.lines.get(("terms", i, "changed_by"), 1))
                  for i, t in source2.model.terms.items()]
    return [Problem(path, line, f"'{entry}' is not in content/statutory.yml",
                    _close_hint(entry, sorted(entries))) for entry, path, line in named if entry not in entries]


def _close_hint(name: str, known: list[str]) -> str:
    close = difflib.get_close_matches(name, known, n=1)
    return f"did you mean '{close[0]}'?" if close else "add it to the registry, or correct the id"
