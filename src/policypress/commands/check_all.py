"""`policypress check` with no check named: every check in turn, one exit code, one JSON.

content, reviews, publishing and links run in that order, each once, each printing its usual
output under a heading. Bad input stops the run at once (exit 2, as each check does alone);
otherwise the exit code is 3 if any check could not run, else 1 if any failed, else 0.
"""

from __future__ import annotations

import importlib
import sys
from collections.abc import Mapping
from pathlib import Path
from typing import Any

import click
from rich.console import Console

from policypress.checks.ci_output import NotRun, Outcome
from policypress.checks.findings import CheckResult
from policypress.commands.check_common import (
    CiOutput,
    Option,
    ci_options,
    json_option,
    schools_option,
    strict_option,
    today_option,
)
from policypress.core.errors import CheckCouldNotRun

CHECKS = {"content": "policypress.checks.content", "reviews": "policypress.checks.review_reports",
          "publishing": "policypress.checks.publishing", "links": "policypress.checks.links.report"}
"""Every check, in the order they run, and the module whose run() it is."""
TAKES = {"content": ("today",), "reviews": ("today", "schools", "strict"),
         "publishing": ("today", "schools", "strict", "offline"), "links": ("schools", "strict")}
"""Which of the shared options each check takes."""
PUBLISHING_FILE = Path("content") / "publishing.yml"


def options() -> list[Option]:
    """The options of `policypress check` alone, passed on to the checks that take them."""
    return [
        today_option("The day content, reviews and publishing are checked against "
                     "[default: SOURCE_DATE_EPOCH's date, else today]."),
        schools_option("Check only this school's reviews, publishing and links (repeatable)."),
        click.option("--offline", is_flag=True,
                     help="Do not use the network: skip check links and publishing's fetching."),
        json_option("Also write every check's JSON document to FILE, as {\"exit_code\", \"status\", \"checks\"}."),
        strict_option("Pass --strict to reviews, publishing and links."),
        *ci_options(),
    ]


def with_options(command: Any) -> Any:
    """command decorated with options(), in the order --help lists them."""
    for option in reversed(options()):
        command = option(command)
    return command


def run_or_refuse(ctx: click.Context, values: Mapping[str, Any]) -> None:
    """Run every check when no check is named; refuse these options before a named check's name."""
    if ctx.invoked_subcommand is None:
        run_all(ctx.obj, **values)
        return
    given = [param.opts[0] for param in ctx.command.params
             if param.name in values and values[param.name] not in (None, False, ())]
    if given:
        raise click.UsageError(f"{', '.join(given)} goes after the check's name: "
                               f"policypress check {ctx.invoked_subcommand} {given[0]} …")


def run_all(root: Path, json_file: Path | None = None, annotations: bool = False, junit_file: Path | None = None,
            **values: Any) -> None:
    """Every check in turn, printed under its heading; then the JSON, the CI output and the exit code."""
    from policypress.checks.report import check_console

    console = check_console()
    runs: list[tuple[str, Outcome]] = []
    for name in CHECKS:
        console.print(f"== {name} ==", markup=False, soft_wrap=True)
        outcome = run_one(root, name, values)
        _print(outcome, console)
        runs.append((name, outcome))
    code = exit_code(runs)
    console.print(_closing_line(runs, code), markup=False, soft_wrap=True)
    if json_file:
        from policypress.checks.report import write_json

        write_json(combined_document(runs, code), json_file)
    CiOutput(annotations, junit_file).write(runs)
    sys.exit(code)


def run_one(root: Path, name: str, values: Mapping[str, Any]) -> Outcome:
    """One check's result, or why it did not run (SourceErrors and UsageError stop the whole run)."""
    skipped = _skip_reason(root, name, bool(values.get("offline")))
    if skipped:
        return NotRun(skipped)
    arguments = {key: values[key] for key in TAKES[name] if key in values}
    try:
        result: CheckResult = importlib.import_module(CHECKS[name]).run(root, **arguments)
    except CheckCouldNotRun as exc:
        return NotRun(str(exc), error=True)
    return result


def exit_code(runs: list[tuple[str, Outcome]]) -> int:
    """3 if any check could not run, else 1 if any failed, else 0."""
    outcomes = [outcome for _name, outcome in runs]
    if any(isinstance(o, NotRun) and o.error for o in outcomes):
        return 3
    return int(any(isinstance(o, CheckResult) and o.fails for o in outcomes))


def status(outcome: Outcome) -> str:
    """'fails', 'passes', 'skipped' or 'could-not-run'."""
    if isinstance(outcome, NotRun):
        return "could-not-run" if outcome.error else "skipped"
    return "fails" if outcome.fails else "passes"


def combined_document(runs: list[tuple[str, Outcome]], code: int) -> dict[str, object]:
    """{"exit_code", "status": {check: status}, "checks": {check: its document, or {"skipped" or
    "could_not_run": why}}}."""
    return {"exit_code": code, "status": {name: status(outcome) for name, outcome in runs},
            "checks": {name: _document(outcome) for name, outcome in runs}}


def _document(outcome: Outcome) -> Mapping[str, object]:
    if isinstance(outcome, NotRun):
        return {"could_not_run" if outcome.error else "skipped": outcome.reason}
    return outcome.document


def _skip_reason(root: Path, name: str, offline: bool) -> str:
    if name == "links" and offline:
        return "--offline: links were not checked (run `policypress check links` where the internet can be reached)."
    if name == "publishing" and not (root / PUBLISHING_FILE).is_file():
        return f"the project has no {PUBLISHING_FILE.as_posix()}, so there are no publishing requirements to check."
    return ""


def _print(outcome: Outcome, console: Console) -> None:
    from policypress.checks.report import print_result

    if isinstance(outcome, NotRun):
        prefix = "error: the check could not run: " if outcome.error else "skipped: "
        console.print(prefix + outcome.reason, markup=False, soft_wrap=True)
    else:
        print_result(outcome, console)


def _closing_line(runs: list[tuple[str, Outcome]], code: int) -> str:
    return "policypress check: " + ", ".join(f"{name} {status(o)}" for name, o in runs) + f" (exit {code})."
