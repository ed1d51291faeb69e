"""`policypress serve`: a live preview of one school's site on 127.0.0.1."""

from __future__ import annotations

import functools
import http.server
import threading
from collections.abc import Callable
from pathlib import Path

from policypress.core.errors import PolicyPressError
from policypress.publish.build import BuildRequest, build

WATCHED = ("content", "schools", "approvals", "templates", "mkdocs.yml")


def snapshot(root: Path) -> tuple[tuple[str, int, int], ...]:
    """Name, size and modification time of every source file: it changes when one is saved."""
    found = []
    for name in WATCHED:
        top = root / name
        paths = [top] if top.is_file() else sorted(p for p in top.rglob("*") if p.is_file())
        found += [(str(p), p.stat().st_size, p.stat().st_mtime_ns) for p in paths]
    return tuple(found)


def rebuild(root: Path, school: str, out: Path, log: Callable[[str], None]) -> None:
    """Build the school into out/site; on bad input, log the problems and keep the old preview."""
    try:
        build(BuildRequest(root, out, (school,), jobs=1, pdf=False))
        log(f"rebuilt {school}")
    except PolicyPressError as exc:
        log(f"not rebuilt, the previous preview stays:\n{exc}")


def serve(root: Path, school: str, port: int, log: Callable[[str], None],
          stop: threading.Event | None = None, poll: float = 0.5) -> None:
    """Serve out/site/<school>/ and rebuild it whenever a watched file changes, until stopped."""
    out = root / "build" / "preview"
    rebuild(root, school, out, log)
    handler = functools.partial(_QuietHandler, directory=str(out / "site"))
    server = http.server.ThreadingHTTPServer(("127.0.0.1", port), handler)
    threading.Thread(target=server.serve_forever, daemon=True).start()
    log(f"serving http://127.0.0.1:{port}/{school}/index.html (Ctrl+C stops)")
    stop = stop or threading.Event()
    seen = snapshot(root)
    try:
        while not stop.wait(poll):
            now = snapshot(root)
            if now != seen:
                seen = now
                rebuild(root, school, out, log)
    except KeyboardInterrupt:
        pass
    finally:
        server.shutdown()
        server.server_close()


class _QuietHandler(http.server.SimpleHTTPRequestHandler):
    def log_message(self, format: str, *args: object) -> None:  # 'format' is the standard library's name
        del format, args

    def end_headers(self) -> None:
        self.send_header("Cache-Control", "no-store")  # the preview must show the latest build
        super().end_headers()

