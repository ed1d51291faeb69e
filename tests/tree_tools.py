"""Helpers to compare and search whole output trees."""

from __future__ import annotations

import hashlib
import subprocess
import sys
from pathlib import Path

POLICYPRESS = [sys.executable, "-m", "policypress"]


def tree_digest(folder: Path) -> dict[str, str]:
    """sha256 of every file under folder, by relative path."""
    return {p.relative_to(folder).as_posix(): hashlib.sha256(p.read_bytes()).hexdigest()
            for p in sorted(folder.rglob("*")) if p.is_file()}


def files_containing(folder: Path, needle: str) -> list[str]:
    """Relative paths of files under folder whose bytes contain needle."""
    raw = needle.encode()
    return [p.relative_to(folder).as_posix() for p in sorted(folder.rglob("*"))
            if p.is_file() and raw in p.read_bytes()]


def add_files(root: Path, files: dict[str, str | bytes]) -> Path:
    """Write files under root (text as UTF-8, bytes as they are), making their folders; root."""
    for rel, content in files.items():
        path = root / rel
        path.parent.mkdir(parents=True, exist_ok=True)
        if isinstance(content, bytes):
            path.write_bytes(content)
        else:
            path.write_text(content, encoding="utf-8")
    return root


def run(root: Path, *args: str) -> subprocess.CompletedProcess[str]:
    """Run the policypress command on a project."""
    return subprocess.run([*POLICYPRESS, "--root", str(root), *args],
                          capture_output=True, text=True, timeout=300, check=False)


EXAMPLE_PARTS = ("content", "schools", "templates", "approvals")


def copy_example(target: Path) -> Path:
    """A copy of the embedded example (the source only, no build output) to change in a test."""
    import shutil

    repo = Path(__file__).resolve().parent.parent
    for part in EXAMPLE_PARTS:
        shutil.copytree(repo / part, target / part)
    shutil.copy(repo / "mkdocs.yml", target / "mkdocs.yml")
    return target
