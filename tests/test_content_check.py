"""`policypress check content`: old editions cited as text, registry addresses written by hand,
images from other websites or without words, and registry entries not verified for too long."""

from __future__ import annotations

import json
import shutil
from collections.abc import Callable
from pathlib import Path

from conftest import POLICY, REPO, SCHOOL
from tree_tools import run

MakeProject = Callable[..., Path]
SAFEGUARDING = "content/policies/safeguarding.md"
ALPHA = "schools/test-trust/alpha.yml"
REGISTRY_FILE = "content/statutory.yml"
TODAY = "2026-11-22"

REGISTRY = """\
max_unverified_days: 365
entries:
  kcsie:
    title: Keeping children safe in education
    aliases: [KCSIE]
    publisher: Department for Education
    url: https://www.gov.uk/government/publications/keeping-children-safe-in-education--2
    edition: "2025"
    in_force: 2025-09-01
    kind: statutory_guidance
    supersedes:
      - edition: "2024"
        url: https://assets.publishing.service.gov.uk/media/66d7301b9084b18b95709f75/Keeping_children_safe_in_education_2024.pdf
    verified: 2026-11-01
  restrictive-interventions:
    title: Restrictive interventions, including use of reasonable force, in schools
    publisher: Department for Education
    url: https://www.gov.uk/government/publications/use-of-reasonable-force-in-schools
    edition: December 2025
    in_force: 2026-04-01
    kind: statutory_guidance
    supersedes:
      - edition: July 2013
        title: Use of reasonable force
        url: https://webarchive.nationalarchives.gov.uk/ukgwa/20150101000000/https://www.gov.uk/government/publications/use-of-reasonable-force-in-schools
    verified: 2026-11-01
  children-act-1989:
    title: Children Act 1989
    publisher: legislation.gov.uk (The National Archives)
    url: https://www.legislation.gov.uk/ukpga/1989/41/contents
    edition: revised text
    kind: legislation
    verified: 2025-11-01
"""

# Lines 27 to 34 of the policy: every kind of finding, and text that must not be one.
CITING = POLICY + """
## Sources {#sources}

We follow KCSIE 2023 and Keeping Children Safe in Education (KCSIE) 2024, and KCSIE 2025.
Staff read the 2018 edition of KCSIE, and the Children Act 1989.
## Use of reasonable force {#force}
Staff used to follow Use of reasonable force (July 2013).
See https://www.gov.uk/government/publications/keeping-children-safe-in-education--2/ or [the 2024 one](https://assets.publishing.service.gov.uk/media/66d7301b9084b18b95709f75/Keeping_children_safe_in_education_2024.pdf).
![Our flowchart](https://cdn.example.org/flow.png) and ![](../assets/logo.png)
"""
# Lines 26 to 31 of the school file: a YAML comment (never published) and an overlay.
OVERLAY = """\
    # This used to say KCSIE 2023.
    overlay:
      sections:
        - section: training
          action: append
          text: New staff read KCSIE (September 2024) in their first week.
"""

KCSIE_FIX = 'write {{ ref("kcsie") }} instead: it always names and links the current edition'
KCSIE_NOW = "the current edition is 2025, in force from 1 September 2025"
EXPECTED = [
    f'{SAFEGUARDING}:29: "KCSIE 2023" cites the 2023 edition of "Keeping children safe in education"; '
    f"{KCSIE_NOW} — {KCSIE_FIX}",
    f'{SAFEGUARDING}:29: "Keeping Children Safe in Education (KCSIE) 2024" cites the 2024 edition of "Keeping '
    f'children safe in education"; {KCSIE_NOW} — {KCSIE_FIX}',
    f'{SAFEGUARDING}:30: "2018 edition of KCSIE" cites the 2018 edition of "Keeping children safe in education"; '
    f"{KCSIE_NOW} — {KCSIE_FIX}",
    f'{SAFEGUARDING}:32: "Use of reasonable force (July 2013)" names guidance that has been replaced by "Restrictive '
    'interventions, including use of reasonable force, in schools"; the current edition is December 2025, in '
    'force from 1 April 2026 — write {{ ref("restrictive-interventions") }} instead: it always names and links '
    "the current edition",
    f'{SAFEGUARDING}:33: the address of "Keeping children safe in education" is written out by hand — write '
    '{{ ref("kcsie") }} instead, so the link follows the registry when a new edition comes out',
    f'{SAFEGUARDING}:33: this address is the 2024 edition of "Keeping children safe in education", replaced by '
    'the 2025 edition — write {{ ref("kcsie") }} instead: it links the current edition',
    f"{SAFEGUARDING}:34: the image '../assets/logo.png' has no text alternative — say in words what it shows, "
    "e.g. ![What the picture shows](…), for people who cannot see it",
    f"{SAFEGUARDING}:34: the image 'https://cdn.example.org/flow.png' is loaded from another website "
    "(cdn.example.org), and the site must not make any request to other websites — use a picture of the school's "
    "own instead: put the picture in content/images/ (or the trust's or school's images/ folder), declare its alt "
    "text in that folder's images.yml and show it with ![](images/<file>) or {{ picture(\"<name>\") }}",
    f"{REGISTRY_FILE}:33: the entry 'children-act-1989' was last verified on 1 November 2025, more than 365 days "
    "ago — check its title, edition and address against https://www.legislation.gov.uk/ukpga/1989/41/contents, "
    "then set verified: to the date you checked",
    f'{ALPHA}:32: "KCSIE (September 2024)" cites the 2024 edition of "Keeping children safe in education"; '
    f"{KCSIE_NOW} — {KCSIE_FIX}",
]


