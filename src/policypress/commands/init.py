"""`policypress init DIR`: a new project that builds at once."""

from __future__ import annotations

from pathlib import Path

import click


@click.command("init")
@click.argument("folder", type=click.Path(path_type=Path))
@click.option("--example", is_flag=True,
              help="Write the full embedded example (eight policies, five schools, approvals) instead.")
def init_command(folder: Path, example: bool) -> None:
    """Write a new project into FOLDER (new or empty): a trust, a school, a local authority, starter policies."""
    from policypress.source.new_project import init_project

    written = init_project(folder, example)
    click.echo(f"wrote {', '.join(written)} in {folder}")
    click.echo(f"next: cd {folder} && policypress build   (README: 'Start your own trust')")
