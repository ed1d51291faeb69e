"""checks.yml's exclude:, accept: and checked_by_hand: for `policypress check links`, and when each
address was last checked (fetched in this run or from the cache), against a fake GOV.UK on
127.0.0.1: every request is counted at the server, so "never fetched" is measured.
"""

from __future__ import annotations

import datetime as dt
import json
import os
import subprocess
import sys
from collections.abc import Callable, Iterator
from pathlib import Path
from typing import Any

import pytest

import fake_govuk as fake
from conftest import POLICY, REGISTRY
from fake_govuk import FakeGovUk
from policypress.checks.links.lists import LinkLists, matches
from policypress.checks.links.settings import AcceptEntry, HandCheck, LinkSettings, ListEntry
from policypress.core.dates import long_date

GOVUK = "https://www.gov.uk"
OK, NOT_FOUND, FORBIDDEN = GOVUK + fake.OK, GOVUK + fake.NOT_FOUND, GOVUK + fake.FORBIDDEN
OLD_KCSIE = "https://www.gov.uk/government/publications/keeping-children-safe-in-education-2024"
ROTA, HANDBOOK = "https://portal.example.org/staff/rota", "https://files.portal.example.org/handbook.pdf"
LINKS = [OK, NOT_FOUND, FORBIDDEN, OLD_KCSIE, ROTA, HANDBOOK]
HOSTS = ["www.gov.uk", "alpha.example.org", "procedures.northshire.example.org", "portal.example.org",
         "files.portal.example.org"]
TODAY = dt.datetime.now(dt.UTC).date()


@pytest.fixture
def govuk() -> Iterator[FakeGovUk]:
    with FakeGovUk(slow_seconds=3) as server:
        yield server


@pytest.fixture
def root(make_project: Callable[..., Path]) -> Path:
    """The minimal project whose statutory safeguarding policy links every address of LINKS."""
    reading = "Reading:\n\n" + "\n".join(f"- [link {n}]({url})" for n, url in enumerate(LINKS)) + "\n\n"
    registry = REGISTRY.replace("    verified: 2026-11-01\n", f"""\
    supersedes:
      - edition: "2024"
        url: {OLD_KCSIE}
    verified: 2026-11-01
""")
    return make_project({"content/policies/safeguarding.md": POLICY.replace("All staff are trained every year.",
                                                                             reading),
                         "content/statutory.yml": registry})


def write_checks(root: Path, base: str, lists: str = "") -> None:
    """checks.yml (written as YAML, so its lines are known) mapping every host onto the fake server, then lists."""
    mapping = [f"    https://{h}/: {base}/" + ("" if h == "www.gov.uk" else f"{h}/") for h in HOSTS]
    head = ["links:", "  map:", *mapping, "  requests_per_second: 50", "  timeout_seconds: 1", "  retries: 1",
            "  backoff_seconds: 0.1", "  allow_private: [127.0.0.1]"]
    (root / "checks.yml").write_text("\n".join(head) + "\n" + lists, encoding="utf-8")


def line_of(root: Path, text: str) -> int:
    """The line of checks.yml that holds text."""
    return next(n for n, line in enumerate((root / "checks.yml").read_text().splitlines(), 1) if text in line)


def policypress(root: Path, *args: str) -> subprocess.CompletedProcess[str]:
    return subprocess.run([sys.executable, "-m", "policypress", "--root", str(root), "check", "links", *args],
                          capture_output=True, text=True, timeout=600, check=False,
                          env={**os.environ, "COLUMNS": "400"})  # table cells on one line each


def checked(root: Path, *args: str) -> tuple[subprocess.CompletedProcess[str], dict[str, Any]]:
    result = policypress(root, "--json", *args)
    assert result.returncode in (0, 1), result.stderr
    return result, json.loads(result.stdout)


def by_url(items: object) -> dict[str, dict[str, Any]]:
    assert isinstance(items, list)
    return {item["url"]: item for item in items}


