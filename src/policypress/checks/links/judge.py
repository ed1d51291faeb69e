"""Judge every link: gather them, check each unique address once (verdicts.py), and decide each
address's finding (broken, certificate, moved, withdrawn, superseded, not public, placeholder,
unverified)
with what to do, grouped by address, worst and statutory first.

checks.yml's exclude:, accept: and checked_by_hand: (lists.py) decide which addresses are fetched
and which findings are set apart as accepted; every address gets an AddressResult saying when it
was last checked and how (fetched in this run, from the cache, by hand, or not at all).

report.py turns these findings into the check's terminal table, JSON and build/reports/links.html.
"""

from __future__ import annotations

import datetime as dt
import fnmatch
import ipaddress
from collections import defaultdict
from dataclasses import dataclass, field, replace
from pathlib import Path
from urllib.parse import urlsplit

from policypress.checks.findings import Finding
from policypress.checks.links.gather import LinkUse, gather_links
from policypress.checks.links.lists import HandChecked, LinkLists, same_address
from policypress.checks.links.settings import KINDS, AcceptEntry, Kind, LinkSettings, ListEntry
from policypress.checks.links.verdicts import Checked, CheckStats, LinkCache, Seen, check_urls
from policypress.compose.load import load_project
from policypress.core.dates import long_date
from policypress.core.errors import UsageError
from policypress.source.content_schema import StatutoryEntry
from policypress.source.project import Project

CACHE = Path("build") / ".cache" / "links.json"
PRIVATE_SCHEMES = ("file", "smb", "afp", "nfs")


@dataclass(frozen=True)
class LinkRequest:
    """What `policypress check links` was asked to do."""

    root: Path
    settings: LinkSettings
    schools: tuple[str, ...] = ()
    refresh: bool = False
    now: dt.datetime = field(default_factory=lambda: dt.datetime.now(dt.UTC))


@dataclass(frozen=True)
class AddressResult:
    """What one run knows of one address: its result, and when and how it was last checked."""

    url: str
    result: str
    """'ok', the finding's kind (e.g. 'broken'), 'excluded', or 'not_fetched' (known without a request)."""
    seen: Seen | None = None
    """When it was last fetched and whether from the cache; None: this run has no fetched result for it."""
    accepted: AcceptEntry | None = None
    """The accept: entry its finding is accepted by."""
    excluded: ListEntry | None = None
    """The exclude: entry that keeps it out of the check."""
    hand: HandChecked | None = None
    """Its hand check (checked_by_hand:), fresh or expired."""

    def checked_words(self) -> str:
        """When and how it was last checked, in words, e.g. 'last checked 2026-11-22 10:03 UTC, from the cache'."""
        if self.excluded:
            why = f": {self.excluded.reason}" if self.excluded.reason else ""
            return f"not fetched: excluded by {self.excluded.where}{why}"
        if self.hand and not self.hand.expired:
            return f"{self.hand.words()}; not fetched (the hand check counts until {long_date(self.hand.until)})"
        if self.seen is None:
            return "not fetched: known without a request"
        how = "from the cache" if self.seen.from_cache else "fetched in this run"
        return f"last checked {utc_words(self.seen.checked_at)}, {how}"


def utc_words(stamp: str) -> str:
    """An ISO 8601 time as '2026-11-22 10:03 UTC'."""
    when = dt.datetime.fromisoformat(stamp).astimezone(dt.UTC)
    return f"{when:%Y-%m-%d %H:%M} UTC"


@dataclass(frozen=True)
class LinkReport:
    """The findings of one run (one per address, most serious first) and what the run cost."""

    findings: list[Finding]
    schools: int
    """How many schools were checked."""
    links: int
    """How many links they have, counting each use of an address."""
    stats: CheckStats
    accepted: list[Finding] = field(default_factory=list)
    """Findings accepted by checks.yml's accept: (never failing), most serious first."""
    addresses: dict[str, AddressResult] = field(default_factory=dict)
    """Every address, found or not, by address as written."""
    warnings: list[str] = field(default_factory=list)
    """checks.yml entries that match no link (only said when every school is checked)."""

    @property
    def failing(self) -> list[Finding]:
        """The findings that fail the check."""
        return [f for f in self.findings if f.fails]


