"""Check each unique address once: reuse fresh cached results, fetch the rest (fetch.py, one hop at
a time, private targets refused at every hop), retry 429, 5xx and faults that may pass, and say
what each answer means.

Honesty rules: a fault on this side (no network, a name server that does not answer, a proxy,
TLS interception, a server too slow to finish within the deadline) is *unverified*, never broken,
and never cached; when most websites of a run fail the same way the run says so once
(`CheckStats.network`). A certificate that is invalid for one website is its own verdict
(`certificate`), not broken. Only answers that say something about the website itself (a page,
a permanent move, 404/410, a redirect loop, a name that does not exist while others do, a
withdrawal) are kept in the cache. GOV.UK's content API says whether a page was withdrawn; when
it cannot say, the link is unverified and the run says why.
"""

from __future__ import annotations

import datetime as dt
import email.utils
import json
import threading
import time
from collections import Counter
from collections.abc import Callable, Iterable
from concurrent.futures import ThreadPoolExecutor
from dataclasses import asdict, dataclass, field
from pathlib import Path
from typing import Generic, Literal, TypeVar
from urllib.parse import urldefrag, urlsplit

from policypress.checks.links.fetch import Fault, Fetched, Fetcher, Hop
from policypress.checks.links.govuk import content_api_lookup, plain_text
from policypress.checks.links.settings import LinkSettings, to_checked, to_upstream
from policypress.core.errors import CheckCouldNotRun
from policypress.core.files import write_file

Outcome = Literal["ok", "moved", "broken", "certificate", "withdrawn", "not_public", "unverified"]
PERMANENT = (301, 308)
CACHE_VERSION = 2  # results of version 1 (LinkChecker's) may hold faults of this side called broken
KEPT: tuple[Outcome, ...] = ("ok", "moved", "broken", "withdrawn", "not_public")
NOT_GONE = "this does not mean the page is gone"
# Faults that, when most websites of a run share them, are this computer's, not the websites'.
LOCAL_CLASSES = {"no_such_name": "names", "dns_unavailable": "names", "unreachable": "connect",
                 "refused": "connect", "connect_timeout": "connect", "tls_certificate": "tls",
                 "tls_handshake": "tls"}
LOCAL_WORDS = {
    "names": "this computer seems to be offline: website names could not be looked up",
    "connect": "this computer seems to be offline, or behind a proxy or firewall that blocks the check",
    "tls": "this computer seems to be behind a proxy that inspects secure (https) connections, so websites' "
           "certificates cannot be checked from here",
}
T = TypeVar("T")


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
    keep: bool = True
    """The verdict is about the website, so the cache may keep it (False: a fault here, or passing)."""


@dataclass(frozen=True)
class Seen:
    """When an address's result was found, and whether this run fetched it or took it from the cache."""

    checked_at: str
    """When the check last had an answer for it: ISO 8601, UTC, to the second."""
    from_cache: bool
    """The result was kept from an earlier run (younger than ttl_days), not fetched in this one."""


@dataclass
class CheckStats:
    """What a run cost and what stood in its way."""

    unique: int = 0
    from_cache: int = 0
    fetched: int = 0
    """Page requests made (every redirect hop and every try counts; the content API's do not)."""
    api_lookups: int = 0
    tries: dict[str, int] = field(default_factory=dict)
    answered: int = 0
    """Addresses fetched that got an HTTP answer from their website."""
    network: str = ""
    """Said once when most websites of the run failed the same way (offline, a proxy)."""
    api_problems: list[str] = field(default_factory=list)
    """GOV.UK content API lookups that gave no answer, and why."""
    seen: dict[str, Seen] = field(default_factory=dict)
    """For each address as written: when its result was found, and where from."""

    @property
    def could_not_run(self) -> bool:
        """Addresses needed the network and not one of them reached its website."""
        return bool(self.network) and self.answered == 0


