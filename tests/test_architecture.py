"""The source tree reads as the pipeline: no import cycles, layers enforced, each package says what it owns."""

from __future__ import annotations

import importlib
import os
import shutil
import subprocess
import sys
from pathlib import Path

import grimp

REPO = Path(__file__).resolve().parent.parent
PACKAGES = ("core", "site_engine", "source", "compose", "outputs", "checks", "governors", "publish", "commands")
LINT_IMPORTS = Path(sys.executable).parent / "lint-imports"


def test_no_module_imports_itself_back_through_others() -> None:
    """No cycle at all: top-level, function-level and TYPE_CHECKING imports all count."""
    graph = grimp.build_graph("policypress", exclude_type_checking_imports=False)
    cycles = sorted(module for module in graph.modules
                    if any(graph.chain_exists(imported, module) for imported in
                           graph.find_modules_directly_imported_by(module) if imported != module))
    assert cycles == []


def test_every_stage_package_says_what_it_owns_and_may_import() -> None:
    for name in PACKAGES:
        doc = importlib.import_module(f"policypress.{name}").__doc__ or ""
        assert "import" in doc and len(doc.split()) >= 12, name


def test_the_layers_contract_breaks_on_a_wrong_import(tmp_path: Path) -> None:
    """A lower stage importing a higher one (the source reader calling a command) fails the contract."""
    shutil.copytree(REPO / "src", tmp_path / "src")
    shutil.copy(REPO / "pyproject.toml", tmp_path / "pyproject.toml")
    reader = tmp_path / "src" / "policypress" / "source" / "read.py"
    reader.write_text(reader.read_text() + "\nfrom policypress.commands import cli  # noqa: E402\n")
    env = {**os.environ, "PYTHONPATH": str(tmp_path / "src")}
    broken = subprocess.run([str(LINT_IMPORTS), "--no-cache"], cwd=tmp_path, env=env, capture_output=True,
                            text=True, check=False)
    assert broken.returncode == 1, broken.stdout
    assert "Pipeline layers: a lower stage never imports a higher one BROKEN" in broken.stdout
    assert "policypress.source.read -> policypress.commands" in broken.stdout
    kept = subprocess.run([str(LINT_IMPORTS), "--no-cache"], cwd=REPO, capture_output=True, text=True, check=False)
    assert kept.returncode == 0, kept.stdout
