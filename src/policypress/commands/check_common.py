"""What every `policypress check …` command shares: making the command, its common options, and
turning a CheckResult into terminal output, JSON and the exit code (1: the check fails).

A check is a module of policypress.checks with `run(root, **options) -> CheckResult`; its
command is `check_command(name, module, *options, help=…)`, one line in cli.py.
"""

from __future__ import annotations

import importlib
import sys
from collections.abc import Callable
from pathlib import Path
from typing import Any

import click

from policypress.checks.findings import CheckResult
from policypress.commands.options import iso_date, root_option

Option = Callable[[Callable[..., Any]], Callable[..., Any]]


def today_option(help: str) -> Option:
    """--today YYYY-MM-DD: the day the check measures against (None: the build's day)."""
    return click.option("--today", callback=iso_date, metavar="YYYY-MM-DD", help=help)


def json_option(help: str, stdout: bool = False) -> Option:
    """--json FILE (with stdout, --json alone prints the JSON and the terminal output goes to stderr)."""
    if stdout:
        return click.option("--json", "json_file", metavar="FILE", is_flag=False, flag_value="-", default=None,
                            help=help)
    return click.option("--json", "json_file", type=click.Path(dir_okay=False, path_type=Path), metavar="FILE",
                        help=help)


def schools_option(help: str) -> Option:
    """--school ID, repeatable."""
    return click.option("--school", "schools", multiple=True, metavar="ID", help=help)


def strict_option(help: str) -> Option:
    """--strict: fail on more than the check fails on by default."""
    return click.option("--strict", is_flag=True, help=help)


def check_command(name: str, module: str, *options: Option, help: str) -> click.Command:
    """`policypress check <name>`: runs module.run(root, **options) (imported only then) and reports it.

    options are click options in the order --help lists them; one of them should be a json_option.
    """
    def command(root: Path, /, json_file: str | Path | None = None, **values: Any) -> None:
        run = importlib.import_module(module).run
        finish(run(root, **values), json_file)

    decorated: Callable[..., Any] = click.pass_obj(command)
    decorated = root_option(decorated)
    for option in reversed(options):
        decorated = option(decorated)
    return click.command(name, help=help)(decorated)


def finish(result: CheckResult, json_file: str | Path | None) -> None:
    """Print the result (to stderr when the JSON goes to stdout), write its JSON, exit 1 if it fails."""
    from policypress.checks.report import check_console, print_result, write_json

    print_result(result, check_console(stderr=str(json_file) == "-"))
    if json_file:
        text = write_json(result.document, json_file)
        if str(json_file) == "-":
            click.echo(text, nl=False)
    if result.fails:
        sys.exit(1)
