"""Review dates: for every school and policy, whether its review is overdue, due soon, never done or late.

`policypress check reviews` prints a table per school and exits 1 when a statutory policy is
overdue; the same results go to JSON, to an iCalendar feed per school and per trust, and to a
trust dashboard (build/reports/). Every result depends on an explicit "today", never the clock.
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass
from typing import Any

from rich import box
from rich.console import RenderableType
from rich.table import Table
from rich.text import Text

from policypress.checks.findings import Finding, Place
from policypress.compose import wording as words
from policypress.compose.render import RenderedPolicy, RenderedSchool
from policypress.core.dates import add_months
from policypress.core.errors import UsageError
from policypress.source.project import Project
from policypress.source.schema_types import review_cycle_months

DEFAULT_WITHIN = 60  # days ahead that count as "due soon": about half a school term


@dataclass(frozen=True)
class Status:
    """One kind of result, shown as a symbol and words as well as a colour."""

    key: str
    symbol: str
    label: str
    style: str
    """Rich style of the terminal table; the HTML dashboard uses the key as a class."""
    rank: int
    """Order in a school's table: the most urgent first."""


OVERDUE = Status("overdue", "✗", "Overdue", "bold red", 0)
NEVER_APPROVED = Status("never-approved", "○", "Never approved", "magenta", 1)
DUE_SOON = Status("due-soon", "!", "Due soon", "yellow", 2)
CYCLE_TOO_LONG = Status("cycle-too-long", "»", "Cycle too long", "cyan", 3)
UP_TO_DATE = Status("up-to-date", "✓", "Up to date", "green", 4)
STATUSES = (OVERDUE, NEVER_APPROVED, DUE_SOON, CYCLE_TOO_LONG, UP_TO_DATE)


@dataclass(frozen=True)
class Review:
    """Where one school's policy stands on a given day."""

    school: RenderedSchool
    policy: RenderedPolicy
    status: Status
    days_left: int | None
    """Days until the review is due: negative once it is overdue, None when never approved."""
    days_late: int = 0
    """Days after its due date that the latest approval came."""

    @property
    def text(self) -> str:
        """The status in words, e.g. 'Overdue by 68 days'."""
        left = self.days_left or 0
        if self.status is OVERDUE:
            return f"Overdue by {day_count(-left)}"
        if self.status is DUE_SOON:
            return "Due today" if left == 0 else f"Due in {day_count(left)}"
        if self.status is CYCLE_TOO_LONG:
            return f"Cycle too long: reviewed {day_count(self.days_late)} late"
        return self.status.label


def day_count(days: int) -> str:
    return "1 day" if days == 1 else f"{days} days"


def days_late(policy: RenderedPolicy) -> int:
    """How many days after its due date the latest approval came (0 if on time or the first)."""
    if len(policy.approvals) < 2:
        return 0
    previous, latest = policy.approvals[-2:]
    due = add_months(previous.date, review_cycle_months(policy.meta.review_cycle))
    return max(0, (latest.date - due).days)


def review_of(school: RenderedSchool, policy: RenderedPolicy, today: dt.date, within: int) -> Review:
    """The status of one policy of one school on the day `today`."""
    if policy.next_review is None:
        return Review(school, policy, NEVER_APPROVED, None)
    left, late = (policy.next_review - today).days, days_late(policy)
    if left < 0:
        status = OVERDUE
    elif left <= within:
        status = DUE_SOON
    else:
        status = CYCLE_TOO_LONG if late else UP_TO_DATE
    return Review(school, policy, status, left, late)


def school_reviews(school: RenderedSchool, today: dt.date, within: int) -> list[Review]:
    """Every policy the school lists (drafts and staff-only ones too): most urgent first."""
    found = [review_of(school, policy, today, within) for policy in school.policies]
    return sorted(found, key=lambda r: (r.status.rank, r.days_left or 0, r.policy.meta.title))


def project_reviews(schools: list[RenderedSchool], today: dt.date, within: int,
                    chosen: tuple[str, ...] = ()) -> list[list[Review]]:
    """Reviews per school, schools in id order; only the chosen ones when some are named."""
    known = {s.school.id for s in schools}
    unknown = [sid for sid in chosen if sid not in known]
    if unknown:
        raise UsageError(f"unknown school {', '.join(unknown)} — known schools: {', '.join(sorted(known))}")
    picked = sorted((s for s in schools if not chosen or s.school.id in chosen), key=lambda s: s.school.id)
    return [school_reviews(school, today, within) for school in picked]


def check_fails(per_school: list[list[Review]], strict: bool) -> bool:
    """Exit 1: a statutory policy is overdue (with strict: any policy is)."""
    return any(_fails(r, strict) for rs in per_school for r in rs)


def _fails(review: Review, strict: bool) -> bool:
    return review.status is OVERDUE and (strict or review.policy.meta.statutory)


def review_findings(project: Project, per_school: list[list[Review]], strict: bool) -> list[Finding]:
    """What needs attention, at the line of the school file that lists the policy, most urgent first."""
    return [_finding(project, r, strict) for rs in per_school for r in rs if r.status is not UP_TO_DATE]


