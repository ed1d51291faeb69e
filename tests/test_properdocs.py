"""The site adapter is real: the example builds with ProperDocs (the MkDocs 1.6 fork) as well as
with MkDocs, through the same adapter, chosen by POLICYPRESS_SITE_ENGINE.

Both builds are real `policypress build --no-pdf` runs in subprocesses. ProperDocs' own generator
tag proves that it did the build; apart from that tag, every file must be the same as MkDocs makes.
"""

from __future__ import annotations

import json
import os
import re
import subprocess
import sys
from importlib.metadata import version
from pathlib import Path

import pytest

from conftest import REPO
from policypress.compose.load import load_project

SCHOOLS = sorted(load_project(REPO).schools)
GENERATOR = re.compile(rb'<meta name="generator" content="[^"]*">')
# Runs the command, then says which site-engine modules the calling process itself imported.
RUN_AND_REPORT = """\
import json, sys
from policypress.commands.cli import main
try:
    main()
except SystemExit as stop:
    code = stop.code
engines = sorted(m for m in sys.modules if m.split(".")[0] in ("mkdocs", "properdocs", "material"))
print(json.dumps({"code": code, "engine_modules": engines}))
"""


def _build(out: Path, engine: str) -> dict[str, object]:
    env = {**os.environ, "POLICYPRESS_SITE_ENGINE": engine, "SOURCE_DATE_EPOCH": "1795000000"}
    args = ["--root", str(REPO), "build", "--no-pdf", "--jobs", "1", "--out", str(out)]
    result = subprocess.run([sys.executable, "-c", RUN_AND_REPORT, *args], env=env, capture_output=True,
                            text=True, timeout=300, check=False)
    report: dict[str, object] = json.loads(result.stdout.strip().splitlines()[-1])
    assert report["code"] in (0, None), result.stderr
    return report


@pytest.fixture(scope="module")
def builds(tmp_path_factory: pytest.TempPathFactory) -> dict[str, tuple[Path, dict[str, object]]]:
    """The example built once with each engine: its site folder and what the calling process imported."""
    made = {}
    for engine in ("mkdocs", "properdocs"):
        out = tmp_path_factory.mktemp(engine)
        made[engine] = (out / "site", _build(out, engine))
    return made


def _files(site: Path) -> dict[str, bytes]:
    return {p.relative_to(site).as_posix(): p.read_bytes() for p in sorted(site.rglob("*")) if p.is_file()}


def test_properdocs_builds_every_school_and_policy_page(builds: dict[str, tuple[Path, dict[str, object]]]) -> None:
    site = builds["properdocs"][0]
    for school in SCHOOLS:
        index = (site / school / "index.html").read_text()
        data = json.loads((site / school / "policies.json").read_text())
        assert data["policies"], school
        for item in data["policies"]:
            page = (site / school / "policies" / f"{item['id']}.html").read_text()
            assert f"<title>{item['title']} - " in page, (school, item["id"])
        assert data["school"]["name"] in index


def test_properdocs_not_mkdocs_did_the_build(builds: dict[str, tuple[Path, dict[str, object]]]) -> None:
    properdocs_page = (builds["properdocs"][0] / SCHOOLS[0] / "index.html").read_text()
    mkdocs_page = (builds["mkdocs"][0] / SCHOOLS[0] / "index.html").read_text()
    assert f'content="mkdocs-ProperDocs {version("properdocs")}, mkdocs-material-' in properdocs_page
    assert f'content="mkdocs-{version("mkdocs")}, mkdocs-material-' in mkdocs_page


def test_properdocs_makes_the_same_site_as_mkdocs(builds: dict[str, tuple[Path, dict[str, object]]]) -> None:
    mkdocs_files, properdocs_files = _files(builds["mkdocs"][0]), _files(builds["properdocs"][0])
    assert sorted(properdocs_files) == sorted(mkdocs_files)
    assert any(name.endswith("search/search_index.json") for name in mkdocs_files)
    different = [name for name, data in mkdocs_files.items()
                 if GENERATOR.sub(b"", data) != GENERATOR.sub(b"", properdocs_files[name])]
    assert different == []


def test_properdocs_runs_apart_from_the_calling_process(builds: dict[str, tuple[Path, dict[str, object]]]) -> None:
    """Its import redirect (mkdocs.* -> properdocs.*) is global, so it stays in a worker process."""
    assert builds["properdocs"][1]["engine_modules"] == []
    assert builds["mkdocs"][1]["engine_modules"] != []  # MkDocs with one job builds in-process


def test_an_unknown_site_engine_is_refused(tmp_path: Path) -> None:
    env = {**os.environ, "POLICYPRESS_SITE_ENGINE": "zensical"}
    result = subprocess.run([sys.executable, "-m", "policypress", "--root", str(REPO), "build", "--no-pdf",
                             "--school", SCHOOLS[0], "--out", str(tmp_path)],
                            env=env, capture_output=True, text=True, timeout=300, check=False)
    assert result.returncode != 0
    assert "POLICYPRESS_SITE_ENGINE='zensical'" in result.stderr and "mkdocs, properdocs" in result.stderr
