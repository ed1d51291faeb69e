"""`policypress approve` and the approvals folder: one new file per approval, never rewritten; every
refusal and every problem in an approval file with its exact message; the version history on the
built page and in the PDF.

Every run is on a fixed day (SOURCE_DATE_EPOCH: 22 November 2026), so the messages are exact.
"""

from __future__ import annotations

import datetime as dt
import subprocess
from collections.abc import Callable
from pathlib import Path

import pytest

from conftest import POLICY, REPO, SCHOOL
from policypress.compose.load import load_project
from policypress.compose.render import render_project
from policypress.source.project import latest_snapshot
from tree_tools import run, tree_digest

MakeProject = Callable[..., Path]
ALPHA = "schools/test-trust/alpha.yml"
SAFEGUARDING = "content/policies/safeguarding.md"
FOLDER = "approvals/alpha/safeguarding"
RECORD = f"{FOLDER}/2026-11-20-v3.0.md"
APPROVE = ("approve", "--school", "alpha", "--policy", "safeguarding", "--by", "full_governing_body")
REFUSED = 'error: the approval of the "Safeguarding policy" for Alpha Primary School was not recorded:'


@pytest.fixture(autouse=True)
def fixed_today(monkeypatch: pytest.MonkeyPatch) -> None:
    """Today is 22 November 2026 for every command these tests run (they inherit the environment)."""
    monkeypatch.setenv("SOURCE_DATE_EPOCH", str(int(dt.datetime(2026, 11, 22, 9, tzinfo=dt.UTC).timestamp())))


def rendered_markdown(root: Path, school_id: str = "alpha", policy_id: str = "safeguarding") -> str:
    school = next(s for s in render_project(load_project(root)) if s.school.id == school_id)
    return next(p.markdown for p in school.policies if p.id == policy_id)


def test_approve_writes_one_new_file_with_the_record_and_the_text_as_approved(make_project: MakeProject) -> None:
    root = make_project()
    before, text = tree_digest(root), rendered_markdown(root)
    result = run(root, *APPROVE, "--date", "2026-11-20", "--minute", "FGB 2026-11 item 3")
    assert result.returncode == 0, result.stderr
    assert result.stdout.splitlines() == [
        'Recorded version 3.0 of the "Safeguarding policy" for Alpha Primary School: approved by the full governing '
        "body on 20 November 2026 (minute FGB 2026-11 item 3).",
        f"The text as approved is in {RECORD}.",
        "Next review by 20 November 2027. Run policypress build to publish it.",
    ]
    after = tree_digest(root)
    origins = RECORD.removesuffix(".md") + ".origins.json"  # each word's origin, for the governors' pack
    assert set(after) - set(before) == {RECORD, origins}
    assert {rel: digest for rel, digest in after.items() if rel not in (RECORD, origins)} == before
    assert (root / RECORD).read_text(encoding="utf-8") == (
        '---\ndate: 2026-11-20\nby: full_governing_body\nversion: "3.0"\nminute: "FGB 2026-11 item 3"\n---\n' + text)
    snapshot = latest_snapshot(load_project(root), "alpha", "safeguarding")
    assert snapshot is not None
    assert (snapshot.path, snapshot.markdown, snapshot.approval.version) == (RECORD, text, "3.0")


def test_the_same_version_again_is_refused_and_the_first_file_is_untouched(make_project: MakeProject) -> None:
    root = make_project()
    assert run(root, *APPROVE, "--date", "2026-11-20").returncode == 0
    first = tree_digest(root)
    result = run(root, *APPROVE, "--date", "2026-11-21", "--version", "3.0", "--minute", "FGB 2026-11 item 4")
    assert result.returncode == 2
    assert result.stdout == ""
    assert result.stderr.splitlines() == [
        REFUSED,
        "  version 3.0 is already recorded (approved by the full governing body on 20 November 2026) — give this "
        "approval a new version with --version; a recorded approval is never changed",
    ]
    assert tree_digest(root) == first
    assert (root / RECORD).read_text(encoding="utf-8").startswith('---\ndate: 2026-11-20\nby: full_governing_body\n'
                                                                  'version: "3.0"\n---\n')
    assert run(root, *APPROVE, "--date", "2026-11-21").returncode == 0  # the default is the next one: 4.0
    assert (root / FOLDER / "2026-11-21-v4.0.md").is_file()


