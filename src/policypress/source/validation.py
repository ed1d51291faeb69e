"""Turn pydantic's errors into `path:line: what — fix` problems a school office can act on."""

from __future__ import annotations

import difflib
import re
import types
import typing
from typing import Any, Literal, TypeVar, Union

from pydantic import BaseModel, ValidationError
from pydantic_core import ErrorDetails

from policypress.core.errors import Problem
from policypress.source.yaml_lines import ImpossibleDate, LineMap, Loc, line_of

M = TypeVar("M", bound=BaseModel)

# What each pattern in model.py means, in words: (what the value is not, how to write it).
PATTERNS = {
    r"^[a-z0-9][a-z0-9-]*$": ("is not a valid id",
                              "use lower-case letters, digits and hyphens, e.g. anti-bullying"),
    r"^[a-z][a-z0-9_]*$": ("is not a valid role name",
                           "use lower-case letters, digits and underscores, e.g. deputy_dsl"),
    r"^https?://[^\s]+$": ("is not a web address",
                           "write the whole address, starting https://, e.g. https://www.example.org"),
    r"^[^@\s]+@[^@\s]+\.[^@\s]+$": ("is not an email address",
                                     "write it as name@domain, e.g. office@example.org"),
    r"^#[0-9a-fA-F]{6}$": ("is not a colour", "write # and six hex digits, e.g. #1f4e79"),
    r"^\d{6}$": ("is not six digits", 'a URN is six digits, in quotes, e.g. urn: "100234"'),
    r"^[a-z_]+(\.[a-z0-9_]+)+$": ("is not a fact", "name a fact such as contacts.dsl or "
                                  "local_authority.contacts.lado"),
}
CONTAINERS = {
    "model_type": ("should hold keys, not a single value", "write its keys on the lines below it, "
                   "indented: {fields}"),
    "model_attributes_type": ("should hold keys, not a single value",
                              "write its keys on the lines below it, indented: {fields}"),
    "dict_type": ("should hold keys, not a single value",
                  "write 'key: value' lines below it, indented"),
    "list_type": ("should be a list", "write it as [first, second] or one '- item' line per item"),
}


def validate(
    model: type[M], data: Any, lines: LineMap, path: str
) -> tuple[M | None, list[Problem]]:
    """Validate data against model; on failure return every problem with its line."""
    try:
        return model.model_validate(data), []
    except ValidationError as exc:
        errors = _without_typos(exc.errors())
        return None, [_problem(model, err, lines, path) for err in errors]


def _without_typos(errors: list[ErrorDetails]) -> list[ErrorDetails]:
    """Drop 'X is missing' where an unknown key beside it is a misspelling of X."""
    unknown = [tuple(e["loc"]) for e in errors if e["type"] == "extra_forbidden"]

    def explained(err: ErrorDetails) -> bool:
        loc = tuple(err["loc"])
        return err["type"] == "missing" and any(
            u[:-1] == loc[:-1] and _close(str(u[-1]), [str(loc[-1])]) for u in unknown)

    return [e for e in errors if not explained(e)]


def _problem(model: type[BaseModel], err: ErrorDetails, lines: LineMap, path: str) -> Problem:
    loc: Loc = tuple(err["loc"])
    line = line_of(lines, loc)
    kind = err["type"]
    if isinstance(err["input"], ImpossibleDate):  # read as text by yaml_lines, so the rest is checked too
        return Problem(path, line, f"'{err['input']}' is not a real date ({err['input'].reason})",
                       "check the day and the month; write dates as YYYY-MM-DD")
    if kind == "extra_forbidden":
        return Problem(path, line, f"unknown key '{loc[-1]}'", _allowed_hint(model, loc))
    if kind == "missing":
        return _missing(model, loc, line_of(lines, loc[:-1]), path)
    what, fix = _what_and_fix(model, loc, err)
    where = _where(loc[:-2] if loc[-1:] == ("[key]",) else loc)  # a bad key: say what it is under
    return Problem(path, line, f"{where}: {what}", fix)


def _missing(model: type[BaseModel], loc: Loc, line: int, path: str) -> Problem:
    under = f" under {_where(loc[:-1])}" if _where(loc[:-1]) else ""
    return Problem(path, line, f"'{loc[-1]}' is missing{under}",
                   f"add '{loc[-1]}:' ({_description(model, loc)})")


