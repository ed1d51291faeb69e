"""`policypress new-local-authority`: a local authority file with every field, commented."""

from __future__ import annotations

from pathlib import Path

import click

from policypress.commands.options import root_option


@click.command("new-local-authority")
@click.option("--id", "la_id", required=True, metavar="ID",
              help="Id of the new local authority (its file name under schools/local-authorities/).")
@root_option
@click.pass_obj
def new_local_authority_command(root: Path, la_id: str) -> None:
    """Write schools/local-authorities/ID.yml with every field, commented, ready to fill in."""
    from policypress.source.scaffold import new_local_authority

    path = new_local_authority(root, la_id)
    click.echo(f"wrote {path}; fill in the values marked 'replace'; schools name it as local_authority: {la_id}")
