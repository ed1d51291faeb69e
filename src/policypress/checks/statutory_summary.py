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

LEVEL_WORDS = {"must": "required", "should": "recommended"}


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
    unmet: list[tuple[str, str]]
    """(level: must or should, words) for each requirement not met, "must" ones first."""
    elsewhere: list[str]
    """What the school publishes on its own website (met, but outside policypress), by name."""

    @property
    def mark(self) -> tuple[str, str]:
        """(the dashboard's status class, its symbol): a required item unmet is as bad as an overdue review."""
        if self.met == self.total:
            return "up-to-date", "✓"
        return ("overdue", "✗") if any(level == "must" for level, _ in self.unmet) else ("due-soon", "!")


def unmet_words(standing: Standing) -> str:
    """'Behaviour policy (required): out of date since 1 September 2026'."""
    what = f"{standing.requirement.what} ({LEVEL_WORDS[standing.level]})"
    if standing.status == "overdue":
        return f"{what}: out of date since {words.date_words(standing.due)}"
    return f"{what}: {'not yet approved' if standing.status == 'draft-only' else 'missing'}"


def publishing_row(school: RenderedSchool, requirements: Requirements, today: dt.date) -> PublishingRow:
    """The dashboard's line for one school on the day."""
    found = standings(requirements, school, today)
    unmet = sorted((s for s in found if not s.met), key=lambda s: s.level != "must")
    return PublishingRow(school, f"../site/{school.school.id}/statutory-information.html",
                         school_words(school.school), sum(s.met for s in found), len(found),
                         [(s.level, unmet_words(s)) for s in unmet],
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
