"""`policypress serve` rebuilds on change; `policypress new-school` writes a file that builds."""

from __future__ import annotations

import socket
import subprocess
import time
import urllib.request
from collections.abc import Callable
from pathlib import Path

import yaml

from tree_tools import POLICYPRESS, run


def _free_port() -> int:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return int(sock.getsockname()[1])


def _fetch(url: str) -> str | None:
    try:
        with urllib.request.urlopen(url, timeout=2) as response:
            return str(response.read().decode())
    except OSError:
        return None


def _wait_for(condition: Callable[[], bool], seconds: float) -> bool:
    deadline = time.monotonic() + seconds
    while time.monotonic() < deadline:
        if condition():
            return True
        time.sleep(0.2)
    return False


def test_serve_rebuilds_when_a_source_file_changes(make_project: Callable[..., Path]) -> None:
    root = make_project()
    port = _free_port()
    url = f"http://127.0.0.1:{port}/alpha/policies/safeguarding.html"
    proc = subprocess.Popen([*POLICYPRESS, "--root", str(root), "serve", "--school", "alpha",
                             "--port", str(port)], stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True)
    try:
        assert _wait_for(lambda: "Dana Safe" in (_fetch(url) or ""), 60)
        school = root / "schools/test-trust/alpha.yml"
        school.write_text(school.read_text().replace("Dana Safe", "Jo Replacement"))
        assert _wait_for(lambda: "Jo Replacement" in (_fetch(url) or ""), 60)
        school.write_text(school.read_text().replace("name: Jo", "nmae: Jo"))
        time.sleep(2)  # a broken edit is reported, and the last good preview stays up
        assert "Jo Replacement" in (_fetch(url) or "")
    finally:
        proc.terminate()
        _, err = proc.communicate(timeout=30)
    assert "rebuilt alpha" in err
    assert "alpha.yml" in err and "unknown key 'nmae'" in err


def test_new_school_writes_every_field_and_builds_as_it_is(make_project: Callable[..., Path]) -> None:
    root = make_project()
    result = run(root, "new-school", "--trust", "test-trust", "--id", "gamma")
    assert result.returncode == 0, result.stderr
    path = root / "schools/test-trust/gamma.yml"
    data = yaml.safe_load(path.read_text())
    from policypress.source.school_schema import School

    assert set(data) == set(School.model_fields)  # every field is written out
    assert data["local_authority"] == "northshire"
    assert "# Unique reference number" in path.read_text()  # fields carry their descriptions
    built = run(root, "build")
    assert built.returncode == 0, built.stderr
    assert (root / "build/site/gamma/index.html").is_file()
    again = run(root, "new-school", "--trust", "test-trust", "--id", "gamma")
    assert again.returncode == 2 and "already exists" in again.stderr
    no_trust = run(root, "new-school", "--trust", "nope", "--id", "delta")
    assert no_trust.returncode == 2 and "there is no trust 'nope'" in no_trust.stderr
