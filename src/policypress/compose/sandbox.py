"""The sandbox policy text runs in, and how a placeholder's value is printed."""

from __future__ import annotations

import datetime as dt
from typing import Any

import jinja2
from jinja2.sandbox import SandboxedEnvironment
from pydantic import BaseModel

from policypress.compose.template_problems import EMPTY, WHOLE, FactMissing
from policypress.compose.wording import phone_link
from policypress.core.dates import long_date
from policypress.source.school_schema import Address, Contact

# Markdown heading ids are written `{#id}`, which is Jinja's comment syntax: move comments aside.
COMMENT_START, COMMENT_END = "{##", "##}"


def make_environment() -> SandboxedEnvironment:
    """The sandbox policy text runs in: no file access, and an undefined name is an error."""
    return SandboxedEnvironment(undefined=jinja2.StrictUndefined, autoescape=False,
                                keep_trailing_newline=True, finalize=printable,
                                loader=jinja2.FunctionLoader(lambda _name: None),  # no file is readable
                                comment_start_string=COMMENT_START, comment_end_string=COMMENT_END)


def printable(value: Any) -> Any:
    """What a {{ placeholder }} prints: a contact or address as words; nothing empty or raw."""
    if value is None:
        raise FactMissing(EMPTY, "add the missing detail to the school, trust or local authority "
                          "file, or put the sentence inside {% if … %}")
    if isinstance(value, Contact):
        phone = f", {phone_link(value.phone)}" if value.phone else ""
        return f"{value.name} ({value.title}{phone})"
    if isinstance(value, Address):
        return ", ".join([*value.lines, value.town, value.postcode])
    if isinstance(value, dt.date):
        return long_date(value)
    if isinstance(value, BaseModel | dict | list | tuple):
        raise FactMissing(WHOLE, "print one part of it, e.g. {{ school.name }} or "
                          "{{ contact('dsl').phone }}, or join a list: {{ school.values | join(', ') }}")
    return value