def citing_project(make_project: MakeProject) -> Path:
    return make_project({REGISTRY_FILE: REGISTRY, SAFEGUARDING: CITING, ALPHA: SCHOOL + OVERLAY})


def test_every_finding_with_its_line_and_fix(make_project: MakeProject, tmp_path: Path) -> None:
    root = citing_project(make_project)
    report = tmp_path / "reports" / "content.json"
    result = run(root, "check", "content", "--today", TODAY, "--json", str(report))
    assert result.returncode == 1, result.stderr
    assert result.stdout.splitlines() == [*EXPECTED, f"10 finding(s) in the content on {TODAY}."]
    data = json.loads(report.read_text())
    assert data["today"] == TODAY and data["count"] == 10
    assert [f["kind"] for f in data["findings"]] == [
        "old-edition", "old-edition", "old-edition", "old-edition", "hand-written-link", "hand-written-link",
        "no-alt-text", "outside-image", "unverified-entry", "old-edition"]
    assert [f"{f['path']}:{f['line']}: {f['what']} — {f['fix']}" for f in data["findings"]] == EXPECTED


def test_an_entry_is_stale_only_after_max_unverified_days(make_project: MakeProject) -> None:
    registry = REGISTRY.replace("verified: 2025-11-01", "verified: 2026-11-01")
    root = make_project({REGISTRY_FILE: registry})
    assert run(root, "check", "content", "--today", "2027-11-01").returncode == 0  # 365 days: still fine
    result = run(root, "check", "content", "--today", "2027-11-02")  # 366 days
    assert result.returncode == 1
    assert [line.split(":")[1] for line in result.stdout.splitlines()[:-1]] == ["14", "26", "33"]
    assert "the entry 'kcsie' was last verified on 1 November 2026, more than 365 days ago" in result.stdout


def test_a_clean_project_exits_0(make_project: MakeProject) -> None:
    result = run(make_project(), "check", "content", "--today", TODAY)
    assert result.returncode == 0, result.stdout + result.stderr
    assert result.stdout == f"No findings in the content on {TODAY}.\n"


def test_wrong_input_exits_2(make_project: MakeProject) -> None:
    root = make_project({REGISTRY_FILE: REGISTRY.replace("aliases:", "alias:")})
    result = run(root, "check", "content", "--today", TODAY)
    assert result.returncode == 2
    assert result.stderr.startswith(f"{REGISTRY_FILE}:5: unknown key 'alias' — did you mean 'aliases'?")
    root = make_project({SAFEGUARDING: POLICY.replace("{{ school.name }}", "{{ school.nmae }}")})
    result = run(root, "check", "content", "--today", TODAY)  # rendered as the build would
    assert result.returncode == 2
    assert result.stderr.startswith(f"{SAFEGUARDING}:13: 'school.nmae' is not a known fact — did you mean")
    result = run(make_project(), "check", "content", "--today", "22/11/2026")
    assert result.returncode == 2
    assert "'22/11/2026' is not a date — write it as YYYY-MM-DD" in result.stderr


def _copy_example(target: Path) -> Path:
    for part in ("content", "schools", "templates"):
        shutil.copytree(REPO / part, target / part)
    shutil.copy(REPO / "mkdocs.yml", target / "mkdocs.yml")
    return target


def test_the_example_is_clean_and_a_stale_entry_in_a_copy_is_reported(tmp_path: Path) -> None:
    assert run(REPO, "check", "content", "--today", TODAY).returncode == 0
    root = _copy_example(tmp_path / "example")
    registry = root / REGISTRY_FILE
    text = registry.read_text()
    entry = text.index("  equality-act-advice:")
    verified = text.index("verified: 2026-11-01", entry)
    registry.write_text(text[:verified] + "verified: 2024-05-01" + text[verified + len("verified: 2026-11-01"):])
    line = text[:verified].count("\n") + 1
    result = run(root, "check", "content", "--today", TODAY)
    assert result.returncode == 1
    assert result.stdout.splitlines() == [
        f"{REGISTRY_FILE}:{line}: the entry 'equality-act-advice' was last verified on 1 May 2024, more than 365 "
        "days ago — check its title, edition and address against "
        "https://www.gov.uk/government/publications/equality-act-2010-advice-for-schools, then set verified: to "
        "the date you checked",
        f"1 finding(s) in the content on {TODAY}."]