def test_excluded_websites_and_addresses_are_never_fetched_and_never_reported(root: Path, govuk: FakeGovUk) -> None:
    write_checks(root, govuk.base, f"""\
  exclude:
    - host: portal.example.org
      reason: the staff portal, only reachable in school
    - url: {NOT_FOUND}/
    - url: {OLD_KCSIE}
""")
    result, report = checked(root)
    assert govuk.count("/portal.example.org/staff/rota") == 0
    assert govuk.count("/files.portal.example.org/handbook.pdf") == 0  # a host covers its subdomains
    assert govuk.count(fake.NOT_FOUND) == 0 and govuk.count(OLD_KCSIE.removeprefix(GOVUK)) == 0
    assert govuk.count(fake.OK) == 1
    found = by_url(report["findings"])
    assert ROTA not in found and HANDBOOK not in found and NOT_FOUND not in found
    # what the registry knows without a request is still said: an older edition of statutory guidance
    assert found[OLD_KCSIE]["kind"] == "superseded" and found[OLD_KCSIE]["fails"]
    assert found[OLD_KCSIE]["what"].endswith(f"(not fetched: checks.yml:{line_of(root, OLD_KCSIE)} excludes it)")
    assert found[OLD_KCSIE]["checked_at"] is None and found[OLD_KCSIE]["from_cache"] is False
    addresses = by_url(report["addresses"])
    assert addresses[ROTA]["result"] == "excluded"
    assert addresses[ROTA]["excluded"] == {"reason": "the staff portal, only reachable in school",
                                           "entry": f"checks.yml:{line_of(root, 'host: portal.example.org')}"}
    assert addresses[HANDBOOK]["checked"].startswith("not fetched: excluded by checks.yml:")
    assert report["summary"]["excluded"] == 4 and report["summary"]["warnings"] == []
    assert result.returncode == 1  # the superseded statutory link still fails


def test_an_accepted_finding_is_listed_with_its_reason_and_never_fails(root: Path, govuk: FakeGovUk) -> None:
    write_checks(root, govuk.base, f"""\
  exclude:
    - url: {OLD_KCSIE}
  accept:
    - url: {NOT_FOUND}
      reason: the council restores this page each September
""")
    before = policypress(root, "--json")
    assert before.returncode == 1  # excluded superseded, and the broken statutory link
    write_checks(root, govuk.base, f"""\
  accept:
    - url: {NOT_FOUND}
      reason: the council restores this page each September
    - url: {OLD_KCSIE}
      reason: governors read the 2024 edition beside the current one
    - host: www.gov.uk
      kinds: [unverified]
""")
    result, report = checked(root)
    assert result.returncode == 0, result.stderr
    accepted = by_url(report["accepted"])
    assert set(accepted) == {NOT_FOUND, OLD_KCSIE}
    assert (accepted[NOT_FOUND]["kind"], accepted[NOT_FOUND]["fails"]) == ("broken", False)
    assert accepted[NOT_FOUND]["accepted"] == {"reason": "the council restores this page each September",
                                               "entry": f"checks.yml:{line_of(root, NOT_FOUND)}"}
    assert accepted[NOT_FOUND]["checked"].endswith(", from the cache")  # the first run above fetched it
    findings = by_url(report["findings"])
    assert not {NOT_FOUND, OLD_KCSIE} & set(findings)
    # the host: entry does not accept the unverified link: it is in a statutory policy (a warning, as before)
    assert (findings[FORBIDDEN]["kind"], findings[FORBIDDEN]["fails"]) == ("unverified", False)
    assert report["summary"]["accepted"] == 2 and report["summary"]["failing"] == 0
    assert "Accepted in checks.yml" in result.stderr
    assert "the council restores this page each September" in result.stderr
    html = (root / "build" / "reports" / "links.html").read_text(encoding="utf-8")
    assert "Accepted in checks.yml" in html and "governors read the 2024 edition" in html

    # a website-wide (host:) entry never accepts a statutory finding, and kinds: narrows what is accepted
    write_checks(root, govuk.base, """\
  accept:
    - host: www.gov.uk
      reason: everything on GOV.UK
    - host: portal.example.org
      kinds: [unverified]
""")
    strict = policypress(root, "--json", "--strict")
    assert strict.returncode == 1
    report = json.loads(strict.stdout)
    assert {NOT_FOUND, OLD_KCSIE} <= set(by_url(report["findings"]))
    assert by_url(report["findings"])[NOT_FOUND]["fails"]


