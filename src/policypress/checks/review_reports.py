"""build/reports/: an iCalendar feed of review dates per school and per trust, and the trust dashboard.

Written by `policypress build` and `policypress check reviews`, always for every school, each file
renamed into place whole (core.files.write_atomically).

On the dashboard, a policy that is on the school's site links to its page there: the copy built
next to the report (`../site/<school>/policies/<id>.html`, which `policypress build` writes and a
local copy of build/ keeps working), and, when the trust has a `site_url`, the page as published
(which works wherever the report is opened, e.g. from an email). A draft, or a policy not meant
for the public, is on no site: it has no link, and the dashboard says why in words.
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass
from pathlib import Path
from urllib.parse import urlsplit

from policypress.checks.findings import CheckResult
from policypress.checks.report import REPORT_TEMPLATES, render_html
from policypress.checks.reviews import (
    DEFAULT_WITHIN,
    STATUSES,
    UP_TO_DATE,
    Review,
    project_reviews,
    review_findings,
    review_tables,
    reviews_document,
    school_reviews,
    summary_line,
)
from policypress.checks.statutory_summary import PublishingRow, publishing_rows
from policypress.compose import wording as words
from policypress.compose.load import load_project
from policypress.compose.render import RenderedSchool, render_project
from policypress.core.dates import build_today
from policypress.core.files import write_atomically
from policypress.outputs.calendar_feed import FeedEvent, calendar_bytes
from policypress.source.publishing_schema import Requirements

FEED_SUFFIX = "-reviews.ics"
DASHBOARD = "reviews.html"


@dataclass(frozen=True)
class TrustGrid:
    """One trust's part of the dashboard: its schools (rows) × the policies they use (columns)."""

    name: str
    feed: str
    policies: list[tuple[str, str]]
    """(policy id, title) in home-page order."""
    rows: list[tuple[RenderedSchool, str, list[Review | None]]]
    """Each school, its feed's file name, and its review of each policy (None: it does not use it)."""


def write_review_reports(folder: Path, templates: Path, schools: list[RenderedSchool], today: dt.date,
                         within: int, requirements: Requirements | None = None) -> list[str]:
    """Write every feed and the dashboard into folder; remove feeds of schools that are gone.

    requirements: the project's publishing requirements; with them, the dashboard shows what each school
    publishes online."""
    ordered = sorted(schools, key=lambda s: s.school.id)
    per_school = [school_reviews(s, today, within) for s in ordered]
    files: dict[str, bytes | str] = {f"{s.school.id}{FEED_SUFFIX}": school_feed(s, rs)
                                     for s, rs in zip(ordered, per_school, strict=True)}
    for trust_id, reviews in _by_trust(per_school).items():
        files[f"{trust_id}{FEED_SUFFIX}"] = trust_feed(reviews)
    publishing = publishing_rows(ordered, requirements, today)
    files[DASHBOARD] = dashboard_html(templates, per_school, today, within, publishing)
    write_atomically(folder, files)
    for stale in folder.glob(f"*{FEED_SUFFIX}"):
        if stale.name not in files:
            stale.unlink()
    return sorted(files)


def _by_trust(per_school: list[list[Review]]) -> dict[str, list[Review]]:
    found: dict[str, list[Review]] = {}
    for reviews in per_school:
        for review in reviews:
            found.setdefault(review.school.trust.id, []).append(review)
    return found


def school_feed(school: RenderedSchool, reviews: list[Review]) -> bytes:
    """The school's calendar: one all-day event on each policy's next review date."""
    name = f"Policy reviews: {school.school.name}"
    about = f"When each of {school.school.name}'s policies is next due for review and approval."
    return calendar_bytes(name, about, [e for r in reviews if (e := feed_event(r))])


def trust_feed(reviews: list[Review]) -> bytes:
    """The trust's calendar: every school's review dates."""
    trust = reviews[0].school.trust
    about = f"When each policy of every {trust.name} school is next due for review and approval."
    return calendar_bytes(f"Policy reviews: {trust.name}", about, [e for r in reviews if (e := feed_event(r))])


def feed_event(review: Review) -> FeedEvent | None:
    """The event for a policy's next review; a policy never approved has no date yet."""
    policy, school, latest = review.policy, review.school, review.policy.approved
    if latest is None or policy.next_review is None:
        return None
    meta = policy.meta
    description = (f"{meta.title} at {school.school.name}. Last approved by {policy.by_words(latest.by)} "
                   f"{words.on_date(latest.date)} (version {latest.version}). It is reviewed "
                   f"{words.cycle_words(meta.review_cycle).lower()}: {policy.by_words(policy.approver)} "
                   f"should approve the reviewed policy by {words.date_words(policy.next_review)}."
                   + (" This is a statutory policy." if meta.statutory else ""))
    return FeedEvent(policy.next_review, f"review-{school.school.id}-{policy.id}@{_host(school)}",
                     f"Review due: {meta.title} ({school.school.name})", description, latest.date,
                     len(policy.approvals) - 1)


