"""Review dates: `check reviews` (table, JSON, exit codes), calendar feeds, the dashboard, the
review-cycle rule, ISO dates, and the honest "review overdue" wording on pages and PDFs.

Every check runs on a fixed day (--today, or SOURCE_DATE_EPOCH for a build), so the expected
tables and JSON below are exact.
"""

from __future__ import annotations

import datetime as dt
import json
import re
import subprocess
import textwrap
from collections.abc import Callable
from html.parser import HTMLParser
from pathlib import Path

import icalendar
import pytest

from conftest import POLICY, REPO, SCHOOL, TRUST
from policypress.compose.load import load_project
from policypress.compose.render import RenderedPolicy, RenderedSchool, render_project
from policypress.compose.review_dates import next_review_words
from policypress.core.dates import build_today
from policypress.core.errors import SourceErrors
from policypress.outputs import pdf
from policypress.outputs.pages import approval_line
from tree_tools import run

MakeProject = Callable[..., Path]
ALPHA = "schools/test-trust/alpha.yml"
TRUST_FILE = "schools/test-trust/trust.yml"
SAFEGUARDING = "content/policies/safeguarding.md"
TODAY = "2026-11-22"


def policy_file(title: str, statutory: bool, cycle: str, approver: str = "full_governing_body",
                extra: str = "") -> str:
    return (f"---\ntitle: {title}\nsummary: What the {title.lower()} says.\ncategory: General\n"
            f"statutory: {'true' if statutory else 'false'}\napprover: {approver}\nreview_cycle: {cycle}\n"
            f"{extra}owner: headteacher\naudience: [public]\n---\nOur {title.lower()}.\n")


def with_policies(school: str, block: str) -> str:
    """A school file whose policies: section is block (its lines go two spaces under policies:)."""
    return school.split("policies:\n")[0] + "policies:\n" + textwrap.indent(textwrap.dedent(block), "  ")


ALPHA_POLICIES = """\
  safeguarding:
    approvals:
      - {date: 2025-09-01, by: full_governing_body, version: "1.0"}
  charging: {}
  uniform:
    approvals:
      - {date: 2025-12-15, by: headteacher, version: "1.0"}
  trips:
    approvals:
      - {date: 2023-01-10, by: full_governing_body, version: "1.0"}
      - {date: 2025-03-10, by: full_governing_body, version: "2.0"}
  homework:
    approvals:
      - {date: 2026-06-01, by: headteacher, version: "1.0"}
"""
BETA = SCHOOL.replace("id: alpha", "id: beta").replace("Alpha Primary", "Beta Infant")
POLICIES = {
    "content/policies/charging.md": policy_file("Charging policy", True, "recommended_annually"),
    "content/policies/uniform.md": policy_file("Uniform policy", False, "annually", "headteacher"),
    "content/policies/trips.md": policy_file("School trips policy", False, "every_2_years"),
    "content/policies/homework.md": policy_file("Homework policy", False, "annually", "headteacher"),
}


@pytest.fixture
def reviews_tree(make_project: MakeProject) -> Path:
    """Alpha: one policy of every status on 2026-11-22. Beta: one policy, up to date."""
    return make_project({**POLICIES, ALPHA: with_policies(SCHOOL, ALPHA_POLICIES), "schools/test-trust/beta.yml": BETA})


@pytest.fixture
def columns(monkeypatch: pytest.MonkeyPatch) -> None:
    """Rich lays tables out to COLUMNS when not writing to a terminal: a fixed width gives exact text."""
    monkeypatch.setenv("COLUMNS", "100")
    monkeypatch.delenv("SOURCE_DATE_EPOCH", raising=False)


def check(root: Path, *args: str) -> subprocess.CompletedProcess[str]:
    return run(root, "check", "reviews", "--out", str(root / "out"), *args)


# --- the command: exact table, JSON and exit codes -------------------------------------------------

EXPECTED_TABLE = """\
Alpha Primary School (alpha)
Policy                    Status                  Next review   Approved     Cycle
────────────────────────────────────────────────────────────────────────────────────────────────────
Safeguarding policy       ✗ Overdue by 82 days    2026-09-01    2025-09-01   every year
(statutory)
Charging policy           ○ Never approved        —             —            every year
(statutory)                                                                  (recommended)
Uniform policy            ! Due in 23 days        2026-12-15    2025-12-15   every year
School trips policy       » Cycle too long:       2027-03-10    2025-03-10   every 2 years
                          reviewed 59 days late
1 other policy up to date.

Beta Infant School (beta): its one policy is up to date.
On 22 November 2026: 1 overdue (1 statutory), 1 due within 60 days, 1 never approved, 1 reviewed late, 2 up to date.
"""


