"""The Markdown pages of one school's site, from our own templates in templates/site/.

Facts are text: every value a page template prints is escaped for Markdown and HTML
(wording.markdown_text) unless it is Markdown our code wrote (wording.Markdown: the sanitised
policy body, a contact's lines, a link), so a template cannot forget. HTML templates are
autoescaped instead. The YAML front matter takes `front_matter`, link destinations `link_url`.
"""

from __future__ import annotations

import datetime as dt
import json
from collections.abc import Mapping
from functools import partial
from itertools import groupby
from pathlib import Path
from typing import Any

import jinja2
import yaml

from policypress.compose import wording as words
from policypress.compose.collections import site_cards
from policypress.compose.render import RenderedPolicy, RenderedSchool
from policypress.compose.review_dates import is_overdue, next_review_words, overdue_words
from policypress.compose.sandbox import COMMENT_END, COMMENT_START
from policypress.core.dates import build_today
from policypress.outputs.collections_json import collections_json
from policypress.outputs.contacts_page import authority_groups, directories
from policypress.outputs.figures import Drawing, site_figure, with_figures
from policypress.outputs.statutory_page import STATUTORY_PAGE, STATUTORY_TITLE, statutory_page
from policypress.site_engine.material import theme_css
from policypress.site_engine.page_styles import PAGE_CSS
from policypress.source.publishing_schema import Requirements
from policypress.source.school_schema import Contact

NavItem = dict[str, Any]
SAFEGUARDING = "safeguarding"
# Contacts the contacts page lists by what people need (worried about a child; a complaint).
NEED_ROLES = frozenset({"dsl", "deputy_dsl", "headteacher", "chair_of_governors", "clerk"})


def site_environment(templates: Path, today: dt.date | None = None) -> jinja2.Environment:
    """Our own (trusted) page templates; an undefined name is still an error. today: see dates.build_today."""
    env = jinja2.Environment(loader=jinja2.FileSystemLoader(templates / "site"),
                             undefined=jinja2.StrictUndefined, keep_trailing_newline=True,
                             comment_start_string=COMMENT_START, comment_end_string=COMMENT_END,
                             trim_blocks=True, lstrip_blocks=True,
                             # Markdown pages are not HTML: autoescaping would show &amp; to parents.
                             autoescape=lambda name: bool(name and name.endswith(".html.j2")),  # noqa: S701
                             finalize=page_value)
    env.filters.update(
        slug=words.slug, file_size=words.file_size, long_date=words.date_words, cycle_words=words.cycle_words,
        sentence_start=words.sentence_start, body_title=words.body_title,
        phone_link=words.phone_link, email_link=words.email_link, contact_lines=words.contact_lines,
        web_link=words.web_link, link_url=words.markdown_url, front_matter=front_matter,
        tel_url=lambda number: words.Markdown(words.phone_href(number)),
        mailto_url=lambda address: words.markdown_url(f"mailto:{address}"),
        safeguarding=is_safeguarding, review_overdue=partial(is_overdue, today=today or build_today()),
        approval_line=partial(approval_line, today=today or build_today()),
        next_review_words=partial(next_review_words, today=today or build_today()),
        owner_line=owner_line, approved_by_line=approved_by_line, logo_path=logo_name,
    )
    return env


@jinja2.pass_eval_context
def page_value(context: jinja2.nodes.EvalContext, value: Any) -> Any:
    """What a page template prints: in a Markdown page, text escaped unless it is our Markdown."""
    return value if context.autoescape else words.markdown_text(value)


def front_matter(value: str) -> words.Markdown:
    """A value for the page's YAML front matter, on one line, quoted when YAML needs it.

    It is text there too: the site engine (site_engine/material.py) escapes it where the theme prints it.
    """
    dumped = yaml.safe_dump(" ".join(value.split()), allow_unicode=True, width=float("inf"))
    return words.Markdown(dumped.removesuffix("\n...\n").rstrip("\n"))


def approval_line(policy: RenderedPolicy, today: dt.date) -> str:
    """'Approved by … on … · next review by …' (saying so plainly once that date has passed), or 'Not yet approved'."""
    latest = policy.approved
    if latest is None:
        return "Not yet approved"
    approved = f"Approved by {policy.by_words(latest.by)} {words.on_date(latest.date)}"
    if is_overdue(policy, today):
        return f"{approved} · {overdue_words(policy)}"
    return f"{approved} · next review by {words.date_words(policy.next_review)}"


def owner_line(policy: RenderedPolicy) -> str:
    owner = policy.owner
    return f"{owner.name}, {owner.title}" if owner else policy.meta.owner.replace("_", " ")


def approved_by_line(policy: RenderedPolicy) -> str:
    latest = policy.approved
    if latest is None:
        return "Not yet approved"
    return f"{words.sentence_start(policy.by_words(latest.by))}, {words.date_words(latest.date)}"


