"""Run LinkChecker (the engine) on a list of addresses and read its CSV output.

LinkChecker has no usable Python API, so it runs as a subprocess. Run as root (as CI is), it
switches to the user `nobody` before checking, so every file it reads or writes lives in a
temporary folder that `nobody` can enter: the settings file is world-readable and the CSV file
is created beforehand, world-writable.
"""

from __future__ import annotations

import contextlib
import csv
import os
import re
import shutil
import subprocess
import sys
import tempfile
from collections.abc import Iterator
from dataclasses import dataclass
from pathlib import Path

from policypress.checks.links.settings import LinkSettings
from policypress.core.errors import BuildFailed

REDIRECTED = re.compile(r"Redirected to `(.+?)' status: (\d{3})")
RETRY_AFTER = re.compile(r"Rate limited \(Retry-After: ([^)]*)\)")
WITHDRAWN_TITLE = re.compile(r"Found '<title>\s*\[Withdrawn\]")
STATUS = re.compile(r"^'?(\d{3})'?\s")


@dataclass(frozen=True)
class EngineResult:
    """What LinkChecker reported for one address."""

    url: str
    result: str
    """LinkChecker's result, e.g. '404 Not Found' or 'ReadTimeout: …'."""
    valid: bool
    final_url: str
    warnings: str

    @property
    def status(self) -> int | None:
        """The HTTP status code of the last response, if there was one."""
        found = STATUS.match(self.result)
        return int(found.group(1)) if found else None

    @property
    def redirects(self) -> list[tuple[str, int]]:
        """Each hop: (where it led, the status code that sent it there)."""
        return [(url, int(code)) for url, code in REDIRECTED.findall(self.warnings)]

    @property
    def retry_after(self) -> str | None:
        found = RETRY_AFTER.search(self.warnings)
        return found.group(1).strip() if found else None

    @property
    def withdrawn_title(self) -> bool:
        """The page's title starts '[Withdrawn]', as GOV.UK marks withdrawn pages."""
        return bool(WITHDRAWN_TITLE.search(self.warnings))


def run_linkchecker(urls: list[str], settings: LinkSettings) -> dict[str, EngineResult]:
    """Check each address once (no recursion); results by address as given."""
    if not urls:
        return {}
    with _shared_folder() as folder:
        config, output = folder / "linkcheckerrc", folder / "results.csv"
        _write_shared(config, _config_text(settings, len(urls)), 0o644)
        _write_shared(output, "", 0o666)
        command = [_executable(), "-f", str(config), "--no-status", "--no-robots", "--check-extern",
                   "-r", "0", "-v", "-o", "none", "-F", f"csv/utf-8/{output}", "--stdin"]
        # A list of arguments we build (no shell); the addresses go in on standard input.
        done = subprocess.run(command, input="\n".join(urls), capture_output=True, text=True,  # noqa: S603
                              timeout=_run_limit(len(urls), settings) + 60, check=False)
        found = parse_csv(output.read_text(encoding="utf-8"))
    if done.returncode not in (0, 1) or (urls and not found):
        raise BuildFailed(f"LinkChecker failed (exit {done.returncode}): {done.stderr.strip()[-500:]}")
    return found


def parse_csv(text: str) -> dict[str, EngineResult]:
    """LinkChecker's CSV (comment lines start with #) as results by address."""
    rows = csv.DictReader((line for line in text.splitlines() if not line.startswith("#")), delimiter=";")
    return {row["urlname"]: EngineResult(row["urlname"], row["result"] or "", row["valid"] == "True",
                                         row["url"] or row["urlname"], row["warningstring"] or "")
            for row in rows}


def _config_text(settings: LinkSettings, count: int) -> str:
    # A run may last no longer than every address timing out in turn; LinkChecker can hang otherwise.
    return "\n".join([
        "[checking]",
        f"maxrunseconds={_run_limit(count, settings):.0f}",
        f"threads={settings.threads}",
        f"timeout={settings.timeout_seconds:g}",
        f"aborttimeout={2 * settings.timeout_seconds:g}",
        "recursionlevel=0",
        f"maxrequestspersecond={settings.requests_per_second:g}",
        f"maxfilesizedownload={settings.max_body_bytes}",
        f"maxfilesizeparse={settings.max_body_bytes}",
        f"useragent={settings.user_agent.replace('%', '')}",
        "[filtering]",
        "checkextern=1",
        "[RegexCheck]",
        r"warningregex=<title>\s*\[Withdrawn\]",
        "",
    ])


def _run_limit(count: int, settings: LinkSettings) -> float:
    per_url = settings.timeout_seconds + 6 / settings.requests_per_second
    return min(3600.0, 60 + per_url * count)


def _executable() -> str:
    beside = Path(sys.executable).parent / "linkchecker"
    found = str(beside) if beside.exists() else shutil.which("linkchecker")
    if not found:
        raise BuildFailed("LinkChecker is not installed — run scripts/setup (it installs linkchecker into .venv)")
    return found


@contextlib.contextmanager
def _shared_folder() -> Iterator[Path]:
    """A private temporary folder that the user `nobody` may enter but not list."""
    folder = Path(tempfile.mkdtemp(prefix="policypress-links-"))
    try:
        os.chmod(folder, 0o711)  # noqa: S103 — `nobody` must enter it (not list it) to read and write its files
        yield folder
    finally:
        shutil.rmtree(folder, ignore_errors=True)


def _write_shared(path: Path, text: str, mode: int) -> None:
    path.write_text(text, encoding="utf-8")
    os.chmod(path, mode)