def test_the_table_lists_every_school_with_days_and_exits_1_for_an_overdue_statutory_policy(
        reviews_tree: Path, columns: None) -> None:
    done = check(reviews_tree, "--today", TODAY)
    assert done.returncode == 1, done.stderr
    *table, written = [line.rstrip() for line in done.stdout.splitlines()]  # Rich pads rows to the table's width
    assert "\n".join(table) + "\n" == EXPECTED_TABLE
    assert written == f"3 calendar feeds and the dashboard reviews.html are in {reviews_tree / 'out' / 'reports'}"


def test_what_needs_attention_is_a_finding_at_the_line_of_the_school_file_that_lists_the_policy(
        reviews_tree: Path) -> None:
    from policypress.checks.reviews import project_reviews, review_findings

    project = load_project(reviews_tree)
    per_school = project_reviews(render_project(project), dt.date.fromisoformat(TODAY), 60)
    findings = review_findings(project, per_school, strict=False)
    assert [(f.kind, f.place.school, f.place.policy, f.statutory, f.fails) for f in findings] == [
        ("overdue", "alpha", "safeguarding", True, True), ("never-approved", "alpha", "charging", True, False),
        ("due-soon", "alpha", "uniform", False, False), ("cycle-too-long", "alpha", "trips", False, False)]
    lines = (reviews_tree / ALPHA).read_text(encoding="utf-8").splitlines()
    assert {f.path for f in findings} == {ALPHA}
    assert [lines[f.line - 1].strip() for f in findings] == ["safeguarding:", "charging: {}", "uniform:", "trips:"]
    assert str(findings[0]) == (f"{ALPHA}:{findings[0].line}: the review of the Safeguarding policy was due on "
                                "1 September 2026, 82 days ago — the full governing body should approve the "
                                "reviewed policy, recorded with policypress approve")
    strict = review_findings(project, per_school, strict=True)
    assert [f.fails for f in strict] == [True, False, False, False]


EXPECTED_ALPHA_JSON = {
    "today": "2026-11-22", "within_days": 60,
    "counts": {"overdue": 1, "never-approved": 1, "due-soon": 1, "cycle-too-long": 1, "up-to-date": 1},
    "schools": [{"id": "alpha", "name": "Alpha Primary School", "trust": "test-trust", "policies": [
        {"id": "charging", "title": "Charging policy", "statutory": True, "review_cycle": "recommended_annually",
         "approved": None, "approved_by": None, "version": None, "next_review": None,
         "status": "never-approved", "status_text": "Never approved",
         "days_overdue": None, "days_left": None, "days_late": 0},
        {"id": "homework", "title": "Homework policy", "statutory": False, "review_cycle": "annually",
         "approved": "2026-06-01", "approved_by": "headteacher", "version": "1.0", "next_review": "2027-06-01",
         "status": "up-to-date", "status_text": "Up to date", "days_overdue": None, "days_left": 191, "days_late": 0},
        {"id": "safeguarding", "title": "Safeguarding policy", "statutory": True, "review_cycle": "annually",
         "approved": "2025-09-01", "approved_by": "full_governing_body", "version": "1.0",
         "next_review": "2026-09-01", "status": "overdue", "status_text": "Overdue by 82 days",
         "days_overdue": 82, "days_left": None, "days_late": 0},
        {"id": "trips", "title": "School trips policy", "statutory": False, "review_cycle": "every_2_years",
         "approved": "2025-03-10", "approved_by": "full_governing_body", "version": "2.0",
         "next_review": "2027-03-10", "status": "cycle-too-long",
         "status_text": "Cycle too long: reviewed 59 days late",
         "days_overdue": None, "days_left": 108, "days_late": 59},
        {"id": "uniform", "title": "Uniform policy", "statutory": False, "review_cycle": "annually",
         "approved": "2025-12-15", "approved_by": "headteacher", "version": "1.0", "next_review": "2026-12-15",
         "status": "due-soon", "status_text": "Due in 23 days", "days_overdue": None, "days_left": 23,
         "days_late": 0},
    ]}],
}


def test_json_for_one_school_is_exact(reviews_tree: Path, columns: None, tmp_path: Path) -> None:
    target = tmp_path / "reviews.json"
    done = check(reviews_tree, "--today", TODAY, "--school", "alpha", "--json", str(target))
    assert done.returncode == 1, done.stderr
    assert json.loads(target.read_text(encoding="utf-8")) == EXPECTED_ALPHA_JSON
    assert "Beta" not in done.stdout


