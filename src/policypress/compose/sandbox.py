"""The sandbox policy text runs in, and how a placeholder's value is printed.

Facts are text: what a placeholder prints into policy text is escaped for Markdown and HTML
(wording.markdown_text), so a name with `<b>` shows `<b>`; the policy's own Markdown around it
is untouched (and sanitised afterwards). A flowchart's labels are plain text, escaped where they
are drawn (flowchart_views.py, diagrams.py).
"""

from __future__ import annotations

import datetime as dt
import functools
import re
from typing import Any

import jinja2
from jinja2.exceptions import SecurityError
from jinja2.sandbox import SandboxedEnvironment
from pydantic import BaseModel

from policypress.compose.template_problems import EMPTY, WHOLE, FactMissing
from policypress.compose.wording import Markdown, markdown_text, markdown_url, phone_link
from policypress.core.dates import long_date
from policypress.source.school_schema import Address, Contact

# Markdown heading ids are written `{#id}`, which is Jinja's comment syntax: move comments aside.
COMMENT_START, COMMENT_END = "{##", "##}"
# flowchart() is given to policy text only (fact_types.py: in_flowcharts=False), never to a label.
POLICY_TEXT_ONLY = "flowchart"
WEB_ADDRESS = re.compile(r"^(?:https?|mailto):\S+$")


class FactSandbox(SandboxedEnvironment):
    """The sandbox, knowing Markdown that functions of the facts write from text they print.

    What a function the template was given returns as text (ref()'s link, flowchart()'s marker,
    a macro's output, already printed) is the facts code's own Markdown: printed as it is. So a
    new lookup fact type (fact_types.py) that returns text escapes the facts in it
    (wording.markdown_text); one that returns a record has its fields escaped as they are printed.
    """

    # Operators that could make a huge value from a short placeholder ('x' * 10**9, 10**10**8).
    intercepted_binops = frozenset({"*", "**", "%"})

    def call_binop(self, context: jinja2.runtime.Context, operator: str, left: Any, right: Any) -> Any:
        _refuse_huge(operator, left, right)
        return super().call_binop(context, operator, left, right)

    def wrap_str_format(self, value: Any) -> Any:
        """str.format and format_map, refused when their format has a huge width ('{:>999999999}')."""
        owner = getattr(value, "__self__", None)
        if isinstance(owner, str) and getattr(value, "__name__", "") in ("format", "format_map") \
                and BIG_NUMBER.search(owner):
            raise _too_big("this format")
        return super().wrap_str_format(value)

    def call(__self, __context: jinja2.runtime.Context, __obj: Any, *args: Any, **kwargs: Any) -> Any:
        _refuse_huge_arguments(__obj, args, kwargs)
        result = super().call(__context, __obj, *args, **kwargs)
        if isinstance(result, str) and any(__obj is given for given in __context.get_all().values()):
            marked = Markdown(result)
            marked.__dict__.update(getattr(result, "__dict__", {}))  # what it carries: provenance's origin
            return marked
        return result


def make_environment() -> SandboxedEnvironment:
    """The sandbox policy text runs in: no file access, and an undefined name is an error."""
    env = FactSandbox(undefined=jinja2.StrictUndefined, autoescape=False,
                      keep_trailing_newline=True, finalize=_printed,
                      loader=jinja2.FunctionLoader(lambda _name: None),  # no file is readable
                      comment_start_string=COMMENT_START, comment_end_string=COMMENT_END)
    env.filters = {name: _bounded(fn) for name, fn in env.filters.items()}  # "x"|center(10**9)
    return env


LONGEST = 100_000  # characters or items one placeholder may make: far more than any policy needs
LARGEST = 10_000_000  # a width or count given to a method or filter (a sum of money is far smaller)
TOO_BIG = f"a value of more than {LONGEST:,} characters"
BIG_NUMBER = re.compile(r"\d{6,}")  # a width in a format string ('%999999999s')


def _too_big(what: str) -> SecurityError:
    return SecurityError(f"{what} would make {TOO_BIG}")


def _refuse_huge(operator: str, left: Any, right: Any) -> None:
    """Refuse, before it is computed, an operation whose result would be huge."""
    if operator == "*":
        for seq, times in ((left, right), (right, left)):
            if isinstance(seq, str | list | tuple) and isinstance(times, int) and len(seq) * times > LONGEST:
                raise _too_big("repeating text or a list this many times")
        if isinstance(left, int) and isinstance(right, int) and (abs(left) > LONGEST and abs(right) > LONGEST):
            raise _too_big("this multiplication")
    if operator == "**" and isinstance(right, int) and isinstance(left, int) and \
            (right > 64 or abs(left).bit_length() * max(right, 0) > 1024):
        raise _too_big("this power")
    if operator == "%" and isinstance(left, str) and BIG_NUMBER.search(left):
        raise _too_big("this format")


def _refuse_huge_arguments(obj: Any, args: tuple[Any, ...], kwargs: dict[str, Any]) -> None:
    """A method or filter given a huge width or count ('x'.ljust(10**9), 'x'|center(10**9))."""
    if any(isinstance(a, int) and not isinstance(a, bool) and abs(a) > LARGEST for a in (*args, *kwargs.values())):
        raise _too_big("a number this large")


def _bounded(fn: Any) -> Any:
    """A filter that refuses huge widths and counts, keeping Jinja's markers (pass_context …)."""
    @functools.wraps(fn)
    def bounded(*args: Any, **kwargs: Any) -> Any:
        _refuse_huge_arguments(None, args, kwargs)
        return fn(*args, **kwargs)

    return bounded


@jinja2.pass_context
def _printed(context: jinja2.runtime.Context, value: Any) -> Any:
    """Policy text gets Markdown (printable); a flowchart label, rendered with fewer names, plain text."""
    return printable(value, markdown=POLICY_TEXT_ONLY in context)


def printable(value: Any, markdown: bool = False) -> Any:
    """What a {{ placeholder }} prints: a contact or address as words; nothing empty or raw.

    Plain words by default (as provenance records them, and governors read them in the redline);
    markdown: escaped for Markdown and HTML (a web address stays one, %-encoding what it must),
    apart from Markdown our own code wrote, as policy text prints them.
    """
    if isinstance(value, Markdown):
        return value
    if markdown:
        plain = printable(value, markdown=False)
        if isinstance(value, Contact):
            return _contact_words(value)
        if isinstance(plain, str) and WEB_ADDRESS.match(plain):
            return markdown_url(plain)
        return markdown_text(plain)
    if value is None:
        raise FactMissing(EMPTY, "add the missing detail to the school, trust or local authority "
                          "file, or put the sentence inside {% if … %}")
    if isinstance(value, Contact):
        return f"{value.name} ({value.title}{', ' + value.phone if value.phone else ''})"
    if isinstance(value, Address):
        return ", ".join([*value.lines, value.town, value.postcode])
    if isinstance(value, dt.date):
        return long_date(value)
    if isinstance(value, BaseModel | dict | list | tuple):
        raise FactMissing(WHOLE, "print one part of it, e.g. {{ school.name }} or "
                          "{{ contact('dsl').phone }}, or join a list: {{ school.values | join(', ') }}")
    return value


def _contact_words(contact: Contact) -> Markdown:
    """A contact in policy text: name (title, telephone link)."""
    phone = f", {phone_link(contact.phone)}" if contact.phone else ""
    return Markdown(f"{markdown_text(contact.name)} ({markdown_text(contact.title)}{phone})")
