"""`policypress new-school`: a school file with every field, commented."""

from __future__ import annotations

from pathlib import Path

import click

from policypress.commands.options import root_option


@click.command("new-school")
@click.option("--trust", "trust_id", required=True, metavar="ID", help="The trust folder under schools/.")
@click.option("--id", "school_id", required=True, metavar="ID", help="Id of the new school (its file name).")
@root_option
@click.pass_obj
def new_school_command(root: Path, trust_id: str, school_id: str) -> None:
    """Write schools/TRUST/ID.yml with every field, commented, ready to fill in."""
    from policypress.source.scaffold import new_school

    path = new_school(root, trust_id, school_id)
    click.echo(f"wrote {path}; fill in the values marked 'replace', then run policypress build")