def _finding(project: Project, review: Review, strict: bool) -> Finding:
    school, policy = review.school.school.id, review.policy
    source = project.schools[school].source
    line = source.lines.get(("policies", policy.id), source.lines.get(("policies",), 1))
    what, fix = _attention(review)
    return Finding((Place(source.path, line, school, policy.id),), review.status.key, what, fix,
                   statutory=policy.meta.statutory, fails=_fails(review, strict))


def _attention(review: Review) -> tuple[str, str]:
    """(what, fix) for a review that needs attention."""
    meta, due = review.policy.meta, words.date_words(review.policy.next_review)
    approve = f"{review.policy.by_words(review.policy.approver)} should approve the reviewed policy"
    if review.status is NEVER_APPROVED:
        return (f"the {meta.title} has never been approved",
                f"{approve}, recorded with policypress approve, or take it off the school's list until it is ready")
    if review.status is CYCLE_TOO_LONG:
        return (f"the {meta.title} was reviewed {day_count(review.days_late)} later than its cycle allows",
                f"{approve} by {due}, its next review date")
    left = review.days_left or 0
    when = f"was due on {due}, {day_count(-left)} ago" if left < 0 else f"is due on {due}" + (
        ", today" if left == 0 else f", in {day_count(left)}")
    return f"the review of the {meta.title} {when}", f"{approve}, recorded with policypress approve"


def counts(per_school: list[list[Review]]) -> dict[str, int]:
    """How many reviews have each status, every status listed."""
    found = {status.key: 0 for status in STATUSES}
    for reviews in per_school:
        for review in reviews:
            found[review.status.key] += 1
    return found


def summary_line(per_school: list[list[Review]], today: dt.date, within: int) -> str:
    """One sentence under the tables: what was found, and on which day."""
    found = counts(per_school)
    statutory = sum(r.status is OVERDUE and r.policy.meta.statutory for rs in per_school for r in rs)
    return (f"On {words.date_words(today)}: {found['overdue']} overdue ({statutory} statutory), "
            f"{found['due-soon']} due within {day_count(within)}, {found['never-approved']} never approved, "
            f"{found['cycle-too-long']} reviewed late, {found['up-to-date']} up to date.")


def reviews_document(per_school: list[list[Review]], today: dt.date, within: int) -> dict[str, object]:
    """The results for CI and other tools; policies in id order so that diffs stay small."""
    schools = []
    for reviews in per_school:
        if not reviews:
            continue
        school = reviews[0].school
        schools.append({"id": school.school.id, "name": school.school.name, "trust": school.trust.id,
                        "policies": [_policy_json(r) for r in sorted(reviews, key=lambda r: r.policy.id)]})
    return {"today": today.isoformat(), "within_days": within, "counts": counts(per_school), "schools": schools}


def _policy_json(review: Review) -> dict[str, Any]:
    policy, latest, left = review.policy, review.policy.approved, review.days_left
    return {
        "id": policy.id, "title": policy.meta.title, "statutory": policy.meta.statutory,
        "review_cycle": policy.meta.review_cycle,
        "approved": latest.date.isoformat() if latest else None,
        "approved_by": latest.by if latest else None, "version": latest.version if latest else None,
        "next_review": policy.next_review.isoformat() if policy.next_review else None,
        "status": review.status.key, "status_text": review.text,
        "days_overdue": -left if left is not None and left < 0 else None,
        "days_left": left if left is not None and left >= 0 else None,
        "days_late": review.days_late,
    }


def review_tables(per_school: list[list[Review]]) -> list[RenderableType]:
    """Per school, a heading and a table of what needs attention, or one line saying all is well."""
    found: list[RenderableType] = []
    for reviews in per_school:
        if not reviews:
            continue
        name = f"{reviews[0].school.school.name} ({reviews[0].school.school.id})"
        attention = [r for r in reviews if r.status is not UP_TO_DATE]
        if not attention:
            found.append(Text(f"{name}: {_all_up_to_date(len(reviews))}.", style="green"))
            continue
        table = Table(*TABLE_COLUMNS, box=box.SIMPLE_HEAD, show_edge=False, pad_edge=False)
        for review in attention:
            table.add_row(*_table_row(review), style=review.status.style)
        found += [Text(name, style="bold"), table, Text(_others(len(reviews) - len(attention)))]
    return found


TABLE_COLUMNS = ("Policy", "Status", "Next review", "Approved", "Cycle")


def _all_up_to_date(count: int) -> str:
    return "its one policy is up to date" if count == 1 else f"all {count} policies up to date"


def _others(count: int) -> str:
    return f"{count} other {'policy' if count == 1 else 'policies'} up to date.\n"


def _table_row(review: Review) -> tuple[str, ...]:
    policy, latest = review.policy, review.policy.approved
    title = f"{policy.meta.title} (statutory)" if policy.meta.statutory else policy.meta.title
    return (title, f"{review.status.symbol} {review.text}",
            policy.next_review.isoformat() if policy.next_review else "—",
            latest.date.isoformat() if latest else "—",
            words.cycle_words(policy.meta.review_cycle).lower())
