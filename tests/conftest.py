"""Shared test helpers: inline source trees and the path of the real project."""

from __future__ import annotations

import shutil
import textwrap
from collections.abc import Callable, Iterator
from pathlib import Path

import pytest
from playwright.sync_api import Browser

REPO = Path(__file__).resolve().parent.parent
REFERENCE_PLACES = (REPO.parent / "shared" / "reference", Path("/work/shared/reference"))


def reference_folder(part: str) -> Path:
    """A folder of the real documents in ../shared/reference (policies/, word/), read at test time and never
    copied into the project. Missing, the test fails (it is not skipped): the measure needs them."""
    for place in REFERENCE_PLACES:
        if (place / part).is_dir():
            return place / part
    raise AssertionError(f"../shared/reference/{part} is missing (looked in {', '.join(map(str, REFERENCE_PLACES))})")

REGISTRY = """\
max_unverified_days: 365
entries:
  kcsie:
    title: Keeping children safe in education
    publisher: Department for Education
    url: https://www.gov.uk/government/publications/keeping-children-safe-in-education--2
    edition: "2025"
    in_force: 2025-09-01
    kind: statutory_guidance
    verified: 2026-11-01
"""

AUTHORITY = """\
id: northshire
name: Northshire Council
website: https://northshire.example.org
safeguarding_partnership: Northshire Safeguarding Children Partnership
procedures_url: https://procedures.northshire.example.org
contacts:
  front_door:
    name: Children's Front Door
    title: Children's services
    phone: 01632 960100
    out_of_hours_phone: 01632 960199
    email: frontdoor@northshire.example.org
  lado:
    name: Pat Example
    title: Local authority designated officer
    phone: 01632 960150
"""

TRUST = """\
id: test-trust
name: Test Learning Trust
website: https://trust.example.org
contacts:
  ceo:
    name: Robin Chief
    title: Chief executive
policies:
  safeguarding:
    locked: [what-to-do]
"""

SCHOOL = """\
id: alpha
name: Alpha Primary School
urn: "123456"
phase: primary
local_authority: northshire
address:
  lines: [1 School Lane]
  town: Northtown
  postcode: NT1 1AA
website: https://alpha.example.org
contacts:
  headteacher:
    name: Alex Head
    title: Headteacher
    phone: 01632 960001
    email: head@alpha.example.org
  dsl:
    name: Dana Safe
    title: Designated safeguarding lead
    phone: 01632 960002
    email: dsl@alpha.example.org
  office: {name: Alpha school office, title: School office, phone: 01632 960000, email: office@alpha.example.org}
policies:
  safeguarding:
    approvals:
      - {date: 2026-09-10, by: full_governing_body, version: "2.0"}
"""

POLICY = """\
---
title: Safeguarding policy
summary: How we keep children safe.
category: Safeguarding
statutory: true
approver: full_governing_body
review_cycle: annually
owner: dsl
requires: [contacts.dsl]
references: [kcsie]
audience: [public, staff]
---
Everyone at {{ school.name }} helps keep children safe.

## What to do {#what-to-do}

Tell {{ contact("dsl").name }} on {{ contact("dsl").phone }} the same day.

## Early years {#early-years}

{% if school.nursery %}Our nursery follows the same rules.{% else %}We have no nursery.{% endif %}

## Training {#training}

All staff are trained every year. See {{ ref("kcsie") }}.
"""


def minimal_tree() -> dict[str, str]:
    """The smallest valid project: one trust, school, local authority and policy."""
    return {
        "content/statutory.yml": REGISTRY,
        "content/policies/safeguarding.md": POLICY,
        "schools/local-authorities/northshire.yml": AUTHORITY,
        "schools/test-trust/trust.yml": TRUST,
        "schools/test-trust/alpha.yml": SCHOOL,
    }


def write_tree(root: Path, files: dict[str, str]) -> Path:
    """Write files (path: text, dedented) under root, with the real templates and mkdocs.yml."""
    for rel, text in files.items():
        path = root / rel
        path.parent.mkdir(parents=True, exist_ok=True)
        path.write_text(textwrap.dedent(text), encoding="utf-8")
    if not (root / "templates").exists():
        shutil.copytree(REPO / "templates", root / "templates")
    if not (root / "mkdocs.yml").exists():
        shutil.copy(REPO / "mkdocs.yml", root / "mkdocs.yml")
    return root


@pytest.fixture
def make_project(tmp_path: Path) -> Callable[..., Path]:
    """Build a project tree: the minimal one, with some files changed or added."""

    def make(changes: dict[str, str | None] | None = None) -> Path:
        files = minimal_tree()
        for rel, text in (changes or {}).items():
            if text is None:
                files.pop(rel, None)
            else:
                files[rel] = text
        return write_tree(tmp_path / "project", files)

    return make


@pytest.fixture(scope="session")
def example_site(tmp_path_factory: pytest.TempPathFactory) -> Path:
    """The embedded example, built once per test run with the real command."""
    from tree_tools import run

    out = tmp_path_factory.mktemp("example")
    result = run(REPO, "build", "--out", str(out))
    assert result.returncode == 0, result.stderr
    return out / "site"


@pytest.fixture(scope="module")
def served(example_site: Path) -> Iterator[str]:
    """The built example on a local web server (127.0.0.1), for the module's browser tests."""
    from browser import serve_folder

    with serve_folder(example_site) as base:
        yield base


@pytest.fixture(scope="module")
def browser() -> Iterator[Browser]:
    """Debian's Chromium, headless, for the module's tests."""
    from browser import chromium

    with chromium() as found:
        yield found
