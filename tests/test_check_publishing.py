"""`policypress check publishing`: what each kind of school must or should publish online, and whether it does.

Inline trees for every kind of school (maintained, academy, free school; special and alternative
provision; nursery; sixth form) and every finding: missing, draft only, overdue, unreachable and
unverified, with the documents published elsewhere served by a local server (127.0.0.1).
"""

from __future__ import annotations

import json
import re
from collections.abc import Callable
from pathlib import Path
from typing import Any
from urllib.parse import urlsplit

import pytest

from conftest import POLICY, REPO, SCHOOL
from fault_server import FaultServer
from policypress.compose.publishing import level_for
from policypress.source.publishing_schema import Requirements
from policypress.source.school_schema import School
from tree_tools import copy_example, run

MakeProject = Callable[..., Path]
TODAY = "2026-11-22"
ALPHA = "schools/test-trust/alpha.yml"

REQUIREMENTS = """\
requirements:
  behaviour-policy:
    what: Behaviour policy
    must: [maintained, academy, free_school]
    update_every: annually
    basis: School Information (England) Regulations 2008
    registry: kcsie
  charging:
    what: Charging and remissions policy
    must: [maintained]
    should: [academy, free_school]
    update_every: annually
    basis: Education Act 1996
    registry: kcsie
  admissions:
    what: Admission arrangements
    must: [maintained, academy, free_school]
    only: {not_phases: [special, alternative-provision]}
    update_every: annually
    basis: School Admissions Code
    registry: kcsie
  careers:
    what: Careers programme information
    must: [maintained, academy, free_school]
    only: {phases: [middle, secondary, all-through]}
    basis: Education Act 1997, section 42B
    registry: kcsie
  bursary:
    what: 16 to 19 bursary fund information
    should: [maintained, academy, free_school]
    only: {sixth_form: true}
    basis: the bursary fund guidance
    registry: kcsie
  nursery-places:
    what: How to apply for a nursery place
    should: [maintained, academy]
    only: {nursery: true}
    basis: early education guidance
    registry: kcsie
  sen-report:
    what: SEN information report
    must: [maintained, academy, free_school]
    update_every: annually
    basis: Children and Families Act 2014, section 69
    registry: kcsie
"""

BEHAVIOUR = POLICY.replace("title: Safeguarding policy", "title: Behaviour policy").replace(
    "references: [kcsie]", "references: [kcsie]\nmeets: [behaviour-policy]")
CHARGING = POLICY.replace("title: Safeguarding policy", "title: Charging and remissions").replace(
    "references: [kcsie]", "references: [kcsie]\nmeets: [charging]")


def school(kind: str = "academy", phase: str = "primary", extra: str = "", policies: str = "") -> str:
    """The test school as a kind of school, with more policies and lines at the end."""
    text = SCHOOL.replace("phase: primary", f"phase: {phase}\nkind: {kind}")
    return text.replace("policies:\n", "policies:\n" + policies) + extra


def tree(make_project: MakeProject, school_text: str, files: dict[str, str] | None = None) -> Path:
    changes = {"content/publishing.yml": REQUIREMENTS, "content/policies/behaviour.md": BEHAVIOUR,
               "content/policies/charging.md": CHARGING, ALPHA: school_text}
    return make_project({**changes, **(files or {})})


def check(root: Path, *args: str) -> tuple[int, str, dict[str, Any]]:
    report = root / "publishing.json"
    result = run(root, "check", "publishing", "--today", TODAY, "--json", str(report), *args)
    assert "Traceback" not in result.stderr, result.stderr
    data = json.loads(report.read_text()) if report.exists() else {}
    return result.returncode, result.stdout + result.stderr, data


def statuses(data: dict[str, Any]) -> dict[str, str]:
    schools = data["schools"]
    assert isinstance(schools, list)
    return {r["id"]: r["status"] for r in schools[0]["requirements"]}


# --- who must publish what --------------------------------------------------------------------------------

def _school(**fields: object) -> School:
    base = {"id": "x", "name": "X", "urn": "123456", "phase": "primary", "kind": "academy", "local_authority": "la",
            "address": {"lines": ["1 Lane"], "town": "T", "postcode": "T1 1AA"}, "website": "https://x.example.org",
            "contacts": {"office": {"name": "Office", "title": "Office"}}, "policies": {}}
    return School.model_validate({**base, **fields})


