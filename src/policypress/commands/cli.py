"""The `policypress` command. The one place that maps errors to messages and exit codes."""

from __future__ import annotations

import datetime as dt
import sys
import typing
from pathlib import Path
from typing import Any

import click

from policypress.core.errors import PolicyPressError, SourceErrors
from policypress.source.schema_types import Approver


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
    from policypress.publish.build import BuildRequest, build

    result = build(BuildRequest(root, (out or root / "build").resolve(), schools, shard, jobs, not no_pdf))
    click.echo(f"built {len(result.schools)} school site(s) into {result.site}")


@cli.command("serve")
@click.option("--school", required=True, metavar="ID", help="The school to preview.")
@click.option("--port", type=int, default=8000, show_default=True, help="Port on 127.0.0.1.")
@click.pass_obj
def serve_command(root: Path, school: str, port: int) -> None:
    """Preview one school's site, rebuilding whenever a source file changes."""
    from policypress.publish.serve import serve

    serve(root, school, port, log=lambda message: click.echo(message, err=True))


@cli.command("new-school")
@click.option("--trust", "trust_id", required=True, metavar="ID", help="The trust folder under schools/.")
@click.option("--id", "school_id", required=True, metavar="ID", help="Id of the new school (its file name).")
@click.pass_obj
def new_school_command(root: Path, trust_id: str, school_id: str) -> None:
    """Write schools/TRUST/ID.yml with every field, commented, ready to fill in."""
    from policypress.source.scaffold import new_school

    path = new_school(root, trust_id, school_id)
    click.echo(f"wrote {path}; fill in the values marked 'replace', then run policypress build")


@cli.command("approve")
@click.option("--school", "school_id", required=True, metavar="ID", help="The school whose policy was approved.")
@click.option("--policy", "policy_id", required=True, metavar="ID", help="The policy approved.")
@click.option("--by", required=True, type=click.Choice(typing.get_args(Approver)),
              help="The body that approved it; it must be the policy's approver.")
@click.option("--date", "day", required=True, metavar="YYYY-MM-DD",
              callback=lambda c, p, v: _iso_date(c, p, v),  # defined further down, beside `check reviews`
              help="The date of the meeting or decision; not in the future.")
@click.option("--version", "version", metavar="V", help="Version of the approved text [default: the next major one].")
@click.option("--minute", metavar="REF", help="Minute reference of the decision, e.g. 'FGB 2026-09 item 4'.")
@click.pass_obj
def approve_command(root: Path, school_id: str, policy_id: str, by: Approver, day: dt.date,
                    version: str | None, minute: str | None) -> None:
    """Record an approval, with the text as approved, in approvals/SCHOOL/POLICY/."""
    from policypress.compose.wording import approver_words, date_words
    from policypress.core.dates import build_today
    from policypress.governors.approve import ApprovalRequest, approve

    done = approve(ApprovalRequest(root, school_id, policy_id, by, day, version, minute), build_today())
    record = done.approval
    minuted = f" (minute {record.minute})" if record.minute else ""
    click.echo(f"Recorded version {record.version} of the \"{done.title}\" for {done.school}: approved by "
               f"{approver_words(record.by)} on {date_words(record.date)}{minuted}.")
    click.echo(f"The text as approved is in {done.path}.")
    click.echo(f"Next review by {date_words(done.next_review)}. Run policypress build to publish it.")


@cli.command("pack")
@click.option("--school", "school_id", required=True, metavar="ID", help="The school whose governors meet.")
@click.option("--meeting", required=True, metavar="YYYY-MM-DD", callback=lambda c, p, v: _iso_date(c, p, v),
              help="Date of the governors' meeting.")
@click.option("--next-meeting", metavar="YYYY-MM-DD", callback=lambda c, p, v: _iso_date(c, p, v),
              help="Date of the meeting after it [default: 91 days later]: reviews due before it are included.")
@click.option("--out", type=click.Path(file_okay=False, path_type=Path), default=None,
              help="Output folder [default: ROOT/build]; the pack goes in OUT/governors/SCHOOL/.")
@click.pass_obj
def pack_command(root: Path, school_id: str, meeting: dt.date, next_meeting: dt.date | None, out: Path | None) -> None:
    """Write the governors' pack for a meeting: policies for decision, what changed, text to sign."""
    from policypress.governors.pack import PackRequest, make_pack

    path = make_pack(PackRequest(root, (out or root / "build").resolve(), school_id, meeting, next_meeting))
    click.echo(f"wrote the governors' pack for {school_id} to {path}")


