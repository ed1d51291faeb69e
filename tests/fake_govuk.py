"""A stand-in for GOV.UK on 127.0.0.1, so the link check is tested with no internet.

It answers each behaviour the link check must tell apart (a page, a 301 chain, 404, 410, a
withdrawn page with its content-API record, 403, 429 with Retry-After, a 503 that recovers,
a response slower than the timeout, a redirect loop), and counts every request by path so a
test can prove each unique URL was fetched once. Any other path is an ordinary page (200), so
the example's real GOV.UK and legislation addresses can be mapped onto it.
"""

from __future__ import annotations

import contextlib
import json
import socket
import threading
import time
from collections import Counter
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from types import TracebackType

PUBLICATIONS = "/government/publications"
OK = f"{PUBLICATIONS}/ok-guidance"
CHAIN_START = f"{PUBLICATIONS}/old-name"
CHAIN_MIDDLE = f"{PUBLICATIONS}/middle-name"
CHAIN_END = f"{PUBLICATIONS}/new-name"
NOT_FOUND = f"{PUBLICATIONS}/no-such-guidance"
GONE = f"{PUBLICATIONS}/removed-guidance"
WITHDRAWN = f"{PUBLICATIONS}/statutory-policies-for-schools-and-academy-trusts"
FORBIDDEN = f"{PUBLICATIONS}/bot-blocked"
RATE_LIMITED = f"{PUBLICATIONS}/rate-limited"
BUSY_ONCE = f"{PUBLICATIONS}/busy-once"
FLAKY_ONCE = f"{PUBLICATIONS}/flaky-once"
SLOW = f"{PUBLICATIONS}/slow"
LOOP_A = f"{PUBLICATIONS}/loop-a"
LOOP_B = f"{PUBLICATIONS}/loop-b"
CONTENT_API = "/api/content"
HUGE = f"{PUBLICATIONS}/huge-record"
HUGE_BYTES = 2_000_000
RETRY_AFTER_SECONDS = 1
WITHDRAWN_EXPLANATION = ("Information relating to governance is available in the maintained school "
                         "governance guide or academy trust governance guide.")
# GOV.UK sends the explanation as HTML (govspeak); the check shows it as plain words.
WITHDRAWN_HTML = ('<div class="govspeak"><p>Information relating to governance is available in the '
                  "<a href=\"https://www.gov.uk/government/publications/governance-handbook\">maintained school "
                  "governance guide</a> or academy trust governance&nbsp;guide.</p>\n</div>")

REDIRECTS = {CHAIN_START: CHAIN_MIDDLE, CHAIN_MIDDLE: CHAIN_END, LOOP_A: LOOP_B, LOOP_B: LOOP_A}
FAILURES = {NOT_FOUND: 404, GONE: 410, FORBIDDEN: 403}


def page(title: str) -> bytes:
    """A small GOV.UK-like HTML page."""
    return (f"<!DOCTYPE html><html lang=en><head><title>{title} - GOV.UK</title></head>"
            f"<body><main><h1>{title}</h1><p>Guidance.</p></main></body></html>").encode()


def content_api_record(path: str) -> dict[str, object]:
    """What GOV.UK's content API says about a page: withdrawn ones carry withdrawn_notice."""
    record: dict[str, object] = {"base_path": path, "title": path.rsplit("/", 1)[-1],
                                 "document_type": "guidance"}
    if path == WITHDRAWN:
        record["withdrawn_notice"] = {"explanation": WITHDRAWN_HTML,
                                     "withdrawn_at": "2024-03-07T09:30:00Z"}
    return record


