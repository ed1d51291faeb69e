"""scripts/bench_scale.py: the generated trust passes check content and builds, every school showing every policy."""

from __future__ import annotations

import json
import sys
from pathlib import Path

from tree_tools import run

sys.path.insert(0, str(Path(__file__).resolve().parent.parent / "scripts"))
import bench_scale  # scripts/ is not a package: found through sys.path

REPO = Path(__file__).resolve().parent.parent


def test_generated_trust_checks_and_builds(tmp_path: Path) -> None:
    root = tmp_path / "trust"
    bench_scale.make_scale_trust(REPO, root, schools=2, policies=12)
    generated = bench_scale.generated_ids(12 - bench_scale.real_public_count(REPO))
    assert generated, "12 policies are more than the example's own: some are generated"
    for pid in generated:
        assert (root / "content" / "policies" / f"{pid}.md").is_file()
    assert (root / "content" / "flowcharts" / f"{generated[0]}.yml").is_file()

    checked = run(root, "check", "content")
    assert checked.returncode == 0, checked.stdout + checked.stderr

    built = run(root, "build", "--no-pdf", "--out", str(tmp_path / "out"))
    assert built.returncode == 0, built.stdout + built.stderr
    site = tmp_path / "out" / "site"
    schools = sorted(p.name for p in site.iterdir() if p.is_dir())
    assert schools == ["hillcrest-primary", "scale-school-002"]
    for school in schools:
        listed = json.loads((site / school / "policies.json").read_text(encoding="utf-8"))["policies"]
        assert len(listed) == 12
        assert {p["id"] for p in listed} >= set(generated)
        assert len(list((site / school / "policies").glob("*.html"))) == 12
    page = (site / "scale-school-002" / "policies" / f"{generated[0]}.html").read_text(encoding="utf-8")
    assert "Hillcrest Primary School 002" in page  # {{ school.name }} is the clone's own
    assert "<table" in page
    assert "<svg" in page  # its flowchart, drawn for the school


def test_generation_is_deterministic(tmp_path: Path) -> None:
    first, second = tmp_path / "a", tmp_path / "b"
    for root in (first, second):
        bench_scale.make_scale_trust(REPO, root, schools=3, policies=14)
    for path in sorted(first.rglob("*")):
        if path.is_file():
            assert path.read_bytes() == (second / path.relative_to(first)).read_bytes(), path


def test_changes_reach_one_school_and_one_model(tmp_path: Path) -> None:
    root = tmp_path / "trust"
    bench_scale.make_scale_trust(REPO, root, schools=3, policies=10)
    assert bench_scale.change_one_school(root) == "scale-school-003"
    assert "Fatima Begum-Hart" in (root / "schools" / bench_scale.TRUST / "scale-school-003.yml").read_text()
    model = bench_scale.change_one_model(root)
    assert bench_scale.opening(0) not in (root / "content" / "policies" / f"{model}.md").read_text()


def test_json_summary_and_rows() -> None:
    assert bench_scale.json_summary("building…\n{\"schools\": {\"built\": 2}}\n") == {"schools": {"built": 2}}
    assert bench_scale.json_summary("built 2 school site(s)\n") is None
    summary = {"site": "out/site", "schools": {"built": ["a", "b"], "unchanged": []}, "pdfs": {"rendered": 3},
               "warnings": [], "seconds": 1.5, "ok": True}
    assert bench_scale.summary_words(summary) == \
        "schools built 2, schools unchanged 0, pdfs rendered 3, warnings 0, seconds 1.5"
    run_ = {"seconds": 1.0, "peak_mb": 100.0, "summary": None}
    small = {"schools": 2, "pdfs": 4, "pdfs_per_s": 1.0, "peak_mb": 100.0, "cold": run_, "unchanged": run_,
             "one_school": run_, "one_model": run_}
    big = {**small, "schools": 4, "pdfs_per_s": 2.0, "cold": {**run_, "seconds": 3.0}}
    growth = bench_scale.growth_rows([small, big])
    assert growth[0][0].startswith("growth 4 vs 2 schools")
    assert "cold ×3.00" in growth[0][1] and "pdfs_per_s ×2.00" in growth[0][1]
    goals = dict(bench_scale.goal_rows(big))
    assert all(v.startswith("met") for v in goals.values()), goals
