"""A trust's own governance: its scheme of delegation, signers, author and reviewer, month-only approvals.

The test trust declares an executive principal and a local governing committee acting on behalf of
the board of trustees; the safeguarding policy is theirs to approve (by its category).
"""

from __future__ import annotations

import datetime as dt
import re
import subprocess
from collections.abc import Callable
from pathlib import Path

import pytest

from conftest import SCHOOL, TRUST
from policypress.compose.load import load_project
from policypress.compose.render import RenderedPolicy, render_project
from policypress.compose.wording import date_words
from policypress.core.dates import AboutDate, MonthOnly
from policypress.core.errors import SourceErrors
from policypress.outputs.calendar_feed import FeedEvent, calendar_bytes
from policypress.outputs.pages import approval_line
from tree_tools import run, tree_digest

MakeProject = Callable[..., Path]
ALPHA = "schools/test-trust/alpha.yml"
TRUST_FILE = "schools/test-trust/trust.yml"
SCHEME = TRUST + """\
governance:
  bodies:
    trust_board: {name: the board of trustees}
    lgc: {name: the local governing committee, on_behalf_of: trust_board}
    executive_principal: {name: the executive principal}
  approves:
    Safeguarding: [lgc]
    default: [executive_principal]
"""
REFUSED = 'error: the approval of the "Safeguarding policy" for Alpha Primary School was not recorded:'
LGC_WORDS = "the local governing committee on behalf of the board of trustees"


@pytest.fixture(autouse=True)
def fixed_today(monkeypatch: pytest.MonkeyPatch) -> None:
    """Today is 22 November 2026 for every command these tests run."""
    monkeypatch.setenv("SOURCE_DATE_EPOCH", str(int(dt.datetime(2026, 11, 22, 9, tzinfo=dt.UTC).timestamp())))


def with_approval(approval: str, trust: str = SCHEME) -> dict[str, str]:
    """The school's safeguarding approvals replaced by one written by hand."""
    school = SCHOOL.replace('{date: 2026-09-10, by: full_governing_body, version: "2.0"}', approval)
    return {TRUST_FILE: trust, ALPHA: school}


def safeguarding(root: Path) -> RenderedPolicy:
    return next(p for p in render_project(load_project(root))[0].policies if p.id == "safeguarding")


def problems(root: Path) -> list[str]:
    with pytest.raises(SourceErrors) as caught:
        load_project(root)
    return [str(p) for p in caught.value.problems]


def test_approve_accepts_a_declared_body_and_prints_its_delegation(make_project: MakeProject) -> None:
    root = make_project(with_approval('{date: 2026-09-10, by: lgc, version: "2.0"}'))
    result = run(root, "approve", "--school", "alpha", "--policy", "safeguarding", "--by", "lgc",
                 "--date", "2026-11-20", "--signed-by", "Ms Ada Example, chair", "--signed-by", "Alex Head")
    assert result.returncode == 0, result.stderr
    assert result.stdout.splitlines()[0] == (
        f'Recorded version 3.0 of the "Safeguarding policy" for Alpha Primary School: approved by {LGC_WORDS} '
        "on 20 November 2026.")
    record = (root / "approvals/alpha/safeguarding/2026-11-20-v3.0.md").read_text(encoding="utf-8")
    assert record.startswith('---\ndate: 2026-11-20\nby: lgc\nversion: "3.0"\n'
                             'signed_by: ["Ms Ada Example, chair", "Alex Head"]\n---\n')
    assert safeguarding(root).approved.signed_by == ["Ms Ada Example, chair", "Alex Head"]  # type: ignore[union-attr]