class FakeGovUk:
    """The server: start it with `with FakeGovUk() as govuk:`; govuk.base is its address."""

    def __init__(self, slow_seconds: float = 3.0) -> None:
        self.slow_seconds = slow_seconds
        self.requests: Counter[str] = Counter()
        self.times: dict[str, list[float]] = {}
        self.user_agents: set[str] = set()
        self._lock = threading.Lock()
        self._server = ThreadingHTTPServer(("127.0.0.1", 0), self._handler_class())
        self._server.daemon_threads = True
        self._thread = threading.Thread(target=self._server.serve_forever, daemon=True)

    @property
    def base(self) -> str:
        return f"http://127.0.0.1:{self._server.server_address[1]}"

    def __enter__(self) -> FakeGovUk:
        self._thread.start()
        return self

    def __exit__(self, kind: type[BaseException] | None, exc: BaseException | None,
                 tb: TracebackType | None) -> None:
        self._server.shutdown()
        self._server.server_close()
        self._thread.join(timeout=5)

    def count(self, path: str) -> int:
        """How many requests reached this path (query strings ignored)."""
        with self._lock:
            return self.requests[path]

    def pages_requested(self) -> Counter[str]:
        """Requests by path, without the content API's."""
        with self._lock:
            return Counter({p: n for p, n in self.requests.items() if not p.startswith(CONTENT_API)})

    def reset(self) -> None:
        with self._lock:
            self.requests.clear()
            self.times.clear()

    def _record(self, path: str, agent: str) -> int:
        with self._lock:
            self.requests[path] += 1
            self.times.setdefault(path, []).append(time.monotonic())
            self.user_agents.add(agent)
            return self.requests[path]

    def _handler_class(self) -> type[BaseHTTPRequestHandler]:
        fake = self

        class Handler(BaseHTTPRequestHandler):
            def do_GET(self) -> None:  # the name http.server looks for
                path = self.path.split("?", 1)[0]
                nth = fake._record(path, self.headers.get("User-Agent", ""))
                fake._answer(self, path, nth)

            def do_HEAD(self) -> None:
                self.do_GET()

            def log_message(self, format: str, *args: object) -> None:  # quiet tests
                pass

        return Handler

    def _answer(self, handler: BaseHTTPRequestHandler, path: str, nth: int) -> None:
        if path.startswith(CONTENT_API + "/"):
            return self._content_api(handler, path[len(CONTENT_API):])
        if path in REDIRECTS:
            return send(handler, 301, b"", {"Location": REDIRECTS[path]})
        if path in FAILURES:
            return send(handler, FAILURES[path], page("Error"))
        if path == RATE_LIMITED or (path == BUSY_ONCE and nth == 1):
            return send(handler, 429, b"Too many requests", {"Retry-After": str(RETRY_AFTER_SECONDS)})
        if path == FLAKY_ONCE and nth == 1:
            return send(handler, 503, b"Service unavailable")
        if path == SLOW:
            time.sleep(self.slow_seconds)
        title = "[Withdrawn] Statutory policies for schools and academy trusts" if path == WITHDRAWN else path
        return send(handler, 200, page(title))

    def _content_api(self, handler: BaseHTTPRequestHandler, path: str) -> None:
        if path in FAILURES or path in REDIRECTS:
            return send(handler, 404, b'{"error": "not found"}', {"Content-Type": "application/json"})
        record = content_api_record(WITHDRAWN if path == HUGE else path)
        if path == HUGE:  # a withdrawn notice followed by far more than any real record holds
            record["details"] = "x" * HUGE_BYTES
        body = json.dumps(record).encode()
        return send(handler, 200, body, {"Content-Type": "application/json"})


def send(handler: BaseHTTPRequestHandler, status: int, body: bytes, headers: dict[str, str] | None = None) -> None:
    """Write one response; HTML unless a Content-Type is given."""
    handler.send_response(status)
    all_headers = {"Content-Type": "text/html; charset=utf-8", **(headers or {})}
    for name, value in all_headers.items():
        handler.send_header(name, value)
    handler.send_header("Content-Length", str(len(body)))
    handler.end_headers()
    if handler.command != "HEAD":
        with contextlib.suppress(BrokenPipeError, ConnectionResetError):  # the checker gave up on the slow page
            handler.wfile.write(body)


def refused_address() -> str:
    """An address on 127.0.0.1 where nothing listens, so connecting is refused."""
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        port = probe.getsockname()[1]
    return f"http://127.0.0.1:{port}/guidance"
