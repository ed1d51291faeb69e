"""iCalendar (RFC 5545) feeds of review dates that governors can subscribe to in Outlook or Google.

The bytes depend only on the events: no "now" goes in, so a rebuild with the same approvals
writes the same feed, and a calendar that polls it sees no change until a date really moves.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Iterable
from dataclasses import dataclass

import icalendar

PRODID = "-//policypress//Policy review dates//EN"
REFRESH = dt.timedelta(days=1)  # how often subscribers should fetch the feed again (REFRESH-INTERVAL, RFC 7986)


@dataclass(frozen=True, order=True)
class FeedEvent:
    """One all-day event: a policy's review falling due."""

    day: dt.date
    uid: str
    """Stable across rebuilds and re-approvals, so a re-approval moves the event instead of adding one."""
    summary: str
    description: str
    stamp: dt.date
    """When the facts behind the event last changed (the latest approval); RFC 5545 requires a DTSTAMP."""
    sequence: int
    """Revision number: it grows with each approval, so clients take the new date."""


def calendar_bytes(name: str, description: str, events: Iterable[FeedEvent]) -> bytes:
    """A complete VCALENDAR holding events in date order; the same input gives the same bytes."""
    calendar = icalendar.Calendar()
    calendar.add("prodid", PRODID)
    calendar.add("version", "2.0")
    calendar.add("calscale", "GREGORIAN")
    calendar.add("name", name)
    calendar.add("x-wr-calname", name)
    calendar.add("description", description)
    calendar.add("x-wr-caldesc", description)
    calendar.add("refresh-interval", REFRESH, parameters={"VALUE": "DURATION"})
    calendar.add("x-published-ttl", "P1D")  # the same hint for Outlook
    for event in sorted(events):
        calendar.add_component(_vevent(event))
    return bytes(calendar.to_ical())


def _vevent(event: FeedEvent) -> icalendar.Event:
    vevent = icalendar.Event()
    vevent.add("uid", event.uid)
    vevent.add("dtstamp", dt.datetime.combine(event.stamp, dt.time(), dt.UTC))
    vevent.add("dtstart", event.day)
    vevent.add("dtend", event.day + dt.timedelta(days=1))  # all-day: the end date is exclusive
    vevent.add("summary", event.summary)
    vevent.add("description", event.description)
    vevent.add("sequence", event.sequence)
    vevent.add("transp", "TRANSPARENT")  # a reminder, not a meeting: it must not block the day
    return vevent
