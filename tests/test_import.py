"""`policypress import`: Word files into the source, from the command line, into a copy of the example.

The three real Word files (../shared/reference/word, read there) import and build with a fidelity of at
least 98 %; three generated school copies of one policy become one model and overlays that give each copy
back; every kind of item a person must check is reported with its place; and the import is safe: a
dry run writes nothing, nothing is replaced without --force, an unreadable file writes nothing.
"""

from __future__ import annotations

import json
from pathlib import Path
from typing import Any

import pytest
import yaml

import word_fixtures as wf
from conftest import reference_folder
from tree_tools import copy_example, run, tree_digest

TRUST = "oakfield-learning-trust"
HILLCREST = f"schools/{TRUST}/hillcrest-primary.yml"


@pytest.fixture
def project(tmp_path: Path) -> Path:
    return copy_example(tmp_path / "project")


def import_(root: Path, *args: str) -> tuple[int, str, dict[str, Any]]:
    result = run(root, "import", *args, "--json", str(root / "import.json"))
    assert "Traceback" not in result.stderr, result.stderr
    report = root / "import.json"
    data = json.loads(report.read_text()) if report.exists() and result.returncode == 0 else {}
    return result.returncode, result.stdout + result.stderr, data


# --- the real Word files -----------------------------------------------------------------------------------

# Written down by reading each file: its title, some of its section headings, tables, links, document control.
REFERENCE: dict[str, dict[str, Any]] = {
    "000.docx": {"title": "Anti-Bullying Policy", "headings": ["1. Introduction", "Appendix A"], "tables": 4,
                 "control": {"approver": "trust_board", "review_cycle": "annually", "author": "Head of Inclusion"},
                 "approval": {"date": "2025-02-25", "by": "trust_board", "version": "2025"}},
    "002.docx": {"title": None, "headings": ["Introduction"], "tables": 3, "control": {}, "approval": None},
    "003.docx": {"title": "Child Protection and Safeguarding Policy", "headings": ["Section 2 Safeguarding Statement"],
                 "tables": 2, "control": {}, "approval": None},
}


@pytest.mark.parametrize("name", sorted(REFERENCE))
def test_a_real_word_file_imports_builds_and_keeps_its_words(project: Path, name: str,
                                                             capsys: pytest.CaptureFixture[str]) -> None:
    expected = REFERENCE[name]
    policy = f"imported-{name[:3]}"
    code, out, data = import_(project, str(reference_folder("word") / name), "--trust", TRUST, "--school",
                              "hillcrest-primary", "--id", policy)
    assert code == 0, out
    figure = data["files"][0]["fidelity"]
    with capsys.disabled():
        print(f"\nimport {name}: fidelity {figure} %, {len(data['files'][0]['items'])} item(s)")
    assert figure >= 98.0
    text = (project / f"schools/{TRUST}/policies/{policy}.md").read_text(encoding="utf-8")
    meta = yaml.safe_load(text.split("---\n")[1])
    if expected["title"]:
        assert meta["title"] == expected["title"]
    for key, value in expected["control"].items():
        assert meta[key] == value, key
    for heading in expected["headings"]:
        assert any(line.startswith("## ") and heading in line for line in text.splitlines()), heading
    assert sum(line.startswith("|---") for line in text.splitlines()) == expected["tables"]
    entry = yaml.safe_load((project / HILLCREST).read_text(encoding="utf-8"))["policies"][policy]
    if expected["approval"]:
        approval = entry["approvals"][0]
        assert {k: str(approval[k]) for k in ("date", "by", "version")} == expected["approval"]
        assert approval["minute"].startswith(f"imported from {name}")
    build = run(project, "build", "--no-pdf", "--school", "hillcrest-primary")
    assert build.returncode == 0, build.stderr


def test_the_safeguarding_file_reports_its_people_links_and_citations(project: Path) -> None:
    code, out, data = import_(project, str(reference_folder("word") / "003.docx"), "--trust", TRUST, "--school",
                              "hillcrest-primary", "--id", "safeguarding-imported", "--dry-run")
    assert code == 0, out
    kinds = {item["kind"] for item in data["files"][0]["items"]}
    assert {"unknown-person", "stale-citation", "summary-needed"} <= kinds
    assert all(item["paragraph"] >= 1 for item in data["files"][0]["items"])


# --- several schools' copies → one model and overlays ------------------------------------------------------------

