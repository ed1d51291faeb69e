"""Incremental builds: a school whose inputs are unchanged keeps its site, byte for byte and untouched;
what changed is built again, and the result is the same as a build from nothing."""

from __future__ import annotations

import hashlib
import io
import json
import os
import shutil
from pathlib import Path
from typing import Any

import pytest
from rich.console import Console

from policypress.commands.progress import BarProgress, PlainProgress
from tree_tools import copy_example, run, tree_digest

SCHOOLS = ["brookside-infant", "hillcrest-primary", "oakfield-academy", "riverside-primary"]
EHE = "schools/local-authorities/westmere/policies/elective-home-education.md"  # Hillcrest's and Riverside's


@pytest.fixture(scope="module")
def built_once(tmp_path_factory: pytest.TempPathFactory) -> Path:
    """The example, built once with PDFs (each test works on its own copy of source and output)."""
    root = copy_example(tmp_path_factory.mktemp("incremental") / "project")
    summary = build(root)
    assert summary["schools"]["built"] == SCHOOLS
    return root


@pytest.fixture
def project(built_once: Path, tmp_path: Path) -> Path:
    return Path(shutil.copytree(built_once, tmp_path / "project", symlinks=True))  # copy2: times kept


def build(root: Path, *args: str, out: Path | None = None) -> dict[str, Any]:
    done = run(root, "build", "--json", *(["--out", str(out)] if out else []), *args)
    assert done.returncode == 0, done.stderr
    summary: dict[str, Any] = json.loads(done.stdout)
    return summary


def snapshot(folder: Path) -> dict[str, tuple[int, int, str]]:
    """Every file and folder under folder: its modification time, inode and (for a file) sha256."""
    found = {}
    for base, dirs, names in os.walk(folder):
        for name in [*dirs, *names]:
            path = Path(base, name)
            info = path.stat()
            data = hashlib.sha256(path.read_bytes()).hexdigest() if path.is_file() else ""
            found[path.relative_to(folder).as_posix()] = (info.st_mtime_ns, info.st_ino, data)
    return found


def files_of(shot: dict[str, tuple[int, int, str]], school: str) -> dict[str, tuple[int, int, str]]:
    """The school's files (its folders are new when the site is swapped in whole: their files are linked in)."""
    return {k: v for k, v in shot.items() if k.startswith(school + "/") and v[2]}


def test_a_rebuild_with_nothing_changed_builds_nothing_and_touches_nothing(project: Path) -> None:
    before = snapshot(project / "build" / "site")
    summary = build(project)
    assert summary["schools"] == {"built": [], "unchanged": SCHOOLS}
    assert summary["pdfs"]["rendered"] == 0
    assert snapshot(project / "build" / "site") == before  # every file and folder: bytes, times, inodes


def test_with_no_source_file_changed_the_build_reads_and_renders_nothing(project: Path) -> None:
    quick = run(project, "build")
    assert quick.returncode == 0, quick.stderr
    assert quick.stderr == "sites: all 4 up to date: nothing in the source changed\n"  # no flowcharts, no PDFs
    (project / "content" / "policies" / "notes.txt").write_text("a file the reader does not use", encoding="utf-8")
    slow = run(project, "build")  # a new file under content/: everything is read again, nothing built
    assert [line.split(":")[0] for line in slow.stderr.splitlines()] == ["flowcharts", "sites"]
    assert "built 0 school site(s), 4 unchanged" in slow.stdout
    assert run(project, "build").stderr.endswith("nothing in the source changed\n")
    (project / "build" / "reports" / "reviews.html").unlink()  # the output changed: read everything again
    assert "flowcharts" in run(project, "build").stderr
    assert (project / "build" / "reports" / "reviews.html").is_file()


def test_a_link_or_an_oversized_file_in_the_source_is_never_followed_or_read_whole(project: Path) -> None:
    (project / "content" / "policies" / "zeros.md").symlink_to("/dev/zero")
    done = run(project, "build")
    assert done.returncode == 2 and "Traceback" not in done.stderr  # the reader refuses it, at once
    (project / "content" / "policies" / "zeros.md").unlink()
    with (project / "templates" / "huge.bin").open("wb") as stream:
        stream.truncate(60_000_000)  # sparse: over the shortcut's limit without using the disk
    assert build(project)["schools"]["built"] == SCHOOLS  # a new file among the templates
    again = run(project, "build")
    assert again.returncode == 0 and "built 0 school site(s)" in again.stdout
    assert "nothing in the source changed" not in again.stderr  # no shortcut past the limit: all read again


def test_a_fact_of_one_school_rebuilds_that_school_only_and_matches_a_cold_build(project: Path) -> None:
    before = snapshot(project / "build" / "site")
    school = project / "schools" / "oakfield-learning-trust" / "brookside-infant.yml"
    text = school.read_text(encoding="utf-8")
    school.write_text(text.replace("name: Brookside Infant and Nursery School", "name: Brookside Infants"), "utf-8")
    summary = build(project)
    assert summary["schools"]["built"] == ["brookside-infant"]
    after = snapshot(project / "build" / "site")
    for other in SCHOOLS[1:]:
        assert files_of(after, other) == files_of(before, other), other  # same bytes, times, inodes
    assert after["index.html"] != before["index.html"]  # the trust index lists the school's new name
    cold = project / "cold"
    build(project, out=cold)
    assert tree_digest(project / "build" / "site") == tree_digest(cold / "site")


