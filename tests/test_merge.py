"""`policypress merge`: shards built apart and merged are the same bytes as one full build.

The shard and full builds run on a fixed day (SOURCE_DATE_EPOCH), as a CI matrix sets one for every
job; a shard built on another day, a missing shard or a school that differs between two shards is
refused (exit 2) with nothing written.
"""

from __future__ import annotations

import datetime as dt
import os
import shutil
import subprocess
from collections.abc import Iterator
from pathlib import Path

import pytest

from conftest import REPO
from policypress.publish.merge import listed_schools
from tree_tools import POLICYPRESS, run, tree_digest

EPOCH = str(int(dt.datetime(2026, 11, 22, 9, tzinfo=dt.UTC).timestamp()))
SCHOOLS = ["brookside-infant", "hillcrest-primary", "oakfield-academy", "riverside-primary"]


def output_digest(out: Path) -> dict[str, str]:
    """Every published file of an output folder (site/ and reports/, not the caches), by path."""
    return {f"{part}/{rel}": sha for part in ("site", "reports") for rel, sha in tree_digest(out / part).items()}


@pytest.fixture(scope="module")
def built(tmp_path_factory: pytest.TempPathFactory) -> Iterator[Path]:
    """The example built whole (full/) and as three shards (shard-1/ … shard-3/), without PDFs."""
    base = tmp_path_factory.mktemp("merge")
    with pytest.MonkeyPatch.context() as patch:
        patch.setenv("SOURCE_DATE_EPOCH", EPOCH)
        result = run(REPO, "build", "--no-pdf", "--out", str(base / "full"))
        assert result.returncode == 0, result.stderr
        for k in (1, 2, 3):
            result = run(REPO, "build", "--no-pdf", "--shard", f"{k}/3", "--out", str(base / f"shard-{k}"))
            assert result.returncode == 0, result.stderr
    yield base


def shards(base: Path, *numbers: int) -> list[str]:
    return [str(base / f"shard-{k}") for k in numbers]


def test_merge_of_three_shards_equals_the_full_build(built: Path, tmp_path: Path) -> None:
    result = run(REPO, "merge", *shards(built, 1, 2, 3), "--out", str(tmp_path / "merged"))
    assert result.returncode == 0, result.stderr
    assert "merged 3 shard(s): 4 school site(s)" in result.stdout
    full, merged = output_digest(built / "full"), output_digest(tmp_path / "merged")
    assert merged == full
    assert {path.split("/")[1] for path in merged if path.startswith("site/") and path.count("/") > 1} == set(SCHOOLS)


def test_each_shard_holds_only_its_schools(built: Path) -> None:
    found = [sorted(p.name for p in (built / f"shard-{k}" / "site").iterdir() if p.is_dir()) for k in (1, 2, 3)]
    assert sorted(s for shard in found for s in shard) == SCHOOLS
    assert all(shard for shard in found)


def test_merged_files_are_links_to_the_shards_files(built: Path, tmp_path: Path) -> None:
    assert run(REPO, "merge", *shards(built, 1, 2, 3), "--out", str(tmp_path / "merged")).returncode == 0
    index = tmp_path / "merged" / "site" / "index.html"
    assert os.path.samefile(index, built / "shard-1" / "site" / "index.html")


def test_merge_again_replaces_the_previous_output_whole(built: Path, tmp_path: Path) -> None:
    out = tmp_path / "merged"
    (out / "site" / "old-school").mkdir(parents=True)
    (out / "site" / "old-school" / "index.html").write_text("gone", encoding="utf-8")
    assert run(REPO, "merge", *shards(built, 3, 1, 2), "--out", str(out)).returncode == 0
    assert not (out / "site" / "old-school").exists()
    assert output_digest(out) == output_digest(built / "full")


def test_a_missing_shard_is_named_and_nothing_is_written(built: Path, tmp_path: Path) -> None:
    out = tmp_path / "merged"
    assert run(REPO, "merge", *shards(built, 1, 2, 3), "--out", str(out)).returncode == 0
    before = output_digest(out)
    result = run(REPO, "merge", *shards(built, 1, 3), "--out", str(out))
    assert result.returncode == 2
    absent = sorted({p.name for p in (built / "shard-2" / "site").iterdir() if p.is_dir()})
    assert f"{', '.join(absent)}: listed in the trust index but in no shard" in result.stderr
    assert "2 given" in result.stderr
    assert output_digest(out) == before
    assert not [p for p in out.iterdir() if p.name.startswith(".staging")]


def test_a_shard_built_on_another_day_is_refused(built: Path, tmp_path: Path) -> None:
    later = str(int(EPOCH) + 200 * 86400)
    env = {**os.environ, "SOURCE_DATE_EPOCH": later}
    other = tmp_path / "shard-2-later"
    done = subprocess.run([*POLICYPRESS, "--root", str(REPO), "build", "--no-pdf", "--shard", "2/3",
                           "--out", str(other)], env=env, capture_output=True, text=True, timeout=300, check=False)
    assert done.returncode == 0, done.stderr
    result = run(REPO, "merge", *shards(built, 1), str(other), *shards(built, 3), "--out", str(tmp_path / "m"))
    assert result.returncode == 2
    assert f"{other}/reports/" in result.stderr
    assert "built from different sources or on different dates" in result.stderr
    assert "one SOURCE_DATE_EPOCH" in result.stderr
    assert not (tmp_path / "m" / "site").exists()


