"""Output is swapped in whole and leaves nothing behind; --root goes before or after the subcommand."""

from __future__ import annotations

import subprocess
import threading
from collections.abc import Callable
from pathlib import Path

from conftest import SCHOOL
from policypress.core.files import replace_tree, write_file
from tree_tools import POLICYPRESS, run

BETA = SCHOOL.replace("id: alpha", "id: beta").replace("Alpha Primary", "Beta Primary")


def _everything(folder: Path) -> list[str]:
    return sorted(p.relative_to(folder).as_posix() for p in folder.rglob("*") if ".cache" not in p.parts)


def test_school_and_shard_builds_leave_only_the_sites_the_index_and_404(make_project: Callable[..., Path],
                                                                       tmp_path: Path) -> None:
    root = make_project({"schools/test-trust/beta.yml": BETA})
    out = tmp_path / "out"
    for args in ([], ["--school", "alpha"], ["--shard", "2/2"], ["--school", "beta", "--school", "alpha"]):
        result = run(root, "build", "--no-pdf", "--out", str(out), *args)
        assert result.returncode == 0, result.stderr
        assert sorted(p.name for p in (out / "site").iterdir()) == ["404.html", "alpha", "beta", "index.html"], args
        assert sorted(p.name for p in out.iterdir() if p.name != ".cache") == ["reports", "site"], args
    hidden = [path for path in _everything(out) if any(part.startswith(".") for part in path.split("/"))]
    assert hidden == []


def test_a_swapped_tree_is_never_missing(tmp_path: Path) -> None:
    site = tmp_path / "site"
    write_file(site / "index.html", "first")
    seen_missing: list[int] = []
    done = threading.Event()

    def watch() -> None:
        while not done.is_set():
            if not (site / "index.html").exists():
                seen_missing.append(1)

    watcher = threading.Thread(target=watch)
    watcher.start()
    for n in range(200):
        write_file(tmp_path / f"new-{n}" / "index.html", f"version {n}")
        replace_tree(tmp_path / f"new-{n}", site)
    done.set()
    watcher.join()
    assert seen_missing == []
    assert (site / "index.html").read_text() == "version 199"
    assert sorted(p.name for p in tmp_path.iterdir()) == ["site"]


def test_write_file_leaves_no_partial_file(tmp_path: Path) -> None:
    write_file(tmp_path / "reports" / "a.json", "{}\n")
    write_file(tmp_path / "reports" / "a.json", b"{\"b\": 1}\n")
    assert [p.name for p in (tmp_path / "reports").iterdir()] == ["a.json"]
    assert (tmp_path / "reports" / "a.json").read_text() == '{"b": 1}\n'


def _policypress(cwd: Path, *args: str) -> subprocess.CompletedProcess[str]:
    return subprocess.run([*POLICYPRESS, *args], cwd=cwd, capture_output=True, text=True, timeout=300, check=False)


def test_root_before_or_after_the_subcommand(make_project: Callable[..., Path], tmp_path: Path) -> None:
    root = make_project()
    elsewhere = tmp_path / "elsewhere"
    elsewhere.mkdir()
    after = _policypress(elsewhere, "check", "content", "--root", str(root), "--today", "2026-11-22")
    before = _policypress(elsewhere, "--root", str(root), "check", "content", "--today", "2026-11-22")
    between = _policypress(elsewhere, "check", "--root", str(root), "content", "--today", "2026-11-22")
    assert after.returncode == before.returncode == between.returncode == 0, after.stderr
    assert after.stdout == before.stdout == between.stdout == "No findings in the content on 2026-11-22.\n"
    built = _policypress(elsewhere, "build", "--no-pdf", "--root", str(root))
    assert built.returncode == 0, built.stderr
    assert (root / "build" / "site" / "alpha" / "index.html").is_file()
    missing = _policypress(elsewhere, "check", "reviews", "--today", "2026-11-22")
    assert missing.returncode == 2 and "content/policies is missing" in missing.stderr
