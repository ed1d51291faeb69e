"""The one report path of every check: the terminal, JSON and HTML, each file written atomically.

The terminal gets what the check shows, its summary and its notes; JSON goes to a file or to
standard output ('-'); HTML reports are made from templates/reports/*.j2, autoescaped.
"""

from __future__ import annotations

import json
import os
import sys
from collections.abc import Callable, Mapping
from pathlib import Path
from typing import Any

import jinja2
from rich.console import Console

from policypress.checks.findings import CheckResult
from policypress.core.errors import UsageError
from policypress.core.files import write_file

LOG_WIDTH = 120  # columns when the output is a file or a CI log rather than a terminal
REPORT_TEMPLATES = Path("templates") / "reports"


def check_console(stderr: bool = False) -> Console:
    """Rich's console: the terminal's width, else COLUMNS, else LOG_WIDTH columns (a file or a CI log)."""
    stream = sys.stderr if stderr else sys.stdout
    wide = stream.isatty() or "COLUMNS" in os.environ
    return Console(stderr=stderr, highlight=False, width=None if wide else LOG_WIDTH)


def print_result(result: CheckResult, console: Console) -> None:
    """What the check shows, then its summary and notes, each a line of its own."""
    for part in result.shown:
        if isinstance(part, str):
            console.print(part, markup=False, soft_wrap=True)
        else:
            console.print(part)
    for line in (result.summary, *result.notes):
        console.print(line, markup=False, soft_wrap=True)


def json_text(document: Mapping[str, object]) -> str:
    """A JSON document as the checks write it: indented, UTF-8 as it is, ending with a new line."""
    return json.dumps(document, indent=2, ensure_ascii=False) + "\n"


def write_json(document: Mapping[str, object], target: str | Path) -> str:
    """The document as JSON, written to target in one step ('-': only returned, for standard output)."""
    text = json_text(document)
    if str(target) != "-":
        write_file(Path(target), text)
    return text


def write_html(root: Path, template: str, target: Path, filters: Mapping[str, Callable[..., Any]] | None = None,
               **context: object) -> Path:
    """target made from templates/reports/<template> of the project, replaced in one step."""
    write_file(target, render_html(root / REPORT_TEMPLATES, template, filters, **context))
    return target


def render_html(folder: Path, template: str, filters: Mapping[str, Callable[..., Any]] | None = None,
                **context: object) -> str:
    """A report template of folder rendered with autoescaping; a missing template is a usage error."""
    env = jinja2.Environment(loader=jinja2.FileSystemLoader(folder), autoescape=True,
                             undefined=jinja2.StrictUndefined, trim_blocks=True, lstrip_blocks=True,
                             keep_trailing_newline=True)
    env.filters.update(filters or {})
    try:
        found = env.get_template(template)
    except jinja2.TemplateNotFound:
        raise UsageError(f"{folder / template} is missing — copy templates/reports/ from policypress") from None
    return found.render(**context)
