"""Turn pydantic's errors into `path:line: what — fix` problems a school office can act on."""

from __future__ import annotations

import difflib
import types
import typing
from typing import Any, TypeVar, Union

from pydantic import BaseModel, ValidationError
from pydantic_core import ErrorDetails

from policypress.errors import Problem
from policypress.yamlsrc import LineMap, Loc, line_of

M = TypeVar("M", bound=BaseModel)


def validate(model: type[M], data: Any, lines: LineMap, path: str) -> tuple[M | None, list[Problem]]:
    """Validate data against model; on failure return every problem with its line."""
    try:
        return model.model_validate(data), []
    except ValidationError as exc:
        return None, [_problem(model, err, lines, path) for err in exc.errors()]


def _problem(model: type[BaseModel], err: ErrorDetails, lines: LineMap, path: str) -> Problem:
    loc: Loc = tuple(err["loc"])
    where = _dotted(loc)
    kind = err["type"]
    if kind == "extra_forbidden":
        return Problem(path, line_of(lines, loc), f"unknown key '{loc[-1]}'",
                       _allowed_hint(model, loc))
    if kind == "missing":
        parent = _dotted(loc[:-1]) or "the top level"
        return Problem(path, line_of(lines, loc[:-1]), f"'{loc[-1]}' is missing under {parent}",
                       f"add '{loc[-1]}:' ({_description(model, loc)})")
    if kind.startswith("date"):
        return Problem(path, line_of(lines, loc), f"{where}: '{err['input']}' is not a date",
                       "use YYYY-MM-DD, e.g. 2026-09-15")
    message = _message(err)
    if " — " in message:  # our own validators write "what — how to fix it"
        what, fix = message.split(" — ", 1)
        return Problem(path, line_of(lines, loc), f"{where}: {what}", fix)
    return Problem(path, line_of(lines, loc), f"{where}: {message}", _fix(model, loc, err))


def _message(err: ErrorDetails) -> str:
    msg = err["msg"].removeprefix("Value error, ")
    if err["type"] == "string_pattern_mismatch":
        return f"'{err['input']}' is not in the expected form"
    if err["type"] == "literal_error":
        return f"'{err['input']}' is not allowed"
    return msg[0].lower() + msg[1:]


def _fix(model: type[BaseModel], loc: Loc, err: ErrorDetails) -> str:
    if err["type"] == "literal_error":
        return f"use one of: {err['ctx']['expected']}"
    return f"write it as: {_description(model, loc)}"


def _dotted(loc: Loc) -> str:
    return ".".join(str(part) for part in loc)


def _allowed_hint(model: type[BaseModel], loc: Loc) -> str:
    parent = _model_at(model, loc[:-1])
    if parent is None:
        return "remove it"
    allowed = [f.alias or name for name, f in parent.model_fields.items()]
    close = difflib.get_close_matches(str(loc[-1]), allowed, n=1)
    known = ", ".join(allowed)
    return f"did you mean '{close[0]}'? Allowed here: {known}" if close else f"allowed here: {known}"


def _description(model: type[BaseModel], loc: Loc) -> str:
    parent = _model_at(model, loc[:-1])
    field = parent.model_fields.get(str(loc[-1])) if parent else None
    if field is None or not field.description:
        return "see the README's source reference"
    return field.description.rstrip(".")


def _model_at(model: type[BaseModel], loc: Loc) -> type[BaseModel] | None:
    """The model class that holds the values at loc, following fields, lists and dicts."""
    current: Any = model
    for part in loc:
        current = _unwrap(current)
        if isinstance(current, type) and issubclass(current, BaseModel):
            field = current.model_fields.get(str(part))
            if field is None:
                return None
            current = field.annotation
        else:
            args = typing.get_args(current)
            current = args[-1] if args else None
    current = _unwrap(current)
    return current if isinstance(current, type) and issubclass(current, BaseModel) else None


def _unwrap(tp: Any) -> Any:
    """Strip Optional[...] and Annotated[...] down to the type that matters."""
    origin = typing.get_origin(tp)
    if origin is typing.Annotated:
        return _unwrap(typing.get_args(tp)[0])
    if origin in (Union, types.UnionType):
        inner = [a for a in typing.get_args(tp) if a is not type(None)]
        return _unwrap(inner[0]) if len(inner) == 1 else tp
    return tp
