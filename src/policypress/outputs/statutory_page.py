"""The "Statutory information" page of a school's site: what the school publishes online, and where.

Every publishing requirement (content/publishing.yml) that applies to the school, in the file's
order, "Required by law" first and then "Recommended", each with where it is met: a policy on this
site, a document on the school's own website, or, when it is not, how to ask the school office for
a copy. The standings come from compose/publishing.py, on the build's day (dates.build_today), so
the same source on the same day gives the same page. A project with no requirements file has no page.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Mapping
from functools import partial
from typing import Any

import jinja2

from policypress.compose import wording as words
from policypress.compose.publishing import Standing, standings
from policypress.compose.render import RenderedSchool
from policypress.source.publishing_schema import Requirement, Requirements, SchoolKind
from policypress.source.school_schema import Contact, School

STATUTORY_PAGE = "statutory-information.md"
STATUTORY_TITLE = "Statutory information"
SITE_PAGES = {"contacts": "On this site: [who to contact](contacts.md), kept up to date on every build.",
              "accessibility": "On this site: [accessibility statement](accessibility.md)."}
GROUPS = (("must", "Required by law", "required"), ("should", "Recommended", "recommended"))
KIND_WORDS: dict[SchoolKind, str] = {"maintained": "maintained {phase} school", "academy": "{phase} academy",
                                     "free_school": "{phase} free school"}


def update_words(requirement: Requirement) -> str:
    """'Updated every year, by 15 March each year' or 'Updated when it changes'."""
    cycle = requirement.update_every
    every = f"Updated {words.cycle_words(cycle)[0].lower()}{words.cycle_words(cycle)[1:]}" if cycle else (
        "Updated when it changes")
    return f"{every}, {requirement.when}" if requirement.when else every


def school_words(school: School) -> str:
    """'Primary academy with a nursery', 'Maintained secondary school with a sixth form'."""
    phase = school.phase.replace("alternative-provision", "alternative provision")
    kind = KIND_WORDS[school.kind].format(phase=phase) if school.kind else f"{phase} school (kind not set)"
    extras = [part for part, has in (("a nursery", school.nursery), ("a sixth form", school.sixth_form)) if has]
    return words.sentence_start(kind + (f" with {' and '.join(extras)}" if extras else ""))


def grouped(found: list[Standing]) -> list[tuple[str, str, list[Standing]]]:
    """(heading, anchor, standings) for "Required by law" then "Recommended", leaving out an empty group."""
    return [(heading, anchor, items) for level, heading, anchor in GROUPS
            if (items := [s for s in found if s.level == level])]


def office_links(office: Contact | None) -> words.Markdown:
    """The office's number and email address as links ('… or …'), else a link to the contacts page."""
    links = [words.phone_link(office.phone) if office and office.phone else "",
             words.email_link(office.email) if office and office.email else ""]
    return words.Markdown(" or ".join(link for link in links if link) or "see [who to contact](contacts.md)")


def where_met(standing: Standing, pdf_sizes: Mapping[str, int]) -> words.Markdown:
    """Where a requirement is met, as a Markdown link with its date; empty when it is not met anywhere."""
    policy, document, updated = standing.policy, standing.document, words.date_words(standing.updated)
    if standing.page:
        return words.Markdown(SITE_PAGES[standing.page])
    if policy and standing.status != "draft-only":
        pdf = (f" · [PDF to print](pdf/{policy.id}.pdf) ({words.file_size(pdf_sizes[policy.id])})"
               if policy.id in pdf_sizes else "")
        return words.Markdown(f"[{words.markdown_text(policy.meta.title)}](policies/{policy.id}.md), "
                              f"approved {updated}{pdf}.")
    if document:
        title = words.markdown_text(document.title or standing.requirement.what)
        return words.Markdown(f"On the school's website: [{title}]({words.markdown_url(document.url)}), "
                              f"updated {updated}.")
    return words.Markdown("")


def statutory_page(env: jinja2.Environment, school: RenderedSchool, requirements: Requirements,
                   today: dt.date, common: dict[str, Any]) -> str:
    """statutory-information.md: every requirement that applies to the school and where it is met."""
    found = standings(requirements, school, today)
    return env.get_template("statutory-information.md.j2").render(
        groups=grouped(found), update_words=update_words, ask_office=office_links(common["office"]),
        where=partial(where_met, pdf_sizes=common["pdf_sizes"]), **common)
