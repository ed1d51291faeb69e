"""Jinja errors as problems a policy author can act on: `path:line: what — fix`.

Jinja reports errors about its own compiled template; these functions find the policy (or
overlay, or flowchart) line the error came from and say which fact was meant.
"""

from __future__ import annotations

import difflib
import re
from types import TracebackType

import jinja2
from jinja2.exceptions import SecurityError
from pydantic import BaseModel

from policypress.compose.fact_types import fact_types
from policypress.core.errors import Problem
from policypress.source import content_schema, school_schema
from policypress.source.sections import Line

EMPTY, WHOLE = "has no value", "is a list or a whole record, not one value"
PLACEHOLDER = re.compile(r"\{\{-?\s*(.*?)\s*-?\}\}")
NO_ATTRIBUTE = re.compile(r"^'(?:[\w.]+\.)?(\w+) object' has no attribute '([^']+)'$")
UNCLOSED = re.compile(r"Unexpected end of template.*innermost block that needs to be closed is '(\w+)'",
                      re.DOTALL)
UNDEFINED_NAME = re.compile(r"^'([^']+)' is undefined$")
NOUNS = {"School": "A school", "Trust": "A trust", "LocalAuthority": "A local authority",
         "Contact": "A contact", "PolicyMeta": "A policy", "Address": "An address",
         "Branding": "Branding"}
TEMPLATE_NAME = "<template>"  # the file name Jinja gives templates made from strings


class FactMissing(Exception):
    """A template asked for a fact (contact, reference) the school does not have."""

    def __init__(self, what: str, fix: str) -> None:
        super().__init__(what)
        self.what, self.fix = what, fix


def template_problem(exc: Exception, lines: list[Line], school: str) -> Problem:
    """The problem an exception raised while rendering lines stands for, at the line it came from."""
    lineno = getattr(exc, "lineno", None) or _template_line(exc.__traceback__) or 1
    origin = lines[min(lineno, len(lines)) - 1] if lines else Line("", "content/policies", 1)
    if isinstance(exc, FactMissing):
        return Problem(origin.path, origin.lineno, _placeholder_what(exc.what, origin, school), exc.fix)
    if isinstance(exc, jinja2.UndefinedError):
        return Problem(origin.path, origin.lineno, *_undefined(exc.message or "", origin.text))
    unclosed = UNCLOSED.search(str(exc))
    opener = _unclosed_opener(lines, unclosed.group(1)) if unclosed else None
    if unclosed and opener:
        tag = unclosed.group(1)
        return Problem(opener.path, opener.lineno, f"the {{% {tag} %}} on this line is never closed",
                       f"add {{% end{tag} %}} where its text ends")
    return Problem(origin.path, origin.lineno, *_other_template_problem(exc))


def _other_template_problem(exc: Exception) -> tuple[str, str]:
    message = str(exc).rstrip(".")
    if isinstance(exc, jinja2.TemplateNotFound):
        return (f"policy text cannot include other files ('{exc.name}')",
                "copy the words into the policy, or use a trust or school overlay")
    if isinstance(exc, SecurityError):
        return f"this placeholder is not allowed ({message})", f"use only {', '.join(_fact_words())}"
    if isinstance(exc, jinja2.TemplateSyntaxError):
        return (f"the placeholders on this line cannot be read ({message})",
                "check that every {{ has its }}, every {% has its %}, and every {% if %} its {% endif %}")
    return (f"a placeholder on this line failed ({type(exc).__name__}: {message})",
            "simplify it to a fact such as {{ school.name }}")


def _unclosed_opener(lines: list[Line], tag: str) -> Line | None:
    """The line of the last {% tag %} that has no {% endtag %}."""
    opened: list[Line] = []
    for line in lines:
        for found in re.finditer(rf"{{%-?\s*(end)?{tag}\b", line.text):
            if found.group(1):
                opened = opened[:-1]
            else:
                opened.append(line)
    return opened[-1] if opened else None


def _placeholder_what(what: str, origin: Line, school: str) -> str:
    if what not in (EMPTY, WHOLE):
        return what
    found = PLACEHOLDER.findall(origin.text)
    named = f"{{{{ {found[0]} }}}}" if len(found) == 1 else "a placeholder on this line"
    return f"{named} has no value for {school}" if what == EMPTY else f"{named} {what}"


def _undefined(message: str, text: str) -> tuple[str, str]:
    """Say which placeholder names no fact, and what the nearest real fact is called."""
    attribute = NO_ATTRIBUTE.match(message)
    if attribute:
        kind, name = attribute.groups()
        return _unknown_attribute(kind, name, text)
    undefined = UNDEFINED_NAME.match(message)
    name = undefined.group(1) if undefined else message
    close = difflib.get_close_matches(name, [fact.name for fact in fact_types()], n=1)
    hint = f"did you mean '{close[0]}'? " if close else ""
    uses = f"placeholders can use {', '.join(_fact_words())}"
    return f"'{name}' is not a known fact", f"{hint}{uses[0].upper()}{uses[1:]}"


def _unknown_attribute(kind: str, name: str, text: str) -> tuple[str, str]:
    found = re.search(rf"([A-Za-z_]\w*(?:\([^()]*\))?(?:\.\w+)*)\.{re.escape(name)}\b", text)
    owner = found.group(1) if found else ""
    expression = f"{owner}.{name}" if owner else name
    cls = getattr(school_schema, kind, None) or getattr(content_schema, kind, None)
    if not (isinstance(cls, type) and issubclass(cls, BaseModel)):
        return f"'{expression}' is not a known fact", "check the spelling against the source files"
    fields = list(cls.model_fields)
    close = difflib.get_close_matches(name, fields, n=1)
    hint = f"did you mean '{owner}.{close[0]}'? " if close and owner else ""
    noun = NOUNS.get(kind, kind)
    return f"'{expression}' is not a known fact", f"{hint}{noun} has: {', '.join(fields)}"


def _fact_words() -> list[str]:
    return [fact.usage for fact in fact_types()]


def _template_line(tb: TracebackType | None) -> int | None:
    """The policy line an error happened on, from Jinja's rewritten traceback."""
    found = None
    while tb is not None:
        if tb.tb_frame.f_code.co_filename == TEMPLATE_NAME:
            found = tb.tb_lineno
        tb = tb.tb_next
    return found