def test_a_hand_check_replaces_the_fetch_until_it_expires(root: Path, govuk: FakeGovUk) -> None:
    recent = TODAY - dt.timedelta(days=10)
    write_checks(root, govuk.base, f"""\
  checked_by_hand:
    - url: {FORBIDDEN}
      date: {recent.isoformat()}
      by: School office
      reason: the site blocks automated checks
""")
    result, report = checked(root)
    assert govuk.count(fake.FORBIDDEN) == 0
    assert FORBIDDEN not in by_url(report["findings"])
    address = by_url(report["addresses"])[FORBIDDEN]
    assert address["result"] == "ok" and address["checked_at"] is None and address["from_cache"] is False
    until = recent + dt.timedelta(days=89)
    assert address["checked_by_hand"] == {"date": recent.isoformat(), "by": "School office",
                                          "reason": "the site blocks automated checks", "until": until.isoformat(),
                                          "expired": False, "entry": f"checks.yml:{line_of(root, FORBIDDEN)}"}
    words = f"checked by hand on {long_date(recent)} by School office (the site blocks automated checks)"
    assert words in result.stderr and "Checked by hand, not fetched:" in result.stderr
    assert report["summary"]["checked_by_hand"] == 1
    assert words in (root / "build" / "reports" / "links.html").read_text(encoding="utf-8")

    (root / "checks.yml").write_text((root / "checks.yml").read_text() + "  hand_check_days: 5\n")
    result, report = checked(root)
    assert govuk.count(fake.FORBIDDEN) == 1  # expired: fetched again
    found = by_url(report["findings"])[FORBIDDEN]
    assert found["kind"] == "unverified"
    assert found["what"].endswith(f"; it was {words}, but that hand check counted only until "
                                  f"{long_date(recent + dt.timedelta(days=4))} (checks.yml:"
                                  f"{line_of(root, FORBIDDEN)}), so the check fetched it again")
    assert found["checked_by_hand"]["expired"] is True and found["from_cache"] is False
    assert report["summary"]["hand_checks_expired"] == 1 and "1 hand check(s) expired" in result.stderr


def test_each_address_says_when_it_was_last_checked_and_whether_from_the_cache(
        root: Path, govuk: FakeGovUk) -> None:
    write_checks(root, govuk.base)
    started = dt.datetime.now(dt.UTC).replace(microsecond=0)
    first, report = checked(root)
    found = by_url(report["findings"])[NOT_FOUND]
    stamp = dt.datetime.fromisoformat(str(found["checked_at"]))
    assert stamp.utcoffset() == dt.timedelta(0) and started <= stamp <= dt.datetime.now(dt.UTC)
    assert found["from_cache"] is False and found["checked"].endswith(", fetched in this run")
    words = f"last checked {stamp:%Y-%m-%d %H:%M} UTC"
    assert f"{words[0].upper()}{words[1:]}, fetched in this run" in first.stderr
    ok = by_url(report["addresses"])[OK]  # an address with nothing to fix says it too
    assert (ok["result"], ok["checked_at"], ok["from_cache"]) == ("ok", found["checked_at"], False)

    govuk.reset()
    second, again = checked(root)
    assert set(govuk.requests) == {fake.FORBIDDEN}  # within the TTL only the unverified one (never kept) again
    assert by_url(again["findings"])[FORBIDDEN]["from_cache"] is False
    cached = by_url(again["findings"])[NOT_FOUND]
    assert (cached["checked_at"], cached["from_cache"]) == (found["checked_at"], True)
    assert cached["checked"] == f"{words}, from the cache"
    assert f"{words[0].upper()}{words[1:]}, from the cache" in second.stderr
    assert by_url(again["addresses"])[OK]["from_cache"] is True
    html = (root / "build" / "reports" / "links.html").read_text(encoding="utf-8")
    assert "Every address, and when it was last checked" in html and f"{words}, from the cache" in html

    refreshed = by_url(checked(root, "--refresh")[1]["findings"])[NOT_FOUND]
    assert refreshed["from_cache"] is False and refreshed["checked_at"] >= found["checked_at"]


BAD_ENTRIES = [
    ("  exclude:\n    - host: portal.example.org\n      reasn: staff only\n", "reasn",
     "unknown key 'reasn' — did you mean 'reason'?"),
    ("  exclude:\n    - host: https://portal.example.org/\n", "host:",
     "links.exclude.host: 'https://portal.example.org/' is not a website's name — write the name alone, "
     "e.g. intranet.example.org (no https:// and no /), or use url: for one address"),
    ("  accept:\n    - host: portal.example.org\n      url: https://portal.example.org/staff/rota\n", "host:",
     "links.accept: write either host: (a whole website) or url: (one address) — one of them, not both"),
    ("  accept:\n    - url: portal.example.org/staff\n", "url:",
     "links.accept.url: 'portal.example.org/staff' is not a web address — write the whole address, starting "
     "https://"),
    ("  accept:\n    - url: https://portal.example.org/staff/rota\n      kinds: [brokn]\n", "kinds",
     "links.accept.kinds: 'brokn' is not allowed — did you mean 'broken'?"),
    (f"  checked_by_hand:\n    - url: {FORBIDDEN}\n      date: 2026-02-30\n", "date:",
     "'2026-02-30' is not a real date"),
    (f"  checked_by_hand:\n    - url: {FORBIDDEN}\n      date: {TODAY + dt.timedelta(days=30)}\n", "date:",
     f"links.checked_by_hand.date: {TODAY + dt.timedelta(days=30)} is in the future — write the day the address "
     "was checked, YYYY-MM-DD"),
    (f"  checked_by_hand:\n    - url: {FORBIDDEN}\n", "url:",
     "'date' is missing under links.checked_by_hand — add 'date:'"),
    ("  checked_by_hand:\n    - host: portal.example.org\n      date: 2026-01-05\n", "host:",
     "unknown key 'host' — allowed here: url, date, by, reason"),
]