@pytest.mark.parametrize(("fields", "expected"), [
    ({"kind": "maintained"}, {"behaviour-policy": "must", "charging": "must", "admissions": "must",
                              "sen-report": "must"}),
    ({"kind": "academy"}, {"behaviour-policy": "must", "charging": "should", "admissions": "must",
                           "sen-report": "must"}),
    ({"kind": "free_school", "phase": "secondary", "sixth_form": True},
     {"behaviour-policy": "must", "charging": "should", "admissions": "must", "careers": "must", "bursary": "should",
      "sen-report": "must"}),
    ({"kind": "academy", "phase": "special"}, {"behaviour-policy": "must", "charging": "should", "sen-report": "must"}),
    ({"kind": "maintained", "phase": "alternative-provision"},
     {"behaviour-policy": "must", "charging": "must", "sen-report": "must"}),
    ({"kind": "maintained", "phase": "infant", "nursery": True},
     {"behaviour-policy": "must", "charging": "must", "admissions": "must", "nursery-places": "should",
      "sen-report": "must"}),
    ({"kind": "free_school", "nursery": True},  # nursery places: only maintained schools and academies here
     {"behaviour-policy": "must", "charging": "should", "admissions": "must", "sen-report": "must"}),
])
def test_each_kind_of_school_gets_its_own_requirements(fields: dict[str, object], expected: dict[str, str]) -> None:
    import yaml

    requirements = Requirements.model_validate(yaml.safe_load(REQUIREMENTS))
    subject = _school(**fields)
    found = {rid: level for rid, req in requirements.requirements.items() if (level := level_for(req, subject))}
    assert found == expected


# --- findings ------------------------------------------------------------------------------------------------

def test_missing_draft_only_and_overdue_with_lines_and_exit_1(make_project: MakeProject) -> None:
    policies = ("  behaviour:\n    approvals:\n      - {date: 2025-09-01, by: full_governing_body, version: \"1.0\"}\n"
                "  charging: {}\n")
    root = tree(make_project, school("maintained", policies=policies))
    code, out, data = check(root, "--offline")
    assert code == 1, out
    assert statuses(data) == {"behaviour-policy": "overdue", "charging": "draft-only", "admissions": "missing",
                              "sen-report": "missing"}
    kinds = {(f["requirement"], f["kind"], f["fails"]) for f in data["findings"]}
    assert kinds == {("behaviour-policy", "overdue", True), ("charging", "draft-only", True),
                     ("admissions", "missing", True), ("sen-report", "missing", True)}
    lines = (root / ALPHA).read_text().splitlines()
    by_kind = {f["kind"]: f for f in data["findings"]}
    assert lines[by_kind["draft-only"]["line"] - 1].strip() == "charging: {}"
    assert lines[by_kind["overdue"]["line"] - 1].strip() == "approvals:"
    assert "Alpha Primary School must publish its admission arrangements online, and nothing published meets it" in out
    assert f"{ALPHA}:{by_kind['missing']['line']}: " in out
    assert "was last brought up to date on 1 September 2025 and was due again by 1 September 2026" in out
    assert "policypress approve --school alpha --policy charging" in out


def test_a_should_is_a_warning_and_strict_makes_it_fail(make_project: MakeProject) -> None:
    policies = ("  behaviour:\n    approvals:\n      - {date: 2026-09-01, by: full_governing_body, version: \"1.0\"}\n")
    extra = ("published_elsewhere:\n  admissions: {url: https://alpha.example.org/admissions, updated: 2026-03-01}\n"
             "  sen-report: {url: https://alpha.example.org/sen, updated: 2026-07-01}\n")
    root = tree(make_project, school("academy", extra=extra, policies=policies))
    code, out, data = check(root, "--offline")
    assert code == 0, out
    assert statuses(data) == {"behaviour-policy": "met", "charging": "missing", "admissions": "elsewhere",
                              "sen-report": "elsewhere"}
    assert [(f["kind"], f["fails"]) for f in data["findings"]] == [("missing", False)]
    assert "should publish its charging and remissions policy online" in out
    assert "were not fetched" in out
    strict, out, _ = check(root, "--offline", "--strict")
    assert strict == 1, out


