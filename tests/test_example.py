"""The built example, as `scripts/build` makes it: every school, every PDF, nothing private."""

from __future__ import annotations

import json
import subprocess
from pathlib import Path

from conftest import REPO
from policypress.compose.load import load_project
from tree_tools import files_containing

SCHOOLS = sorted(load_project(REPO).schools)


def _pdfinfo(path: Path) -> dict[str, str]:
    out = subprocess.run(["pdfinfo", str(path)], capture_output=True, text=True, check=True).stdout
    return {k.strip(): v.strip() for k, _, v in (line.partition(":") for line in out.splitlines())}


def test_every_school_has_a_site_and_the_trust_index_links_it(example_site: Path) -> None:
    index = (example_site / "index.html").read_text()
    assert len(SCHOOLS) >= 4
    for school in SCHOOLS:
        assert (example_site / school / "index.html").is_file()
        assert f'href="{school}/index.html"' in index


def test_every_public_policy_has_a_tagged_pdf_with_its_title(example_site: Path) -> None:
    for school in SCHOOLS:
        data = json.loads((example_site / school / "policies.json").read_text())
        listed, name = data["policies"], data["school"]["name"]
        pdfs = sorted(p.stem for p in (example_site / school / "pdf").glob("*.pdf"))
        assert pdfs == sorted(item["id"] for item in listed)
        for item in listed:
            info = _pdfinfo(example_site / school / "pdf" / f"{item['id']}.pdf")
            assert info["Tagged"] == "yes"
            assert info["Title"] == f"{item['title']} – {name}"


def test_no_pdf_on_the_site_says_draft(example_site: Path) -> None:
    for pdf in sorted(example_site.rglob("*.pdf")):
        text = subprocess.run(["pdftotext", str(pdf), "-"], capture_output=True, text=True, check=True).stdout
        assert "DRAFT" not in text, pdf


def test_policy_pages_and_home_link_their_pdf_with_its_size(example_site: Path) -> None:
    school = SCHOOLS[0]
    home = (example_site / school / "index.html").read_text()
    page = (example_site / school / "policies" / "child-protection.html").read_text()
    assert 'href="pdf/child-protection.pdf"' in home and " KB)" in home
    assert 'href="../pdf/child-protection.pdf"' in page


def test_example_drafts_and_staff_policies_are_not_published(example_site: Path) -> None:
    # The statutory information page names the requirement "Charging and remissions policy" (a draft there,
    # published elsewhere by others), so the draft is looked for by its own words and files.
    for words in ("What we may ask parents to pay for", "Staff code of conduct"):
        assert files_containing(example_site, words) == [], words
    assert list(example_site.glob("*/policies/charging-remissions.html")) == []
    assert list(example_site.glob("*/pdf/charging-remissions.pdf")) == []