class LinkCache:
    """Results kept between runs in build/.cache/links.json, reused while younger than the TTL."""

    def __init__(self, path: Path, ttl_days: int, now: dt.datetime) -> None:
        self.path, self.ttl, self.now = path, dt.timedelta(days=ttl_days), now
        try:
            data = json.loads(path.read_text(encoding="utf-8"))
            self.entries: dict[str, dict[str, object]] = data["entries"] if data.get("version") == CACHE_VERSION \
                else {}
        except (OSError, ValueError, KeyError, TypeError, AttributeError):
            self.entries = {}  # no cache yet, or an unreadable one: check everything again

    def get(self, url: str) -> Checked | None:
        found = self.get_seen(url)
        return found[0] if found else None

    def get_seen(self, url: str) -> tuple[Checked, str] | None:
        """A fresh result for url, with when it was found (ISO 8601); None when there is none."""
        entry = self.entries.get(url)
        if not isinstance(entry, dict):
            return None
        try:
            checked_at = dt.datetime.fromisoformat(str(entry["checked_at"]))
            if self.now - checked_at >= self.ttl:
                return None
            return Checked(**entry["result"]), checked_at.isoformat(timespec="seconds")  # type: ignore[arg-type]
        except (KeyError, TypeError, ValueError):
            return None

    def stamp(self) -> str:
        """This run's time, as the cache writes it."""
        return self.now.isoformat(timespec="seconds")

    def put(self, url: str, checked: Checked) -> None:
        self.entries[url] = {"checked_at": self.stamp(), "result": asdict(checked)}

    def save(self) -> None:
        write_file(self.path, json.dumps({"version": CACHE_VERSION, "entries": self.entries}, indent=1,
                                         sort_keys=True))


class _Once(Generic[T]):
    """Each key computed once per run, however many threads ask; values that fail `keep` are asked again."""

    def __init__(self, keep: Callable[[T], bool]) -> None:
        self.keep = keep
        self._done: dict[str, T] = {}
        self._busy: dict[str, threading.Event] = {}
        self._lock = threading.Lock()

    def get(self, key: str, make: Callable[[], T]) -> T:
        while True:
            with self._lock:
                if key in self._done:
                    return self._done[key]
                event = self._busy.get(key)
                if event is None:
                    self._busy[key] = threading.Event()
                    break
            event.wait()
        try:
            value = make()
            with self._lock:
                if self.keep(value):
                    self._done[key] = value
            return value
        finally:
            with self._lock:
                self._busy.pop(key).set()


@dataclass
class _Run:
    """One run's shared state: the fetcher, the hops and content API records fetched so far."""

    settings: LinkSettings
    fetcher: Fetcher
    sleep: Callable[[float], None]
    stats: CheckStats
    hops: _Once[Hop] = field(default_factory=lambda: _Once(lambda hop: not hop.transient))
    api: _Once[tuple[dict[str, object] | None, str]] = field(default_factory=lambda: _Once(lambda _v: True))
    lock: threading.Lock = field(default_factory=threading.Lock)


def check_urls(urls: Iterable[str], settings: LinkSettings, cache: LinkCache, refresh: bool = False,
               sleep: Callable[[float], None] = time.sleep,
               fetcher: Fetcher | None = None) -> tuple[dict[str, Checked], CheckStats]:
    """Verdicts for http(s) addresses, each fetched at most once; the cache is updated and saved.

    Raises CheckCouldNotRun when the engine itself fails (a bug, not a website's answer).
    """
    unique = sorted(set(urls))
    stats = CheckStats(unique=len(unique))
    verdicts: dict[str, Checked] = {}
    targets: dict[str, list[str]] = {}  # checked address -> the addresses as written that stand for it
    for url in unique:
        target = to_checked(urldefrag(url)[0], settings.map)  # "#part" is not sent: one fetch per page
        cached = None if refresh else cache.get_seen(target)
        if cached:
            stats.from_cache += 1
            verdicts[url] = cached[0]
            stats.seen[url] = Seen(cached[1], from_cache=True)
        else:
            targets.setdefault(target, []).append(url)
    run = _Run(settings, fetcher or Fetcher(settings), sleep, stats)
    order = _interleaved(list(targets))
    results: dict[str, tuple[Fetched, Checked]] = {}
    with ThreadPoolExecutor(max_workers=settings.threads, thread_name_prefix="links") as pool:
        futures = {target: pool.submit(_check_one, target, targets[target][0], run) for target in order}
        failed: tuple[str, BaseException] | None = None
        for target, future in futures.items():
            try:
                results[target] = future.result()
            except Exception as exc:  # noqa: BLE001 — the engine failed: saved below, then reported as such
                failed = failed or (target, exc)
    results = _local_faults(results, stats)
    for target, (fetched, checked) in results.items():
        stats.answered += bool(fetched.redirects) or fetched.last.status is not None
        for url in targets[target]:
            verdicts[url] = checked
            stats.seen[url] = Seen(cache.stamp(), from_cache=False)
        if checked.keep and checked.outcome in KEPT:
            cache.put(target, checked)
    stats.fetched, stats.api_lookups = run.fetcher.requests["page"], run.fetcher.requests["api"]
    cache.save()
    if failed:
        raise CheckCouldNotRun(f"the link check's engine failed on {failed[0]}: {type(failed[1]).__name__}: "
                               f"{failed[1]}") from failed[1]
    return verdicts, stats


