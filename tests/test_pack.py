"""The governors' pack: what needs a decision and why, what changed and where it came from, a page to sign.

The issue's own test: approve a policy, change one sentence of the model policy, the school's
DSL name and a registry edition, and the pack's redline shows exactly those three changes with
their origins; approving again and re-packing shows no change for that policy.
"""

from __future__ import annotations

import subprocess
from collections.abc import Callable
from pathlib import Path

import pytest

from conftest import POLICY, SCHOOL
from tree_tools import copy_example, run

MakeProject = Callable[..., Path]
ALPHA = "schools/test-trust/alpha.yml"
SAFEGUARDING = "content/policies/safeguarding.md"
REGISTRY_FILE = "content/statutory.yml"
PACK = "build/governors/alpha/2026-11-25-governors-pack.pdf"


def pdf_text(path: Path) -> str:
    done = subprocess.run(["pdftotext", "-layout", str(path), "-"], capture_output=True, text=True, check=True)
    return " ".join(done.stdout.split())


def approve(root: Path, version: str) -> None:
    result = run(root, "approve", "--school", "alpha", "--policy", "safeguarding", "--by", "full_governing_body",
                 "--date", "2026-11-20", "--version", version, "--minute", f"FGB 2026-11 item {version}")
    assert result.returncode == 0, result.stderr


def pack(root: Path) -> str:
    result = run(root, "pack", "--school", "alpha", "--meeting", "2026-11-25")
    assert result.returncode == 0, result.stderr
    assert (root / PACK).is_file() and not (root / "build" / "site").exists()
    return pdf_text(root / PACK)


def edit(root: Path, rel: str, old: str, new: str) -> None:
    path = root / rel
    text = path.read_text(encoding="utf-8")
    assert old in text
    path.write_text(text.replace(old, new), encoding="utf-8")


@pytest.fixture
def approved(make_project: MakeProject) -> Path:
    root = make_project()
    approve(root, "3.0")
    return root


def test_pack_shows_exactly_the_three_changes_with_their_origins(approved: Path) -> None:
    edit(approved, SAFEGUARDING, "All staff are trained every year.", "All staff and governors are trained every year.")
    edit(approved, ALPHA, "Dana Safe", "Robin Guard")
    edit(approved, REGISTRY_FILE, 'edition: "2025"', 'edition: "2026"')
    text = pack(approved)
    assert "1. Safeguarding policy Why it is here: Changed since version 3.0 was approved on 20 November 2026." in text
    assert "3 changes." in text
    assert (f"From: School facts ({ALPHA}): the dsl contact … children safe. What to do Tell Dana Safe Robin Guard "
            "on 01632 960002 the same day. …") in text
    assert f"From: Trust model policy text ({SAFEGUARDING}, line 25) … have no nursery. Training All staff " \
           "and governors are trained every year. See Keeping …" in text
    assert f"From: Statutory registry update: kcsie ({REGISTRY_FILE}) … See Keeping children safe in education " \
           "(2025). (2026). …" in text
    assert text.count("From: ") == 3


def test_after_approving_again_the_pack_shows_no_change(approved: Path) -> None:
    edit(approved, ALPHA, "Dana Safe", "Robin Guard")
    assert "From: School facts" in pack(approved)
    approve(approved, "4.0")
    text = pack(approved)
    assert "No policy needs a decision at this meeting" in text
    assert "From: " not in text and "Robin Guard" not in text


def test_pack_lists_every_reason_and_has_a_page_to_sign(make_project: MakeProject) -> None:
    never = POLICY.replace("title: Safeguarding policy", "title: Visitors policy")
    root = make_project({"content/policies/visitors.md": never,
                         ALPHA: SCHOOL.replace("policies:\n", "policies:\n  visitors: {}\n")
                         .replace("2026-09-10", "2025-12-01")})
    text = pack(root)
    assert "1. Safeguarding policy Why it is here: Review due by 1 December 2026, before the next meeting." in text
    assert "2. Visitors policy Why it is here: Never approved." in text
    assert "This policy has not been approved before: all of its text is new." in text
    assert "No approved text was kept for version 2.0, so the changes cannot be shown." in text
    assert text.count("Full text for approval (draft)") == 2
    assert "The full governing body of Alpha Primary School approved this policy at the meeting on 25 November 2026." \
        in text
    for line in ("Approval: Visitors policy", "Minute reference", "Chair of governors", "Headteacher (Alex Head)"):
        assert line in text


