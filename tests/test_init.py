"""`policypress init`, `new-trust`, `new-local-authority` and `new-school`: projects that build as written."""

from __future__ import annotations

import json
import subprocess
from pathlib import Path
from typing import get_args

import yaml

from tree_tools import POLICYPRESS, run


def _init(folder: Path, *args: str) -> subprocess.CompletedProcess[str]:
    return subprocess.run([*POLICYPRESS, "init", str(folder), *args], capture_output=True, text=True,
                          timeout=300, check=False)


def _check_content_clean(root: Path) -> None:
    report = root / "content-findings.json"
    checked = run(root, "check", "content", "--json", str(report))
    assert checked.returncode == 0, checked.stdout + checked.stderr
    assert json.loads(report.read_text())["count"] == 0


def test_init_writes_a_project_that_builds_and_checks_clean(tmp_path: Path) -> None:
    root = tmp_path / "my-trust"
    made = _init(root)
    assert made.returncode == 0, made.stderr
    for part in ("mkdocs.yml", "checks.yml", "content/statutory.yml", "templates/site/policy.md.j2",
                 "templates/pdf/policy.html.j2", "schools/local-authorities/eastmoor.yml"):
        assert (root / part).is_file(), part
    trusts = list((root / "schools").glob("*/trust.yml"))
    assert len(trusts) == 1
    schools = [p for p in trusts[0].parent.glob("*.yml") if p.name != "trust.yml"]
    assert len(schools) == 1
    school = yaml.safe_load(schools[0].read_text())
    assert "office" in school["contacts"]
    policies = sorted(p.stem for p in (root / "content/policies").glob("*.md"))
    assert 2 <= len(policies) <= 4 and set(school["policies"]) == set(policies)
    for path in [*trusts, *schools, root / "checks.yml", root / "schools/local-authorities/eastmoor.yml"]:
        assert path.read_text().startswith("#"), f"{path} is commented"  # each file says what it is
    built = run(root, "build")
    assert built.returncode == 0, built.stderr
    home = (root / "build/site" / school["id"] / "index.html").read_text()
    assert "No policy is published here yet" in home  # drafts until approved: the home page says so
    assert "Larkfield" in (root / "build/site" / school["id"] / "contacts.html").read_text()
    _check_content_clean(root)


def test_init_example_writes_the_embedded_example_that_builds(tmp_path: Path) -> None:
    repo = Path(__file__).resolve().parent.parent
    root = tmp_path / "example"
    made = _init(root, "--example")
    assert made.returncode == 0, made.stderr
    assert (root / "content/policies/child-protection.md").read_bytes() == \
        (repo / "content/policies/child-protection.md").read_bytes()
    assert any((root / "approvals").rglob("*.md"))
    assert not (root / "content").is_symlink()  # real files, not links back into the package
    built = run(root, "build")
    assert built.returncode == 0, built.stderr
    assert (root / "build/site/hillcrest-primary/index.html").is_file()


def test_init_refuses_a_folder_that_is_not_empty(tmp_path: Path) -> None:
    (tmp_path / "notes.txt").write_text("mine")
    refused = _init(tmp_path)
    assert refused.returncode == 2
    assert "not empty" in refused.stderr
    assert sorted(p.name for p in tmp_path.iterdir()) == ["notes.txt"]  # nothing was written
    empty = tmp_path / "empty"
    empty.mkdir()
    assert _init(empty).returncode == 0  # an empty folder is fine


def test_new_trust_local_authority_and_school_build_together(tmp_path: Path) -> None:
    root = tmp_path / "project"
    assert _init(root).returncode == 0
    for args in (("new-trust", "--id", "hazel-trust"), ("new-local-authority", "--id", "brackley"),
                 ("new-school", "--trust", "hazel-trust", "--id", "hazel-infant")):
        made = run(root, *args)
        assert made.returncode == 0, made.stderr
    school_path = root / "schools/hazel-trust/hazel-infant.yml"
    school = yaml.safe_load(school_path.read_text())
    school["local_authority"] = "brackley"  # the new authority, not the starter's
    school["policies"] = {"complaints": {}}
    school_path.write_text(yaml.safe_dump(school))
    built = run(root, "build")
    assert built.returncode == 0, built.stderr
    assert (root / "build/site/hazel-infant/index.html").is_file()
    _check_content_clean(root)


def test_scaffolds_write_every_field_with_its_description() -> None:
    from policypress.source.scaffold import local_authority_yaml, school_yaml, trust_yaml
    from policypress.source.schema_types import Phase
    from policypress.source.school_schema import LocalAuthority, School, Trust

    for text, model in ((trust_yaml("t"), Trust), (local_authority_yaml("la"), LocalAuthority),
                        (school_yaml("s", ["la"]), School)):
        assert set(yaml.safe_load(text)) == set(model.model_fields)
        for info in model.model_fields.values():
            assert f"# {info.description}" in text
    school = school_yaml("s", ["la"])
    assert "'Start your own trust'" in school
    assert all(phase in school for phase in get_args(Phase))
    assert yaml.safe_load(school)["branding"]["primary_colour"] is None  # the trust's colour wins


def test_the_readme_section_the_scaffolds_name_exists() -> None:
    readme = (Path(__file__).resolve().parent.parent / "README.md").read_text()
    assert "\n## Start your own trust" in readme or "\n### Start your own trust" in readme


def test_scaffolds_refuse_a_bad_id_or_an_existing_file(tmp_path: Path) -> None:
    root = tmp_path / "project"
    assert _init(root).returncode == 0
    bad = run(root, "new-trust", "--id", "../outside")
    assert bad.returncode == 2 and "cannot be a trust id" in bad.stderr
    assert not (tmp_path / "outside").exists()
    assert run(root, "new-local-authority", "--id", "brackley").returncode == 0
    again = run(root, "new-local-authority", "--id", "brackley")
    assert again.returncode == 2 and "already exists" in again.stderr
    no_trust = run(root, "new-school", "--trust", "nope", "--id", "delta")
    assert no_trust.returncode == 2 and "policypress new-trust --id nope" in no_trust.stderr
