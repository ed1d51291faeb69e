"""`policypress check reviews`: review dates of every school's policies."""

from __future__ import annotations

from pathlib import Path

import click

from policypress.commands.check_common import (
    check_command,
    json_option,
    schools_option,
    strict_option,
    today_option,
)

check_reviews_command = check_command(
    "reviews", "policypress.checks.review_reports",
    today_option("The day to check against [default: SOURCE_DATE_EPOCH's date, else today]."),
    click.option("--within", type=click.IntRange(0, 3660), default=60, show_default=True, metavar="DAYS",
                 help="A review due within this many days counts as due soon."),
    schools_option("Report only this school (repeatable)."),
    json_option("Also write the results as JSON to FILE."),
    strict_option("Exit 1 when any policy is overdue, not only a statutory one."),
    click.option("--out", type=click.Path(file_okay=False, path_type=Path), default=None,
                 help="Output folder for reports/ [default: ROOT/build]."),
    help="Review dates of every policy: overdue, due soon, never approved, reviewed late.")