def _what_and_fix(model: type[BaseModel], loc: Loc, err: ErrorDetails) -> tuple[str, str]:
    kind, value = err["type"], err["input"]
    shown = f"'{value}'"
    if loc and loc[-1] == "[key]":
        shown = f"the name '{value}'"
    if kind.startswith("date"):
        return f"{shown} is not a date", "use YYYY-MM-DD, e.g. 2026-09-15"
    if kind == "string_pattern_mismatch":
        what, fix = PATTERNS.get(err.get("ctx", {}).get("pattern", ""), ("", ""))
        return f"{shown} {what or 'is not in the expected form'}", fix or _described(model, loc)
    if kind == "literal_error":
        return f"{shown} is not allowed", _choices(err)
    if kind in CONTAINERS:
        what, fix = CONTAINERS[kind]
        return what, fix.format(fields=_field_names(model, loc))
    return _scalar_problem(model, loc, err, shown)


def _scalar_problem(
    model: type[BaseModel], loc: Loc, err: ErrorDetails, shown: str
) -> tuple[str, str]:
    kind, value, key = err["type"], err["input"], loc[-1] if loc else "value"
    if value is None:
        return "has no value", f"write a value after '{key}:' ({_description(model, loc)})"
    if kind == "string_type" and not isinstance(value, dict | list):
        return f"{shown} was read as a number or true/false, not as text", \
            f'put it in quotes: {key}: "{value}"'
    if kind == "bool_parsing":
        return f"{shown} is not true or false", "write true or false"
    if kind in ("int_parsing", "int_type"):
        return f"{shown} is not a whole number", "write a number such as 365"
    if kind in ("string_too_short", "too_short"):
        return "is empty", f"write a value ({_description(model, loc)})"
    msg = err["msg"].removeprefix("Value error, ")
    if " — " in msg:  # model.py's own checks say what is wrong — and how to fix it
        what, fix = msg.split(" — ", 1)
        return what, fix
    return msg[0].lower() + msg[1:], _described(model, loc)


def _choices(err: ErrorDetails) -> str:
    allowed = re.findall(r"'([^']*)'", str(err.get("ctx", {}).get("expected", "")))
    close = _close(str(err["input"]), allowed)
    choices = ", ".join(allowed)
    return f"did you mean '{close}'? Use one of: {choices}" if close else f"use one of: {choices}"


def _close(word: str, choices: list[str]) -> str | None:
    """The choice word is most likely a misspelling of (case and separators ignored)."""
    folded = {c.lower().replace("-", "_"): c for c in choices}
    key = word.lower().replace("-", "_").replace(" ", "_")
    if key in folded:
        return folded[key]
    found = difflib.get_close_matches(key, list(folded), n=1, cutoff=0.75)
    return folded[found[0]] if found else None


def _where(loc: Loc) -> str:
    """Where a value is, as dotted keys; list positions are left out (the line says which)."""
    return ".".join(str(part) for part in loc if not isinstance(part, int) and part != "[key]")


def _allowed_hint(model: type[BaseModel], loc: Loc) -> str:
    parent = _model_at(model, loc[:-1])
    if parent is None:
        return "remove it"
    allowed = [f.alias or name for name, f in parent.model_fields.items()]
    close = _close(str(loc[-1]), allowed)
    known = ", ".join(allowed)
    return f"did you mean '{close}'? Allowed here: {known}" if close else f"allowed here: {known}"


def _field_names(model: type[BaseModel], loc: Loc) -> str:
    inner = _model_at(model, loc)
    return ", ".join(inner.model_fields) if inner else "see the README's source reference"


def _described(model: type[BaseModel], loc: Loc) -> str:
    description = _description(model, loc)
    return f"write it as described: {description}" if description[0].isupper() else description


def _description(model: type[BaseModel], loc: Loc) -> str:
    """The field's docstring, lower-cased to fit in a sentence, with its choices if it has any."""
    parent = _model_at(model, tuple(p for p in loc[:-1] if p != "[key]"))
    field = parent.model_fields.get(str(loc[-1])) if parent else None
    if field is None or not field.description:
        return "see the README's source reference"
    text = field.description.rstrip(".")
    if text[1:2].islower():
        text = text[0].lower() + text[1:]
    choices = _literal_values(field.annotation)
    return f"{text}: one of {', '.join(choices)}" if choices and len(choices) <= 12 else text


def _literal_values(tp: Any) -> list[str]:
    tp = _unwrap(tp)
    return [str(v) for v in typing.get_args(tp)] if typing.get_origin(tp) is Literal else []


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