def is_safeguarding(policy: RenderedPolicy) -> bool:
    """A policy about keeping children safe (category 'Safeguarding'): its "In short" says whom to call."""
    return policy.meta.category.strip().lower() == SAFEGUARDING


def everything_else(school: RenderedSchool) -> list[tuple[str, Contact]]:
    """The school's contacts the contacts page has not already listed by need: the office first."""
    rest = {role: c for role, c in school.school.contacts.items() if role not in NEED_ROLES}
    return sorted(rest.items(), key=lambda item: item[0] != "office")


def categories(policies: list[RenderedPolicy]) -> list[tuple[str, list[RenderedPolicy]]]:
    """Public policies grouped by category, both in alphabetical order."""
    ordered = sorted(policies, key=lambda p: (p.meta.category, p.meta.title))
    return [(cat, list(group)) for cat, group in groupby(ordered, key=lambda p: p.meta.category)]


def school_pages(env: jinja2.Environment, school: RenderedSchool,
                 pdf_sizes: dict[str, int] | None = None,
                 drawings: Mapping[str, Drawing] | None = None,
                 requirements: Requirements | None = None) -> dict[str, str]:
    """Every text file of the school's docs folder, by path (the logo is copied separately).

    requirements: the project's publishing requirements; with them, the statutory information page."""
    public = school.public_policies
    common = {"school": school.school, "trust": school.trust, "local_authority": school.authority,
              "pdf_sizes": pdf_sizes or {}, "contacts": school.contacts, "office": school.contacts.get("office"),
              "statutory_mark": words.Markdown(' <span class="statutory-mark">Statutory</span>'),
              "statutory_page": requirements is not None}
    pages = {
        "index.md": env.get_template("home.md.j2").render(categories=categories(public), **common),
        "contacts.md": env.get_template("contacts.md.j2").render(
            published={p.id for p in public}, everything_else=everything_else(school),
            authority_groups=authority_groups(school), directories=directories(school),
            **common),
        "accessibility.md": env.get_template("accessibility.md.j2").render(**common),
        "policies.json": policies_json(school),
        "assets/school.css": branding_css(school),
    }
    if requirements is not None:
        pages[STATUTORY_PAGE] = statutory_page(env, school, requirements, build_today(), common)
    figures = {chart_id: site_figure(d.view, d.svg, f"../flowcharts/{chart_id}.svg")
               for chart_id, d in (drawings or {}).items()}
    for policy in public:
        pages[f"policies/{policy.id}.md"] = env.get_template("policy.md.j2").render(
            p=policy, body=words.Markdown(with_figures(site_cards(policy.markdown, policy.collections, school.contacts),
                                                       figures)), **common)  # sanitised policy text
        for view in policy.flowcharts:  # the picture on its own, for zooming in on a phone
            if drawings and view.id in drawings:
                pages[f"flowcharts/{view.id}.svg"] = drawings[view.id].svg
    return pages


def logo_name(school: RenderedSchool) -> str | None:
    """Where the school's logo goes in its docs folder, if it has one."""
    return f"assets/logo{school.logo.suffix.lower()}" if school.logo else None


def navigation(school: RenderedSchool, statutory: bool = False) -> list[NavItem]:
    """The site's menu: home, policies by category, contacts, statutory information (statutory), accessibility."""
    groups = [{cat: [{p.meta.title: f"policies/{p.id}.md"} for p in ps]}
              for cat, ps in categories(school.public_policies)]
    return [{"Home": "index.md"}, {"Policies": groups}, {"Who to contact": "contacts.md"},
            *([{STATUTORY_TITLE: STATUTORY_PAGE}] if statutory else []), {"Accessibility": "accessibility.md"}]


def policies_json(school: RenderedSchool) -> str:
    """policies.json: what a school website CMS needs to list and link the policies."""
    items = [{
        "id": p.id, "title": p.meta.title, "summary": p.meta.summary, "category": p.meta.category,
        "statutory": p.meta.statutory, "url": f"policies/{p.id}.html",
        "approved": p.approved.date.isoformat() if p.approved else None,
        "next_review": p.next_review.isoformat() if p.next_review else None,
        **({"collections": [found.id for found, _ in p.collections]} if p.collections else {}),
    } for p in school.public_policies]
    data = {"school": {"id": school.school.id, "name": school.school.name, "urn": school.school.urn},
            "policies": items}
    shown = collections_json(school)
    if shown:
        data["collections"] = shown
    return json.dumps(data, indent=2, ensure_ascii=False) + "\n"


def branding_css(school: RenderedSchool) -> str:
    """assets/school.css: the theme's stylesheet in the school's (or its trust's) colour."""
    return theme_css(school.colour) + PAGE_CSS