def test_a_version_written_in_the_school_file_is_taken_too(make_project: MakeProject) -> None:
    result = run(make_project(), *APPROVE, "--date", "2026-11-20", "--version", "2.0")
    assert result.returncode == 2
    assert result.stderr.splitlines()[1] == (
        "  version 2.0 is already recorded (approved by the full governing body on 10 September 2026) — give this "
        "approval a new version with --version; a recorded approval is never changed")


def test_a_date_in_the_future_and_a_body_that_may_not_approve_are_both_refused(make_project: MakeProject) -> None:
    root = make_project()
    before = tree_digest(root)
    result = run(root, "approve", "--school", "alpha", "--policy", "safeguarding", "--by", "headteacher",
                 "--date", "2026-11-23")
    assert result.returncode == 2
    assert result.stderr.splitlines() == [
        REFUSED,
        "  the date 23 November 2026 is in the future (today is 22 November 2026) — record an approval on or after "
        "the day of the meeting that made it",
        '  the headteacher may not approve the "Safeguarding policy": its front matter says it is approved by the '
        "full governing body (approver: full_governing_body) — record the decision of the full governing body with "
        "--by full_governing_body",
    ]
    assert tree_digest(root) == before


def test_the_approver_is_read_after_the_overlays(make_project: MakeProject) -> None:
    """A trust overlay cannot change who approves a policy: approver is not a field `set:` may change."""
    root = make_project({SAFEGUARDING: POLICY.replace("approver: full_governing_body", "approver: headteacher"),
                         ALPHA: SCHOOL.replace("by: full_governing_body", "by: headteacher")})
    result = run(root, "approve", "--school", "alpha", "--policy", "safeguarding", "--by", "headteacher",
                 "--date", "2026-11-22")
    assert result.returncode == 0, result.stderr


def test_a_policy_with_content_problems_is_refused_with_each_problem(make_project: MakeProject) -> None:
    old_citation = "All staff are trained, as Keeping children safe in education 2023 asks."
    root = make_project({SAFEGUARDING: POLICY.replace("All staff are trained every year.", old_citation)})
    result = run(root, *APPROVE, "--date", "2026-11-20")
    assert result.returncode == 2
    assert result.stderr.splitlines() == [
        REFUSED,
        "  the text has 1 content problem(s), listed below — fix them (policypress check content lists them too), "
        "then run policypress approve again",
        f'    {SAFEGUARDING}:25: "Keeping children safe in education 2023" cites the 2023 edition of "Keeping '
        'children safe in education"; the current edition is 2025, in force from 1 September 2025 — write '
        '{{ ref("kcsie") }} instead: it always names and links the current edition',
    ]
    assert not (root / "approvals").exists()


OTHER_POLICY = POLICY.replace("title: Safeguarding policy", "title: Uniform policy").replace(
    "{#what-to-do}", "{#what-to-wear}")
OVERLAY_CITING_OLD_KCSIE = """\
  uniform:
    approvals:
      - {date: 2026-09-10, by: full_governing_body, version: "1.0"}
    overlay:
      sections:
        - {section: training, action: append, text: "We follow Keeping children safe in education 2023."}
"""


def test_problems_in_another_policys_overlay_do_not_stop_this_one(make_project: MakeProject) -> None:
    root = make_project({"content/policies/uniform.md": OTHER_POLICY, ALPHA: SCHOOL + OVERLAY_CITING_OLD_KCSIE})
    assert run(root, "check", "content").returncode == 1  # the uniform policy's overlay has a finding
    assert run(root, *APPROVE, "--date", "2026-11-20").returncode == 0
    result = run(root, "approve", "--school", "alpha", "--policy", "uniform", "--by", "full_governing_body",
                 "--date", "2026-11-20")
    assert result.returncode == 2
    assert f"    {ALPHA}:32: \"Keeping children safe in education 2023\" cites the 2023 edition" in result.stderr


def test_an_unknown_school_or_policy_is_refused(make_project: MakeProject) -> None:
    root = make_project()
    result = run(root, "approve", "--school", "alpha", "--policy", "uniform", "--by", "full_governing_body",
                 "--date", "2026-11-20")
    assert (result.returncode, result.stderr) == (2, (
        "error: Alpha Primary School does not publish a policy 'uniform' — use one of its policies (safeguarding), "
        f"or add the policy to {ALPHA} first\n"))
    result = run(root, *APPROVE[:2], "beta", *APPROVE[3:], "--date", "2026-11-20")
    assert (result.returncode, result.stderr) == (2, "error: there is no school 'beta' — use one of: alpha\n")
    result = run(root, *APPROVE, "--date", "20/11/2026")
    assert result.returncode == 2
    assert "'20/11/2026' is not a date — write it as YYYY-MM-DD" in result.stderr
    assert not (root / "approvals").exists()