def test_approve_refuses_a_body_the_scheme_does_not_let_approve_the_policy(make_project: MakeProject) -> None:
    root = make_project(with_approval('{date: 2026-09-10, by: lgc, version: "2.0"}'))
    before = tree_digest(root)
    refused = run(root, "approve", "--school", "alpha", "--policy", "safeguarding", "--by", "executive_principal",
                  "--date", "2026-11-20")
    assert refused.returncode == 2
    assert refused.stderr.splitlines() == [
        REFUSED,
        '  the executive principal may not approve the "Safeguarding policy": Test Learning Trust\'s scheme of '
        f"delegation lets only {LGC_WORDS} (lgc) or the board of trustees (trust_board) approve it — record the "
        f"decision of {LGC_WORDS} with --by lgc",
    ]
    unknown = run(root, "approve", "--school", "alpha", "--policy", "safeguarding", "--by", "full_governing_body",
                  "--date", "2026-11-20")
    assert unknown.stderr.splitlines()[1] == (
        "  'full_governing_body' is not a body of Test Learning Trust's scheme of delegation — use one of: "
        "trust_board, lgc, executive_principal, or declare it under governance.bodies in its trust.yml")
    assert tree_digest(root) == before


def test_the_body_on_whose_behalf_another_acts_may_approve_too(make_project: MakeProject) -> None:
    root = make_project(with_approval('{date: 2026-09-10, by: trust_board, version: "2.0"}'))
    assert safeguarding(root).by_words("trust_board") == "the board of trustees"
    assert safeguarding(root).approver == "lgc"


def test_a_hand_written_approval_by_a_body_that_may_not_approve_is_an_error_at_its_line(
    make_project: MakeProject,
) -> None:
    root = make_project(with_approval('{date: 2026-09-10, by: executive_principal, version: "2.0"}'))
    assert problems(root) == [
        f'{ALPHA}:26: the executive principal may not approve the "Safeguarding policy": Test Learning Trust\'s '
        f"scheme of delegation lets only {LGC_WORDS} (lgc) or the board of trustees (trust_board) approve it — write "
        f"by: lgc if {LGC_WORDS} made the decision; if not, the policy is not approved yet: remove this approval "
        f"until {LGC_WORDS} approves it"]
    root = make_project(with_approval('{date: 2026-09-10, by: governors, version: "2.0"}'))
    assert problems(root) == [
        f"{ALPHA}:26: 'governors' is not a body of Test Learning Trust's scheme of delegation — use one of: "
        "trust_board, lgc, executive_principal, or declare it under governance.bodies in its trust.yml"]


def test_a_scheme_naming_unknown_bodies_or_policies_is_an_error_at_its_line(make_project: MakeProject) -> None:
    broken = SCHEME.replace("on_behalf_of: trust_board", "on_behalf_of: board").replace("Safeguarding: [lgc]",
                                                                                      "Safeguard: [lgc, ceo]")
    root = make_project(with_approval('{date: 2026-09-10, by: executive_principal, version: "2.0"}', broken))
    assert problems(root) == [
        f"{TRUST_FILE}:14: 'lgc' acts on behalf of 'board', which is not another body of the scheme — use one of: "
        "trust_board, executive_principal",
        f"{TRUST_FILE}:17: 'Safeguard' is neither a policy id nor a category — write a policy id (e.g. "
        "anti-bullying), a category (e.g. Safeguarding) or default",
        f"{TRUST_FILE}:17: 'ceo' is not a body of the scheme — declare it under governance.bodies, or use one of: "
        "trust_board, lgc, executive_principal",
    ]


def test_a_month_only_approval_counts_from_the_months_last_day_and_says_so(make_project: MakeProject) -> None:
    root = make_project(with_approval('{date: 2025-12, by: full_governing_body, version: "2.0"}', TRUST))
    policy = safeguarding(root)
    assert policy.approved is not None and isinstance(policy.approved.date, MonthOnly)
    assert policy.approved.date == dt.date(2025, 12, 31)
    assert policy.next_review == dt.date(2026, 12, 31) and isinstance(policy.next_review, AboutDate)
    assert date_words(policy.approved.date) == "December 2025 (month only)"
    assert approval_line(policy, dt.date(2026, 11, 22)) == (
        "Approved by the full governing body in December 2025 (month only) · next review by about 31 December 2026")
    assert policy.approved.date.isoformat() == "2025-12"  # policies.json does not invent a day
    feed = calendar_bytes("Reviews", "Review dates", [FeedEvent(policy.next_review, "uid@example.org", "Review due",
                                                                "…", policy.approved.date, 1)])
    assert b"DTSTART;VALUE=DATE:20261231" in feed and b"DTEND;VALUE=DATE:20270101" in feed