def _check_one(target: str, written: str, run: _Run) -> tuple[Fetched, Checked]:
    """Fetch one address, trying again after a transient answer, and judge it."""
    settings = run.settings
    tries, too_long = 0, 0.0
    while True:
        fetched = run.fetcher.fetch(target, hop=run.hops.get)
        tries += 1
        last = fetched.last
        if not last.transient or tries > settings.retries:
            break
        asked = retry_after_seconds(last.retry_after)
        if asked is not None and asked > settings.max_wait_seconds:
            too_long = asked
            break
        run.sleep(max(settings.backoff_seconds * 2.0 ** (tries - 1), asked or 0.0))
    with run.lock:
        run.stats.tries[target] = tries
    checked = judge(fetched, settings, tries, written, too_long)
    return fetched, _withdrawn(target, written, checked, run)


def _interleaved(targets: list[str]) -> list[str]:
    """Hosts take turns, so parallel checks go to different hosts rather than all to one."""
    turn: dict[str, int] = {}
    keyed = []
    for target in sorted(targets):
        host = urlsplit(target).netloc
        turn[host] = turn.get(host, 0) + 1
        keyed.append((turn[host], host, target))
    return [target for _, _, target in sorted(keyed)]


def _local_faults(results: dict[str, tuple[Fetched, Checked]],
                  stats: CheckStats) -> dict[str, tuple[Fetched, Checked]]:
    """When most websites (two or more) fail the same way, the fault is this computer's: say so once."""
    by_host: dict[str, set[str]] = {}
    for target, (fetched, _) in results.items():
        fault = fetched.last.fault
        if fault and fault.kind in ("private_target", "bad_address"):
            continue  # no request was meant to be made
        kind = LOCAL_CLASSES.get(fault.kind, "other") if fault and not fetched.redirects else "answered"
        by_host.setdefault(urlsplit(target).netloc, set()).add(kind)
    classes = Counter(next(iter(kinds)) for kinds in by_host.values() if len(kinds) == 1)
    local = [c for c, n in classes.items() if c in LOCAL_WORDS and n >= 2 and 2 * n > len(by_host)]
    if not local:
        return results
    found = local[0]
    stats.network = f"{LOCAL_WORDS[found]} ({classes[found]} of {len(by_host)} websites failed the same way)"
    changed = {}
    for target, (fetched, checked) in results.items():
        fault = fetched.last.fault
        if fault and not fetched.redirects and LOCAL_CLASSES.get(fault.kind) == found:
            checked = Checked("unverified", fault.words.removesuffix(" (is this computer offline?)"),
                              note=LOCAL_WORDS[found], keep=False)
        changed[target] = (fetched, checked)
    return changed


def retry_after_seconds(value: str | None, now: float | None = None) -> float | None:
    """Retry-After as seconds: it is either a number of seconds or an HTTP date."""
    if not value or value == "None":
        return None
    value = value.strip()
    if value.isdigit():
        return float(value)
    try:
        when: float = email.utils.parsedate_to_datetime(value).timestamp()
    except (TypeError, ValueError, IndexError):
        return None
    return max(0.0, when - (time.time() if now is None else now))


