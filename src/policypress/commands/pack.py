"""`policypress pack`: the governors' pack for a meeting."""

from __future__ import annotations

import datetime as dt
from pathlib import Path

import click

from policypress.commands.options import iso_date, root_option


@click.command("pack")
@click.option("--school", "school_id", required=True, metavar="ID", help="The school whose governors meet.")
@click.option("--meeting", required=True, metavar="YYYY-MM-DD", callback=iso_date,
              help="Date of the governors' meeting.")
@click.option("--next-meeting", metavar="YYYY-MM-DD", callback=iso_date,
              help="Date of the meeting after it [default: 91 days later]: reviews due before it are included.")
@click.option("--out", type=click.Path(file_okay=False, path_type=Path), default=None,
              help="Output folder [default: ROOT/build]; the pack goes in OUT/governors/SCHOOL/.")
@root_option
@click.pass_obj
def pack_command(root: Path, school_id: str, meeting: dt.date, next_meeting: dt.date | None, out: Path | None) -> None:
    """Write the governors' pack for a meeting: policies for decision, what changed, text to sign."""
    from policypress.governors.pack import PackRequest, make_pack

    path = make_pack(PackRequest(root, (out or root / "build").resolve(), school_id, meeting, next_meeting))
    click.echo(f"wrote the governors' pack for {school_id} to {path}")
