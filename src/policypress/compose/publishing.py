"""What each school must or should publish online, and where each requirement is met.

The requirements are `content/publishing.yml`; a policy meets one by naming it in `meets:`, and a
school meets one with a document of its own by declaring it under `published_elsewhere:`. This
module works out, for one school on one day and without the internet, the standing of every
requirement that applies to it: met on the site, met elsewhere, overdue, draft only or missing.
Whether a document published elsewhere can be reached is for `check publishing` (it fetches).
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass
from typing import Literal

from policypress.compose.render import RenderedPolicy, RenderedSchool
from policypress.core.dates import review_after
from policypress.source.publishing_schema import Requirement, Requirements
from policypress.source.schema_types import review_cycle_months
from policypress.source.school_schema import PublishedElsewhere, School

Level = Literal["must", "should"]
Status = Literal["met", "elsewhere", "overdue", "draft-only", "missing"]
STATUS_WORDS: dict[str, str] = {
    "met": "published here", "elsewhere": "published on the school's website", "overdue": "out of date",
    "draft-only": "not yet approved", "missing": "not published",
}


@dataclass(frozen=True)
class Standing:
    """One requirement at one school: how strongly it applies, and where (or whether) it is met."""

    id: str
    requirement: Requirement
    level: Level
    status: Status
    policy: RenderedPolicy | None = None
    """The published (or draft) policy that meets it."""
    document: PublishedElsewhere | None = None
    """The document the school publishes elsewhere that meets it."""
    updated: dt.date | None = None
    """When what meets it was last approved or brought up to date."""
    due: dt.date | None = None
    """When it must next be brought up to date (None: when it changes)."""
    page: str | None = None
    """The page of every school's site that meets it: 'contacts' or 'accessibility'."""

    @property
    def met(self) -> bool:
        return self.status in ("met", "elsewhere")


def level_for(requirement: Requirement, school: School) -> Level | None:
    """'must' or 'should' when the requirement applies to this school, else None."""
    only = requirement.only
    if (only.phases and school.phase not in only.phases) or school.phase in only.not_phases:
        return None
    if (only.nursery and not school.nursery) or (only.sixth_form and not school.sixth_form):
        return None
    if school.kind in requirement.must:
        return "must"
    return "should" if school.kind in requirement.should else None


def standings(requirements: Requirements | None, school: RenderedSchool, today: dt.date) -> list[Standing]:
    """Every requirement (project.requirements.model) that applies to the school, in the file's order."""
    if requirements is None:
        return []
    found = []
    for req_id, requirement in requirements.requirements.items():
        level = level_for(requirement, school.school)
        if level:
            found.append(_standing(req_id, requirement, level, school, today))
    return found


def _standing(req_id: str, requirement: Requirement, level: Level, school: RenderedSchool,
              today: dt.date) -> Standing:
    if requirement.on_this_site:
        return Standing(req_id, requirement, level, "met", page=requirement.on_this_site)
    policies = [p for p in school.policies if req_id in p.meta.meets and "public" in p.meta.audience]
    published = [p for p in policies if p.public]
    document = school.school.published_elsewhere.get(req_id)
    if published:
        newest = max(published, key=lambda p: p.approved.date if p.approved else dt.date.min)
        return _dated(Standing(req_id, requirement, level, "met", policy=newest), newest.approved.date
                      if newest.approved else None, today)
    if document:
        return _dated(Standing(req_id, requirement, level, "elsewhere", document=document), document.updated, today)
    if policies:
        return Standing(req_id, requirement, level, "draft-only", policy=policies[0])
    return Standing(req_id, requirement, level, "missing")


def _dated(standing: Standing, updated: dt.date | None, today: dt.date) -> Standing:
    cycle = standing.requirement.update_every
    due = review_after(updated, review_cycle_months(cycle)) if updated and cycle else None
    overdue = due is not None and due < today
    return Standing(standing.id, standing.requirement, standing.level, "overdue" if overdue else standing.status,
                    standing.policy, standing.document, updated, due, standing.page)
