"""The Markdown dialect of every policy: its extensions, defined once.

The site (MkDocs), the sanitiser's audit, the internal-link check and the PDF all read a policy's
Markdown with these extensions, so that what one of them sees is what the others see. MkDocs
always adds its own builtins first (toc, tables, fenced_code); the others do without fenced_code
(see `audit_extensions`). The site and the PDF also link phone numbers and email addresses
(contact_links.py, loaded by its module name).
"""

from __future__ import annotations

from collections.abc import Sequence
from typing import Any

import markdown
from markdown.extensions import Extension

# The extensions that can create HTML, with their configs, in the order the site lists them.
HTML_EXTENSIONS: dict[str, dict[str, Any]] = {
    "attr_list": {},
    "admonition": {},
    "tables": {},
    "def_list": {},
    "md_in_html": {},
}
# Phone numbers and emails in text become tel: and mailto: links (site and PDF alike).
CONTACT_LINKS = "policypress.site_engine.contact_links"
TOC = "toc"
# Headings get ids and no permalink sign. The site's sidebar lists headings down to level 3;
# the PDF's contents list keeps every level (toc_depth changes the list, never the ids).
TOC_CONFIG: dict[str, Any] = {"permalink": False}
SITE_TOC_DEPTH = 3


def audit_extensions() -> list[str]:
    """The extensions that can create HTML, for the sanitiser's audit.

    No fenced code: a site with fences shows more as code, never less. No contact links either:
    they are made from plain text only (tel: and the digits, mailto: and an address's own
    characters, <wbr>), never from anything an author typed as markup, so they cannot make a page
    unsafe; the audit would only have to learn <wbr>.
    """
    return list(HTML_EXTENSIONS)


def heading_extensions() -> list[str]:
    """What gives the headings of a page their ids, toc last (contact links never touch a heading)."""
    return [*HTML_EXTENSIONS, TOC]


def site_extensions() -> dict[str, dict[str, Any]]:
    """The extensions with their configs as the site's MkDocs config lists them."""
    return {**HTML_EXTENSIONS, CONTACT_LINKS: {}, TOC: {**TOC_CONFIG, "toc_depth": SITE_TOC_DEPTH}}


def print_markdown(extra: Sequence[Extension]) -> markdown.Markdown:
    """A Markdown reader for the PDF: the dialect plus `extra` extensions, toc tokens for its contents."""
    return markdown.Markdown(extensions=[*HTML_EXTENSIONS, CONTACT_LINKS, TOC, *extra],
                             extension_configs={TOC: dict(TOC_CONFIG)}, output_format="html")
