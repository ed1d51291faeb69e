"""Fetch one address for the link check, one request (hop) at a time: policypress's own engine.

LinkChecker was the engine until it proved unable to do three things the check promises, and it
has no setting for any of them: it follows redirects itself (requests' resolve_redirects), so a
hop to 127.0.0.2 or 10.x was requested before policypress could refuse it; it looks names up
again after policypress checked them, so the address it connects to is not the one checked; and
its only deadline is for the whole run, so one server trickling its body stalled the run and
then killed it, with no report and no cache. Its CSV also shortens the error text that tells a
fault on this side (no network, a proxy) from one of the website.

So each request here goes to an address that was looked up once and checked against the
private-address rule (`allow_private`); redirects are never followed automatically (each Location
is resolved and checked before the next request); every address has a deadline covering all its
hops, the TLS handshake and the body (a watchdog closes the socket when it passes); at most
`max_body_bytes` are read; and every failure is classified from the exception itself (a `Fault`
with its kind and plain words), never from shortened text. What stays in verdicts.py: retries,
the per-host pace, the cache and what a result means.
"""

from __future__ import annotations

import contextlib
import errno
import http.client
import ipaddress
import re
import socket
import ssl
import threading
import time
from collections import Counter
from collections.abc import Callable
from dataclasses import dataclass
from typing import Literal
from urllib.parse import quote, urljoin, urlsplit

from policypress.checks.links.settings import LinkSettings

FaultKind = Literal[
    "no_such_name", "dns_unavailable", "unreachable", "refused", "connect_timeout", "no_answer",
    "reset_before_answer", "reset_in_body", "too_slow", "tls_certificate", "tls_handshake",
    "redirect_loop", "too_many_redirects", "private_target", "private_redirect", "bad_redirect", "bad_address",
]
REDIRECT_CODES = (301, 302, 303, 307, 308)
NO_SUCH_NAME = (socket.EAI_NONAME, getattr(socket, "EAI_NODATA", socket.EAI_NONAME))
TITLE = re.compile(rb"<title[^>]*>(.*?)</title", re.IGNORECASE | re.DOTALL)
CHUNK = 65536
URL_SAFE = "/%?=&;:@!$'()*+,~[]-._"  # what may stay as it is in a request's path and query
Address = ipaddress.IPv4Address | ipaddress.IPv6Address
Resolver = Callable[..., list[tuple[object, ...]]]


@dataclass(frozen=True)
class Fault:
    """Why a fetch ended without an HTTP answer (or with one that cannot be trusted)."""

    kind: FaultKind
    words: str
    """What happened, in plain words."""


@dataclass(frozen=True)
class Hop:
    """One request's answer: its status, where it redirects, and the page's title."""

    url: str
    status: int | None = None
    reason: str = ""
    location: str = ""
    title: str = ""
    retry_after: str | None = None
    fault: Fault | None = None
    body: bytes = b""
    """The body, when it was asked for (up to max_body_bytes + 1 bytes)."""

    @property
    def transient(self) -> bool:
        """Worth another try: 429, a 5xx, or a fault that may pass."""
        if self.fault:
            return self.fault.kind in TRANSIENT_FAULTS
        return self.status == 429 or (self.status is not None and 500 <= self.status <= 599)


TRANSIENT_FAULTS: tuple[FaultKind, ...] = ("dns_unavailable", "refused", "connect_timeout", "no_answer",
                                           "reset_before_answer", "reset_in_body", "unreachable")


@dataclass(frozen=True)
class Fetched:
    """Everything one address's fetch found: each redirect followed and the last answer."""

    url: str
    last: Hop
    redirects: tuple[tuple[str, int], ...] = ()
    """Each redirect followed: (where it led, the status code that sent it there)."""

    @property
    def final_url(self) -> str:
        return self.last.url


class HostPace:
    """Requests to any one host at most `per_second` a second, however many threads ask."""

    def __init__(self, per_second: float, clock: Callable[[], float] = time.monotonic,
                 sleep: Callable[[float], None] = time.sleep) -> None:
        self.gap, self.clock, self.sleep = 1 / per_second, clock, sleep
        self._next: dict[str, float] = {}
        self._lock = threading.Lock()

    def wait(self, host: str) -> None:
        """Sleep until this host's next turn, and book the one after it."""
        with self._lock:
            now = self.clock()
            slot = max(now, self._next.get(host, now))
            self._next[host] = slot + self.gap
        if slot > now:
            self.sleep(slot - now)


