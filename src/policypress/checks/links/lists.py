"""checks.yml's exclude:, accept: and checked_by_hand: lists, applied to addresses as they are written.

A `host:` entry covers that website and its subdomains (example.org covers www.example.org and
staff.example.org), whatever the scheme or port; a `url:` entry covers one address, its #part, a
final / and capitals in the scheme and name ignored. Entries match the address as the policy
writes it, never the address a `map:` sends the check to.

- exclude: never fetched, never looked up in the cache, never reported, with one exception: what
  the registry (content/statutory.yml) says without any request, that an address is an older
  edition (superseded), is still reported, because excluding a website must not hide out-of-date
  statutory guidance.
- accept: the finding is still found, but listed apart as accepted, with the reason, and never
  fails the check. A `host:` entry never accepts a finding on a statutory link: accepting one is a
  decision about one address, so it needs a `url:` entry.
- checked_by_hand: a person opened the address on that day and it works; it is not fetched until
  the hand check is older than hand_check_days, then it is fetched again and the report says the
  hand check expired. Findings known without a request (placeholder, not public, superseded) are
  still reported: a person opening a page does not make an intranet public.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Iterable
from dataclasses import dataclass
from typing import TypeVar
from urllib.parse import urldefrag, urlsplit

from policypress.checks.links.settings import AcceptEntry, HandCheck, LinkSettings, ListEntry
from policypress.core.dates import long_date

E = TypeVar("E", bound=ListEntry)


def same_address(url: str) -> str:
    """An address in a form that ignores a trailing slash and the case of scheme and host."""
    parts = urlsplit(url.strip())
    return f"{parts.scheme.lower()}://{parts.netloc.lower()}{parts.path.rstrip('/')}" + (
        f"?{parts.query}" if parts.query else "")


def _page(url: str) -> str:
    return same_address(urldefrag(url)[0])


def matches(entry: ListEntry | HandCheck, url: str) -> bool:
    """The entry names this address, or the website (or a parent website) it is on."""
    host = getattr(entry, "host", None)
    if host:
        name = (urlsplit(url.strip()).hostname or "").lower().rstrip(".")
        return name == host or name.endswith("." + host)
    return bool(entry.url) and _page(url) == _page(str(entry.url))


@dataclass(frozen=True)
class HandChecked:
    """A hand check that applies to an address, and whether it still counts."""

    entry: HandCheck
    until: dt.date
    """The last day it counts."""
    expired: bool

    def words(self) -> str:
        """'checked by hand on 3 November 2026 by School office (reason)'."""
        entry = self.entry
        by = f" by {entry.by}" if entry.by else ""
        why = f" ({entry.reason})" if entry.reason else ""
        return f"checked by hand on {long_date(entry.date)}{by}{why}"

    def expired_words(self) -> str:
        """What the report says of an expired hand check."""
        return (f"it was {self.words()}, but that hand check counted only until {long_date(self.until)} "
                f"({self.entry.where}), so the check fetched it again")

    def as_json(self) -> dict[str, object]:
        entry = self.entry
        return {"date": entry.date.isoformat(), "by": entry.by, "reason": entry.reason,
                "until": self.until.isoformat(), "expired": self.expired, "entry": entry.where}


class LinkLists:
    """The three lists of one run, with the day hand checks are measured against."""

    def __init__(self, settings: LinkSettings, today: dt.date) -> None:
        self.settings, self.today = settings, today

    def excluded(self, url: str) -> ListEntry | None:
        """The exclude: entry that covers url (one naming the address before one naming its website)."""
        return _first(self.settings.exclude, url)

    def accepted(self, url: str, kind: str, statutory: bool) -> AcceptEntry | None:
        """The accept: entry that accepts this finding, if any."""
        fitting = [entry for entry in self.settings.accept if (not entry.kinds or kind in entry.kinds)
                   and (entry.url or not statutory)]
        return _first(fitting, url)

    def hand_check(self, url: str) -> HandChecked | None:
        """The newest hand check of url, fresh or expired."""
        found = [entry for entry in self.settings.checked_by_hand if matches(entry, url)]
        if not found:
            return None
        entry = max(found, key=lambda e: e.date)
        until = entry.date + dt.timedelta(days=self.settings.hand_check_days - 1)
        return HandChecked(entry, until, self.today > until)

    def stale(self, urls: Iterable[str]) -> list[str]:
        """A warning for each entry that matches no link of the project."""
        urls = list(urls)
        entries: list[tuple[str, ListEntry | HandCheck]] = [
            *(("exclude", e) for e in self.settings.exclude), *(("accept", e) for e in self.settings.accept),
            *(("checked_by_hand", e) for e in self.settings.checked_by_hand)]
        return [f"{entry.where}: the {name} entry '{entry.label}' matches no link in any school's policies — "
                f"remove it, or correct its {'host' if getattr(entry, 'host', None) else 'address'}"
                for name, entry in entries if not any(matches(entry, url) for url in urls)]


def _first(entries: Iterable[E], url: str) -> E | None:
    found = [entry for entry in entries if matches(entry, url)]
    return next((e for e in found if e.url), None) or next(iter(found), None)
