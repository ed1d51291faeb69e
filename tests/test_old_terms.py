"""Words the current guidance no longer uses: `check content` reports each at its line (kind old-term), a line
marked {## intended ##} is left alone (and the mark never reaches the site), and `approve` refuses the rest."""

from __future__ import annotations

import json
from collections.abc import Callable
from pathlib import Path

import pytest

from conftest import POLICY, REGISTRY
from tree_tools import run

MakeProject = Callable[..., Path]
SAFEGUARDING = "content/policies/safeguarding.md"
TODAY = "2026-11-22"

MORE_ENTRIES = """\
  suspension-exclusion:
    title: Suspension and permanent exclusion
    publisher: Department for Education
    url: https://www.gov.uk/government/publications/school-exclusion
    edition: August 2024
    kind: statutory_guidance
    verified: 2026-11-01
  children-social-work-act-2017:
    title: Children and Social Work Act 2017
    publisher: legislation.gov.uk
    url: https://www.legislation.gov.uk/ukpga/2017/16/contents
    edition: revised text
    kind: legislation
    verified: 2026-11-01
"""

TERMS = """\
terms:
  peer-on-peer-abuse:
    words: [peer on peer abuse, peer on peer]
    use: child-on-child abuse
    changed_by: kcsie
    since: 2022-09
  fixed-term-exclusion:
    words: [fixed term exclusion, fixed period exclusion]
    use: suspension
    changed_by: suspension-exclusion
    since: 2022-09-01
  local-safeguarding-children-board:
    words: [Local Safeguarding Children Board, LSCB]
    use: the local safeguarding partners
    changed_by: children-social-work-act-2017
    since: 2019-09
  sexting:
    words: [sexting]
    use: sharing nudes and semi-nudes
    changed_by: kcsie
    since: 2020-12
    unsure: not in the reference notes
"""

# The body's lines 13 to 19 (the policy's front matter is lines 1 to 12).
BODY = """\
Everyone at {{ school.name }} helps keep children safe.
We take Peer-on-Peer Abuse seriously, and any peer on peer bullying too.
A fixed-term exclusion is decided by the headteacher.
Our Local Safeguarding Children Board (LSCB) trains staff.
Older guidance called it "peer on peer abuse". {## intended: so that readers recognise the old name ##}
Staff know what sexting is.
Children on a fixed term of study, and peers who help each other, are not old terms.
"""


LOCKED = "\n## What to do {#what-to-do}\n\nTell the designated safeguarding lead.\n"  # the trust locks it


def terms_project(make_project: MakeProject, body: str = BODY) -> Path:
    policy = POLICY.split("---\n", 2)
    return make_project({"content/statutory.yml": REGISTRY + MORE_ENTRIES, "content/terms.yml": TERMS,
                         SAFEGUARDING: f"---\n{policy[1]}---\n{body}{LOCKED}"})


def findings(root: Path) -> list[dict[str, object]]:
    report = root / "content.json"
    run(root, "check", "content", "--today", TODAY, "--json", str(report))
    return [f for f in json.loads(report.read_text())["findings"] if f["kind"] == "old-term"]


def test_each_old_term_is_reported_at_its_line_with_its_replacement_and_source(make_project: MakeProject) -> None:
    root = terms_project(make_project)
    result = run(root, "check", "content", "--today", TODAY)
    assert result.returncode == 1, result.stderr
    found = findings(root)
    assert [(f["line"], f["fails"]) for f in found] == [(14, True), (15, True), (16, True), (18, False)]
    out = result.stdout
    assert (f'{SAFEGUARDING}:14: "Peer-on-Peer Abuse" is no longer used: "Keeping children safe in education" says '
            '"child-on-child abuse" instead, since September 2022 — write "child-on-child abuse"; if the old words '
            "are quoted on purpose, end the line with {## intended ##}") in out
    assert '"fixed-term exclusion" is no longer used: "Suspension and permanent exclusion" says "suspension" ' \
           "instead, since 1 September 2022" in out
    assert '"Local Safeguarding Children Board" is no longer used: "Children and Social Work Act 2017" says "the ' \
           'local safeguarding partners" instead, since September 2019' in out
    assert '"sexting" is no longer used' in out and "(not certain: not in the reference notes)" in out


def test_a_line_marked_intended_is_not_reported_and_the_mark_is_not_published(make_project: MakeProject) -> None:
    root = terms_project(make_project)
    assert 17 not in [f["line"] for f in findings(root)]
    build = run(root, "build", "--no-pdf")
    assert build.returncode == 0, build.stderr
    page = (root / "build/site/alpha/policies/safeguarding.html").read_text()
    assert "Older guidance called it" in page and "intended" not in page


def test_without_old_terms_the_check_is_clean(make_project: MakeProject) -> None:
    root = terms_project(make_project, body="Everyone at {{ school.name }} helps keep children safe.\n")
    result = run(root, "check", "content", "--today", TODAY)
    assert result.returncode == 0, result.stdout


@pytest.mark.parametrize(("line", "refused"), [
    ("We take peer on peer abuse seriously.", True),
    ('Older guidance called it "peer on peer abuse". {## intended ##}', False),
    ("Staff know what sexting is.", False),  # an unsure term is a warning, not a reason to refuse
])
def test_approve_refuses_old_terms_unless_intended_or_unsure(make_project: MakeProject, line: str,
                                                             refused: bool) -> None:
    root = terms_project(make_project, body=f"Everyone at {{{{ school.name }}}} helps keep children safe.\n{line}\n")
    result = run(root, "approve", "--school", "alpha", "--policy", "safeguarding", "--by", "full_governing_body",
                 "--date", "2026-11-20")
    assert (result.returncode == 2) is refused, result.stderr
    assert ("is no longer used" in result.stderr) is refused
    assert (root / "approvals").exists() is not refused


def test_a_term_naming_an_unknown_registry_entry_is_exit_2(make_project: MakeProject) -> None:
    root = make_project({"content/terms.yml": TERMS})
    result = run(root, "check", "content", "--today", TODAY)
    assert result.returncode == 2
    assert "content/terms.yml:10: 'suspension-exclusion' is not in content/statutory.yml" in result.stderr