class _Watchdog:
    """Closes the current connection when an address's deadline passes, whatever it is waiting for."""

    def __init__(self, seconds: float) -> None:
        self.deadline = time.monotonic() + seconds
        self.expired = False
        self._sock: socket.socket | None = None
        self._lock = threading.Lock()
        self._timer = threading.Timer(seconds, self._expire)
        self._timer.daemon = True
        self._timer.start()

    def left(self) -> float:
        return self.deadline - time.monotonic()

    def watch(self, sock: socket.socket | None) -> None:
        with self._lock:
            self._sock = sock
            if self.expired and sock is not None:
                _close(sock)

    def _expire(self) -> None:
        with self._lock:
            self.expired = True
            if self._sock is not None:
                _close(self._sock)

    def cancel(self) -> None:
        self._timer.cancel()


def _close(sock: socket.socket) -> None:
    with contextlib.suppress(OSError):
        sock.shutdown(socket.SHUT_RDWR)


class Fetcher:
    """Fetches addresses under the settings' rules; thread-safe; `resolve` is socket.getaddrinfo's shape."""

    def __init__(self, settings: LinkSettings, pace: HostPace | None = None,
                 resolve: Resolver | None = None) -> None:
        self.settings = settings
        self.pace = pace or HostPace(settings.requests_per_second)
        self.resolve = resolve or socket.getaddrinfo
        self.requests: Counter[str] = Counter()
        """Requests made, by what they were for ('page', 'api')."""
        self._count = threading.Lock()
        self._tls = ssl.create_default_context()

    def fetch(self, url: str, headers: dict[str, str] | None = None, follow: bool = True,
              hop: Callable[[str, Callable[[], Hop]], Hop] | None = None, body: bool = False) -> Fetched:
        """Fetch url, following up to max_redirects redirects, each hop checked before it is requested.

        hop(url, do) lets the caller reuse a hop fetched earlier in the run (do() makes the request);
        body=True keeps the body (an API record), counted as an 'api' request.
        """
        watchdog = _Watchdog(self.settings.deadline_seconds)
        try:
            return self._follow(url, headers or {}, follow, watchdog, hop or (lambda _u, do: do()), body)
        finally:
            watchdog.cancel()

    def _follow(self, url: str, headers: dict[str, str], follow: bool, watchdog: _Watchdog,
                hop: Callable[[str, Callable[[], Hop]], Hop], body: bool) -> Fetched:
        seen: list[str] = [url]
        redirects: list[tuple[str, int]] = []
        current = url
        while True:
            answer = hop(current, lambda target=current: self.request(target, headers, watchdog, body))  # type: ignore[misc]
            if answer.fault and answer.fault.kind == "private_target" and redirects:
                answer = Hop(answer.url, fault=Fault("private_redirect", answer.fault.words))
            if not follow or answer.fault or answer.status not in REDIRECT_CODES or not answer.location:
                return Fetched(url, answer, tuple(redirects))
            target = urljoin(current, answer.location)
            redirects.append((target, answer.status))
            if urlsplit(target).scheme not in ("http", "https") or not urlsplit(target).hostname:
                return Fetched(url, Hop(target, fault=Fault(
                    "bad_redirect", f"it redirects to '{answer.location}', which is not a web address")),
                    tuple(redirects))
            if target in seen:
                return Fetched(url, Hop(target, fault=Fault(
                    "redirect_loop", "it redirects in a loop and never reaches a page")), tuple(redirects))
            if len(redirects) > self.settings.max_redirects:
                return Fetched(url, Hop(target, fault=Fault(
                    "too_many_redirects", f"it redirects more than {self.settings.max_redirects} times")),
                    tuple(redirects))
            seen.append(target)
            current = target

    def request(self, url: str, headers: dict[str, str], watchdog: _Watchdog, body: bool = False) -> Hop:
        """One GET of url (no redirect followed), after its host's addresses pass the private rule."""
        parts = urlsplit(url)
        host = parts.hostname or ""
        try:
            port = parts.port or (443 if parts.scheme == "https" else 80)
        except ValueError:
            return Hop(url, fault=Fault("bad_address", "the address has an impossible port number"))
        if not host or parts.scheme not in ("http", "https"):
            return Hop(url, fault=Fault("bad_address", "not a complete web address"))
        found = self.lookup(host, port)
        if isinstance(found, Fault):
            return Hop(url, fault=found)
        self.pace.wait(parts.netloc)
        with self._count:
            self.requests["api" if body else "page"] += 1
        try:
            return self._get(url, parts.scheme == "https", host, found, port, headers, watchdog, body)
        except Exception as exc:  # noqa: BLE001 — every failure of the network becomes a Fault with words
            return Hop(url, fault=classify(exc, watchdog.expired, self.settings))
        finally:
            watchdog.watch(None)

    def lookup(self, host: str, port: int) -> list[str] | Fault:
        """The host's addresses, each allowed by the private rule; or the Fault that stops the request."""
        try:
            literal: Address | None = ipaddress.ip_address(host.strip("[]"))
        except ValueError:
            literal = None
        if literal is not None:
            texts = [str(literal)]
        else:
            try:
                infos = self.resolve(host, port, type=socket.SOCK_STREAM)
            except socket.gaierror as exc:
                if exc.errno in NO_SUCH_NAME:
                    return Fault("no_such_name", f"no website is called {host}")
                return Fault("dns_unavailable", f"the name {host} could not be looked up: the name server did "
                                                "not answer (is this computer offline?)")
            except (OSError, UnicodeError):
                return Fault("dns_unavailable", f"the name {host} could not be looked up")
            texts = list(dict.fromkeys(str(info[4][0]).split("%")[0] for info in infos))  # type: ignore[index]
        addresses = [ipaddress.ip_address(text) for text in texts]
        if any(not a.is_global for a in addresses) and not allowed(host, addresses, self.settings):
            return Fault("private_target", f"{host} is on a private network ({', '.join(sorted(texts))})")
        return texts

    def _get(self, url: str, tls: bool, host: str, addresses: list[str], port: int,
             headers: dict[str, str], watchdog: _Watchdog, keep: bool) -> Hop:
        timeout = max(0.01, min(self.settings.timeout_seconds, watchdog.left()))
        netloc = _ascii_host(urlsplit(url).netloc.rsplit("@", 1)[-1])
        sock = _connect(addresses, port, timeout, watchdog)
        if tls:
            sock = self._tls.wrap_socket(sock, server_hostname=host)
            watchdog.watch(sock)
        connection = http.client.HTTPConnection(host, port, timeout=timeout)
        connection.sock = sock
        path = quote(urlsplit(url)._replace(scheme="", netloc="", fragment="").geturl() or "/", safe=URL_SAFE)
        try:
            connection.request("GET", path, headers={
                "Host": netloc, "User-Agent": self.settings.user_agent, "Accept": "*/*",
                "Accept-Encoding": "identity", "Connection": "close", **headers})
            try:
                reply = connection.getresponse()
            except (ConnectionResetError, http.client.RemoteDisconnected, BrokenPipeError) as exc:
                raise _BeforeAnswer from exc
            hop = Hop(url, reply.status, reply.reason, reply.getheader("Location") or "",
                      retry_after=reply.getheader("Retry-After"))
            if 200 <= reply.status <= 299:
                body = _read(reply, self.settings.max_body_bytes + keep, watchdog)
                found = TITLE.search(body)
                title = found.group(1).decode("utf-8", "replace").strip() if found else ""
                return Hop(hop.url, hop.status, hop.reason, hop.location, title, hop.retry_after,
                           body=body if keep else b"")
            return hop
        finally:
            connection.close()