def judge(fetched: Fetched, settings: LinkSettings, tries: int = 1, written: str = "",
          too_long: float = 0.0) -> Checked:
    """What one fetch means for a school: broken, moved, withdrawn, certificate, unverified or fine."""
    last = fetched.last
    if last.fault:
        return _fault(fetched, last.fault, tries, settings, written)
    code = last.status or 0
    said = f"{code} {last.reason}".strip()
    if code in (404, 410):
        return Checked("broken", said)
    if code == 401:
        return Checked("not_public", f"{said}: it asks for a login")
    if too_long:
        return Checked("unverified", f"{said}: the site asked to wait {too_long:.0f} s before another try, longer "
                                     f"than the {settings.max_wait_seconds:g} s the check waits",
                       note=_unverified_note(code), keep=False)
    if code >= 300:
        return Checked("unverified", f"{said} after {_tries(tries)}", note=_unverified_note(code), keep=False)
    if last.title.startswith("[Withdrawn]"):
        return Checked("withdrawn", "its GOV.UK page title says [Withdrawn]")
    return _moved_or_ok(fetched, settings, written)


def _fault(fetched: Fetched, fault: Fault, tries: int, settings: LinkSettings, written: str) -> Checked:
    kind, words = fault.kind, fault.words
    hops = fetched.redirects
    via = f"it redirects to {to_upstream(hops[-1][0], settings.map, written)}, and " if hops else ""
    if kind in ("redirect_loop", "too_many_redirects", "bad_redirect", "bad_address"):
        return Checked("broken", words)
    if kind == "no_such_name":
        return Checked("broken", via + words)
    if kind == "private_target":
        return Checked("not_public", words, note="refused: the check does not reach private, loopback or "
                                                 "link-local addresses", keep=False)
    if kind == "private_redirect":
        return Checked("not_public", f"it redirects to {to_upstream(hops[-1][0], settings.map, written)}, on a "
                                     f"private network ({words.split('(', 1)[-1]}; the check did not follow it",
                       note="a redirect to a private address is never followed", keep=False)
    if kind == "tls_certificate":
        return Checked("certificate", via + words,
                       note="browsers warn visitors away from this site; a network that inspects secure "
                            "connections causes the same warning", keep=False)
    if kind == "too_slow":
        return Checked("unverified", via + words, keep=False)
    return Checked("unverified", f"{via}{words}, {_tries(tries)}", keep=False)


def _moved_or_ok(fetched: Fetched, settings: LinkSettings, written: str) -> Checked:
    hops = fetched.redirects
    permanent = [url for url, _code in _leading(hops)]
    if permanent:
        new_url = to_upstream(permanent[-1], settings.map, written)
        return Checked("moved", f"moved permanently ({hops[0][1]}) to {new_url}", new_url=new_url)
    last = fetched.last
    final = to_upstream(fetched.final_url, settings.map, written)
    return Checked("ok", f"{last.status} {last.reason}".strip(), new_url=final if hops else "")


def _leading(hops: tuple[tuple[str, int], ...]) -> list[tuple[str, int]]:
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
        return f"the site blocks or limits automated checks; {NOT_GONE}"
    if code >= 500:
        return f"the website had a server error each time; {NOT_GONE}"
    return f"the site refused the check; {NOT_GONE}"


def _withdrawn(target: str, written: str, checked: Checked, run: _Run) -> Checked:
    """Ask GOV.UK's content API whether a page that loaded has been withdrawn."""
    settings = run.settings
    page = urlsplit(checked.new_url or written or to_upstream(target, settings.map))
    if checked.outcome not in ("ok", "moved", "withdrawn") or page.hostname not in settings.govuk_hosts:
        return checked
    api = to_checked(settings.content_api.rstrip("/") + page.path, settings.map)
    notice, problem = run.api.get(api, lambda: content_api_lookup(api, run.fetcher))
    if problem:
        with run.lock:
            run.stats.api_problems.append(f"{page.path}: {problem}")
        if checked.outcome == "withdrawn":
            return checked
        return Checked("unverified", f"the page loads, but GOV.UK's content API could not say whether it has "
                                     f"been withdrawn ({problem})", new_url=checked.new_url,
                       note=checked.status, keep=False)
    if not notice:
        return checked
    day = str(notice.get("withdrawn_at", ""))[:10]
    status = f"GOV.UK withdrew it on {day}" if day else "GOV.UK has withdrawn it"
    return Checked("withdrawn", status, note=plain_text(str(notice.get("explanation", ""))))