def _copy(folder: Path, school_name: str, dsl: str, extra: bool = False, changed: bool = False) -> Path:
    document = wf.new_document()
    wf.add_styled_heading(document, "Behaviour policy", 0)
    wf.add_paragraph(document, f"At {school_name} we expect every child to be kind and to try their best.")
    wf.add_styled_heading(document, "Rewards", 1)
    wf.add_paragraph(document, "Children earn house points for kindness, effort and good manners.")
    wf.add_styled_heading(document, "Who to talk to", 1)
    wf.add_paragraph(document, f"Talk to {dsl}, our designated safeguarding lead, about any worry.")
    wf.add_styled_heading(document, "Sanctions", 1)
    wf.add_paragraph(document, "A child who hurts someone misses part of their break time."
                     if not changed else "A child who hurts someone talks it through with a teacher at break.")
    if extra:
        wf.add_styled_heading(document, "Our nursery", 1)
        wf.add_paragraph(document, "In the nursery, adults model sharing and taking turns every day.")
    return wf.save(document, folder / f"{school_name.split()[0].lower()}.docx")


def test_three_school_copies_become_one_model_and_overlays(project: Path, tmp_path: Path) -> None:
    files = [_copy(tmp_path, "Hillcrest Primary School", "Fatima Begum"),
             _copy(tmp_path, "Brookside Infant and Nursery School", "Amira Khan", extra=True),
             _copy(tmp_path, "Oakfield Academy", "Claire Whitmore", changed=True)]
    code, out, data = import_(project, *map(str, files), "--trust", TRUST, "--model", "kindness",
                              "--schools", "hillcrest-primary,brookside-infant,oakfield-academy")
    assert code == 0, out
    by_school = {f["school"]: f for f in data["files"]}
    assert all(f["fidelity"] >= 99.0 for f in by_school.values()), {s: f["fidelity"] for s, f in by_school.items()}
    assert (by_school["hillcrest-primary"]["sections_differing"], by_school["brookside-infant"]["sections_differing"],
            by_school["oakfield-academy"]["sections_differing"]) == (0, 1, 1)
    model = (project / f"schools/{TRUST}/policies/kindness.md").read_text(encoding="utf-8")
    assert "{{ school.name }}" in model and "Our nursery" not in model
    brookside = yaml.safe_load((project / f"schools/{TRUST}/brookside-infant.yml").read_text())["policies"]
    assert brookside["kindness"]["overlay"]["sections"][0]["action"] == "insert_after"


# --- items for a person ------------------------------------------------------------------------------------------

def test_every_kind_of_item_is_reported_with_its_place(project: Path, tmp_path: Path) -> None:
    document = wf.new_document()
    wf.add_styled_heading(document, "Online safety policy", 0)
    wf.add_styled_heading(document, "Who to contact", 1)
    wf.add_paragraph(document, "Speak to Mrs Jane Doughty, our online safety lead, on 01632 960777.")
    paragraph = wf.add_paragraph(document, "Fill in ")
    wf.add_link(paragraph, "#", "the report form")
    paragraph = wf.add_paragraph(document, "Staff guidance is on ")
    wf.add_link(paragraph, "https://oakfield.sharepoint.com/sites/staff/online.docx", "the staff site")
    wf.add_paragraph(document, "We follow Keeping Children Safe in Education 2023 in everything we do.")
    wf.add_styled_heading(document, "What to do: flowchart", 1)
    wf.add_picture(document, tmp_path)
    path = wf.save(document, tmp_path / "online.docx")
    code, out, data = import_(project, str(path), "--trust", TRUST, "--school", "hillcrest-primary", "--id",
                              "online-imported")
    assert code == 0, out
    items = data["files"][0]["items"]
    kinds = {item["kind"] for item in items}
    assert {"unknown-person", "unknown-phone", "placeholder-link", "not-public-link", "stale-citation",
            "no-alt-text", "flowchart-picture"} <= kinds, kinds
    person = next(i for i in items if i["kind"] == "unknown-person")
    assert person["heading"] == "Who to contact" and "Jane Doughty" in person["what"] and "contacts:" in person["fix"]
    html = (project / "build/reports/import.html").read_text(encoding="utf-8")
    assert "Jane Doughty" in html and "<script" not in html


# --- safe by default ---------------------------------------------------------------------------------------------

def _small(tmp_path: Path) -> Path:
    document = wf.new_document()
    wf.add_styled_heading(document, "Uniform policy", 0)
    wf.add_styled_heading(document, "What to wear", 1)
    wf.add_paragraph(document, "Children wear a green jumper and grey trousers, skirt or shorts every day.")
    return wf.save(document, tmp_path / "uniform.docx")