class _BeforeAnswer(Exception):
    """The connection ended before any answer came."""


class _NoConnection(OSError):
    """No address of the website accepted the connection in time."""


class _InBody(Exception):
    """The connection ended while the body was being sent."""


def _ascii_host(netloc: str) -> str:
    """A host as it goes in the Host header: an international name in its IDNA (xn--) form."""
    try:
        netloc.encode("ascii")
    except UnicodeEncodeError:
        host, colon, port = netloc.rpartition(":") if netloc.rsplit(":", 1)[-1].isdigit() else (netloc, "", "")
        return host.encode("idna").decode("ascii") + colon + port
    return netloc


def _connect(addresses: list[str], port: int, timeout: float, watchdog: _Watchdog) -> socket.socket:
    last: OSError = OSError("no address")
    for address in addresses:
        family = socket.AF_INET6 if ":" in address else socket.AF_INET
        sock = socket.socket(family, socket.SOCK_STREAM)
        sock.settimeout(timeout)
        watchdog.watch(sock)
        try:
            sock.connect((address, port))
            return sock
        except TimeoutError as exc:
            sock.close()
            last = _NoConnection(str(exc))
        except OSError as exc:
            sock.close()
            last = exc
    raise last


def _read(reply: http.client.HTTPResponse, limit: int, watchdog: _Watchdog) -> bytes:
    """Up to limit bytes of the body; a body that stops short raises _InBody."""
    body = b""
    try:
        while len(body) < limit:
            if watchdog.expired:
                raise TimeoutError("deadline")
            chunk = reply.read(min(CHUNK, limit - len(body)))
            if not chunk:
                break
            body += chunk
    except (ConnectionResetError, http.client.IncompleteRead, BrokenPipeError) as exc:
        raise _InBody from exc
    if watchdog.expired:
        raise TimeoutError("deadline")
    if len(body) < limit and reply.length:  # closed before the Content-Length it announced
        raise _InBody(f"{reply.length} bytes missing")
    return body


