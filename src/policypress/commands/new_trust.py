"""`policypress new-trust`: a trust file with every field, commented."""

from __future__ import annotations

from pathlib import Path

import click

from policypress.commands.options import root_option


@click.command("new-trust")
@click.option("--id", "trust_id", required=True, metavar="ID", help="Id of the new trust (its folder under schools/).")
@root_option
@click.pass_obj
def new_trust_command(root: Path, trust_id: str) -> None:
    """Write schools/ID/trust.yml with every field, commented, ready to fill in."""
    from policypress.source.scaffold import new_trust

    path = new_trust(root, trust_id)
    click.echo(f"wrote {path}; fill in the values marked 'replace', then add schools with "
               f"policypress new-school --trust {trust_id} --id ID")
