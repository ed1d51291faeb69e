"""`policypress check links`: every link of every school, each address checked once."""

from __future__ import annotations

import sys
from pathlib import Path
from typing import Any

import click

from policypress.commands.options import root_option


def _mappings(_ctx: click.Context, _param: click.Parameter, value: tuple[str, ...]) -> dict[str, str]:
    pairs = [item.split("=", 1) for item in value]
    if any(len(pair) != 2 for pair in pairs):
        raise click.BadParameter("write it as FROM=TO, e.g. https://www.gov.uk/=http://127.0.0.1:8001/")
    return dict(pairs)



@click.command("links")
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
@root_option
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