def test_a_source_error_is_reported_and_nothing_is_recorded(make_project: MakeProject) -> None:
    root = make_project({ALPHA: SCHOOL.replace("name: Alpha Primary School", "nmae: Alpha Primary School")})
    result = run(root, *APPROVE, "--date", "2026-11-20")
    assert result.returncode == 2
    assert result.stderr.startswith(f"{ALPHA}:2: unknown key 'nmae' — did you mean 'name'?")
    assert not (root / "approvals").exists()


def test_a_policy_whose_latest_version_is_not_a_number_needs_version(make_project: MakeProject) -> None:
    root = make_project({ALPHA: SCHOOL.replace('version: "2.0"', 'version: "2026-A"')})
    result = run(root, *APPROVE, "--date", "2026-11-20")
    assert (result.returncode, result.stderr) == (2, (
        "error: the latest version of this policy is '2026-A', which is not a number, so the next one cannot be "
        "worked out — give it with --version, e.g. --version 2.0\n"))
    assert run(root, *APPROVE, "--date", "2026-11-20", "--version", "2026-B").returncode == 0
    assert (root / FOLDER / "2026-11-20-v2026-B.md").is_file()


def test_a_version_that_cannot_be_a_file_name_is_refused(make_project: MakeProject) -> None:
    root = make_project()
    result = run(root, *APPROVE, "--date", "2026-11-20", "--version", "3/0")
    assert result.returncode == 2
    assert result.stderr.splitlines()[1:] == [
        "  the version '3/0' cannot be part of a file name — write it with letters, digits, dots and hyphens only, "
        "e.g. 7.0"]
    assert not (root / "approvals").exists()


RECORD_TEXT = '---\ndate: 2026-11-20\nby: full_governing_body\nversion: "3.0"\n---\nThe text.\n'
BAD_FILES = {
    # an unknown key, and a date that is not ISO
    f"{FOLDER}/2026-11-20-v3.0.md": '---\ndate: 20/11/2026\nby: full_governing_body\nversion: "3.0"\nminutes: x\n---\n',
    # the file name and the record disagree
    f"{FOLDER}/2026-11-21-v4.0.md": RECORD_TEXT.replace('"3.0"', '"5.0"'),
    # the same version twice: in the school file (2.0), and in two files (6.0)
    f"{FOLDER}/2026-11-01-v2.0.md": RECORD_TEXT.replace("11-20", "11-01").replace('"3.0"', '"2.0"'),
    f"{FOLDER}/2026-10-01-v6.0.md": RECORD_TEXT.replace("11-20", "10-01").replace('"3.0"', '"6.0"'),
    f"{FOLDER}/2026-10-02-v6.0.md": RECORD_TEXT.replace("11-20", "10-02").replace('"3.0"', '"6.0"'),
    f"{FOLDER}/notes.txt": "Minutes to follow.\n",
    f"{FOLDER}/2026-10-03-v7.0.md": "Approved at the October meeting.\n",
    f"{FOLDER}/2026-10-01-v6.0.origins.json": "{}\n",  # the governors' pack's sidecar: not an approval
    "approvals/alpha/uniform/2026-11-20-v1.0.md": RECORD_TEXT,
    "approvals/beta/safeguarding/2026-11-20-v1.0.md": RECORD_TEXT,
    "approvals/2026-11-20-v1.0.md": RECORD_TEXT,
}