def test_within_sets_the_due_soon_window(reviews_tree: Path, columns: None, tmp_path: Path) -> None:
    target = tmp_path / "reviews.json"
    check(reviews_tree, "--today", TODAY, "--within", "10", "--json", str(target))
    found = json.loads(target.read_text(encoding="utf-8"))
    assert found["within_days"] == 10
    assert found["counts"] == {"overdue": 1, "never-approved": 1, "due-soon": 0, "cycle-too-long": 1,
                               "up-to-date": 3}  # the uniform policy, due in 23 days, is not due soon now


def test_on_the_due_date_a_review_is_due_today_not_overdue(reviews_tree: Path, columns: None) -> None:
    done = check(reviews_tree, "--today", "2026-09-01", "--school", "alpha")
    assert "! Due today" in done.stdout
    assert done.returncode == 0, done.stdout


def test_strict_fails_on_any_overdue_policy(make_project: MakeProject, columns: None) -> None:
    late_homework = """\
      safeguarding:
        approvals:
          - {date: 2026-09-10, by: full_governing_body, version: "2.0"}
      homework:
        approvals:
          - {date: 2025-06-01, by: headteacher, version: "1.0"}
    """
    root = make_project({**POLICIES, ALPHA: with_policies(SCHOOL, late_homework)})
    assert check(root, "--today", TODAY).returncode == 0  # overdue, but not statutory
    strict = check(root, "--today", TODAY, "--strict")
    assert strict.returncode == 1
    assert "Homework policy ✗ Overdue by 174 days 2026-06-01 2025-06-01 every year" in " ".join(strict.stdout.split())


@pytest.mark.parametrize(("args", "message"), [
    (("--today", "22/11/2026"), "'22/11/2026' is not a date — write it as YYYY-MM-DD, e.g. 2026-11-22"),
    (("--today", TODAY, "--school", "gamma"), "unknown school gamma — known schools: alpha, beta"),
])
def test_bad_options_exit_2(reviews_tree: Path, args: tuple[str, ...], message: str) -> None:
    done = check(reviews_tree, *args)
    assert done.returncode == 2
    assert message in done.stderr


def test_the_example_lists_every_overdue_and_due_soon_policy(columns: None, tmp_path: Path) -> None:
    """The issue's acceptance run, on the real example tree."""
    done = run(REPO, "check", "reviews", "--today", TODAY, "--out", str(tmp_path))
    assert done.returncode == 1, done.stderr
    lines = done.stdout.splitlines()
    assert lines[0] == "Brookside Infant and Nursery School (brookside-infant)"
    assert lines[3].split() == ["Child", "protection", "and", "safeguarding", "✗", "Overdue", "by", "68", "days",
                                "2026-09-15", "2025-09-15", "every", "year"]
    hillcrest = lines[lines.index("Hillcrest Primary School (hillcrest-primary)"):]
    assert any(line.startswith("Online safety policy") and "» Cycle too long" in line for line in hillcrest)
    assert "6 other policies up to date." in hillcrest  # 7 policies: Westmere's elective home education too
    oakfield = lines[lines.index("Oakfield Academy (oakfield-academy)"):]
    assert any(line.startswith("Charging and remissions") and "○ Never approved" in line for line in oakfield)
    assert any(line.startswith("Online safety policy") and "! Due in 18 days   2026-12-10" in line for line in oakfield)
    assert "Riverside Primary School (riverside-primary): all 8 policies up to date." in lines
    assert ("On 22 November 2026: 1 overdue (1 statutory), 1 due within 60 days, 1 never approved, 1 reviewed "
            "late, 25 up to date.") in done.stdout.replace("\n", " ")
    names = sorted(p.name for p in (tmp_path / "reports").iterdir())
    assert names == ["brookside-infant-reviews.ics", "hillcrest-primary-reviews.ics", "oakfield-academy-reviews.ics",
                     "oakfield-learning-trust-reviews.ics", "reviews.html", "riverside-academy-trust-reviews.ics",
                     "riverside-primary-reviews.ics"]
    for feed in (tmp_path / "reports").glob("*.ics"):
        assert icalendar.Calendar.from_ical(feed.read_bytes()).walk("VEVENT")


# --- calendar feeds ---------------------------------------------------------------------------------

def feed(root: Path, name: str) -> bytes:
    return (root / "out" / "reports" / f"{name}-reviews.ics").read_bytes()


def events(data: bytes) -> dict[str, icalendar.Event]:
    found = icalendar.Calendar.from_ical(data).walk("VEVENT")
    return {str(e["UID"]): e for e in found if isinstance(e, icalendar.Event)}


