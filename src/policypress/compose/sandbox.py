"""The sandbox policy text runs in, and how a placeholder's value is printed.

Facts are text: what a placeholder prints into policy text is escaped for Markdown and HTML
(wording.markdown_text), so a name with `<b>` shows `<b>`; the policy's own Markdown around it
is untouched (and sanitised afterwards). A flowchart's labels are plain text, escaped where they
are drawn (flowchart_views.py, diagrams.py).
"""

from __future__ import annotations

import datetime as dt
import re
from typing import Any

import jinja2
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

    def call(__self, __context: jinja2.runtime.Context, __obj: Any, *args: Any, **kwargs: Any) -> Any:
        result = super().call(__context, __obj, *args, **kwargs)
        if isinstance(result, str) and any(__obj is given for given in __context.get_all().values()):
            marked = Markdown(result)
            marked.__dict__.update(getattr(result, "__dict__", {}))  # what it carries: provenance's origin
            return marked
        return result


def make_environment() -> SandboxedEnvironment:
    """The sandbox policy text runs in: no file access, and an undefined name is an error."""
    return FactSandbox(undefined=jinja2.StrictUndefined, autoescape=False,
                       keep_trailing_newline=True, finalize=_printed,
                       loader=jinja2.FunctionLoader(lambda _name: None),  # no file is readable
                       comment_start_string=COMMENT_START, comment_end_string=COMMENT_END)


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