def test_the_example_registry_covers_the_guidance_the_issue_lists() -> None:
    from policypress.compose.load import load_project

    entries = load_project(REPO).registry.model.entries
    needed = {"kcsie", "working-together", "behaviour-in-schools", "suspension-exclusion", "preventing-bullying",
              "searching-screening", "send-code", "prevent-duty", "rshe", "equality-act-advice",
              "education-act-2002-s175", "children-act-1989"}
    assert needed <= set(entries)
    cited = {ref for policy in load_project(REPO).policies.values() for ref in policy.meta.model.references}
    assert cited <= set(entries)


PLACEHOLDER_POLICY = POLICY.replace(
    "Tell {{ contact(\"dsl\").name }}",
    "Fill in [the report form](#) or [the log]( ). Tell {{ contact(\"dsl\").name }}")
PLACEHOLDER_OVERLAY = """\
    overlay:
      sections:
        - section: early-years
          action: append
          text: |
            Read <a href="javascript:void(0)">our leaflet</a> first. [The real page](#what-to-do) is fine.
"""
PLACEHOLDER_FLOWCHART = """\
title: Reporting
description: How to report a worry.
start: tell
nodes:
  tell: {kind: step, label: "Tell the DSL ([form](#))"}
  done: {kind: end, label: Done}
edges:
  - {from: tell, to: done}
"""
FLOWCHART_FILE = "content/flowcharts/reporting.yml"
PLACEHOLDER_FIX = "with the real address, or remove the link"


def placeholder_project(make_project: MakeProject) -> Path:
    school = SCHOOL.replace("  safeguarding:\n", "  safeguarding:\n" + PLACEHOLDER_OVERLAY, 1)
    return make_project({SAFEGUARDING: PLACEHOLDER_POLICY, ALPHA: school, FLOWCHART_FILE: PLACEHOLDER_FLOWCHART})


def _line_of(root: Path, path: str, needle: str) -> int:
    lines = (root / path).read_text().splitlines()
    return next(n for n, text in enumerate(lines, 1) if needle in text)


def test_placeholder_links_are_findings_at_their_lines(make_project: MakeProject, tmp_path: Path) -> None:
    root = placeholder_project(make_project)
    report = tmp_path / "content.json"
    result = run(root, "check", "content", "--today", TODAY, "--json", str(report))
    assert result.returncode == 1, result.stderr
    policy_line = _line_of(root, SAFEGUARDING, "report form")
    overlay_line = _line_of(root, ALPHA, "javascript:")
    chart_line = _line_of(root, FLOWCHART_FILE, "[form](#)")
    findings = json.loads(report.read_text())["findings"]
    assert {(f["path"], f["line"], f["kind"]) for f in findings} == {
        (SAFEGUARDING, policy_line, "placeholder-link"), (ALPHA, overlay_line, "placeholder-link"),
        (FLOWCHART_FILE, chart_line, "placeholder-link")}
    assert len(findings) == 4  # two on the policy's line; the link to #what-to-do is a real one
    assert (f"{SAFEGUARDING}:{policy_line}: the link 'the report form' goes nowhere: its address is '#' — "
            f"replace '#' {PLACEHOLDER_FIX}") in result.stdout.splitlines()
    assert (f"{SAFEGUARDING}:{policy_line}: the link 'the log' goes nowhere: its address is an empty address — "
            f"replace an empty address {PLACEHOLDER_FIX}") in result.stdout.splitlines()
    assert f"its address is 'javascript:void(0)' — replace 'javascript:void(0)' {PLACEHOLDER_FIX}" in result.stdout


def test_the_build_warns_about_placeholder_links_and_still_builds(make_project: MakeProject) -> None:
    clean = run(make_project(), "build", "--no-pdf")
    assert clean.returncode == 0 and "warning" not in clean.stderr
    root = placeholder_project(make_project)
    result = run(root, "build", "--no-pdf")
    assert result.returncode == 0, result.stderr
    warnings = [line for line in result.stderr.splitlines() if line.startswith("warning: ")]
    assert len(warnings) == 4
    assert all("goes nowhere" in w for w in warnings)
    assert f"warning: {SAFEGUARDING}:{_line_of(root, SAFEGUARDING, 'report form')}: the link 'the report form'" \
        in result.stderr
    assert "4 warning(s): the site was built" in result.stderr
    assert (root / "build/site/alpha/policies/safeguarding.html").is_file()


def test_approve_refuses_a_policy_with_a_placeholder_link(make_project: MakeProject) -> None:
    root = make_project({SAFEGUARDING: PLACEHOLDER_POLICY})
    result = run(root, "approve", "--school", "alpha", "--policy", "safeguarding", "--by", "full_governing_body",
                 "--date", "2026-11-20")
    assert result.returncode == 2
    line = _line_of(root, SAFEGUARDING, "report form")
    assert "the text has 2 content problem(s)" in result.stderr
    assert f"    {SAFEGUARDING}:{line}: the link 'the report form' goes nowhere" in result.stderr
    assert not (root / "approvals").exists()


def test_the_example_has_no_placeholder_links() -> None:
    from policypress.checks.content import placeholder_links
    from policypress.compose.load import load_project

    assert placeholder_links(load_project(REPO)) == []