def test_a_changed_trust_index_is_named(built: Path, tmp_path: Path) -> None:
    copy = shutil.copytree(built / "shard-2", tmp_path / "shard-2")
    index = copy / "site" / "index.html"
    index.write_text(index.read_text(encoding="utf-8").replace("School policies", "Policies"), encoding="utf-8")
    result = run(REPO, "merge", *shards(built, 1), str(copy), *shards(built, 3), "--out", str(tmp_path / "m"))
    assert result.returncode == 2
    assert f"{copy}/site/index.html (different) is not the same as in {built / 'shard-1'}" in result.stderr


def test_a_school_in_two_shards_must_be_the_same(built: Path, tmp_path: Path) -> None:
    same = run(REPO, "merge", *shards(built, 1, 2, 3, 1), "--out", str(tmp_path / "twice"))
    assert same.returncode == 0, same.stderr
    assert output_digest(tmp_path / "twice") == output_digest(built / "full")
    copy = shutil.copytree(built / "shard-1", tmp_path / "shard-1")
    school = next(p for p in (copy / "site").iterdir() if p.is_dir())
    (school / "index.html").write_text("changed", encoding="utf-8")
    result = run(REPO, "merge", *shards(built, 1, 2, 3), str(copy), "--out", str(tmp_path / "m"))
    assert result.returncode == 2
    assert f"{school}/index.html (different) is not the same as in {built / 'shard-1'}/site/{school.name}" \
        in result.stderr


def test_a_folder_left_from_an_earlier_build_is_refused(built: Path, tmp_path: Path) -> None:
    copy = shutil.copytree(built / "shard-1", tmp_path / "shard-1")
    (copy / "site" / "closed-school").mkdir()
    (copy / "site" / "closed-school" / "index.html").write_text("old", encoding="utf-8")
    result = run(REPO, "merge", str(copy), *shards(built, 2, 3), "--out", str(tmp_path / "m"))
    assert result.returncode == 2
    assert f"{copy}/site/closed-school: not a school in the trust index" in result.stderr


def test_a_folder_that_is_not_a_build_output_is_refused(built: Path, tmp_path: Path) -> None:
    result = run(REPO, "merge", *shards(built, 1), str(tmp_path), "--out", str(tmp_path / "m"))
    assert result.returncode == 2
    assert f"{tmp_path}: not the output of a build — it has no site/index.html" in result.stderr


def test_the_trust_index_lists_every_school(built: Path) -> None:
    assert sorted(listed_schools((built / "full" / "site" / "index.html").read_text(encoding="utf-8"))) == SCHOOLS


def test_school_folders_are_found_however_the_index_links_them() -> None:
    html = ('<a href="a/index.html">A</a> <a href="/b/">B</a> <a href="./c/x.html">C</a> <a href="a/">A again</a>'
            '<a href="https://example.org/d/e">out</a> <a href="../f/g">up</a> <a href="index.html">home</a>'
            '<a href="#top">top</a> <img src="h/logo.svg" alt="">')
    assert listed_schools(html) == ["a", "b", "c"]


def test_an_index_linking_to_no_school_is_refused(built: Path, tmp_path: Path) -> None:
    copies = [shutil.copytree(built / f"shard-{k}", tmp_path / f"shard-{k}") for k in (1, 2, 3)]
    for copy in copies:
        (copy / "site" / "index.html").write_text("<p>Our schools</p>", encoding="utf-8")
    result = run(REPO, "merge", *map(str, copies), "--out", str(tmp_path / "m"))
    assert result.returncode == 2
    assert f"{copies[0]}/site/index.html links to no school" in result.stderr


def test_with_pdfs_the_merge_equals_the_full_build(example_site: Path, tmp_path: Path) -> None:
    """With PDFs, against the suite's one full build of the example (on the real date, like the shards)."""
    for k in (1, 2, 3):
        result = run(REPO, "build", "--shard", f"{k}/3", "--out", str(tmp_path / f"shard-{k}"))
        assert result.returncode == 0, result.stderr
    full = example_site.parent
    if dt.date.fromtimestamp((full / "site" / "index.html").stat().st_mtime) != dt.date.today():
        full = tmp_path / "full"  # midnight passed since the suite's build: the shards' date is today's
        assert run(REPO, "build", "--out", str(full)).returncode == 0
    result = run(REPO, "merge", *shards(tmp_path, 1, 2, 3), "--out", str(tmp_path / "merged"))
    assert result.returncode == 0, result.stderr
    merged = output_digest(tmp_path / "merged")
    assert merged == output_digest(full)
    assert sum(path.endswith(".pdf") for path in merged) >= 20


def test_a_link_inside_a_shard_is_refused_and_never_followed(built: Path, tmp_path: Path) -> None:
    copy = Path(shutil.copytree(built / "shard-1", tmp_path / "shard-1"))
    school = next(p for p in (copy / "site").iterdir() if p.is_dir())
    (school / "secret.html").symlink_to("/etc/hostname")
    out = tmp_path / "merged"
    result = run(REPO, "merge", str(copy), *shards(built, 2, 3), "--out", str(out))
    assert result.returncode == 2 and "Traceback" not in result.stderr
    assert f"{school / 'secret.html'}: a link inside a shard's output" in result.stderr
    assert not out.exists() or not (out / "site").exists()