def test_the_full_text_pages_carry_the_draft_watermark(approved: Path) -> None:
    from pypdf import PdfReader

    edit(approved, ALPHA, "Dana Safe", "Robin Guard")
    pack(approved)
    info = subprocess.run(["pdfinfo", str(approved / PACK)], capture_output=True, text=True, check=True).stdout
    assert "Tagged:          yes" in info
    pages = [page.extract_text() or "" for page in PdfReader(approved / PACK).pages]
    marked = [n for n, text in enumerate(pages) if "DRAFT" in text]
    assert marked and all("Full text for approval" in pages[n] or n > 1 for n in marked)
    assert "DRAFT" not in pages[0] and "DRAFT" not in pages[-1]  # not on the cover or the page to sign


def test_example_school_pack_shows_the_three_attributed_changes_and_the_page_to_sign(tmp_path: Path) -> None:
    """The issue's "Shown by", on a copy of the example: Hillcrest's child protection policy."""
    root = copy_example(tmp_path / "example")
    result = run(root, "approve", "--school", "hillcrest-primary", "--policy", "child-protection",
                 "--by", "full_governing_body", "--date", "2026-11-20", "--minute", "FGB 2026-11 item 3")
    assert result.returncode == 0 and "Recorded version 8.0" in result.stdout, result.stderr
    assert (root / "approvals/hillcrest-primary/child-protection/2026-11-20-v8.0.origins.json").is_file()
    edit(root, "content/policies/child-protection.md", "Stick to facts.", "Stick to facts, not opinions.")
    edit(root, "schools/oakfield-learning-trust/hillcrest-primary.yml", "Fatima Begum", "Jordan Ellis")
    edit(root, "content/statutory.yml", 'edition: "2025"\n    in_force: 2025-09-01',
         'edition: "2026"\n    in_force: 2026-09-01')
    result = run(root, "pack", "--school", "hillcrest-primary", "--meeting", "2026-11-25")
    assert result.returncode == 0, result.stderr
    pdf = root / "build/governors/hillcrest-primary/2026-11-25-governors-pack.pdf"
    text = pdf_text(pdf)
    section = text[text.index("Child protection and safeguarding policy Why it is here"):]
    section = section[:section.index("Full text for approval (draft)")]
    assert "Changed since version 8.0 was approved on 20 November 2026" in section
    assert section.count("From: ") == 3
    assert "From: School facts (schools/oakfield-learning-trust/hillcrest-primary.yml): the dsl contact (" in section
    assert "Fatima Begum Jordan Ellis" in section
    assert "From: Trust model policy text (content/policies/child-protection.md, line " in section
    assert "Stick to facts. facts, not opinions." in section
    assert "From: Statutory registry update: kcsie (content/statutory.yml)" in section
    assert "Approval: Child protection and safeguarding policy" in text and "Chair of governors (" in text
    png = tmp_path / "page"
    subprocess.run(["pdftoppm", "-f", "2", "-l", "2", "-r", "50", "-gray", "-png", str(pdf), str(png)], check=True)
    assert next(tmp_path.glob("page*.png")).stat().st_size > 5000  # a real page of text, not blank


def test_an_origins_file_that_is_broken_or_linked_out_only_loses_the_origins(tmp_path: Path) -> None:
    from policypress.compose.provenance import Word, words_json
    from policypress.governors.pack import approved_words

    root = tmp_path / "project"
    folder = root / "approvals" / "alpha" / "safeguarding"
    folder.mkdir(parents=True)
    snapshot = folder / "2026-09-10-v2.0.md"
    outside = tmp_path / "outside.json"
    outside.write_text(words_json([Word("Stolen", "line:x:1")]), encoding="utf-8")
    origins = folder / "2026-09-10-v2.0.origins.json"
    for broken in ('{"words": [[1, 2]]}', '{"words": 5}', "not json", None):
        origins.unlink(missing_ok=True)
        if broken is None:
            origins.symlink_to(outside)
        else:
            origins.write_text(broken, encoding="utf-8")
        assert approved_words(root, snapshot, "Tell Dana today.") == [Word("Tell", ""), Word("Dana", ""),
                                                                      Word("today.", "")]