def test_school_feed_parses_back_with_an_event_per_approved_policy(reviews_tree: Path, columns: None) -> None:
    check(reviews_tree, "--today", TODAY)
    calendar = icalendar.Calendar.from_ical(feed(reviews_tree, "alpha"))
    assert (str(calendar["VERSION"]), str(calendar["PRODID"])) == ("2.0", "-//policypress//Policy review dates//EN")
    assert str(calendar["X-WR-CALNAME"]) == "Policy reviews: Alpha Primary School"
    found = {uid: (e.decoded("DTSTART"), e.decoded("DTEND"), str(e["SUMMARY"])) for uid, e in events(
        feed(reviews_tree, "alpha")).items()}
    assert found == {  # the charging policy was never approved, so it has no date yet
        "review-alpha-safeguarding@trust.example.org":
            (dt.date(2026, 9, 1), dt.date(2026, 9, 2), "Review due: Safeguarding policy (Alpha Primary School)"),
        "review-alpha-uniform@trust.example.org":
            (dt.date(2026, 12, 15), dt.date(2026, 12, 16), "Review due: Uniform policy (Alpha Primary School)"),
        "review-alpha-trips@trust.example.org":
            (dt.date(2027, 3, 10), dt.date(2027, 3, 11), "Review due: School trips policy (Alpha Primary School)"),
        "review-alpha-homework@trust.example.org":
            (dt.date(2027, 6, 1), dt.date(2027, 6, 2), "Review due: Homework policy (Alpha Primary School)"),
    }
    safeguarding = events(feed(reviews_tree, "alpha"))["review-alpha-safeguarding@trust.example.org"]
    assert str(safeguarding["DESCRIPTION"]) == (
        "Safeguarding policy at Alpha Primary School. Last approved by the full governing body on 1 September "
        "2025 (version 1.0). It is reviewed every year: the full governing body should approve the reviewed "
        "policy by 1 September 2026. This is a statutory policy.")
    assert safeguarding.decoded("DTSTAMP") == dt.datetime(2025, 9, 1, tzinfo=dt.UTC)


def test_trust_feed_holds_every_school(reviews_tree: Path, columns: None) -> None:
    check(reviews_tree, "--today", TODAY)
    uids = sorted(events(feed(reviews_tree, "test-trust")))
    assert uids == ["review-alpha-homework@trust.example.org", "review-alpha-safeguarding@trust.example.org",
                    "review-alpha-trips@trust.example.org", "review-alpha-uniform@trust.example.org",
                    "review-beta-safeguarding@trust.example.org"]


def test_feeds_are_valid_rfc5545_text(reviews_tree: Path, columns: None) -> None:
    """CRLF line ends, lines folded at 75 octets, one VCALENDAR with the required properties."""
    check(reviews_tree, "--today", TODAY)
    data = feed(reviews_tree, "test-trust")
    assert data.startswith(b"BEGIN:VCALENDAR\r\n") and data.endswith(b"END:VCALENDAR\r\n")
    lines = data.split(b"\r\n")[:-1]
    assert b"\n" not in b"".join(lines)
    assert max(len(line) for line in lines) <= 75
    for event in icalendar.Calendar.from_ical(data).walk("VEVENT"):
        assert all(key in event for key in ("UID", "DTSTAMP", "DTSTART", "DTEND", "SUMMARY"))


def test_feeds_do_not_depend_on_today_and_keep_their_uids(reviews_tree: Path, columns: None) -> None:
    """Same approvals, same bytes; a re-approval moves the same event (a higher SEQUENCE), adding none."""
    check(reviews_tree, "--today", TODAY)
    first = feed(reviews_tree, "alpha")
    check(reviews_tree, "--today", "2027-01-05")
    assert feed(reviews_tree, "alpha") == first
    school = reviews_tree / ALPHA
    school.write_text(school.read_text().replace(
        '- {date: 2025-09-01, by: full_governing_body, version: "1.0"}',
        '- {date: 2025-09-01, by: full_governing_body, version: "1.0"}\n'
        '      - {date: 2026-11-30, by: full_governing_body, version: "2.0"}'))
    check(reviews_tree, "--today", TODAY)
    before, after = events(first), events(feed(reviews_tree, "alpha"))
    assert sorted(before) == sorted(after)
    moved = after["review-alpha-safeguarding@trust.example.org"]
    assert (moved.decoded("DTSTART"), int(str(moved["SEQUENCE"]))) == (dt.date(2027, 11, 30), 1)


def test_a_removed_school_loses_its_feed(reviews_tree: Path, columns: None) -> None:
    check(reviews_tree, "--today", TODAY)
    (reviews_tree / "schools/test-trust/beta.yml").unlink()
    check(reviews_tree, "--today", TODAY)
    assert sorted(p.name for p in (reviews_tree / "out" / "reports").iterdir()) == [
        "alpha-reviews.ics", "reviews.html", "test-trust-reviews.ics"]