def check_links(request: LinkRequest) -> LinkReport:
    """Gather, check and judge every link; raises SourceErrors on bad input, UsageError on an unknown school."""
    project = load_project(request.root)
    unknown = [s for s in request.schools if s not in project.schools]
    if unknown:
        raise UsageError(f"no school called {', '.join(unknown)} — use one of: {', '.join(sorted(project.schools))}")
    links = gather_links(project, list(request.schools) or None)
    by_url: dict[str, list[LinkUse]] = defaultdict(list)
    for link in links:
        by_url[link.url].append(link)
    settings = request.settings
    lists = LinkLists(settings, request.now.date())
    web = [url for url in by_url if static_problem(url, settings) is None and _to_fetch(url, lists)]
    cache = LinkCache(request.root / CACHE, settings.ttl_days, request.now)
    verdicts, stats = check_urls(web, settings, cache, request.refresh)
    judge = _Judge(project, settings)
    decided = {url: _decide(judge, lists, url, used, verdicts.get(url), stats) for url, used in by_url.items()}
    found = [f for f, _ in decided.values() if f]
    findings = sorted((f for f in found if not decided[f.subject][1].accepted), key=_order)
    accepted = sorted((f for f in found if decided[f.subject][1].accepted), key=_order)
    schools = len(request.schools) or len(project.schools)
    warnings = [] if request.schools else lists.stale(by_url)  # other schools' links may match them
    return LinkReport(findings, schools, len(links), stats, accepted,
                      {url: address for url, (_, address) in decided.items()}, warnings)


def _order(finding: Finding) -> tuple[bool, bool, int, str]:
    return not finding.fails, not finding.statutory, KINDS.index(finding.kind), finding.subject


def _to_fetch(url: str, lists: LinkLists) -> bool:
    """Not excluded, and no hand check that still counts."""
    hand = lists.hand_check(url)
    return lists.excluded(url) is None and (hand is None or hand.expired)


def _decide(judge: _Judge, lists: LinkLists, url: str, used: list[LinkUse], verdict: Checked | None,
            stats: CheckStats) -> tuple[Finding | None, AddressResult]:
    """One address's finding (None: nothing to fix) and its result, after checks.yml's lists."""
    excluded = lists.excluded(url)
    if excluded:  # only what the registry knows without a request is still said (lists.py says why)
        finding = judge.finding(url, used, None)
        if finding is None or finding.kind != "superseded":
            return None, AddressResult(url, "excluded", excluded=excluded)
        finding = replace(finding, what=f"{finding.what} (not fetched: {excluded.where} excludes it)")
        return finding, AddressResult(url, finding.kind, excluded=excluded)
    web = static_problem(url, judge.settings) is None
    hand = lists.hand_check(url) if web else None
    finding = judge.finding(url, used, verdict)
    if finding and hand and hand.expired:
        finding = replace(finding, what=f"{finding.what}; {hand.expired_words()}")
    accept = lists.accepted(url, finding.kind, finding.statutory) if finding else None
    if finding and accept:
        finding = replace(finding, fails=False)
    seen = stats.seen.get(url)
    result = finding.kind if finding else "ok" if seen or hand else "not_fetched"
    return finding, AddressResult(url, result, seen, accept, hand=hand)


def static_problem(url: str, settings: LinkSettings) -> tuple[Kind, str] | None:
    """A finding known without any request: a placeholder, or an address parents cannot open."""
    if url == "":
        return "placeholder", "the link has no address"
    if url == "#":
        return "placeholder", "'#' is a placeholder: the link goes nowhere"
    parts = urlsplit(url)
    scheme = parts.scheme.lower()
    if scheme == "javascript":
        return "placeholder", "a javascript: link is not an address (the site removes it)"
    if scheme in PRIVATE_SCHEMES:
        return "not_public", f"a {scheme}: link points to a file on a computer or network drive"
    host = (parts.hostname or "").lower()
    if scheme not in ("http", "https"):
        return "not_public", f"a {scheme}: link cannot be opened by parents in a browser"
    if not host:
        return "broken", "this is not a complete web address"
    return _private_host(host, settings)


def _private_host(host: str, settings: LinkSettings) -> tuple[Kind, str] | None:
    for pattern in settings.not_public_hosts:
        if fnmatch.fnmatch(host, pattern):
            return "not_public", f"{host} is private to the school or trust (staff sign-in needed)"
    try:
        address = ipaddress.ip_address(host.strip("[]"))
    except ValueError:
        return None if "." in host else ("not_public", f"'{host}' is an intranet name, not a public website")
    if not address.is_global and host not in settings.allow_private:
        return "not_public", f"{host} is a private network address"
    return None


