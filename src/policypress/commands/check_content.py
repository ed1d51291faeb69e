"""`policypress check content`: what the words of the source get wrong."""

from __future__ import annotations

import datetime as dt
import sys
from pathlib import Path

import click

from policypress.commands.options import iso_date, root_option


@click.command("content")
@click.option("--today", callback=iso_date, metavar="YYYY-MM-DD",
              help="The day registry entries are checked against [default: SOURCE_DATE_EPOCH's date, else today].")
@click.option("--json", "json_file", type=click.Path(dir_okay=False, path_type=Path), metavar="FILE",
              help="Also write the findings as JSON to FILE.")
@root_option
@click.pass_obj
def check_content_command(root: Path, today: dt.date | None, json_file: Path | None) -> None:
    """Old editions cited as text, registry addresses written by hand, outside images, stale registry entries."""
    from policypress.checks.content import check_content, load_checked, write_json
    from policypress.core.dates import build_today

    day = today or build_today()
    findings = check_content(load_checked(root), day)
    for finding in findings:
        click.echo(str(finding))
    click.echo(f"{len(findings)} finding(s) in the content on {day.isoformat()}." if findings
               else f"No findings in the content on {day.isoformat()}.")
    if json_file:
        write_json(json_file, findings, day)
    if findings:
        sys.exit(1)
