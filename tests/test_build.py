"""The build end to end on small inline projects: output, determinism, drafts, safety."""

from __future__ import annotations

import json
from collections.abc import Callable
from pathlib import Path

from conftest import SCHOOL
from tree_tools import files_containing, run, tree_digest

BETA = SCHOOL.replace("id: alpha", "id: beta").replace("Alpha Primary", "Beta Infant").replace(
    "phase: primary", "phase: infant\nnursery: true").replace("Dana Safe", "Morgan Guard")

DRAFT_POLICY = """\
---
title: Charging policy
summary: What we charge for.
category: Money
statutory: false
approver: headteacher
review_cycle: every_2_years
owner: headteacher
---
## Charges {#charges}

UNAPPROVED-DRAFT-MARKER text.
"""

STAFF_POLICY = DRAFT_POLICY.replace("Charging policy", "Staff conduct").replace(
    "UNAPPROVED-DRAFT-MARKER", "STAFF-ONLY-MARKER").replace("---\n## Charges", "audience: [staff]\n---\n## Charges")


def _with_policies(school: str, extra: str) -> str:
    return school.replace("policies:\n", "policies:\n" + extra)


def test_build_writes_trust_index_school_sites_and_policies_json(make_project: Callable[..., Path]) -> None:
    root = make_project({"schools/test-trust/beta.yml": BETA})
    result = run(root, "build")
    assert result.returncode == 0, result.stderr
    site = root / "build" / "site"
    index = (site / "index.html").read_text()
    assert 'href="alpha/index.html"' in index and 'href="beta/index.html"' in index
    for school in ("alpha", "beta"):
        assert (site / school / "index.html").is_file()
        assert (site / school / "policies" / "safeguarding.html").is_file()
        assert (site / school / "search" / "search_index.json").is_file()
    data = json.loads((site / "beta" / "policies.json").read_text())
    assert data["policies"] == [{
        "id": "safeguarding", "title": "Safeguarding policy", "summary": "How we keep children safe.",
        "category": "Safeguarding", "statutory": True, "url": "policies/safeguarding.html",
        "approved": "2026-09-10", "next_review": "2027-09-10"}]


def test_each_school_shows_its_own_people(make_project: Callable[..., Path]) -> None:
    root = make_project({"schools/test-trust/beta.yml": BETA})
    assert run(root, "build").returncode == 0
    site = root / "build" / "site"
    alpha = (site / "alpha" / "policies" / "safeguarding.html").read_text()
    beta = (site / "beta" / "policies" / "safeguarding.html").read_text()
    assert "Dana Safe" in alpha and "Morgan Guard" not in alpha
    assert "Morgan Guard" in beta and "Dana Safe" not in beta
    assert "Our nursery follows the same rules." in beta and "We have no nursery." in alpha


def test_two_builds_give_identical_bytes(make_project: Callable[..., Path], tmp_path: Path) -> None:
    root = make_project({"schools/test-trust/beta.yml": BETA})
    assert run(root, "build", "--jobs", "2").returncode == 0
    first = tree_digest(root / "build" / "site")
    assert run(root, "build", "--jobs", "1", "--out", str(tmp_path / "elsewhere")).returncode == 0
    assert tree_digest(tmp_path / "elsewhere" / "site") == first
    assert run(root, "build").returncode == 0
    assert tree_digest(root / "build" / "site") == first


def test_drafts_and_staff_only_policies_appear_nowhere(make_project: Callable[..., Path]) -> None:
    school = _with_policies(SCHOOL, "  charging: {}\n  staff-conduct:\n    approvals:\n"
                            "      - {date: 2026-09-10, by: headteacher, version: '1.0'}\n")
    root = make_project({
        "content/policies/charging.md": DRAFT_POLICY,
        "content/policies/staff-conduct.md": STAFF_POLICY,
        "schools/test-trust/alpha.yml": school,
    })
    result = run(root, "build")
    assert result.returncode == 0, result.stderr
    site = root / "build" / "site"
    assert files_containing(site, "UNAPPROVED-DRAFT-MARKER") == []
    assert files_containing(site, "STAFF-ONLY-MARKER") == []
    assert files_containing(site, "Charging policy") == []
    assert files_containing(site, "Staff conduct") == []