def classify(exc: BaseException, expired: bool, settings: LinkSettings) -> Fault:
    """A fetch's exception as a Fault with plain words; anything that is not a network fault is raised again."""
    if expired:
        return Fault("too_slow", f"the website did not finish sending the page within "
                                 f"{settings.deadline_seconds:g} s (it sent it too slowly, or it was too big)")
    if isinstance(exc, ssl.SSLCertVerificationError):
        return Fault("tls_certificate", f"its security certificate is not valid ({exc.verify_message or exc})")
    if isinstance(exc, ssl.SSLError):
        return Fault("tls_handshake", f"a secure (https) connection could not be set up ({exc.reason or exc}): "
                                      "the website, or a proxy on this network, does not speak https there")
    for kinds, fault in _FAULTS:
        if isinstance(exc, kinds):
            return Fault(fault[0], fault[1].format(seconds=f"{settings.timeout_seconds:g} s"))
    if isinstance(exc, ValueError | UnicodeError):  # http.client.InvalidURL, a header it cannot send
        return Fault("bad_address", f"the address cannot be requested as it is written ({exc})")
    if isinstance(exc, OSError) and exc.errno in (errno.ENETUNREACH, errno.EHOSTUNREACH, errno.ENETDOWN):
        return Fault("unreachable", "the network could not reach the website (is this computer offline?)")
    if isinstance(exc, OSError):
        return Fault("unreachable", f"the connection failed ({exc.strerror or exc})")
    raise exc  # not a network fault: a bug, which must not pass for a verdict


_FAULTS: list[tuple[type[BaseException] | tuple[type[BaseException], ...], tuple[FaultKind, str]]] = [
    (_InBody, ("reset_in_body", "the connection was cut while the page was being sent")),
    ((_BeforeAnswer, ConnectionResetError, http.client.RemoteDisconnected, BrokenPipeError),
     ("reset_before_answer", "the server closed the connection without answering")),
    (ConnectionRefusedError, ("refused", "the server would not connect")),
    (_NoConnection, ("connect_timeout", "the website did not take the connection within {seconds}")),
    (TimeoutError, ("no_answer", "no answer within {seconds}")),
    (http.client.HTTPException, ("reset_before_answer", "the server's answer was not HTTP")),
]


def allowed(host: str, addresses: list[Address], settings: LinkSettings) -> bool:
    """The settings' allow_private lets this host (by name, or every one of its addresses) through."""
    if host in settings.allow_private:
        return True
    networks = []
    for entry in settings.allow_private:
        try:
            networks.append(ipaddress.ip_network(entry, strict=False))
        except ValueError:
            continue  # a host name, compared above
    if not addresses:
        try:
            addresses = [ipaddress.ip_address(host.strip("[]"))]
        except ValueError:
            return False
    return all(any(a in n for n in networks) for a in addresses)
