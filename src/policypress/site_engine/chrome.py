"""What the theme prints around each page of a school's site: footer, 404 page, favicon, description.

Our templates for it are in overrides/ (Material's custom_dir; only mkdocs_driver sets it, a
project's mkdocs.yml may not). The facts come from outputs as a SiteChrome, written into the
school's config under `extra.policypress`; this file, a second MkDocs hooks file beside
material.py, makes each of them escaped text, gives the 404 page absolute links and writes the
"report a problem" mail link of each page.
"""

from __future__ import annotations

from dataclasses import asdict, dataclass, field
from pathlib import Path
from typing import Any
from urllib.parse import quote

from markupsafe import Markup

OVERRIDES = Path(__file__).with_name("overrides")
EXTRA_KEY = "policypress"  # config.extra.policypress: the SiteChrome the templates print
NOT_FOUND = "404.html"
BRITISH = "en-gb"  # overrides/partials/languages/en-gb.html: Material's English words, lang="en-GB"
STYLESHEET = "assets/stylesheets/chrome.css"  # copied from overrides/ into every site


@dataclass(frozen=True)
class SiteChrome:
    """The facts the theme prints around every page of one school's site; text, never HTML."""

    site_path: str
    """Where the school's site lives on its host, as an absolute path ("/hillcrest-primary/")."""
    site_address: str
    """The site's address as people would type it (https://…/hillcrest-primary/), or its path."""
    address: str
    """The school's postal address on one line."""
    office_phone: str | None = None
    """The school office's phone number as printed."""
    office_phone_href: str | None = None
    """The same number as a tel: link."""
    office_email: str | None = None
    """The school office's email address: also where "report a problem" goes."""
    office_email_href: str | None = None
    """The same address as a mailto: link."""
    office_hours: str | None = None
    """When the office answers."""
    last_updated: str | None = None
    """The newest date in the source behind the pages, in words (never the build date)."""
    last_updated_iso: str | None = None
    """The same date as YYYY-MM-DD, for <time datetime>."""
    home_page: str = "index.html"
    """The home page, relative to the site."""
    contacts_page: str = "contacts.html"
    """Who to contact (also where other formats and languages are asked for), relative to the site."""
    accessibility_page: str = "accessibility.html"
    """The accessibility statement, relative to the site."""
    favicon: str | None = None
    """The site's icon, relative to the docs folder (the school's logo, or a plain one)."""
    description: str = ""
    """The site's meta description, for pages without one of their own."""
    page_descriptions: dict[str, str] = field(default_factory=dict)
    """Meta descriptions by page (docs path, e.g. policies/behaviour.md): a policy's summary."""

    def config(self) -> dict[str, Any]:
        """The mapping written under extra.policypress in the school's MkDocs config."""
        return asdict(self)


def as_text(value: Any) -> Any:
    """Strings escaped once (Markup), mappings of them too; anything else unchanged."""
    if isinstance(value, dict):
        return {key: as_text(item) for key, item in value.items()}
    return Markup.escape(value) if isinstance(value, str) else value


def plain(value: Any) -> str:
    """Text back from escaped Markup (a title for a mail subject); plain strings as they are."""
    return str(value.unescape()) if isinstance(value, Markup) else str(value or "")


def chrome_of(config: Any) -> dict[str, Any]:
    """The school's SiteChrome mapping in the config (empty when the config has none)."""
    found = (config.get("extra") or {}).get(EXTRA_KEY)
    return found if isinstance(found, dict) else {}


def on_config(config: Any) -> Any:
    """MkDocs hook: every chrome fact, and the site description, is text; English pages are en-GB.

    policypress writes British English, so Material's `language: en` is published as en-GB (the
    language a project's mkdocs.yml chooses otherwise is kept).
    """
    if config["theme"]["language"] == "en":
        config["theme"]["language"] = BRITISH
    chrome = chrome_of(config)
    if chrome:
        config["extra"][EXTRA_KEY] = as_text(chrome)
    if config.get("site_description"):
        config["site_description"] = as_text(config["site_description"])
    return config


def on_page_context(context: Any, page: Any, config: Any, nav: Any) -> Any:
    """MkDocs hook: the page's meta description (its own, else the chrome's) and its report link."""
    chrome = chrome_of(config)
    described = page.meta.get("description") or chrome.get("page_descriptions", {}).get(page.file.src_uri)
    description = described or chrome.get("description")
    if description:
        page.meta["description"] = as_text(plain(description))
    address = plain(chrome.get("site_address")) + page.url
    context["report_href"] = report_href(chrome, f"Problem with the page: {plain(page.title)}",
                                         f"Page: {address}\n\nWhat went wrong:\n")
    return context


def on_template_context(context: Any, template_name: str, config: Any) -> Any:
    """MkDocs hook: the 404 page links from the school's folder, at whatever depth it is served."""
    chrome = chrome_of(config)
    if template_name == NOT_FOUND and chrome:
        context["base_url"] = plain(chrome["site_path"])
        context["report_href"] = report_href(chrome, "Problem: a page on the policy website was not found",
                                             "The address I tried, or the link I followed:\n\n")
    return context


def report_href(chrome: dict[str, Any], subject: str, body: str) -> Markup | None:
    """A mailto: link to the school office with the subject and the start of the message filled in, escaped."""
    mailto = plain(chrome.get("office_email_href"))
    if not mailto:
        return None
    return Markup.escape(f"{mailto}?subject={quote(subject, safe='')}&body={quote(body, safe='')}")