def test_every_problem_in_the_approvals_folder_is_reported_at_its_line(make_project: MakeProject) -> None:
    root = make_project(BAD_FILES)
    result = run(root, "build", "--no-pdf")
    assert result.returncode == 2
    assert result.stderr.splitlines() == [
        "approvals/2026-11-20-v1.0.md:1: this file is not in a policy's folder — move it to "
        "approvals/<school>/<policy>/ and name it after the approval's date and version, e.g. 2026-09-21-v7.0.md",
        f"{FOLDER}/2026-10-02-v6.0.md:4: version 6.0 of 'safeguarding' is already recorded in "
        f"{FOLDER}/2026-10-01-v6.0.md — give each approval its own version: record this one with the next version "
        "number, or remove the duplicate record",
        f"{FOLDER}/2026-10-03-v7.0.md:1: the approval has no front matter — start the file with '---', then date, by, "
        "version and minute, then '---' and the approved text",
        f"{FOLDER}/2026-11-01-v2.0.md:4: version 2.0 of 'safeguarding' is already recorded in {ALPHA}:26 — give each "
        "approval its own version: record this one with the next version number, or remove the duplicate record",
        f"{FOLDER}/2026-11-20-v3.0.md:2: date: '20/11/2026' is not a date — use YYYY-MM-DD, e.g. 2026-09-15",
        f"{FOLDER}/2026-11-20-v3.0.md:5: unknown key 'minutes' — did you mean 'minute'? Allowed here: date, by, "
        "version, minute, signed_by",
        f"{FOLDER}/2026-11-21-v4.0.md:2: the date 2026-11-20 does not match the file name, which says 2026-11-21 — "
        "make them agree: rename the file to 2026-11-20-v5.0.md, or correct the date",
        f"{FOLDER}/2026-11-21-v4.0.md:4: the version '5.0' does not match the file name, which says '4.0' — make "
        "them agree: rename the file to 2026-11-20-v5.0.md, or correct the version",
        f"{FOLDER}/notes.txt:1: 'notes.txt' is not named as an approval: its date and version — name it "
        "YYYY-MM-DD-vVERSION.md, e.g. 2026-09-21-v7.0.md, or move it out of approvals/",
        "approvals/alpha/uniform:1: Alpha Primary School does not publish a policy 'uniform' — rename the folder to "
        f"one of its policies (safeguarding), or add the policy to {ALPHA}",
        "approvals/beta:1: there is no school 'beta' for these approvals — rename the folder to the school's id, one "
        "of: alpha",
        "11 problem(s) found; nothing was written.",
    ]


def test_an_approval_updates_next_review_and_the_version_history_on_the_page_and_in_the_pdf(
        make_project: MakeProject, tmp_path: Path) -> None:
    root = make_project()
    assert run(root, "build", "--no-pdf", "--out", str(tmp_path / "before")).returncode == 0
    page = (tmp_path / "before" / "site" / "alpha" / "policies" / "safeguarding.html").read_text(encoding="utf-8")
    assert "next review by 10 September 2027" in page
    assert run(root, *APPROVE, "--date", "2026-11-20", "--minute", "FGB 2026-11 item 3").returncode == 0
    assert run(root, "build", "--out", str(tmp_path / "after")).returncode == 0
    site = tmp_path / "after" / "site" / "alpha"
    page = (site / "policies" / "safeguarding.html").read_text(encoding="utf-8")
    assert "next review by 20 November 2027" in page
    assert 'id="version-history"' in page
    assert history_rows(page) == [["3.0", "Full governing body", "20 November 2026", "FGB 2026-11 item 3"],
                                  ["2.0", "Full governing body", "10 September 2026", "—"]]
    text = " ".join(pdf_text(site / "pdf" / "safeguarding.pdf").split())
    assert ("Version history Version Approved by Date Minute reference 3.0 Full governing body 20 November 2026 "
            "FGB 2026-11 item 3 2.0 Full governing body 10 September 2026 —") in text


def history_rows(page: str) -> list[list[str]]:
    """The cells of the version history table on a built page, row by row."""
    import re

    table = page.split('id="version-history"', 1)[1].split("</table>", 1)[0]
    body = table.split("<tbody>", 1)[1]
    return [[re.sub(r"<[^>]+>", "", cell).strip() for cell in re.findall(r"<td[^>]*>(.*?)</td>", row, re.S)]
            for row in re.findall(r"<tr>(.*?)</tr>", body, re.S)]


def pdf_text(path: Path) -> str:
    return subprocess.run(["pdftotext", str(path), "-"], capture_output=True, text=True, check=True).stdout


def test_the_example_records_hillcrests_child_protection_version_7_in_the_folder() -> None:
    project = load_project(REPO)
    snapshot = latest_snapshot(project, "hillcrest-primary", "child-protection")
    assert snapshot is not None
    assert snapshot.path == "approvals/hillcrest-primary/child-protection/2026-09-21-v7.0.md"
    assert (snapshot.approval.version, snapshot.approval.minute) == ("7.0", "FGB 2026-09 item 4")
    assert "Hillcrest Primary School" in snapshot.markdown
    school = next(s for s in render_project(project) if s.school.id == "hillcrest-primary")
    policy = next(p for p in school.policies if p.id == "child-protection")
    assert [a.version for a in policy.approvals] == ["6.0", "7.0"]
    assert policy.next_review == dt.date(2027, 9, 21)
