"""`policypress serve`: a live preview of one school."""

from __future__ import annotations

from pathlib import Path

import click

from policypress.commands.options import root_option


@click.command("serve")
@click.option("--school", required=True, metavar="ID", help="The school to preview.")
@click.option("--port", type=int, default=8000, show_default=True, help="Port on 127.0.0.1.")
@root_option
@click.pass_obj
def serve_command(root: Path, school: str, port: int) -> None:
    """Preview one school's site, rebuilding whenever a source file changes."""
    from policypress.publish.serve import serve

    serve(root, school, port, log=lambda message: click.echo(message, err=True))
