"""Date arithmetic and the build date (SOURCE_DATE_EPOCH) used for reproducible output."""

from __future__ import annotations

import calendar
import datetime as dt
import os


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
