"""What surrounds the pages of a school's site, and the trust's own 404 page.

The footer's facts (address, office, the date the policies were last updated), the 404 page's
place on the host, the favicon and each page's meta description: a SiteChrome that the site
engine prints with its theme. Dates come from the source (approvals), never from the build, so
the same source gives the same pages whenever it is built.
"""

from __future__ import annotations

import datetime as dt
from urllib.parse import quote, urlsplit

import jinja2

from policypress.compose import wording as words
from policypress.compose.render import RenderedSchool
from policypress.outputs.pages import logo_name
from policypress.site_engine.chrome import SiteChrome

FAVICON = "assets/favicon.svg"  # ours, for a school and trust without a logo


def site_root(site_url: str | None) -> str:
    """The path the trust's sites are published under ("/" or "/policies/"), from its site_url."""
    path = urlsplit(site_url).path if site_url else ""
    return "/" + path.strip("/") + "/" if path.strip("/") else "/"


def site_path(school: RenderedSchool) -> str:
    """Where the school's site lives on its host: "/hillcrest-primary/" (or "/policies/hillcrest-primary/")."""
    return f"{site_root(school.trust.site_url)}{school.school.id}/"


def last_updated(school: RenderedSchool) -> dt.date | None:
    """The newest approval of the school's public policies: the date its pages last changed in substance."""
    return max((p.approved.date for p in school.public_policies if p.approved), default=None)


def school_chrome(school: RenderedSchool) -> SiteChrome:
    """The facts the theme prints around the school's pages."""
    office = school.contacts.get("office")  # required by the schema; absent only in a hand-made test school
    address = school.school.address
    updated = last_updated(school)
    site_url = school.trust.site_url
    return SiteChrome(
        site_path=site_path(school),
        site_address=f"{site_url.rstrip('/')}/{school.school.id}/" if site_url else site_path(school),
        address=", ".join([*address.lines, address.town, address.postcode]),
        office_phone=office.phone if office else None,
        office_phone_href=words.phone_href(office.phone) if office and office.phone else None,
        office_email=office.email if office else None,
        office_email_href="mailto:" + quote(office.email, safe="@") if office and office.email else None,
        office_hours=office.hours if office else None,
        last_updated=words.date_words(updated) if updated else None,
        last_updated_iso=updated.isoformat() if updated else None,
        favicon=logo_name(school) or FAVICON,
        description=f"The policies of {school.school.name}, {address.town}: what they say, who approved them "
                    "and who to contact.",
        page_descriptions=page_descriptions(school),
    )


def page_descriptions(school: RenderedSchool) -> dict[str, str]:
    """Each page's meta description, by docs path: a policy's is its summary for parents."""
    name = school.school.name
    found = {
        "index.md": f"Every policy of {name}, with a summary of each, when it was approved and a copy to print.",
        "contacts.md": f"Who to contact at {name}: the school office, safeguarding leads and the local services.",
        "accessibility.md": f"How accessible {name}'s policy pages are, what is not yet, and how to ask for "
                            "another format.",
        "statutory-information.md": f"What {name} publishes online as the law and guidance ask, and where "
                                    "to find each item.",
    }
    found.update({f"policies/{p.id}.md": p.meta.summary for p in school.public_policies})
    return found


def chrome_files(school: RenderedSchool) -> dict[str, str]:
    """Files the chrome needs in the docs folder: our plain favicon when there is no logo to use."""
    if logo_name(school):
        return {}
    colour = school.colour  # a validated #rrggbb
    return {FAVICON: (
        '<svg xmlns="http://www.w3.org/2000/svg" viewBox="0 0 32 32">'
        f'<rect width="32" height="32" rx="6" fill="{colour}"/>'
        '<path d="M9 6h10l5 5v15H9z" fill="#fff"/>'
        f'<path d="M12 15h9M12 18.5h9M12 22h6" stroke="{colour}" stroke-width="1.6"/></svg>\n')}


def trust_not_found(env: jinja2.Environment, schools: list[RenderedSchool]) -> str:
    """build/site/404.html: what a host serves for a missing address outside the schools' folders.

    Its links are absolute paths (it is served at any depth), each school's under its trust's site_url.
    """
    listed = [{"name": s.school.name, "town": s.school.address.town, "home": f"{site_path(s)}index.html",
               "colour": s.colour} for s in sorted(schools, key=lambda s: s.school.name)]
    return env.get_template("not-found.html.j2").render(schools=listed)