# --- the trust dashboard --------------------------------------------------------------------------

class _Cells(HTMLParser):
    """The dashboard's table cells as text, the scope of every th, and every address it loads."""

    def __init__(self) -> None:
        super().__init__()
        self.rows: list[list[str]] = []
        self.scopes: list[str | None] = []
        self.loads: list[str] = []
        self._cell: list[str] | None = None

    def handle_starttag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        found = dict(attrs)
        if tag == "tr":
            self.rows.append([])
        elif tag in ("td", "th") and self.rows:
            self._cell = []
            if tag == "th":
                self.scopes.append(found.get("scope"))
        self.loads += [v for k, v in attrs if k in ("src", "href") and v and "//" in v]

    def handle_endtag(self, tag: str) -> None:
        if tag in ("td", "th") and self._cell is not None:
            self.rows[-1].append(" ".join("".join(self._cell).split()))
            self._cell = None

    def handle_data(self, data: str) -> None:
        if self._cell is not None:
            self._cell.append(data)


def test_dashboard_shows_schools_by_policies_in_symbols_and_words(reviews_tree: Path, columns: None) -> None:
    """Columns by category (General, then Safeguarding) and title; beta uses one of the five policies."""
    check(reviews_tree, "--today", TODAY)
    html = (reviews_tree / "out" / "reports" / "reviews.html").read_text(encoding="utf-8")
    cells = _Cells()
    cells.feed(html)
    assert cells.rows == [
        ["School", "Charging policy", "Homework policy", "School trips policy", "Uniform policy",
         "Safeguarding policy"],
        ["Alpha Primary School Calendar feed", "○ Never approved Draft: no approval yet",
         "✓ Up to date Review due 1 June 2027", "» Cycle too long: reviewed 59 days late Review due 10 March 2027",
         "! Due in 23 days Review due 15 December 2026", "✗ Overdue by 82 days Review due 1 September 2026"],
        ["Beta Infant School Calendar feed", "Not used", "Not used", "Not used", "Not used",
         "✓ Up to date Review due 10 September 2027"],
    ]
    assert cells.scopes == ["col"] * 6 + ["row"] * 2
    assert cells.loads == []  # nothing from another host
    assert '<html lang="en-GB">' in html and "<title>Policy reviews on 22 November 2026</title>" in html
    assert ('<li class="overdue"><span class="sym" aria-hidden="true">✗</span>\n    Alpha Primary School: '
            '<a href="../site/alpha/policies/safeguarding.html">Safeguarding policy</a> (statutory). '
            "Overdue by 82 days.\n</li>") in html


def attention_rows(html: str) -> list[str]:
    """The 'needs attention' rows, their words and links as text: 'words [link text -> address]'."""
    listed = html[html.index('<ul class="attention"'):]
    rows = listed[:listed.index("</ul>")].split("<li")[1:]
    as_text = [re.sub(r'<a [^>]*href="([^"]*)"[^>]*>([^<]*)</a>', r"[\2 -> \1]", row) for row in rows]
    return [" ".join(re.sub(r"<[^>]+>|^[^>]*>", " ", row).split()) for row in as_text]


def test_needs_attention_links_each_policy_on_the_site_and_says_why_a_draft_has_none(
        reviews_tree: Path, columns: None) -> None:
    """Relative to build/reports/, the built page; with the trust's site_url, the published one too."""
    trust = reviews_tree / TRUST_FILE
    trust.write_text(trust.read_text(encoding="utf-8") + "site_url: https://policies.example.org/\n", encoding="utf-8")
    staff_only = (reviews_tree / "content/policies/uniform.md")
    staff_only.write_text(staff_only.read_text(encoding="utf-8").replace("audience: [public]",
                                                                         "audience: [staff, governors]"),
                          encoding="utf-8")
    check(reviews_tree, "--today", TODAY)
    html = (reviews_tree / "out" / "reports" / "reviews.html").read_text(encoding="utf-8")
    assert attention_rows(html) == [
        "✗ Alpha Primary School: [Safeguarding policy -> ../site/alpha/policies/safeguarding.html] (statutory). "
        "Overdue by 82 days. Published at "
        "[policies.example.org -> https://policies.example.org/alpha/policies/safeguarding.html]",
        "○ Alpha Primary School: Charging policy (statutory). Never approved. "
        "Draft: not on the website until it is approved.",
        "! Alpha Primary School: Uniform policy. Due in 23 days. Not on the website: for staff, governors only.",
        "» Alpha Primary School: [School trips policy -> ../site/alpha/policies/trips.html]. "
        "Cycle too long: reviewed 59 days late. Published at "
        "[policies.example.org -> https://policies.example.org/alpha/policies/trips.html]",
    ]


