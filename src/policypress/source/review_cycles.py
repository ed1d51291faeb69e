"""The review-cycle rule: a trust or school may review a policy more often, never less often than allowed.

A model policy's `max_review_cycle` (or, for a statutory policy, its own `review_cycle`) is the
longest cycle allowed. A `set: {review_cycle: …}` overlay that goes past it is an input error.
"""

from __future__ import annotations

from collections.abc import Callable
from functools import partial

from policypress.core.errors import Problem
from policypress.source.content_schema import longest_cycle
from policypress.source.project import PolicySource, Project, Source
from policypress.source.schema_types import review_cycle_months
from policypress.source.school_schema import School, Trust

SHORTER_EXAMPLE = "'6 months'"


def cycle_problems(project: Project) -> list[Problem]:
    """Every review cycle in the project that is longer than its policy allows."""
    problems = [p for policy in project.all_models() if (p := _model_problem(policy))]
    for trust_id, trust in project.trusts.items():
        problems += _overlay_problems(trust, partial(project.trust_model, trust_id))
    for school in project.schools.values():
        problems += _overlay_problems(school.source, partial(project.find_model, school))
    return problems


def _model_problem(policy: PolicySource) -> Problem | None:
    meta = policy.meta.model
    limit = meta.max_review_cycle
    if limit is None or review_cycle_months(meta.review_cycle) <= review_cycle_months(limit):
        return None
    line = policy.meta.lines.get(("review_cycle",), 1)
    return Problem(policy.meta.path, line,
                   f"review_cycle '{meta.review_cycle}' is longer than max_review_cycle '{limit}'",
                   "make review_cycle no longer than max_review_cycle, or correct max_review_cycle")


def _overlay_problems(source: Source[Trust] | Source[School],
                      model_of: Callable[[str], PolicySource | None]) -> list[Problem]:
    problems = []
    for policy_id, adapted in source.model.policies.items():
        cycle, policy = adapted.overlay.set.review_cycle, model_of(policy_id)
        limit = longest_cycle(policy.meta.model) if policy else None
        if cycle is None or limit is None or review_cycle_months(cycle) <= review_cycle_months(limit):
            continue
        line = source.lines.get(("policies", policy_id, "overlay", "set", "review_cycle"), 1)
        problems.append(Problem(
            source.path, line, f"review_cycle '{cycle}' is longer than policy '{policy_id}' allows (at most {limit})",
            f"set {limit} or a shorter cycle such as {SHORTER_EXAMPLE}: a trust or school may review a "
            "policy more often, never less often"))
    return problems
