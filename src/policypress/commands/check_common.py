"""What every `policypress check …` command shares: making the command, its common options, and
turning a CheckResult into terminal output, JSON, CI output (--annotations, --junit) and the exit
code (1: the check fails).

A check is a module of policypress.checks with `run(root, **options) -> CheckResult`; its
command is `check_command(name, module, *options, help=…)`, one line in cli.py.
"""

from __future__ import annotations

import importlib
import sys
from collections.abc import Callable
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import click

from policypress.checks.ci_output import NotRun, Runs, annotation_lines, write_junit
from policypress.checks.findings import CheckResult
from policypress.commands.options import iso_date, root_option
from policypress.core.errors import CheckCouldNotRun

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


def ci_options() -> list[Option]:
    """--annotations and --junit FILE: what every check gives a CI system."""
    return [
        click.option("--annotations", is_flag=True,
                     help="After the usual output, print a GitHub Actions annotation (::error or ::warning) "
                          "per finding."),
        click.option("--junit", "junit_file", type=click.Path(dir_okay=False, path_type=Path), metavar="FILE",
                     help="Also write the findings as JUnit XML to FILE (a failure per finding that fails)."),
    ]


@dataclass(frozen=True)
class CiOutput:
    """What --annotations and --junit asked for."""

    annotations: bool = False
    """Print one workflow command per finding after the usual output."""
    junit_file: Path | None = None
    """Write the JUnit XML here."""
    stderr: bool = False
    """Print the annotations to stderr (the JSON goes to stdout)."""

    def write(self, runs: Runs) -> None:
        """The annotations of runs, printed, and their JUnit XML, written."""
        if self.annotations:
            for line in annotation_lines(runs):
                click.echo(line, err=self.stderr)
        if self.junit_file:
            write_junit(runs, self.junit_file)


def check_command(name: str, module: str, *options: Option, help: str) -> click.Command:
    """`policypress check <name>`: runs module.run(root, **options) (imported only then) and reports it.

    options are click options in the order --help lists them; one of them should be a json_option.
    --annotations and --junit FILE are added to every check here.
    """
    def command(root: Path, /, json_file: str | Path | None = None, annotations: bool = False,
                junit_file: Path | None = None, **values: Any) -> None:
        ci = CiOutput(annotations, junit_file, stderr=str(json_file) == "-")
        try:
            result = importlib.import_module(module).run(root, **values)
        except CheckCouldNotRun as exc:
            ci.write([(name, NotRun(str(exc), error=True))])
            raise
        finish(result, json_file, ci, name)

    decorated: Callable[..., Any] = click.pass_obj(command)
    decorated = root_option(decorated)
    for option in reversed([*options, *ci_options()]):
        decorated = option(decorated)
    return click.command(name, help=help)(decorated)


def finish(result: CheckResult, json_file: str | Path | None, ci: CiOutput | None = None, name: str = "") -> None:
    """Print the result (to stderr when the JSON goes to stdout), write its JSON and CI output, exit 1 if it
    fails."""
    from policypress.checks.report import check_console, print_result, write_json

    print_result(result, check_console(stderr=str(json_file) == "-"))
    if json_file:
        text = write_json(result.document, json_file)
        if str(json_file) == "-":
            click.echo(text, nl=False)
    if ci:
        ci.write([(name, result)])
    if result.fails:
        sys.exit(1)