@pytest.mark.parametrize(("written", "expected"), [
    ("2025-13", f"{ALPHA}:26: policies.safeguarding.approvals.date: '2025-13' is not a month — write YYYY-MM with "
                "a month from 01 to 12, or a full date YYYY-MM-DD"),
    ("2027-01", f"{ALPHA}:26: policies.safeguarding.approvals.date: January 2027 has not started yet — an approval "
                "is recorded after its meeting"),
])
def test_a_month_must_be_real_and_begun(make_project: MakeProject, written: str, expected: str) -> None:
    root = make_project(with_approval(f'{{date: {written}, by: full_governing_body, version: "2.0"}}', TRUST))
    found = problems(root)
    assert len(found) == 1
    assert re.sub(r"\s+", " ", found[0]).startswith(expected.split(" — ")[0])


def test_approve_never_takes_a_month(make_project: MakeProject) -> None:
    root = make_project()
    result = run(root, "approve", "--school", "alpha", "--policy", "safeguarding",
                 "--by", "full_governing_body", "--date", "2026-11")
    assert result.returncode == 2
    assert "2026-11" in result.stderr and not (root / "approvals").exists()


def test_the_built_page_and_pdf_show_delegation_signers_author_reviewer_and_month(
    make_project: MakeProject, tmp_path: Path,
) -> None:
    approvals = ('{date: 2022-06, by: lgc, version: "1.0"}\n'
                 '      - {date: 2026-09-10, by: lgc, version: "2.0", signed_by: ["Ms Ada Example, chair"]}')
    files = with_approval(approvals)
    files[TRUST_FILE] = files[TRUST_FILE].replace(
        "    locked: [what-to-do]\n",
        "    locked: [what-to-do]\n    overlay:\n      set:\n        author: dsl\n        reviewer: Sam Reviewer\n")
    root = make_project(files)
    result = run(root, "build", "--out", str(tmp_path / "out"))
    assert result.returncode == 0, result.stderr
    page = (tmp_path / "out/site/alpha/policies/safeguarding.html").read_text(encoding="utf-8")
    text = " ".join(re.sub(r"<[^>]+>", " ", page).split())
    assert f"Approved by {LGC_WORDS} on 10 September 2026" in text
    assert "Author Dana Safe, Designated safeguarding lead Reviewer Sam Reviewer" in text
    assert ("2.0 Local governing committee on behalf of the board of trustees 10 September 2026 — "
            "Ms Ada Example, chair") in text
    assert "1.0 Local governing committee on behalf of the board of trustees June 2022 (month only) — —" in text
    printed = subprocess.run(["pdftotext", str(tmp_path / "out/site/alpha/pdf/safeguarding.pdf"), "-"],
                             capture_output=True, text=True, check=True).stdout
    printed = " ".join(printed.split())
    for expected in ("Author Dana Safe, Designated safeguarding lead", "Reviewer Sam Reviewer",
                     "Ms Ada Example, chair", "June 2022 (month only)", "Signed by"):
        assert expected in printed, expected


def test_the_pack_names_the_deciding_body_and_its_delegation(make_project: MakeProject) -> None:
    root = make_project(with_approval('{date: 2025-12-01, by: lgc, version: "2.0"}'))
    result = run(root, "pack", "--school", "alpha", "--meeting", "2026-11-25")
    assert result.returncode == 0, result.stderr
    pack = next((root / "build").rglob("*.pdf"))
    printed = " ".join(subprocess.run(["pdftotext", str(pack), "-"], capture_output=True, text=True,
                                      check=True).stdout.split())
    assert f"Decided by {LGC_WORDS}" in printed


def test_an_approval_file_needs_its_day(make_project: MakeProject) -> None:
    record = '---\ndate: 2026-09\nby: full_governing_body\nversion: "3.0"\n---\nText.\n'
    root = make_project({"approvals/alpha/safeguarding/2026-09-14-v3.0.md": record})
    assert problems(root) == ["approvals/alpha/safeguarding/2026-09-14-v3.0.md:2: the date 2026-09 has no day — an "
                              "approval file records a decision: write the meeting's date, 2026-09-14"]
