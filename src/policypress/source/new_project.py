"""`policypress init DIR`: a new project that builds at once, from files shipped inside the package.

Two sets of files travel with the package (pyproject.toml's package-data), so that an installed
policypress can start a project without the repository:

- starter/: a small project of our own — one trust, one school, one local authority, three short
  model policies and checks.yml, every file commented;
- example/: the embedded example (content, schools, approvals, templates, mkdocs.yml). In the
  repository these are links to the example at its root, so there is one copy of it; a wheel
  holds the files themselves.

A starter project takes the example's mkdocs.yml, templates, statutory registry, publishing
requirements and old terms, which every project needs as they are.
"""

from __future__ import annotations

import shutil
from importlib import resources
from pathlib import Path

from policypress.core.errors import UsageError

EXAMPLE_PARTS = ("content", "schools", "approvals", "templates", "mkdocs.yml")
FROM_EXAMPLE_FOR_STARTER = ("templates", "mkdocs.yml", "content/statutory.yml", "content/publishing.yml",
                            "content/terms.yml")


def _shipped(name: str) -> Path:
    """A folder shipped inside the package (a real path: the package is installed as files)."""
    return Path(str(resources.files("policypress") / name))


def init_project(target: Path, example: bool = False) -> list[str]:
    """Write a new project into target (missing or empty); the top-level entries written."""
    if target.exists() and (not target.is_dir() or any(target.iterdir())):
        raise UsageError(f"{target} already exists and is not empty — choose a new folder, "
                         "or empty this one first")
    target.mkdir(parents=True, exist_ok=True)
    source = _shipped("example")
    if example:
        _copy_parts(source, target, EXAMPLE_PARTS)
    else:
        _copy_parts(_shipped("starter"), target, tuple(p.name for p in _shipped("starter").iterdir()))
        _copy_parts(source, target, FROM_EXAMPLE_FOR_STARTER)
    return sorted(p.name for p in target.iterdir())


def _copy_parts(source: Path, target: Path, parts: tuple[str, ...]) -> None:
    for part in parts:
        origin, copy = source / part, target / part
        if origin.is_dir():
            shutil.copytree(origin, copy, dirs_exist_ok=True, ignore=shutil.ignore_patterns("__pycache__"))
        elif origin.is_file():
            copy.parent.mkdir(parents=True, exist_ok=True)
            shutil.copyfile(origin, copy)
        else:
            raise UsageError(f"policypress was installed without its {source.name}/{part} — reinstall it")