def test_dry_run_writes_nothing_and_force_is_needed_to_replace(project: Path, tmp_path: Path) -> None:
    before = tree_digest(project / "schools")
    code, out, data = import_(project, str(_small(tmp_path)), "--trust", TRUST, "--school", "hillcrest-primary",
                              "--id", "uniform-imported", "--dry-run")
    assert code == 0 and data["dry_run"] is True and "Would write" in out
    assert tree_digest(project / "schools") == before
    code, out, _ = import_(project, str(_small(tmp_path)), "--trust", TRUST, "--school", "hillcrest-primary",
                           "--id", "uniform-imported")
    assert code == 0, out
    after = tree_digest(project / "schools")
    code, out, _ = import_(project, str(_small(tmp_path)), "--trust", TRUST, "--school", "hillcrest-primary",
                           "--id", "uniform-imported")
    assert code == 2 and "--force" in out
    assert tree_digest(project / "schools") == after
    code, out, _ = import_(project, str(_small(tmp_path)), "--trust", TRUST, "--school", "hillcrest-primary",
                           "--id", "uniform-imported", "--force")
    assert code == 0, out


@pytest.mark.parametrize(("maker", "message"), [
    (wf.write_corrupt, "damaged"), (wf.write_ole, "password"), (wf.write_zip_without_body, "document.xml"),
])
def test_an_unreadable_file_writes_nothing(project: Path, tmp_path: Path, maker: Any, message: str) -> None:
    good = _small(tmp_path)
    bad = maker(tmp_path / "bad.docx")
    before = tree_digest(project / "schools")
    code, out, _ = import_(project, str(good), str(bad), "--trust", TRUST, "--school", "hillcrest-primary")
    assert (code == 2 and message in out.lower()) or message in out, out
    assert tree_digest(project / "schools") == before


@pytest.mark.parametrize("name", ["policy.doc", "policy.odt", "policy.pdf"])
def test_other_formats_say_what_to_do(project: Path, tmp_path: Path, name: str) -> None:
    path = tmp_path / name
    path.write_bytes(b"not really")
    code, out, _ = import_(project, str(path), "--trust", TRUST, "--school", "hillcrest-primary")
    assert code == 2 and ".docx" in out, out


def test_against_an_existing_model_only_the_overlay_is_written(project: Path, tmp_path: Path) -> None:
    first = [_copy(tmp_path, "Hillcrest Primary School", "Fatima Begum"),
             _copy(tmp_path, "Brookside Infant and Nursery School", "Amira Khan")]
    code, out, _ = import_(project, *map(str, first), "--trust", TRUST, "--model", "kindness",
                           "--schools", "hillcrest-primary,brookside-infant")
    assert code == 0, out
    model = project / f"schools/{TRUST}/policies/kindness.md"
    before = model.read_bytes()
    (tmp_path / "later").mkdir()
    later = _copy(tmp_path / "later", "Oakfield Academy", "Claire Whitmore", changed=True)
    code, out, data = import_(project, str(later), "--trust", TRUST, "--school", "oakfield-academy",
                              "--id", "kindness")
    assert code == 0, out
    assert model.read_bytes() == before
    assert data["written"] == [f"schools/{TRUST}/oakfield-academy.yml"]
    entry = yaml.safe_load((project / f"schools/{TRUST}/oakfield-academy.yml").read_text())["policies"]["kindness"]
    assert entry["overlay"]["sections"] == [{"section": "sanctions", "action": "replace", "text":
                                             "A child who hurts someone talks it through with a teacher at break.\n"}]
    assert data["files"][0]["fidelity"] >= 99.0 and data["files"][0]["sections_differing"] == 1


def test_a_project_without_the_report_template_still_gets_its_report(project: Path, tmp_path: Path) -> None:
    (project / "templates/reports/import.html.j2").unlink()
    code, out, _ = import_(project, str(_small(tmp_path)), "--trust", TRUST, "--school", "hillcrest-primary",
                           "--id", "uniform-imported", "--dry-run")
    assert code == 0, out
    assert "Uniform policy" in (project / "build/reports/import.html").read_text(encoding="utf-8")


def test_a_school_file_linked_from_outside_the_project_is_refused(project: Path, tmp_path: Path) -> None:
    outside = tmp_path / "outside.yml"
    outside.write_text((project / HILLCREST).read_text(encoding="utf-8"), encoding="utf-8")
    (project / HILLCREST).unlink()
    (project / HILLCREST).symlink_to(outside)
    code, out, _ = import_(project, str(_small(tmp_path)), "--trust", TRUST, "--school", "hillcrest-primary",
                           "--id", "uniform-imported")
    assert code == 2, out
    assert outside.read_text(encoding="utf-8").count("uniform-imported") == 0


def test_picture_names_from_the_word_file_become_safe_file_names(tmp_path: Path) -> None:
    from policypress.importer.convert import _picture
    from policypress.importer.document import Block, Item, Picture, Place

    picture = Picture("media/My Photo {{ x }} (1).png", b"\x89PNG", "A calm corner", "image/png")
    saved: dict[str, tuple[bytes, str]] = {}
    items: list[Item] = []
    link = _picture(Block("picture", "", Place(1), picture=picture), "calm", saved, items)
    (name,) = saved
    assert name.startswith("calm-my-photo-x-1-") and name.endswith(".png") and link == f"![](images/{name})"
