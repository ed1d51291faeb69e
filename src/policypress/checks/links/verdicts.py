"""Check each unique address once: refuse private targets, reuse fresh cached results, and let
LinkChecker fetch the rest, retrying 429, 5xx, timeouts and refused connections with backoff.

LinkChecker spaces requests to each host (`requests_per_second`); this layer adds what it lacks:
retries that honour Retry-After, a cache that lasts between runs, a refusal to reach private
networks, and GOV.UK's content API, which says whether a page was withdrawn.
"""

from __future__ import annotations

import datetime as dt
import email.utils
import ipaddress
import json
import socket
import time
import urllib.request
from collections.abc import Callable, Iterable
from dataclasses import asdict, dataclass, field
from pathlib import Path
from typing import Literal
from urllib.parse import urlsplit

from policypress.checks.links.linkchecker_engine import EngineResult, run_linkchecker
from policypress.checks.links.settings import LinkSettings, to_checked, to_upstream
from policypress.core.files import write_file

Outcome = Literal["ok", "moved", "broken", "withdrawn", "not_public", "unverified"]
PERMANENT = (301, 308)
# LinkChecker shortens its error text, so match the start of requests' messages, not their ends.
TRANSIENT_ERRORS = ("Timeout", "timed out", "Connection refused", "Connection reset", "RemoteDisconnected",
                    "Connection aborted", "NewConnectionError", "Failed to establish a new connection")
NO_SUCH_SITE = "no website is called "
NO_SUCH_NAME = (socket.EAI_NONAME, getattr(socket, "EAI_NODATA", socket.EAI_NONAME))


@dataclass(frozen=True)
class Checked:
    """The verdict on one address."""

    outcome: Outcome
    status: str
    """What happened, in words, e.g. '404 Not Found'."""
    new_url: str = ""
    """For a page that moved: where it is now."""
    note: str = ""
    """For a withdrawn page: GOV.UK's explanation; otherwise more detail."""


@dataclass
class CheckStats:
    """What a run cost: addresses fetched (every try counts) and what came from the cache."""

    unique: int = 0
    from_cache: int = 0
    fetched: int = 0
    api_lookups: int = 0
    tries: dict[str, int] = field(default_factory=dict)


class LinkCache:
    """Results kept between runs in build/.cache/links.json, reused while younger than the TTL."""

    def __init__(self, path: Path, ttl_days: int, now: dt.datetime) -> None:
        self.path, self.ttl, self.now = path, dt.timedelta(days=ttl_days), now
        try:
            self.entries: dict[str, dict[str, object]] = json.loads(path.read_text(encoding="utf-8"))["entries"]
        except (OSError, ValueError, KeyError, TypeError):
            self.entries = {}  # no cache yet, or an unreadable one: check everything again

    def get(self, url: str) -> Checked | None:
        entry = self.entries.get(url)
        if not isinstance(entry, dict):
            return None
        try:
            fresh = self.now - dt.datetime.fromisoformat(str(entry["checked_at"])) < self.ttl
            return Checked(**entry["result"]) if fresh else None  # type: ignore[arg-type]
        except (KeyError, TypeError, ValueError):
            return None

    def put(self, url: str, checked: Checked) -> None:
        self.entries[url] = {"checked_at": self.now.isoformat(timespec="seconds"), "result": asdict(checked)}

    def save(self) -> None:
        write_file(self.path, json.dumps({"entries": self.entries}, indent=1, sort_keys=True))


def check_urls(urls: Iterable[str], settings: LinkSettings, cache: LinkCache, refresh: bool = False,
               sleep: Callable[[float], None] = time.sleep) -> tuple[dict[str, Checked], CheckStats]:
    """Verdicts for http(s) addresses, each checked at most once; the cache is updated and saved."""
    unique = sorted(set(urls))
    stats = CheckStats(unique=len(unique))
    verdicts: dict[str, Checked] = {}
    targets: dict[str, str] = {}  # checked address -> address as written
    for url in unique:
        target = to_checked(url, settings.map)
        cached = None if refresh else cache.get(target)
        found = cached or refusal(target, settings)
        stats.from_cache += cached is not None
        if found:
            verdicts[url] = found
        else:
            targets[target] = url
    verdicts = _offline(verdicts, list(targets), settings)
    for target, checked in _fetch(list(targets), settings, stats, sleep).items():
        verdicts[targets[target]] = checked
        if checked.outcome != "unverified":  # an unverified address is tried again next run
            cache.put(target, checked)
    cache.save()
    return verdicts, stats


