"""The `policypress` command. The one place that maps errors to messages and exit codes."""

from __future__ import annotations

import datetime as dt
import sys
from pathlib import Path
from typing import Any

import click

from policypress.errors import PolicyPressError, SourceErrors


class _Group(click.Group):
    """Runs a command and turns our errors into a message and an exit code (2: bad input)."""

    def invoke(self, ctx: click.Context) -> Any:
        try:
            return super().invoke(ctx)
        except SourceErrors as exc:
            for problem in exc.problems:
                click.echo(str(problem), err=True)
            click.echo(f"{len(exc.problems)} problem(s) found; nothing was written.", err=True)
            sys.exit(exc.exit_code)
        except PolicyPressError as exc:
            click.echo(f"error: {exc}", err=True)
            sys.exit(exc.exit_code)


def _shard(_ctx: click.Context, _param: click.Parameter, value: str | None) -> tuple[int, int] | None:
    if value is None:
        return None
    try:
        index, count = (int(part) for part in value.split("/"))
    except ValueError:
        raise click.BadParameter("write it as K/N, e.g. 1/4") from None
    if not 1 <= index <= count:
        raise click.BadParameter("K must be between 1 and N, e.g. 1/4")
    return index, count


@click.group(cls=_Group)
@click.option("--root", type=click.Path(file_okay=False, path_type=Path), default=Path("."),
              show_default=True, help="Project folder holding content/, schools/ and templates/.")
@click.version_option(package_name="policypress")
@click.pass_context
def cli(ctx: click.Context, root: Path) -> None:
    """Publish school policies from one source: a site and PDFs per school, checked."""
    ctx.obj = root.resolve()


@cli.command("build")
@click.option("--school", "schools", multiple=True, metavar="ID", help="Build only this school (repeatable).")
@click.option("--jobs", type=click.IntRange(1, 64), default=2, show_default=True,
              help="Schools built in parallel.")
@click.option("--shard", callback=_shard, metavar="K/N", help="Build the K-th of N shares of the schools.")
@click.option("--out", type=click.Path(file_okay=False, path_type=Path), default=None,
              help="Output folder [default: ROOT/build].")
@click.option("--no-pdf", is_flag=True, help="Skip the PDFs (a quicker preview of the sites).")
@click.pass_obj
def build_command(root: Path, schools: tuple[str, ...], jobs: int,
                  shard: tuple[int, int] | None, out: Path | None, no_pdf: bool) -> None:
    """Validate the source and build every school's site and PDFs into build/site."""
    from policypress.build import BuildRequest, build

    result = build(BuildRequest(root, (out or root / "build").resolve(), schools, shard, jobs, not no_pdf))
    click.echo(f"built {len(result.schools)} school site(s) into {result.site}")


@cli.command("serve")
@click.option("--school", required=True, metavar="ID", help="The school to preview.")
@click.option("--port", type=int, default=8000, show_default=True, help="Port on 127.0.0.1.")
@click.pass_obj
def serve_command(root: Path, school: str, port: int) -> None:
    """Preview one school's site, rebuilding whenever a source file changes."""
    from policypress.serve import serve

    serve(root, school, port, log=lambda message: click.echo(message, err=True))


@cli.command("new-school")
@click.option("--trust", "trust_id", required=True, metavar="ID", help="The trust folder under schools/.")
@click.option("--id", "school_id", required=True, metavar="ID", help="Id of the new school (its file name).")
@click.pass_obj
def new_school_command(root: Path, trust_id: str, school_id: str) -> None:
    """Write schools/TRUST/ID.yml with every field, commented, ready to fill in."""
    from policypress.scaffold import new_school

    path = new_school(root, trust_id, school_id)
    click.echo(f"wrote {path}; fill in the values marked 'replace', then run policypress build")


@cli.group("check", cls=_Group)
def check() -> None:
    """Check what is published: links, citations of old guidance, review dates."""


def _iso_date(_ctx: click.Context, _param: click.Parameter, value: str | None) -> dt.date | None:
    if value is None:
        return None
    try:
        return dt.date.fromisoformat(value)
    except ValueError:
        raise click.BadParameter(f"'{value}' is not a date — write it as YYYY-MM-DD, e.g. 2026-11-22") from None


@check.command("reviews")
@click.option("--today", callback=_iso_date, metavar="YYYY-MM-DD",
              help="The day to check against [default: SOURCE_DATE_EPOCH's date, else today].")
@click.option("--within", type=click.IntRange(0, 3660), default=60, show_default=True, metavar="DAYS",
              help="A review due within this many days counts as due soon.")
@click.option("--school", "schools", multiple=True, metavar="ID", help="Report only this school (repeatable).")
@click.option("--json", "json_file", type=click.Path(dir_okay=False, path_type=Path), metavar="FILE",
              help="Also write the results as JSON to FILE.")
@click.option("--strict", is_flag=True, help="Exit 1 when any policy is overdue, not only a statutory one.")
@click.option("--out", type=click.Path(file_okay=False, path_type=Path), default=None,
              help="Output folder for reports/ [default: ROOT/build].")
@click.pass_obj
def check_reviews_command(root: Path, today: dt.date | None, within: int, schools: tuple[str, ...],
                          json_file: Path | None, strict: bool, out: Path | None) -> None:
    """Review dates of every policy: overdue, due soon, never approved, reviewed late."""
    from rich.console import Console

    from policypress.dates import build_today
    from policypress.review_reports import check_reviews
    from policypress.reviews import check_fails, review_tables, reviews_json, summary_line

    day = today or build_today()
    found, written = check_reviews(root, (out or root / "build").resolve(), day, within, schools)
    console = Console(highlight=False, soft_wrap=False)
    for part in review_tables(found):
        console.print(part)
    console.print(summary_line(found, day, within))
    feeds = sum(name.endswith(".ics") for name in written)
    console.print(f"{feeds} calendar feeds and the dashboard reviews.html are in {(out or root / 'build') / 'reports'}")
    if json_file:
        json_file.write_text(reviews_json(found, day, within), encoding="utf-8")
    if check_fails(found, strict):
        sys.exit(1)


def main() -> None:
    cli(prog_name="policypress")
