"""`policypress check reviews`: review dates of every school's policies."""

from __future__ import annotations

import datetime as dt
import sys
from pathlib import Path

import click

from policypress.commands.options import iso_date, root_option


@click.command("reviews")
@click.option("--today", callback=iso_date, metavar="YYYY-MM-DD",
              help="The day to check against [default: SOURCE_DATE_EPOCH's date, else today].")
@click.option("--within", type=click.IntRange(0, 3660), default=60, show_default=True, metavar="DAYS",
              help="A review due within this many days counts as due soon.")
@click.option("--school", "schools", multiple=True, metavar="ID", help="Report only this school (repeatable).")
@click.option("--json", "json_file", type=click.Path(dir_okay=False, path_type=Path), metavar="FILE",
              help="Also write the results as JSON to FILE.")
@click.option("--strict", is_flag=True, help="Exit 1 when any policy is overdue, not only a statutory one.")
@click.option("--out", type=click.Path(file_okay=False, path_type=Path), default=None,
              help="Output folder for reports/ [default: ROOT/build].")
@root_option
@click.pass_obj
def check_reviews_command(root: Path, today: dt.date | None, within: int, schools: tuple[str, ...],
                          json_file: Path | None, strict: bool, out: Path | None) -> None:
    """Review dates of every policy: overdue, due soon, never approved, reviewed late."""
    from rich.console import Console

    from policypress.checks.review_reports import check_reviews
    from policypress.checks.reviews import check_fails, review_tables, reviews_json, summary_line
    from policypress.core.dates import build_today

    day = today or build_today()
    found, written = check_reviews(root, (out or root / "build").resolve(), day, within, schools)
    console = Console(highlight=False, soft_wrap=False)
    for part in review_tables(found):
        console.print(part)
    console.print(summary_line(found, day, within), soft_wrap=True)
    feeds = sum(name.endswith(".ics") for name in written)
    console.print(f"{feeds} calendar feeds and the dashboard reviews.html are in {(out or root / 'build') / 'reports'}",
                  soft_wrap=True)
    if json_file:
        json_file.write_text(reviews_json(found, day, within), encoding="utf-8")
    if check_fails(found, strict):
        sys.exit(1)