def refusal(target: str, settings: LinkSettings) -> Checked | None:
    """A verdict without any request: the host does not exist, or is on a private network."""
    host = urlsplit(target).hostname or ""
    if not host:
        return Checked("broken", "not a complete web address")
    if _allowed(host, [], settings):
        return None
    try:
        found = {str(info[4][0]) for info in socket.getaddrinfo(host, None, proto=socket.IPPROTO_TCP)}
    except socket.gaierror as exc:
        if exc.errno in NO_SUCH_NAME:
            return Checked("broken", f"{NO_SUCH_SITE}{host}")
        return None  # the name server did not answer: LinkChecker tries, and retries if it must
    addresses = [ipaddress.ip_address(a.split("%")[0]) for a in found]
    if any(not a.is_global for a in addresses) and not _allowed(host, addresses, settings):
        return Checked("not_public", f"{host} is on a private network ({', '.join(sorted(found))})",
                       note="refused: the check does not reach private, loopback or link-local addresses")
    return None


def _offline(verdicts: dict[str, Checked], targets: list[str], settings: LinkSettings) -> dict[str, Checked]:
    """When not one of several names could be looked up, the computer is offline: nothing is known broken."""
    unknown = {url for url, v in verdicts.items() if v.status.startswith(NO_SUCH_SITE)}
    hosts = {urlsplit(to_checked(url, settings.map)).hostname for url in unknown}
    looked_up = [t for t in targets if not _allowed(urlsplit(t).hostname or "", [], settings)]
    private = [v for v in verdicts.values() if v.outcome == "not_public"]
    if len(hosts) < 2 or looked_up or private:
        return verdicts
    offline = Checked("unverified", "no website name could be looked up: is this computer offline?")
    return {url: offline if url in unknown else v for url, v in verdicts.items()}


def _allowed(host: str, addresses: list[ipaddress.IPv4Address | ipaddress.IPv6Address],
             settings: LinkSettings) -> bool:
    if host in settings.allow_private:
        return True
    networks = []
    for entry in settings.allow_private:
        try:
            networks.append(ipaddress.ip_network(entry, strict=False))
        except ValueError:
            continue  # a host name, compared above
    try:
        addresses = addresses or [ipaddress.ip_address(host)]
    except ValueError:
        return False
    return bool(addresses) and all(any(a in n for n in networks) for a in addresses)


def _fetch(targets: list[str], settings: LinkSettings, stats: CheckStats,
           sleep: Callable[[float], None]) -> dict[str, Checked]:
    """LinkChecker's verdicts, retrying transient failures; then GOV.UK's withdrawn notices."""
    rows: dict[str, EngineResult] = {}
    pending = _interleaved(targets)
    for attempt in range(settings.retries + 1):
        rows.update(run_linkchecker(pending, settings))
        stats.fetched += len(pending)
        for target in pending:
            stats.tries[target] = attempt + 1
        waits = {t: _wait(rows[t], attempt, settings) for t in pending if t in rows and transient(rows[t])}
        pending = [t for t, wait in waits.items() if wait <= settings.max_wait_seconds]
        if not pending or attempt == settings.retries:
            break
        sleep(max(waits[t] for t in pending))
    verdicts = {t: judge(rows[t], settings, stats.tries[t]) if t in rows
                else Checked("unverified", "LinkChecker gave no result") for t in targets}
    return {t: _withdrawn(t, v, settings, stats) for t, v in verdicts.items()}


def _interleaved(targets: list[str]) -> list[str]:
    """Hosts take turns, so parallel checks go to different hosts rather than all to one."""
    turn: dict[str, int] = {}
    keyed = []
    for target in sorted(targets):
        host = urlsplit(target).netloc
        turn[host] = turn.get(host, 0) + 1
        keyed.append((turn[host], host, target))
    return [target for _, _, target in sorted(keyed)]


def transient(row: EngineResult) -> bool:
    """Worth another try: 429, a 5xx, a timeout or a refused or dropped connection."""
    code = row.status
    if code is not None:
        return code == 429 or 500 <= code <= 599
    return not row.valid and any(word in row.result for word in TRANSIENT_ERRORS)


def _wait(row: EngineResult, attempt: int, settings: LinkSettings) -> float:
    """Seconds before the next try: doubling backoff, or the site's Retry-After when longer."""
    backoff: float = settings.backoff_seconds * 2.0 ** attempt
    asked = retry_after_seconds(row.retry_after)
    return max(backoff, asked or 0.0)


def retry_after_seconds(value: str | None, now: float | None = None) -> float | None:
    """Retry-After as seconds: it is either a number of seconds or an HTTP date."""
    if not value or value == "None":
        return None
    if value.isdigit():
        return float(value)
    try:
        when: float = email.utils.parsedate_to_datetime(value).timestamp()
    except (TypeError, ValueError):
        return None
    return max(0.0, when - (time.time() if now is None else now))


