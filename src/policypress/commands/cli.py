"""The `policypress` command: the one place that maps errors to messages and exit codes.

Each command is a module of this package; this module only gathers them. A new command, or a
new check, is one module and one line below.
"""

from __future__ import annotations

import sys
from pathlib import Path
from typing import Any

import click

from policypress.commands import (
    approve,
    build,
    check_all,
    check_links,
    check_publishing,
    check_reviews,
    import_,
    init,
    merge,
    new_local_authority,
    new_school,
    new_trust,
    pack,
    serve,
)
from policypress.commands.check_common import check_command, json_option, today_option
from policypress.commands.options import ROOT_HELP, root_option
from policypress.core.errors import CheckCouldNotRun, PolicyPressError, SourceErrors


class _Group(click.Group):
    """Runs a command and turns our errors into a message and an exit code (2: bad input, 3: a check could not run)."""

    def invoke(self, ctx: click.Context) -> Any:
        try:
            return super().invoke(ctx)
        except SourceErrors as exc:
            for problem in exc.problems:
                click.echo(str(problem), err=True)
            click.echo(f"{len(exc.problems)} problem(s) found; nothing was written.", err=True)
            sys.exit(exc.exit_code)
        except CheckCouldNotRun as exc:
            click.echo(f"error: the check could not run: {exc}", err=True)
            sys.exit(exc.exit_code)
        except PolicyPressError as exc:
            click.echo(f"error: {exc}", err=True)
            sys.exit(exc.exit_code)


@click.group(cls=_Group)
@click.option("--root", type=click.Path(file_okay=False, path_type=Path), default=Path("."),
              show_default=True, help=ROOT_HELP)
@click.version_option(package_name="policypress")
@click.pass_context
def cli(ctx: click.Context, root: Path) -> None:
    """Publish school policies from one source: a site and PDFs per school, checked."""
    ctx.obj = root.resolve()


@cli.group("check", cls=_Group, invoke_without_command=True)
@root_option
@check_all.with_options
@click.pass_context
def check(ctx: click.Context, /, **values: Any) -> None:
    """Check what is published: links, citations of old guidance and old terms, review dates, and what each
    school must publish online. With no check named, runs content, reviews, publishing and links in turn:
    exit 0 all pass, 1 one fails, 2 bad input, 3 one could not run."""
    check_all.run_or_refuse(ctx, values)


cli.add_command(build.build_command)
cli.add_command(merge.merge_command)
cli.add_command(serve.serve_command)
cli.add_command(init.init_command)
cli.add_command(new_school.new_school_command)
cli.add_command(new_trust.new_trust_command)
cli.add_command(new_local_authority.new_local_authority_command)
cli.add_command(approve.approve_command)
cli.add_command(import_.import_command)
cli.add_command(pack.pack_command)
check.add_command(check_links.check_links_command)
check.add_command(check_reviews.check_reviews_command)
check.add_command(check_publishing.check_publishing_command)
check.add_command(check_command(
    "content", "policypress.checks.content",
    today_option("The day registry entries are checked against [default: SOURCE_DATE_EPOCH's date, else today]."),
    json_option("Also write the findings as JSON to FILE."),
    help="Old editions cited as text (however written), words the guidance no longer uses, registry addresses "
         "written by hand, outside images, placeholder links, stale registry entries."))


def main() -> None:
    cli(prog_name="policypress")