def test_a_school_that_meets_everything_is_named(make_project: MakeProject) -> None:
    policies = ("  behaviour:\n    approvals:\n      - {date: 2026-09-01, by: full_governing_body, version: \"1.0\"}\n"
                "  charging:\n    approvals:\n      - {date: 2026-09-01, by: full_governing_body, version: \"1.0\"}\n")
    extra = ("published_elsewhere:\n  admissions: {url: https://alpha.example.org/admissions, updated: 2026-03-01}\n"
             "  sen-report: {url: https://alpha.example.org/sen, updated: 2026-07-01}\n")
    root = tree(make_project, school("maintained", extra=extra, policies=policies))
    code, out, data = check(root, "--offline")
    assert (code, data["count"]) == (0, 0), out
    assert "Alpha Primary School meets every requirement." in out
    assert "Alpha Primary School (maintained school, primary): 4 of 4 requirements met" in out


def test_documents_elsewhere_are_fetched_unreachable_fails_unverified_does_not(make_project: MakeProject) -> None:
    policies = ("  behaviour:\n    approvals:\n      - {date: 2026-09-01, by: full_governing_body, version: \"1.0\"}\n")
    extra = ("published_elsewhere:\n"
             "  admissions: {url: https://alpha.example.org/page/admissions, updated: 2026-03-01}\n"
             "  sen-report: {url: https://alpha.example.org/404, updated: 2026-07-01}\n"
             "  charging: {url: https://alpha.example.org/403, updated: 2026-07-01}\n")
    root = tree(make_project, school("maintained", extra=extra, policies=policies))
    with FaultServer() as server:
        code, out, data = check(root, "--map", f"https://alpha.example.org/={server.base}/", "--allow-private",
                                "127.0.0.1", "--retries", "0", "--timeout", "5")
        assert server.hits["/page/admissions"] == 1 and server.hits["/404"] == 1
    assert code == 1, out
    found = {(f["requirement"], f["kind"], f["fails"]) for f in data["findings"]}
    assert found == {("sen-report", "unreachable", True), ("charging", "unverified", False)}
    assert "https://alpha.example.org/404 answered 404" in out
    reached = {r["id"]: r["reached"] for r in data["schools"][0]["requirements"]}
    assert reached["admissions"] == "ok" and reached["sen-report"] == "broken"


def test_check_links_checks_documents_published_elsewhere_too(make_project: MakeProject) -> None:
    extra = "published_elsewhere:\n  sen-report: {url: https://alpha.example.org/404, updated: 2026-07-01}\n"
    root = tree(make_project, school("maintained", extra=extra))
    with FaultServer() as server:
        result = run(root, "check", "links", "--json", "-", "--map", f"https://alpha.example.org/={server.base}/",
                     "--allow-private", "127.0.0.1", "--retries", "0")
    rows = {f["url"]: f for f in json.loads(result.stdout)["findings"]}
    assert rows["https://alpha.example.org/404"]["kind"] == "broken"
    assert rows["https://alpha.example.org/404"]["where"][0]["file"] == ALPHA


def test_an_unsure_requirement_is_never_reported_as_certain(make_project: MakeProject) -> None:
    unsure = REQUIREMENTS.replace("    basis: Children and Families Act 2014, section 69\n",
                                  "    basis: Children and Families Act 2014, section 69\n"
                                  "    unsure: the deadline is not in the reference\n")
    root = tree(make_project, school("academy"), {"content/publishing.yml": unsure})
    code, _out, data = check(root, "--offline")
    sen = next(f for f in data["findings"] if f["requirement"] == "sen-report")
    assert sen["fails"] is False and "(not certain: the deadline is not in the reference)" in sen["what"]
    assert code == 1  # the behaviour policy and admissions are still certain musts


# --- wrong input -----------------------------------------------------------------------------------------------

def test_wrong_names_are_exit_2_with_lines_and_suggestions(make_project: MakeProject) -> None:
    extra = "published_elsewhere:\n  sen-reports: {url: https://alpha.example.org/sen, updated: 2026-07-01}\n"
    behaviour = BEHAVIOUR.replace("meets: [behaviour-policy]", "meets: [behavior-policy]")
    root = tree(make_project, SCHOOL + extra, {"content/policies/behaviour.md": behaviour})
    code, out, _ = check(root, "--offline")
    assert code == 2, out
    assert "content/policies/behaviour.md:11: 'behavior-policy' is not a publishing requirement in " \
           "content/publishing.yml — did you mean 'behaviour-policy'?" in out
    assert f"{ALPHA}:" in out and "'sen-reports' is not a publishing requirement" in out and "'sen-report'?" in out
    assert "the school does not say what kind of school it is" in out and "maintained, academy, free_school" in out
    assert "nothing was written" in out


