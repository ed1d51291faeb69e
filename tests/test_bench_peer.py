"""scripts/bench_peer.py: the peer stack (MkDocs, Material, mkdocs-macros, mkdocs-to-pdf) builds the
example's pages with the facts filled in by macros, and one PDF per school."""

from __future__ import annotations

import importlib.util
import subprocess
import sys
from pathlib import Path
from types import ModuleType

import pytest

REPO = Path(__file__).resolve().parent.parent
SCHOOL = "hillcrest-primary"


def bench_peer() -> ModuleType:
    """scripts/bench_peer.py as a module (scripts/ is not a package)."""
    spec = importlib.util.spec_from_file_location("bench_peer", REPO / "scripts" / "bench_peer.py")
    assert spec and spec.loader
    module = importlib.util.module_from_spec(spec)
    sys.modules["bench_peer"] = module
    spec.loader.exec_module(module)
    return module


@pytest.fixture(scope="module")
def peer(tmp_path_factory: pytest.TempPathFactory) -> tuple[ModuleType, list[Path]]:
    module = bench_peer()
    return module, module.make_peer(REPO, tmp_path_factory.mktemp("peer"))


def test_one_school_built_by_macros_and_to_pdf(peer: tuple[ModuleType, list[Path]]) -> None:
    module, configs = peer
    assert sorted(c.parent.name for c in configs) == ["brookside-infant", SCHOOL, "oakfield-academy",
                                                      "riverside-primary"]
    config = next(c for c in configs if c.parent.name == SCHOOL)
    page = (config.parent / "docs" / "policies" / "child-protection.md").read_text(encoding="utf-8")
    assert "{{ contacts.dsl.name }}" in page and "Fatima Begum" not in page  # macros, not policypress, fills it
    assert "{{ school.name }}" in page
    module.change_dsl(config, "Morgan Testwell")

    seconds = module.peer_build([config], jobs=1)

    site = config.parent / "site"
    html = (site / "policies" / "child-protection.html").read_text(encoding="utf-8")
    assert "Hillcrest Primary School" in html and "Morgan Testwell" in html
    assert "{{" not in html and "Fatima Begum" not in html
    pdf = site / "pdf" / f"{SCHOOL}.pdf"
    text = subprocess.run(["pdftotext", str(pdf), "-"], check=True, capture_output=True, text=True).stdout
    assert "Morgan Testwell" in text and "{{" not in text
    info = subprocess.run(["pdfinfo", str(pdf)], check=True, capture_output=True, text=True).stdout
    assert "Tagged:          no" in info  # the peer's one PDF per school is untagged
    assert seconds > 0
    assert list(config.parent.parent.glob("*/site")) == [site]  # only the school asked for was built


def test_a_failing_build_raises_with_its_output(peer: tuple[ModuleType, list[Path]]) -> None:
    module, configs = peer
    config = next(c for c in configs if c.parent.name == "brookside-infant")
    index = config.parent / "docs" / "index.md"
    index.write_text(index.read_text(encoding="utf-8") + "\n{{ school.no_such_fact.name }}\n", encoding="utf-8")
    with pytest.raises(RuntimeError, match=r"mkdocs build -f .*brookside-infant.* failed(.|\n)*no_such_fact"):
        module.peer_build([config], jobs=1, pdf=False)