class _Judge:
    """Decides each address's finding, using the registry's current and older editions."""

    def __init__(self, project: Project, settings: LinkSettings) -> None:
        self.settings = settings
        registry = project.registry
        self.current = {_same(e.url): (rid, e) for rid, e in registry.model.entries.items()}
        self.older = {_same(old.url): (rid, e, old.edition) for rid, e in registry.model.entries.items()
                      for old in e.supersedes}
        self.url_lines = {rid: registry.lines.get(("entries", rid, "url"), 1) for rid in registry.model.entries}
        self.registry_path = registry.path

    def finding(self, url: str, used: list[LinkUse], verdict: Checked | None) -> Finding | None:
        problem = static_problem(url, self.settings)
        if problem and problem[0] == "not_public":
            used = [use for use in used if use.public]  # staff can open their own intranet
        found = self._kind(url, problem, verdict)
        if found is None or not used:
            return None
        kind, what, fix, new_url = found
        statutory = self._statutory(url, used)
        fails = kind in self.settings.fail_any or (statutory and kind in self.settings.fail_statutory)
        places = tuple(sorted({use.place for use in used}, key=lambda p: (p.school or "", p.policy or "", p.path,
                                                                           p.line)))
        return Finding(places, kind, what, fix, subject=url, statutory=statutory, fails=fails, new_url=new_url)

    def _kind(self, url: str, problem: tuple[Kind, str] | None,
              verdict: Checked | None) -> tuple[Kind, str, str, str] | None:
        if problem:
            return problem[0], problem[1], FIXES[problem[0]], ""
        if _same(url) in self.older:
            return self._superseded(url, verdict)
        if verdict is None or verdict.outcome == "ok":
            return None
        return self._from_verdict(url, verdict)

    def _superseded(self, url: str, verdict: Checked | None) -> tuple[Kind, str, str, str]:
        rid, entry, edition = self.older[_same(url)]
        gone = " (and this old address no longer works)" if verdict and verdict.outcome == "broken" else ""
        what = (f"this is the {edition} edition of '{entry.title}'; the current edition is "
                f"{entry.edition}{_in_force(entry)}{gone}")
        fix = (f"write {{{{ ref(\"{rid}\") }}}} instead, which always links the current edition "
               f"({entry.url}), or change the link to that address")
        return "superseded", what, fix, entry.url

    def _from_verdict(self, url: str, verdict: Checked) -> tuple[Kind, str, str, str]:
        kind: Kind = "moved" if verdict.outcome == "moved" else verdict.outcome  # type: ignore[assignment]
        what = verdict.status + (f": {verdict.note}" if verdict.note else "")
        fix = FIXES[kind]
        if kind == "moved":
            fix = f"change the link to {verdict.new_url}" + self._ref_hint(verdict.new_url)
        if _same(url) in self.current and kind in ("broken", "moved", "withdrawn"):
            rid = self.current[_same(url)][0]
            fix += (f"; this address is the registry's: change 'url' of '{rid}' in "
                    f"{self.registry_path}:{self.url_lines[rid]} and every policy, site and PDF follows")
        return kind, what, fix, verdict.new_url if kind == "moved" else ""

    def _ref_hint(self, new_url: str) -> str:
        found = self.current.get(_same(new_url))
        return f', or write {{{{ ref("{found[0]}") }}}}' if found else ""

    def _statutory(self, url: str, used: list[LinkUse]) -> bool:
        entry = self.current.get(_same(url)) or self.older.get(_same(url))
        if entry and entry[1].kind != "advice":
            return True
        host = (urlsplit(url).hostname or "").lower()
        return host in self.settings.statutory_hosts and any(use.statutory_policy for use in used)


FIXES: dict[Kind, str] = {
    "broken": "find the page's current address on the publisher's website and change the link, or remove it",
    "certificate": "open the link in a browser: if it warns that the connection is not secure, tell the website's "
                   "owner or link to another copy of the document; if it opens without a warning, this network "
                   "inspects secure connections and nothing needs changing",
    "withdrawn": "remove the link, or cite the guidance that replaced it (the withdrawal notice names it)",
    "superseded": "link to the current edition",
    "not_public": "publish the document where parents can read it (the school website, or this policy) and "
                  "link to that copy, or remove the link",
    "moved": "change the link to the new address",
    "placeholder": "put in the real address, or remove the link",
    "unverified": "open the link in a browser: if the page is there, nothing needs changing",
}


_same = same_address


def _in_force(entry: StatutoryEntry) -> str:
    return f" (in force from {entry.in_force.isoformat()})" if entry.in_force else ""