def test_raw_html_is_sanitised(make_project: Callable[..., Path]) -> None:
    from conftest import POLICY

    hostile = POLICY + (
        "\n<script>alert('xss-script')</script>\n\n"
        "<img src=\"../assets/school.css\" alt=\"A\" onerror=\"alert('xss-onerror')\">\n\n"
        "<iframe src=\"https://evil.example.org/xss-iframe\"></iframe>\n\n"
        "<a href=\"javascript:alert('xss-js')\">click</a> <abbr title=\"Designated safeguarding lead\">DSL</abbr>\n"
    )
    root = make_project({"content/policies/safeguarding.md": hostile})
    assert run(root, "build").returncode == 0
    site = root / "build" / "site" / "alpha"
    for needle in ("xss-script", "xss-onerror", "xss-iframe", "xss-js"):
        assert files_containing(site, needle) == [], needle
    page = (site / "policies" / "safeguarding.html").read_text()
    assert "<iframe" not in page and "<script>alert" not in page and "onerror" not in page
    assert '<abbr title="Designated safeguarding lead">DSL</abbr>' in page


def test_a_failed_site_build_leaves_the_previous_site_intact(make_project: Callable[..., Path]) -> None:
    root = make_project()
    assert run(root, "build").returncode == 0
    before = tree_digest(root / "build" / "site")
    # A broken link in policy text is caught before MkDocs runs (test_internal_links.py);
    # one in our own page template is left for MkDocs to fail on.
    home = root / "templates/site/home.md.j2"
    home.write_text(home.read_text() + "\nSee [the missing page](missing-page.md).\n")
    result = run(root, "build")
    assert result.returncode == 1
    assert "missing-page.md" in result.stderr
    assert tree_digest(root / "build" / "site") == before
    assert sorted(p.name for p in (root / "build").iterdir()) == [".cache", "reports", "site"]  # no staging left


def test_building_one_school_leaves_the_others_alone(make_project: Callable[..., Path]) -> None:
    root = make_project({"schools/test-trust/beta.yml": BETA})
    assert run(root, "build").returncode == 0
    site = root / "build" / "site"
    beta_before = tree_digest(site / "beta")
    school = root / "schools/test-trust/alpha.yml"
    school.write_text(school.read_text().replace("Dana Safe", "Sam Newlead"))
    (root / "schools/test-trust/beta.yml").write_text(BETA.replace("Morgan Guard", "Not Rebuilt"))
    result = run(root, "build", "--school", "alpha")
    assert result.returncode == 0, result.stderr
    assert "Sam Newlead" in (site / "alpha" / "policies" / "safeguarding.html").read_text()
    assert tree_digest(site / "beta") == beta_before


def test_shards_split_the_schools(make_project: Callable[..., Path], tmp_path: Path) -> None:
    root = make_project({"schools/test-trust/beta.yml": BETA})
    first = run(root, "build", "--shard", "1/2", "--out", str(tmp_path / "one"))
    second = run(root, "build", "--shard", "2/2", "--out", str(tmp_path / "two"))
    assert first.returncode == second.returncode == 0
    shards = [sorted(p.name for p in (tmp_path / name / "site").iterdir()) for name in ("one", "two")]
    schools = sorted(name for shard in shards for name in shard if not name.endswith(".html"))
    assert schools == ["alpha", "beta"]  # each in one shard (by work: publish/shards.py, tests/test_shards.py)
    assert all(len(shard) == 3 and {"404.html", "index.html"} <= set(shard) for shard in shards)


def test_unknown_school_and_bad_shard_are_usage_errors(make_project: Callable[..., Path]) -> None:
    root = make_project()
    unknown = run(root, "build", "--school", "gamma")
    assert unknown.returncode == 2
    assert unknown.stderr.strip() == "error: unknown school gamma — known schools: alpha"
    bad = run(root, "build", "--shard", "3/2")
    assert bad.returncode == 2 and "K must be between 1 and N" in bad.stderr