def test_without_a_site_url_a_row_links_only_the_built_page(reviews_tree: Path, columns: None) -> None:
    check(reviews_tree, "--today", TODAY)
    html = (reviews_tree / "out" / "reports" / "reviews.html").read_text(encoding="utf-8")
    assert attention_rows(html)[0] == ("✗ Alpha Primary School: [Safeguarding policy -> "
                                       "../site/alpha/policies/safeguarding.html] (statutory). Overdue by 82 days.")
    assert not [row for row in attention_rows(html) if "Published at" in row]


# --- the review-cycle rule -------------------------------------------------------------------------

def problems_of(root: Path) -> list[str]:
    with pytest.raises(SourceErrors) as caught:
        load_project(root)
    return [str(problem) for problem in caught.value.problems]


def school_sets(cycle: str) -> dict[str, str]:
    return {ALPHA: SCHOOL + f"    overlay:\n      set: {{review_cycle: {cycle}}}\n"}


def trust_sets(cycle: str) -> dict[str, str]:
    return {TRUST_FILE: TRUST + f"    overlay:\n      set:\n        review_cycle: {cycle}\n"}


LONGER = ("a trust or school may review a policy more often, never less often")


@pytest.mark.parametrize(("changes", "expected"), [
    pytest.param(school_sets("every_2_years"), [
        f"{ALPHA}:28: review_cycle 'every_2_years' is longer than policy 'safeguarding' allows (at most annually) — "
        f"set annually or a shorter cycle such as '6 months': {LONGER}"], id="school-lengthens-statutory"),
    pytest.param(trust_sets("18 months"), [
        f"{TRUST_FILE}:13: review_cycle '18 months' is longer than policy 'safeguarding' allows (at most "
        f"annually) — set annually or a shorter cycle such as '6 months': {LONGER}"], id="trust-lengthens-statutory"),
    pytest.param({SAFEGUARDING: POLICY.replace("review_cycle: annually", "review_cycle: every_2_years\n"
                                               "max_review_cycle: annually")}, [
        f"{SAFEGUARDING}:7: review_cycle 'every_2_years' is longer than max_review_cycle 'annually' — make "
        "review_cycle no longer than max_review_cycle, or correct max_review_cycle"], id="model-beyond-its-max"),
    pytest.param({SAFEGUARDING: POLICY.replace("review_cycle: annually", "review_cycle: 6 months\n"
                                               "max_review_cycle: annually")} | school_sets("every_2_years"), [
        f"{ALPHA}:28: review_cycle 'every_2_years' is longer than policy 'safeguarding' allows (at most annually) — "
        f"set annually or a shorter cycle such as '6 months': {LONGER}"], id="school-beyond-an-explicit-max"),
])
def test_lengthening_a_review_cycle_too_far_is_an_input_error(
        make_project: MakeProject, changes: dict[str, str], expected: list[str]) -> None:
    assert problems_of(make_project(changes)) == expected


def test_the_cli_exits_2_naming_the_line(make_project: MakeProject) -> None:
    done = run(make_project(school_sets("every_2_years")), "check", "reviews", "--today", TODAY)
    assert done.returncode == 2
    assert done.stderr.startswith(f"{ALPHA}:28: review_cycle 'every_2_years' is longer than policy")


@pytest.mark.parametrize(("changes", "cycle", "next_review"), [
    pytest.param(school_sets("6 months"), "6 months", dt.date(2027, 3, 10), id="school-shortens"),
    pytest.param(school_sets("1 month"), "1 month", dt.date(2026, 10, 10), id="one-month"),
    pytest.param({SAFEGUARDING: POLICY.replace("statutory: true", "statutory: false")} | school_sets("every_3_years"),
                 "every_3_years", dt.date(2029, 9, 10), id="not-statutory-no-limit"),
    pytest.param({SAFEGUARDING: POLICY.replace("review_cycle: annually", "review_cycle: annually\n"
                                               "max_review_cycle: every_2_years")} | school_sets("18 months"),
                 "18 months", dt.date(2028, 3, 10), id="within-an-explicit-max"),
])
def test_shorter_or_allowed_cycles_are_fine(make_project: MakeProject, changes: dict[str, str], cycle: str,
                                            next_review: dt.date) -> None:
    policy = the_policy(render_project(load_project(make_project(changes))))
    assert (policy.meta.review_cycle, policy.next_review) == (cycle, next_review)


def test_one_month_reads_naturally() -> None:
    from policypress.compose.wording import cycle_words

    assert (cycle_words("1 month"), cycle_words("6 months")) == ("Every month", "Every 6 months")


