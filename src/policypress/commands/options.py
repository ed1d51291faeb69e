"""Options and value parsers shared by the commands."""

from __future__ import annotations

import datetime as dt
from collections.abc import Callable
from pathlib import Path
from typing import Any, TypeVar

import click

F = TypeVar("F", bound=Callable[..., Any])
ROOT_HELP = "Project folder holding content/, schools/ and templates/."


def _set_root(ctx: click.Context, _param: click.Parameter, value: Path | None) -> None:
    if value is not None:  # given after the subcommand: it wins over the one before it
        ctx.obj = value.resolve()


def root_option(command: F) -> F:
    """`--root DIR` after the subcommand, as well as before it (`policypress --root DIR build`)."""
    option = click.option("--root", type=click.Path(file_okay=False, path_type=Path), default=None,
                          expose_value=False, is_eager=True, callback=_set_root, help=ROOT_HELP)
    return option(command)


def iso_date(_ctx: click.Context, _param: click.Parameter, value: str | None) -> dt.date | None:
    """A YYYY-MM-DD option as a date."""
    if value is None:
        return None
    try:
        return dt.date.fromisoformat(value)
    except ValueError:
        raise click.BadParameter(f"'{value}' is not a date — write it as YYYY-MM-DD, e.g. 2026-11-22") from None


def shard(_ctx: click.Context, _param: click.Parameter, value: str | None) -> tuple[int, int] | None:
    """`--shard K/N` as (K, N)."""
    if value is None:
        return None
    try:
        index, count = (int(part) for part in value.split("/"))
    except ValueError:
        raise click.BadParameter("write it as K/N, e.g. 1/4") from None
    if not 1 <= index <= count:
        raise click.BadParameter("K must be between 1 and N, e.g. 1/4")
    return index, count