@cli.group("check", cls=_Group)
def check() -> None:
    """Check what is published: links, citations of old guidance, review dates."""


def _mappings(_ctx: click.Context, _param: click.Parameter, value: tuple[str, ...]) -> dict[str, str]:
    pairs = [item.split("=", 1) for item in value]
    if any(len(pair) != 2 for pair in pairs):
        raise click.BadParameter("write it as FROM=TO, e.g. https://www.gov.uk/=http://127.0.0.1:8001/")
    return dict(pairs)


@check.command("links")
@click.option("--school", "schools", multiple=True, metavar="ID", help="Check only this school's links (repeatable).")
@click.option("--json", "json_file", metavar="FILE", is_flag=False, flag_value="-", default=None,
              help="Also write the findings as JSON to FILE; --json alone prints them (the table goes to stderr).")
@click.option("--refresh", is_flag=True, help="Ignore cached results and check every address again.")
@click.option("--strict", is_flag=True, help="Fail on every kind of finding but unverified, not only statutory ones.")
@click.option("--config", "config_file", type=click.Path(dir_okay=False, path_type=Path),
              help="Settings file [default: ROOT/checks.yml, if there is one].")
@click.option("--map", "map", multiple=True, metavar="FROM=TO", callback=_mappings,
              help="Check addresses starting FROM at TO instead (repeatable).")
@click.option("--content-api", metavar="URL", help="GOV.UK content API base [default: https://www.gov.uk/api/content].")
@click.option("--allow-private", multiple=True, metavar="HOST",
              help="Let the check reach this private or loopback host or network (repeatable), e.g. 127.0.0.1.")
@click.option("--ttl-days", "ttl_days", type=click.IntRange(0, 365),
              help="Reuse results younger than this many days [default: 7].")
@click.option("--timeout", "timeout_seconds", type=click.FloatRange(0.1, 3600),
              help="Seconds to wait for a website [default: 20].")
@click.option("--retries", type=click.IntRange(0, 10),
              help="Further tries after 429, 5xx, a timeout or a refused connection [default: 2].")
@click.pass_obj
def check_links_command(root: Path, /, schools: tuple[str, ...], json_file: str | None, refresh: bool, strict: bool,
                        config_file: Path | None, **options: Any) -> None:
    """Check every link of every school once per address: broken, moved, withdrawn, superseded, private."""
    from policypress.checks.links.report import (
        LinkRequest,
        check_links,
        link_console,
        print_table,
        write_html,
        write_json,
    )
    from policypress.checks.links.settings import load_settings, with_options

    settings = with_options(load_settings(root, config_file), strict, **options)
    report = check_links(LinkRequest(root, settings, schools, refresh))
    console = link_console(stderr=json_file == "-")
    print_table(report, console)
    console.print(f"HTML report: {write_html(report, root)}", soft_wrap=True)
    if json_file:
        text = write_json(report, json_file)
        if json_file == "-":
            click.echo(text, nl=False)
    if report.failing:
        sys.exit(1)


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

    from policypress.checks.review_reports import check_reviews
    from policypress.checks.reviews import check_fails, review_tables, reviews_json, summary_line
    from policypress.core.dates import build_today

    day = today or build_today()
    found, written = check_reviews(root, (out or root / "build").resolve(), day, within, schools)
    console = Console(highlight=False, soft_wrap=False)
    for part in review_tables(found):
        console.print(part)
    console.print(summary_line(found, day, within), soft_wrap=True)
    feeds = sum(name.endswith(".ics") for name in written)
    console.print(f"{feeds} calendar feeds and the dashboard reviews.html are in {(out or root / 'build') / 'reports'}",
                  soft_wrap=True)
    if json_file:
        json_file.write_text(reviews_json(found, day, within), encoding="utf-8")
    if check_fails(found, strict):
        sys.exit(1)


@check.command("content")
@click.option("--today", callback=_iso_date, metavar="YYYY-MM-DD",
              help="The day registry entries are checked against [default: SOURCE_DATE_EPOCH's date, else today].")
@click.option("--json", "json_file", type=click.Path(dir_okay=False, path_type=Path), metavar="FILE",
              help="Also write the findings as JSON to FILE.")
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


def main() -> None:
    cli(prog_name="policypress")