@pytest.mark.parametrize("cycle", ["1 months", "0 months", "2 month", "100 months"])
def test_odd_month_counts_are_refused(make_project: MakeProject, cycle: str) -> None:
    changed = POLICY.replace("review_cycle: annually", f"review_cycle: {cycle}")
    found = problems_of(make_project({SAFEGUARDING: changed}))
    assert found == [f"{SAFEGUARDING}:7: review_cycle: '{cycle}' is not a review cycle — use one of annually, "
                     "recommended_annually, every_2_years, every_3_years, every_4_years, or 'N months'"]


# --- dates in YAML are ISO dates -------------------------------------------------------------------

@pytest.mark.parametrize(("changes", "expected"), [
    pytest.param({ALPHA: SCHOOL.replace("date: 2026-09-10", "date: Autumn 2")},
                 f"{ALPHA}:26: policies.safeguarding.approvals.date: 'Autumn 2' is not a date — use YYYY-MM-DD, "
                 "e.g. 2026-09-15", id="school-term"),
    pytest.param({TRUST_FILE: TRUST + "    approvals:\n      - {date: September 2025, by: trust_board, version: x}\n"},
                 f"{TRUST_FILE}:12: policies.safeguarding.approvals.date: 'September 2025' is not a date — use "
                 "YYYY-MM-DD, e.g. 2026-09-15", id="trust-month-and-year"),
])
def test_dates_in_words_are_refused(make_project: MakeProject, changes: dict[str, str], expected: str) -> None:
    assert problems_of(make_project(changes)) == [expected]


# --- honest dates in public: pages and PDFs --------------------------------------------------------

def the_policy(schools: list[RenderedSchool], school_id: str = "alpha", policy_id: str = "safeguarding"
               ) -> RenderedPolicy:
    school = next(s for s in schools if s.school.id == school_id)
    return next(p for p in school.policies if p.id == policy_id)


@pytest.fixture
def approved_2025(make_project: MakeProject) -> RenderedPolicy:
    """Safeguarding, approved 15 September 2025 every year: due by 15 September 2026."""
    root = make_project({ALPHA: SCHOOL.replace("date: 2026-09-10", "date: 2025-09-15")})
    return the_policy(render_project(load_project(root)))


OVERDUE_WORDS = ("its review was due by 15 September 2026 and has not happened yet, so some details may be "
                 "out of date")


def test_site_line_says_plainly_when_a_review_is_overdue(approved_2025: RenderedPolicy) -> None:
    approved = "Approved by the full governing body on 15 September 2025"
    assert approval_line(approved_2025, dt.date(2026, 9, 15)) == f"{approved} · next review by 15 September 2026"
    assert approval_line(approved_2025, dt.date(2026, 9, 16)) == f"{approved} · {OVERDUE_WORDS}"


def test_pdf_cover_and_document_control_say_so_too(approved_2025: RenderedPolicy) -> None:
    on_time, late = dt.date(2026, 9, 15), dt.date(2026, 11, 22)
    approved = "Approved by the full governing body on 15 September 2025"
    assert pdf.approved_on(approved_2025, on_time) == approved
    assert pdf.approved_on(approved_2025, late) == f"{approved}. I{OVERDUE_WORDS[1:]}."
    assert next_review_words(approved_2025, on_time) == "15 September 2026"
    assert next_review_words(approved_2025, late) == "15 September 2026 (overdue: not reviewed yet)"


def test_example_print_html_of_an_overdue_policy() -> None:
    """Brookside's child protection policy was due by 15 September 2026."""
    schools = render_project(load_project(REPO))
    school = next(s for s in schools if s.school.id == "brookside-infant")
    policy = the_policy(schools, "brookside-infant", "child-protection")
    html = pdf.print_html(pdf.print_environment(REPO / "templates", today=dt.date(2026, 11, 22)), school, policy,
                          "https://policies.example.org/", draft=False)
    assert ('<p class="cover-status">Approved by the full governing body on 15 September 2025. Its review was due '
            "by 15 September 2026 and has not happened yet, so some details may be out of date.</p>") in html
    assert ('<tr><th scope="row">Next review</th><td>15 September 2026 (overdue: not reviewed yet)</td></tr>'
            in html)


