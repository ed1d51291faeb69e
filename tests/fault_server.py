"""A misbehaving web server on 127.0.0.1, one network fault per path, so the link check is tested
against every way a fetch can go wrong, with no internet.

It speaks HTTP by hand over raw sockets (http.server cannot reset a connection mid-body, trickle
bytes or stay silent), optionally over TLS with a self-signed certificate made by `openssl`. Every
connection and request is counted, so a test can prove that a path (a canary) was never reached.
"""

from __future__ import annotations

import contextlib
import email.utils
import socket
import ssl
import struct
import subprocess
import threading
import time
from collections import Counter
from pathlib import Path
from types import TracebackType

PAGE = b"<!DOCTYPE html><html><head><title>A page</title></head><body><p>Guidance.</p></body></html>"
RETRY_DATE_SECONDS = 1.5
LONG_RETRY = 86_400
TRICKLE_GAP = 0.1


class FaultServer:
    """`with FaultServer() as server:`; server.url(path) is an address on it; server.hits counts paths."""

    def __init__(self, host: str = "127.0.0.1", cert: tuple[Path, Path] | None = None) -> None:
        self.hits: Counter[str] = Counter()
        self.connections = 0
        self.times: dict[str, list[float]] = {}
        self.redirect_to = ""
        """Where /to-elsewhere redirects (set by the test: a private canary, another host)."""
        self._lock = threading.Lock()
        self._stop = threading.Event()
        self._tls: ssl.SSLContext | None = None
        if cert:
            self._tls = ssl.SSLContext(ssl.PROTOCOL_TLS_SERVER)
            self._tls.load_cert_chain(str(cert[0]), str(cert[1]))
        self._listener = socket.create_server((host, 0))
        self._listener.settimeout(0.2)
        self._thread = threading.Thread(target=self._serve, daemon=True)
        self.scheme = "https" if cert else "http"

    @property
    def base(self) -> str:
        host, port = self._listener.getsockname()[:2]
        return f"{self.scheme}://{host}:{port}"

    def url(self, path: str) -> str:
        return self.base + path

    def __enter__(self) -> FaultServer:
        self._thread.start()
        return self

    def __exit__(self, kind: type[BaseException] | None, exc: BaseException | None,
                 tb: TracebackType | None) -> None:
        self._stop.set()
        self._thread.join(timeout=5)
        self._listener.close()

    def _serve(self) -> None:
        while not self._stop.is_set():
            try:
                conn, _ = self._listener.accept()
            except TimeoutError:
                continue
            except OSError:
                return
            with self._lock:
                self.connections += 1
            threading.Thread(target=self._handle, args=(conn,), daemon=True).start()

    def _handle(self, conn: socket.socket) -> None:
        try:
            conn.settimeout(5)
            if self._tls:
                conn = self._tls.wrap_socket(conn, server_side=True)
            request = b""
            while b"\r\n\r\n" not in request:
                chunk = conn.recv(4096)
                if not chunk:
                    return
                request += chunk
                if not request[:1].isupper():  # not HTTP (a TLS hello to this plain port): as a web server does
                    return send(conn, 400, b"bad request")
            path = request.split(b" ", 2)[1].decode()
            with self._lock:
                self.hits[path] += 1
                self.times.setdefault(path, []).append(time.monotonic())
                nth = self.hits[path]
            self._answer(conn, path, nth)
        except (OSError, ssl.SSLError, IndexError):
            pass  # the client gave up, or refused our certificate: that is what the test is about
        finally:
            with contextlib.suppress(OSError):
                conn.close()

    def _answer(self, conn: socket.socket, path: str, nth: int) -> None:  # noqa: C901 — one branch per fault
        if path == "/ok" or path.startswith(("/page/", "/government/")):
            return send(conn, 200, PAGE)
        if path == "/reset-before":
            return reset(conn)
        if path == "/reset-during":
            conn.sendall(head(200, {"Content-Length": "100000"}) + PAGE[:40])
            time.sleep(0.05)
            return reset(conn)
        if path == "/close-during":  # a polite close (FIN) long before the announced length
            conn.sendall(head(200, {"Content-Length": "100000"}) + PAGE[:40])
            return None
        if path == "/silent":
            self._stop.wait(30)  # accepts, reads the request, never answers
            return None
        if path == "/trickle":
            conn.sendall(head(200, {"Content-Length": "100000"}))
            return self._trickle(conn, b"x" * 100000)
        if path == "/trickle-headers":
            return self._trickle(conn, head(200, {"Content-Length": str(len(PAGE))}) * 50)
        if path == "/huge":
            conn.sendall(head(200, {"Content-Length": str(50_000_000)}))
            chunk = b"y" * 65536
            for _ in range(50_000_000 // 65536):
                conn.sendall(chunk)
            return None
        if path == "/429-seconds":
            return send(conn, 429, b"slow down", {"Retry-After": "1"})
        if path == "/429-date":
            when = email.utils.formatdate(time.time() + RETRY_DATE_SECONDS, usegmt=True)
            return send(conn, 429 if nth == 1 else 200, PAGE, {"Retry-After": when})
        if path == "/429-long":
            return send(conn, 429, b"come back tomorrow", {"Retry-After": str(LONG_RETRY)})
        for code in (403, 404, 500, 503):
            if path == f"/{code}":
                return send(conn, code, b"error")
        if path in ("/loop-a", "/loop-b"):
            return send(conn, 302, b"", {"Location": "/loop-b" if path == "/loop-a" else "/loop-a"})
        if path == "/to-elsewhere":
            return send(conn, 301, b"", {"Location": self.redirect_to})
        if path.startswith("/moved/"):
            return send(conn, 301, b"", {"Location": "/page/" + path.removeprefix("/moved/")})
        if path.startswith("/api/"):
            return send(conn, 503, b"busy", {"Content-Type": "application/json"})
        return send(conn, 404, b"no such page")

    def _trickle(self, conn: socket.socket, data: bytes) -> None:
        for byte in data:
            if self._stop.is_set():
                return
            conn.sendall(bytes([byte]))
            time.sleep(TRICKLE_GAP)


def head(status: int, headers: dict[str, str] | None = None) -> bytes:
    lines = [f"HTTP/1.1 {status} {REASONS.get(status, 'Status')}", "Connection: close",
             *(f"{k}: {v}" for k, v in (headers or {}).items())]
    return ("\r\n".join(lines) + "\r\n\r\n").encode()


REASONS = {200: "OK", 400: "Bad Request", 301: "Moved Permanently", 302: "Found", 403: "Forbidden", 404: "Not Found",
           429: "Too Many Requests", 500: "Internal Server Error", 503: "Service Unavailable"}


def send(conn: socket.socket, status: int, body: bytes, headers: dict[str, str] | None = None) -> None:
    all_headers = {"Content-Type": "text/html; charset=utf-8", **(headers or {}), "Content-Length": str(len(body))}
    conn.sendall(head(status, all_headers) + body)


def reset(conn: socket.socket) -> None:
    """Close with a TCP reset (RST), not a polite FIN."""
    conn.setsockopt(socket.SOL_SOCKET, socket.SO_LINGER, struct.pack("ii", 1, 0))
    conn.close()


def self_signed(folder: Path) -> tuple[Path, Path]:
    """A certificate for 127.0.0.1 signed by itself (no browser trusts it), made with openssl."""
    cert, key = folder / "cert.pem", folder / "key.pem"
    subprocess.run(["openssl", "req", "-x509", "-newkey", "rsa:2048", "-nodes", "-keyout", str(key),
                    "-out", str(cert), "-days", "2", "-subj", "/CN=127.0.0.1",
                    "-addext", "subjectAltName=IP:127.0.0.1"], check=True, capture_output=True, timeout=60)
    return cert, key


def closed_port() -> int:
    """A port on 127.0.0.1 where nothing listens, so connecting is refused."""
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        port: int = probe.getsockname()[1]
    return port