def judge(row: EngineResult, settings: LinkSettings, tries: int = 1) -> Checked:
    """What LinkChecker's result means for a school: broken, moved, withdrawn, unverified or fine."""
    code, said = row.status, row.result.split(" (Caused by")[0][:160]
    if "TooManyRedirects" in row.result:
        return Checked("broken", "it redirects in a loop and never reaches a page")
    if code in (404, 410):
        return Checked("broken", said)
    if code == 401:
        return Checked("not_public", f"{said}: it asks for a login")
    if code is not None and (code >= 400 or code == 429):
        return Checked("unverified", f"{said} after {_tries(tries)}", note=_unverified_note(code))
    if not row.valid:
        return _failed(row, said, tries, settings)
    if row.withdrawn_title:
        return Checked("withdrawn", "its GOV.UK page title says [Withdrawn]")
    return _moved_or_ok(row, settings)


def _failed(row: EngineResult, said: str, tries: int, settings: LinkSettings) -> Checked:
    if "Timeout" in row.result or "timed out" in row.result:
        return Checked("unverified", f"no answer within {settings.timeout_seconds:g} s, {_tries(tries)}")
    if "NameResolutionError" in row.result or "Failed to resolve" in row.result:
        return Checked("broken", f"no website is called {urlsplit(row.url).hostname}")
    if "SSLError" in row.result or "CERTIFICATE" in row.result:
        return Checked("broken", "its security certificate is not valid, so browsers warn visitors away")
    if transient(row):
        return Checked("unverified", f"the server would not connect, {_tries(tries)}")
    return Checked("unverified", said)


def _moved_or_ok(row: EngineResult, settings: LinkSettings) -> Checked:
    hops = row.redirects
    permanent = [url for url, code in _leading(hops)]
    if permanent:
        new_url = to_upstream(permanent[-1], settings.map)
        return Checked("moved", f"moved permanently ({hops[0][1]}) to {new_url}", new_url=new_url)
    final = to_upstream(row.final_url, settings.map)
    return Checked("ok", row.result.strip("'"), new_url=final if hops else "")


def _leading(hops: list[tuple[str, int]]) -> list[tuple[str, int]]:
    """The permanent redirects at the start of a chain: where the page has settled for good."""
    found = []
    for hop in hops:
        if hop[1] not in PERMANENT:
            break
        found.append(hop)
    return found


def _tries(count: int) -> str:
    return "1 try" if count == 1 else f"{count} tries"


def _unverified_note(code: int) -> str:
    if code in (403, 429, 999):
        return "the site blocks or limits automated checks; this does not mean the page is gone"
    if code >= 500:
        return "the website had a server error each time; this does not mean the page is gone"
    return "the site refused the check; this does not mean the page is gone"


def _withdrawn(target: str, checked: Checked, settings: LinkSettings, stats: CheckStats) -> Checked:
    """Ask GOV.UK's content API whether a page that loaded has been withdrawn."""
    page = urlsplit(checked.new_url or to_upstream(target, settings.map))
    if checked.outcome not in ("ok", "moved", "withdrawn") or page.hostname not in settings.govuk_hosts:
        return checked
    api = to_checked(settings.content_api.rstrip("/") + page.path, settings.map)
    if refusal(api, settings):
        return checked
    stats.api_lookups += 1
    notice = content_api_notice(api, settings)
    if not notice:
        return checked
    day = str(notice.get("withdrawn_at", ""))[:10]
    status = f"GOV.UK withdrew it on {day}" if day else "GOV.UK has withdrawn it"
    return Checked("withdrawn", status, note=str(notice.get("explanation", "")).strip())


class _NoRedirect(urllib.request.HTTPRedirectHandler):
    def redirect_request(self, *args: object, **kwargs: object) -> None:
        return None  # a redirect could lead anywhere, including a private network


def content_api_notice(api_url: str, settings: LinkSettings) -> dict[str, object] | None:
    """The page's withdrawn_notice, if it has one; None when it has none or the API cannot say."""
    if urlsplit(api_url).scheme not in ("http", "https"):
        return None
    _throttle(urlsplit(api_url).netloc, settings)
    request = urllib.request.Request(api_url, headers={"User-Agent": settings.user_agent,  # noqa: S310 — http(s) only
                                                       "Accept": "application/json"})
    try:
        opener = urllib.request.build_opener(_NoRedirect)
        with opener.open(request, timeout=settings.timeout_seconds) as reply:
            body = reply.read(settings.max_body_bytes + 1)
    except (OSError, ValueError):
        return None
    if len(body) > settings.max_body_bytes:
        return None  # longer than any real record: not trusted, not parsed
    try:
        notice = json.loads(body).get("withdrawn_notice")
    except (ValueError, AttributeError):
        return None
    return notice if isinstance(notice, dict) and notice else None


_last_request: dict[str, float] = {}


def _throttle(host: str, settings: LinkSettings) -> None:
    """Space this process's own requests to one host by 1 / requests_per_second."""
    gap = 1 / settings.requests_per_second
    wait = _last_request.get(host, -gap) + gap - time.monotonic()
    if wait > 0:
        time.sleep(wait)
    _last_request[host] = time.monotonic()
