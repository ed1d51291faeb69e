"""`policypress check links`: every link of every school, each address checked once."""

from __future__ import annotations

from pathlib import Path

import click

from policypress.commands.check_common import Option, check_command, json_option, schools_option, strict_option


def _mappings(_ctx: click.Context, _param: click.Parameter, value: tuple[str, ...]) -> dict[str, str]:
    pairs = [item.split("=", 1) for item in value]
    if any(len(pair) != 2 for pair in pairs):
        raise click.BadParameter("write it as FROM=TO, e.g. https://www.gov.uk/=http://127.0.0.1:8001/")
    return dict(pairs)


def network_options() -> list[Option]:
    """How addresses are fetched: shared by `check links` and `check publishing` (the same checks.yml settings)."""
    return [
        click.option("--config", "config_file", type=click.Path(dir_okay=False, path_type=Path),
                     help="Settings file [default: ROOT/checks.yml, if there is one]."),
        click.option("--map", "map", multiple=True, metavar="FROM=TO", callback=_mappings,
                     help="Check addresses starting FROM at TO instead (repeatable)."),
        click.option("--content-api", metavar="URL",
                     help="GOV.UK content API base [default: https://www.gov.uk/api/content]."),
        click.option("--allow-private", multiple=True, metavar="HOST",
                     help="Let the check reach this private or loopback host or network (repeatable), e.g. 127.0.0.1."),
        click.option("--ttl-days", "ttl_days", type=click.IntRange(0, 365),
                     help="Reuse results younger than this many days [default: 7]."),
        click.option("--timeout", "timeout_seconds", type=click.FloatRange(0.1, 3600),
                     help="Seconds to wait for a website to connect, and for each part of its answer [default: 20]."),
        click.option("--retries", type=click.IntRange(0, 10),
                     help="Further tries after 429, 5xx, a timeout, a refused or dropped connection [default: 2]."),
    ]


check_links_command = check_command(
    "links", "policypress.checks.links.report",
    schools_option("Check only this school's links (repeatable)."),
    json_option("Also write the findings as JSON to FILE; --json alone prints them (the table goes to stderr).",
                stdout=True),
    click.option("--refresh", is_flag=True, help="Ignore cached results and check every address again."),
    strict_option("Fail on every kind of finding but unverified, not only statutory ones."),
    *network_options(),
    help="Check every link of every school once per address: broken, moved, withdrawn, superseded, private. "
         "Exit 1: findings that fail; 2: bad input; 3: the check could not run (offline, or its engine failed).")
