"""The trust dashboard's "What each school publishes online": a row per school, from its standings.

Offline, like the rest of the dashboard: whether a document published elsewhere can be reached is
for `check publishing`. Each row links to the school's statutory information page as built next to
the report (`../site/<school>/statutory-information.html`).
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass

from policypress.compose import wording as words
from policypress.compose.publishing import Standing, standings
from policypress.compose.render import RenderedSchool
from policypress.outputs.statutory_page import school_words
from policypress.source.publishing_schema import Requirements

LEVEL_WORDS = {"must": "Required", "should": "Recommended"}
UNMET_WORDS = {"overdue": "out of date", "draft-only": "not yet approved", "missing": "missing"}


@dataclass(frozen=True)
class PublishingRow:
    """One school's line: what kind of school it is, how much is met, and what is not, in words."""

    school: RenderedSchool
    page: str
    """Its statutory information page, relative to build/reports/."""
    kind: str
    """'Primary academy with a nursery'."""
    met: int
    total: int
    unmet: list[tuple[str, str, list[str]]]
    """(level: must or should, 'Required, out of date', [what, with the date it was due]): what is not met,
    by level ("must" first) and status."""
    elsewhere: list[str]
    """What the school publishes on its own website (met, but outside policypress), by name."""

    @property
    def mark(self) -> tuple[str, str]:
        """(the dashboard's status class, its symbol): a required item unmet is as bad as an overdue review."""
        if self.met == self.total:
            return "up-to-date", "✓"
        return ("overdue", "✗") if any(level == "must" for level, _, _ in self.unmet) else ("due-soon", "!")


def unmet_groups(found: list[Standing]) -> list[tuple[str, str, list[str]]]:
    """What is not met, grouped: ('must', 'Required, out of date', ['Behaviour policy (since 1 September 2026)'])."""
    groups = []
    for level, level_words in LEVEL_WORDS.items():
        for status, status_words in UNMET_WORDS.items():
            items = [_unmet_item(s) for s in found if s.level == level and s.status == status]
            if items:
                groups.append((level, f"{level_words}, {status_words}", items))
    return groups


def _unmet_item(standing: Standing) -> str:
    what = standing.requirement.what
    return f"{what} (since {words.date_words(standing.due)})" if standing.status == "overdue" else what


def publishing_row(school: RenderedSchool, requirements: Requirements, today: dt.date) -> PublishingRow:
    """The dashboard's line for one school on the day."""
    found = standings(requirements, school, today)
    return PublishingRow(school, f"../site/{school.school.id}/statutory-information.html",
                         school_words(school.school), sum(s.met for s in found), len(found),
                         unmet_groups(found),
                         [s.requirement.what for s in found if s.status == "elsewhere"])


def publishing_rows(schools: list[RenderedSchool], requirements: Requirements | None,
                    today: dt.date) -> list[tuple[str, list[PublishingRow]]]:
    """(trust name, its schools' rows by school name) by trust name; nothing without requirements."""
    if requirements is None:
        return []
    by_trust: dict[str, list[PublishingRow]] = {}
    for school in sorted(schools, key=lambda s: s.school.name):
        by_trust.setdefault(school.trust.name, []).append(publishing_row(school, requirements, today))
    return sorted(by_trust.items())