@pytest.mark.parametrize(("lists", "on", "message"), BAD_ENTRIES, ids=[e[1] + str(i) for i, e in
                                                                        enumerate(BAD_ENTRIES)])
def test_a_bad_entry_is_refused_with_its_line_and_how_to_fix_it(root: Path, lists: str, on: str,
                                                                  message: str) -> None:
    write_checks(root, "http://127.0.0.1:9", lists)
    result = policypress(root)
    assert result.returncode == 2, result.stderr
    start = next(n for n, line in enumerate((root / "checks.yml").read_text().splitlines(), 1) if "  map:" in line)
    line = next(n for n, text in enumerate((root / "checks.yml").read_text().splitlines(), 1)
                if n > start + len(HOSTS) and on in text)
    assert f"checks.yml:{line}: {message}" in result.stderr, result.stderr


def test_entries_that_match_no_link_are_warnings(root: Path, govuk: FakeGovUk) -> None:
    write_checks(root, govuk.base, f"""\
  exclude:
    - host: old-portal.example.org
    - host: example.org
      reason: matches every example.org link, so not stale
  accept:
    - url: https://www.gov.uk/government/publications/never-linked
  checked_by_hand:
    - url: {FORBIDDEN}#part
      date: {TODAY.isoformat()}
""")
    result, report = checked(root)
    stale = [f"checks.yml:{line_of(root, 'old-portal')}: the exclude entry 'old-portal.example.org' matches no link "
             "in any school's policies — remove it, or correct its host",
             f"checks.yml:{line_of(root, 'never-linked')}: the accept entry "
             "'https://www.gov.uk/government/publications/never-linked' matches no link in any school's policies — "
             "remove it, or correct its address"]
    assert report["summary"]["warnings"] == stale
    for warning in stale:
        assert f"Warning: {warning}" in " ".join(result.stderr.split())
    assert govuk.count(fake.FORBIDDEN) == 0  # the #part does not matter: the same page
    one_school = json.loads(policypress(root, "--json", "--school", "alpha").stdout)
    assert one_school["summary"]["warnings"] == []  # other schools' links might match them


def test_host_entries_cover_subdomains_and_url_entries_one_page() -> None:
    host = ListEntry(host="Portal.Example.org")
    assert matches(host, ROTA) and matches(host, HANDBOOK) and matches(host, "http://portal.example.org:8080/")
    assert not matches(host, "https://notportal.example.org/") and not matches(host, "https://example.org/")
    page = ListEntry(url="https://Portal.example.org/staff/rota/")
    assert matches(page, ROTA) and matches(page, ROTA + "#monday") and not matches(page, ROTA + "/old")
    lists = LinkLists(LinkSettings(accept=[AcceptEntry(host="portal.example.org", kinds=["unverified"])],
                                   checked_by_hand=[HandCheck(url=ROTA, date=dt.date(2026, 1, 1)),
                                                    HandCheck(url=ROTA, date=dt.date(2026, 3, 1))],
                                   hand_check_days=30),
                      dt.date(2026, 3, 30))
    assert lists.accepted(ROTA, "unverified", statutory=False) is not None
    assert lists.accepted(ROTA, "broken", statutory=False) is None
    assert lists.accepted(ROTA, "unverified", statutory=True) is None  # a statutory finding needs a url: entry
    newest = lists.hand_check(ROTA)
    assert newest is not None and newest.entry.date == dt.date(2026, 3, 1) and not newest.expired
    assert LinkLists(lists.settings, dt.date(2026, 3, 31)).hand_check(ROTA).expired  # type: ignore[union-attr]