def test_build_today_is_source_date_epoch_or_the_real_date(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv("SOURCE_DATE_EPOCH", str(int(dt.datetime(2026, 11, 22, 9, tzinfo=dt.UTC).timestamp())))
    assert build_today() == dt.date(2026, 11, 22)
    monkeypatch.delenv("SOURCE_DATE_EPOCH")
    assert build_today() == dt.date.today()


def test_a_site_rebuilt_later_without_source_changes_shows_the_overdue_review(
        make_project: MakeProject, monkeypatch: pytest.MonkeyPatch) -> None:
    root = make_project({ALPHA: SCHOOL.replace("date: 2026-09-10", "date: 2025-09-15")})
    page = root / "build" / "site" / "alpha" / "policies" / "safeguarding.html"
    for day, words in (("2026-09-01", "next review by 15 September 2026"), ("2026-11-22", OVERDUE_WORDS)):
        epoch = dt.datetime.combine(dt.date.fromisoformat(day), dt.time(), dt.UTC).timestamp()
        monkeypatch.setenv("SOURCE_DATE_EPOCH", str(int(epoch)))
        done = run(root, "build", "--no-pdf")
        assert done.returncode == 0, done.stderr
        assert words in page.read_text(encoding="utf-8")
        assert (root / "build" / "reports" / "reviews.html").is_file()
    assert sorted(p.name for p in (root / "build" / "reports").iterdir()) == [
        "alpha-reviews.ics", "reviews.html", "test-trust-reviews.ics"]


def test_the_example_build_writes_the_reports(example_site: Path) -> None:
    reports = example_site.parent / "reports"
    assert sorted(p.name for p in reports.iterdir()) == [
        "brookside-infant-reviews.ics", "hillcrest-primary-reviews.ics", "oakfield-academy-reviews.ics",
        "oakfield-learning-trust-reviews.ics", "reviews.html", "riverside-academy-trust-reviews.ics",
        "riverside-primary-reviews.ics"]
    page = (example_site / "brookside-infant" / "policies" / "child-protection.html").read_text(encoding="utf-8")
    overdue = build_today() > dt.date(2026, 9, 15)  # the day the fixture built it (or SOURCE_DATE_EPOCH's)
    expected = "its review was due by 15 September 2026 and has not happened yet" if overdue else \
        "next review by 15 September 2026"
    assert expected in page


@pytest.mark.browser
def test_the_example_dashboard_passes_axe_in_chromium(example_site: Path, tmp_path: Path) -> None:
    """The trust dashboard of the built example: no WCAG 2.2 AA violation, no request to another host."""
    from browser import axe_violations, chromium, serve_folder

    with serve_folder(example_site.parent / "reports") as base, chromium() as browser:
        page = browser.new_page(viewport={"width": 1280, "height": 900})
        requested: list[str] = []
        page.on("request", lambda request: requested.append(request.url))
        response = page.goto(f"{base}/reviews.html", wait_until="networkidle")
        assert response is not None and response.status == 200
        assert axe_violations(page) == []
        assert [url for url in requested if not url.startswith(base + "/")] == []
        page.screenshot(path=str(tmp_path / "reviews.png"), full_page=True)
        assert page.locator("td.overdue").first.inner_text().startswith("✗ Overdue by")


@pytest.mark.browser
def test_the_example_dashboard_fits_a_phone_and_its_links_open_the_policies(example_site: Path,
                                                                          tmp_path: Path) -> None:
    """At 390 px: no sideways scrolling (each school a card), axe clean, every policy link a built page."""
    from browser import axe_violations, chromium, serve_folder

    build = example_site.parent
    with serve_folder(build) as base, chromium() as browser:
        page = browser.new_page(viewport={"width": 390, "height": 844})
        page.goto(f"{base}/reports/reviews.html", wait_until="networkidle")
        found = page.evaluate("""() => ({
            page: document.documentElement.scrollWidth,
            wide: [...document.querySelectorAll('main *')].filter(e => e.getBoundingClientRect().right > 390)
                      .map(e => e.tagName + '.' + e.className),
            cards: [...document.querySelectorAll('.cards')].map(c => c.getBoundingClientRect().height),
            grids: [...document.querySelectorAll('.scroll')].map(g => g.getBoundingClientRect().height),
            attention: [...document.querySelectorAll('.attention a')].map(a => a.getAttribute('href')),
            policies: [...document.querySelectorAll('.cards a[href$=".html"]')].map(a => a.getAttribute('href')),
        })""")
        violations = axe_violations(page)
        page.screenshot(path=str(tmp_path / "reviews-phone.png"), full_page=True)
        page.click(".attention a[href^='../site/']")
        page.wait_for_load_state("networkidle")
        opened = page.url
        page.close()
    assert found["page"] <= 390 and found["wide"] == []
    assert all(height > 0 for height in found["cards"]) and found["grids"] == [0, 0]
    assert violations == []
    built = [href for href in found["attention"] + found["policies"] if href.startswith("../site/")]
    assert len(built) > 20 and all((build / "reports" / href).resolve().is_file() for href in built)
    assert any(href.startswith("https://policies.") for href in found["attention"])  # the trusts' site_url
    assert opened.startswith(f"{base}/site/") and opened.endswith(".html")
