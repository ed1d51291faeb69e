"""`policypress build`: every school's site and PDFs."""

from __future__ import annotations

from pathlib import Path

import click

from policypress.commands.options import root_option, shard


@click.command("build")
@click.option("--school", "schools", multiple=True, metavar="ID", help="Build only this school (repeatable).")
@click.option("--jobs", type=click.IntRange(1, 64), default=2, show_default=True,
              help="Schools built in parallel.")
@click.option("--shard", callback=shard, metavar="K/N", help="Build the K-th of N shares of the schools.")
@click.option("--out", type=click.Path(file_okay=False, path_type=Path), default=None,
              help="Output folder [default: ROOT/build].")
@click.option("--no-pdf", is_flag=True, help="Skip the PDFs (a quicker preview of the sites).")
@root_option
@click.pass_obj
def build_command(root: Path, schools: tuple[str, ...], jobs: int,
                  shard: tuple[int, int] | None, out: Path | None, no_pdf: bool) -> None:
    """Validate the source and build every school's site and PDFs into build/site."""
    from policypress.publish.build import BuildRequest, build

    result = build(BuildRequest(root, (out or root / "build").resolve(), schools, shard, jobs, not no_pdf))
    click.echo(f"built {len(result.schools)} school site(s) into {result.site}")
    for warning in result.warnings:
        click.echo(f"warning: {warning}", err=True)
    if result.warnings:
        click.echo(f"{len(result.warnings)} warning(s): the site was built; policypress check content lists them too",
                   err=True)