def test_no_requirements_file_is_exit_2_and_says_what_to_do(make_project: MakeProject) -> None:
    root = make_project()
    result = run(root, "check", "publishing", "--offline")
    assert result.returncode == 2, result.stderr
    assert "content/publishing.yml:1: the project has no publishing requirements" in result.stderr


def test_a_requirement_needs_someone_to_publish_it(make_project: MakeProject) -> None:
    broken = REQUIREMENTS.replace("    must: [maintained]\n    should: [academy, free_school]\n",
                                  "    must: [maintained]\n    should: [maintained]\n")
    root = tree(make_project, school("academy"))
    (root / "content/publishing.yml").write_text(broken)
    code, out, _ = check(root, "--offline")
    assert code == 2 and "content/publishing.yml:" in out and "listed under both must and should" in out


# --- the example -----------------------------------------------------------------------------------------------

README_BLOCK = re.compile(r"The example's output \(`policypress check publishing --offline --today 2026-11-22`"
                          r".*?```\n(.*?)```", re.DOTALL)


def test_the_example_shows_every_finding_and_one_school_meets_everything(tmp_path: Path) -> None:
    """The example's documents served from 127.0.0.1, all but Oakfield's careers programme page: unreachable."""
    from browser import serve_folder
    from policypress.compose.load import load_project

    root = copy_example(tmp_path / "example")
    documents = {doc.url for school in load_project(root).schools.values()
                 for doc in school.source.model.published_elsewhere.values()}
    hosts = sorted({urlsplit(url).netloc for url in documents})
    site = tmp_path / "websites"
    for url in documents - {"https://oakfield.example.org/sixth-form/careers-programme"}:
        page = site / urlsplit(url).netloc / urlsplit(url).path.lstrip("/")
        page.parent.mkdir(parents=True, exist_ok=True)
        page.write_text("<!DOCTYPE html><title>A school page</title>", encoding="utf-8")
    fast = tmp_path / "fast.yml"  # one local server stands for every school's website: no need to pace
    fast.write_text("links:\n  requests_per_second: 100\n", encoding="utf-8")
    with serve_folder(site) as base:
        maps = [arg for host in hosts for arg in ("--map", f"https://{host}/={base}/{host}/")]
        code, out, data = check(root, *maps, "--allow-private", "127.0.0.1", "--retries", "0", "--config", str(fast))
    assert code == 1, out
    kinds = {(f["school"], f["requirement"], f["kind"], f["fails"]) for f in data["findings"]}
    assert kinds == {
        ("hillcrest-primary", "send-information-report", "missing", True),
        ("hillcrest-primary", "equality-information", "overdue", True),
        ("brookside-infant", "charging-remissions", "missing", False),
        ("brookside-infant", "child-protection-policy", "overdue", False),
        ("oakfield-academy", "charging-remissions", "draft-only", False),
        ("oakfield-academy", "careers-programme", "unreachable", False),  # careers: the reference is unsure
    }
    assert "Riverside Primary School meets every requirement." in out
    riverside = next(s for s in data["schools"] if s["id"] == "riverside-primary")
    assert {r["status"] for r in riverside["requirements"]} == {"met", "elsewhere"}
    assert all(r["reached"] == "ok" for r in riverside["requirements"] if r["url"])


def test_the_readme_shows_the_example_as_it_is() -> None:
    result = run(REPO, "check", "publishing", "--offline", "--today", "2026-11-22")
    block = README_BLOCK.search((REPO / "README.md").read_text(encoding="utf-8"))
    assert block is not None
    assert result.stdout == block.group(1)


def test_a_private_or_intranet_address_is_unreachable_and_never_fetched(make_project: MakeProject) -> None:
    extra = ("published_elsewhere:\n  sen-report: {url: http://10.1.2.3/sen.pdf, updated: 2026-07-01}\n"
             "  admissions: {url: http://intranet/admissions, updated: 2026-03-01}\n")
    root = tree(make_project, school("maintained", extra=extra))
    code, out, data = check(root, "--retries", "0", "--timeout", "2")
    assert code == 1, out
    found = {(f["requirement"], f["kind"]) for f in data["findings"]}
    assert {("sen-report", "unreachable"), ("admissions", "unreachable")} <= found, out
    assert "private network address" in out and "intranet name" in out
