"""Golden files: the exact Markdown handed to MkDocs for one example school.

A change to a template, a model policy, an overlay or the renderer shows up here as a diff to
review. Refresh with `scripts/update-golden` and read the diff before committing it.
"""

from __future__ import annotations

import os

import pytest

from conftest import REPO
from policypress.compose.load import load_project
from policypress.compose.render import render_project
from policypress.outputs.pages import school_pages, site_environment
from policypress.publish.build import latest_source_date

GOLDEN = REPO / "tests" / "golden"
SCHOOLS = ["hillcrest-primary"]


@pytest.mark.parametrize("school_id", SCHOOLS)
def test_markdown_handed_to_mkdocs_matches_golden(school_id: str) -> None:
    project = load_project(REPO)
    school = next(s for s in render_project(project) if s.school.id == school_id)
    built = latest_source_date(project)
    pages = school_pages(site_environment(REPO / "templates", today=built), school)  # fixed: no time bomb
    folder = GOLDEN / school_id
    if os.environ.get("UPDATE_GOLDEN") == "1":
        for rel, text in pages.items():
            (folder / rel).parent.mkdir(parents=True, exist_ok=True)
            (folder / rel).write_text(text, encoding="utf-8")
    expected = {p.relative_to(folder).as_posix(): p.read_text(encoding="utf-8")
                for p in sorted(folder.rglob("*")) if p.is_file()}
    assert sorted(pages) == sorted(expected)
    for rel, text in pages.items():
        assert text == expected[rel], f"{rel} differs from tests/golden/{school_id}/{rel}"