def _host(school: RenderedSchool) -> str:
    """The trust's own domain, so that UIDs are globally unique (RFC 5545 section 3.8.4.7)."""
    return urlsplit(school.trust.site_url or school.trust.website).hostname or "policypress.invalid"


def trust_grids(per_school: list[list[Review]]) -> list[TrustGrid]:
    """The dashboard's tables: one per trust, trusts and schools by name."""
    grids = []
    for reviews in _by_trust(per_school).values():
        trust = reviews[0].school.trust
        policies = _columns(reviews)
        schools = sorted({r.school.school.id: r.school for r in reviews}.values(), key=lambda s: s.school.name)
        rows = [(s, f"{s.school.id}{FEED_SUFFIX}", [_cell(reviews, s, pid) for pid, _ in policies]) for s in schools]
        grids.append(TrustGrid(trust.name, f"{trust.id}{FEED_SUFFIX}", policies, rows))
    return sorted(grids, key=lambda g: g.name)


def _columns(reviews: list[Review]) -> list[tuple[str, str]]:
    """Each policy once (as the first school in id order titles it), by category then title."""
    first: dict[str, tuple[str, str]] = {}
    for review in reviews:
        first.setdefault(review.policy.id, (review.policy.meta.category, review.policy.meta.title))
    return [(pid, title) for pid, (_, title) in sorted(first.items(), key=lambda item: (item[1], item[0]))]


def _cell(reviews: list[Review], school: RenderedSchool, policy_id: str) -> Review | None:
    return next((r for r in reviews if r.school is school and r.policy.id == policy_id), None)


@dataclass(frozen=True)
class PolicyPage:
    """Where the dashboard links a policy: its page on the school's site, or why it has none."""

    built: str | None
    """The page built next to the report, relative to build/reports/ (None: not on the site)."""
    published: str | None
    """The page at the trust's site_url (None: no site_url, or not on the site)."""
    host: str | None
    """The published site's host name, as the link's words."""
    absent: str | None
    """Why the policy is on no site, in words (None: it is on the site)."""


def policy_page(review: Review) -> PolicyPage:
    """The links of one school's policy on the dashboard."""
    policy, school = review.policy, review.school
    if policy.approved is None:
        return PolicyPage(None, None, None, "Draft: not on the website until it is approved")
    if not policy.public:
        readers = ", ".join(a for a in policy.meta.audience if a != "public") or "no one"
        return PolicyPage(None, None, None, f"Not on the website: for {readers} only")
    page = f"{school.school.id}/policies/{policy.id}.html"
    site_url = school.trust.site_url
    published = f"{site_url.rstrip('/')}/{page}" if site_url else None
    return PolicyPage(f"../site/{page}", published, urlsplit(site_url).hostname if site_url else None, None)


def dashboard_html(templates: Path, per_school: list[list[Review]], today: dt.date, within: int,
                   publishing: list[tuple[str, list[PublishingRow]]] | None = None) -> str:
    """build/reports/reviews.html: every school × policy, status in symbols and words as well as colour."""
    attention = sorted((r for rs in per_school for r in rs if r.status is not UP_TO_DATE),
                       key=lambda r: (r.status.rank, r.days_left or 0, r.school.school.name, r.policy.meta.title))
    return render_html(templates / REPORT_TEMPLATES.name, "reviews.html.j2",
                       {"long_date": words.date_words, "page": policy_page},
                       grids=trust_grids(per_school), attention=attention, statuses=STATUSES, today=today,
                       within=within, publishing=publishing or [])


def run(root: Path, /, today: dt.date | None = None, within: int = DEFAULT_WITHIN, schools: tuple[str, ...] = (),
        strict: bool = False, out: Path | None = None) -> CheckResult:
    """`policypress check reviews`: the chosen schools' tables; the reports (every school) go to OUT/reports."""
    day, folder = today or build_today(), (out or root / "build")
    project = load_project(root)
    rendered = render_project(project)
    per_school = project_reviews(rendered, day, within, schools)
    written = write_review_reports(folder.resolve() / "reports", root / "templates", rendered, day, within,
                                   project.requirements.model if project.requirements else None)
    findings = review_findings(project, per_school, strict)
    feeds = sum(name.endswith(".ics") for name in written)
    note = f"{feeds} calendar feeds and the dashboard reviews.html are in {folder / 'reports'}"
    return CheckResult(findings, summary_line(per_school, day, within), reviews_document(per_school, day, within),
                       any(f.fails for f in findings), shown=review_tables(per_school), notes=[note])
