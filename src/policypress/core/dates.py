"""Date arithmetic and the build date (SOURCE_DATE_EPOCH) used for reproducible output."""

from __future__ import annotations

import calendar
import datetime as dt
import os
import re


def add_months(day: dt.date, months: int) -> dt.date:
    """The same day `months` later, clamped to the end of a shorter month."""
    index = day.month - 1 + months
    year, month = day.year + index // 12, index % 12 + 1
    return dt.date(year, month, min(day.day, calendar.monthrange(year, month)[1]))


def long_date(day: dt.date) -> str:
    """A date as people in UK schools write it: 3 March 2026."""
    return f"{day.day} {day:%B %Y}"


def source_date_epoch(default: dt.date) -> int:
    """SOURCE_DATE_EPOCH if set, else midnight UTC of a date taken from the source itself."""
    value = os.environ.get("SOURCE_DATE_EPOCH")
    if value and value.isdigit():
        return int(value)
    return int(dt.datetime.combine(default, dt.time(), dt.UTC).timestamp())


def build_today() -> dt.date:
    """The build's "today": SOURCE_DATE_EPOCH's date if set, else the real date.

    Not the newest date in the source: a site rebuilt later with no source change must still
    show that a review has fallen due since.
    """
    value = os.environ.get("SOURCE_DATE_EPOCH")
    if value and value.isdigit():
        return dt.datetime.fromtimestamp(int(value), dt.UTC).date()
    return dt.date.today()


class MonthOnly(dt.date):
    """A historical approval's date known only to its month (`2022-06`): the month's last day stands for it.

    Reviews count from that last day, so the review is never late because a day had to be guessed;
    wherever it is shown it says so (compose/wording.date_words).
    """

    @classmethod
    def of(cls, year: int, month: int) -> MonthOnly:
        return cls(year, month, calendar.monthrange(year, month)[1])

    def isoformat(self) -> str:
        """'2022-06', as written: policies.json and messages do not invent a day either."""
        return f"{self.year:04d}-{self.month:02d}"


class AboutDate(dt.date):
    """A date worked out from a MonthOnly one (a next review): right to the month, shown as 'about'."""


MONTH = re.compile(r"^(\d{4})-(\d{2})$")


def month_only(value: object) -> object:
    """'2022-06' (YAML reads it as text) as a MonthOnly date; anything else is left to the date parser."""
    found = MONTH.match(value) if isinstance(value, str) else None
    if found is None:
        return value
    year, month = int(found.group(1)), int(found.group(2))
    if not 1 <= month <= 12:
        raise ValueError(f"'{value}' is not a month — write YYYY-MM with a month from 01 to 12, or a full date "
                         "YYYY-MM-DD")
    return MonthOnly.of(year, month)


def review_after(approved: dt.date, months: int) -> dt.date:
    """The review date `months` after an approval: from a month-only one, the last day of the month it falls in."""
    due = add_months(approved, months)
    if isinstance(approved, MonthOnly):
        return AboutDate(due.year, due.month, calendar.monthrange(due.year, due.month)[1])
    return due