def test_a_model_policy_change_rebuilds_exactly_the_pdfs_and_sites_that_show_it(project: Path) -> None:
    model = project / EHE
    model.write_text(model.read_text(encoding="utf-8") + "\nA sentence added to the model.\n", encoding="utf-8")
    summary = build(project)
    assert summary["schools"]["built"] == ["hillcrest-primary", "riverside-primary"]
    assert summary["pdfs"]["rendered"] == 2  # that policy's PDF at each of the two schools, nothing else
    for school in ("hillcrest-primary", "riverside-primary"):
        page = project / "build" / "site" / school / "policies" / "elective-home-education.html"
        assert "A sentence added to the model." in page.read_text(encoding="utf-8")


def test_an_edited_or_deleted_file_in_a_built_site_is_built_again(project: Path) -> None:
    site = project / "build" / "site"
    index = site / "oakfield-academy" / "index.html"
    original = index.read_bytes()
    index.write_text("edited by hand", encoding="utf-8")
    (site / "riverside-primary" / "contacts.html").unlink()
    summary = build(project)
    assert summary["schools"]["built"] == ["oakfield-academy", "riverside-primary"]
    assert index.read_bytes() == original
    assert (site / "riverside-primary" / "contacts.html").is_file()


def test_a_school_removed_from_the_source_leaves_the_site(project: Path) -> None:
    (project / "schools" / "oakfield-learning-trust" / "brookside-infant.yml").unlink()
    before = snapshot(project / "build" / "site")
    summary = build(project)
    assert summary["schools"] == {"built": [], "unchanged": SCHOOLS[1:]}
    site = project / "build" / "site"
    assert not (site / "brookside-infant").exists()
    assert "Brookside" not in (site / "index.html").read_text(encoding="utf-8")
    after = snapshot(site)
    for other in SCHOOLS[1:]:  # linked into the new site: the same files, times and inodes
        assert files_of(after, other) == files_of(before, other), other


def test_a_template_change_or_an_unreadable_record_builds_every_school(project: Path) -> None:
    (project / "build" / ".cache" / "sites.json").write_text("{not json", encoding="utf-8")
    assert build(project)["schools"]["built"] == SCHOOLS
    css = next((project / "templates").rglob("*.css"))
    css.write_text(css.read_text(encoding="utf-8") + "\n/* a change */\n", encoding="utf-8")
    assert build(project)["schools"]["built"] == SCHOOLS


def test_building_one_school_records_it_and_a_full_build_then_builds_the_rest(project: Path) -> None:
    for name in ("hillcrest-primary", "oakfield-academy"):
        path = project / "schools" / "oakfield-learning-trust" / f"{name}.yml"
        path.write_text(path.read_text(encoding="utf-8").replace("\nname: ", "\nname: New "), encoding="utf-8")
    assert build(project, "--school", "hillcrest-primary")["schools"]["built"] == ["hillcrest-primary"]
    assert build(project)["schools"]["built"] == ["oakfield-academy"]
    assert build(project)["schools"]["built"] == []


def test_a_shard_build_skips_its_unchanged_schools(project: Path) -> None:
    summary = build(project, "--shard", "1/2")
    assert summary["schools"]["built"] == []
    assert summary["schools"]["unchanged"]


def test_progress_is_one_line_per_stage_in_a_log_and_quiet_says_nothing(project: Path) -> None:
    (project / "build" / ".cache" / "sites.json").unlink()
    done = run(project, "build")
    assert done.returncode == 0, done.stderr
    stages = [line.split(":")[0] for line in done.stderr.splitlines()]
    assert stages == ["flowcharts", "PDFs", "sites"]
    assert "\x1b[" not in done.stderr  # no bars or colours in a log
    assert done.stdout.startswith("built 4 school site(s), 0 unchanged")
    assert "PDFs: 0 rendered, 27 from the cache" in done.stdout
    quiet = run(project, "build", "--quiet")
    assert (quiet.returncode, quiet.stdout, quiet.stderr) == (0, "", "")


def test_bars_on_a_terminal_show_each_stage_and_its_words() -> None:
    stream = io.StringIO()
    with BarProgress(Console(file=stream, force_terminal=True, width=100)) as bars:
        bars.start("PDFs", 3)
        for _ in range(3):
            bars.advance("PDFs")
        bars.finish("PDFs", "3 written: 3 rendered")
        bars.finish("sites", "all 4 up to date")
    shown = stream.getvalue()
    assert "PDFs" in shown and "3/3" in shown and "3 written: 3 rendered" in shown and "all 4 up to date" in shown


def test_plain_progress_names_the_stage_its_words_and_time() -> None:
    stream = io.StringIO()
    plain = PlainProgress(stream)
    plain.start("sites", 2)
    plain.advance("sites", 2)
    plain.finish("sites", "2 built")
    assert stream.getvalue().startswith("sites: 2 built (") and stream.getvalue().endswith(" s)\n")
