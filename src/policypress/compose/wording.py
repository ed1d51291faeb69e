"""How values are written for people: approvers, review cycles, dates, phone links."""

from __future__ import annotations

import datetime as dt
import re

from policypress.core.dates import long_date
from policypress.source.school_schema import Contact

APPROVER_WORDS = {
    "full_governing_body": "the full governing body",
    "governing_body_committee": "a committee of the governing body",
    "local_governing_committee": "the local governing committee",
    "individual_governor": "a governor",
    "headteacher": "the headteacher",
    "trust_board": "the trust board",
    "proprietor": "the proprietor",
    "local_authority": "the local authority",
    "employer": "the employer",
}
CYCLE_WORDS = {
    "annually": "Every year",
    "recommended_annually": "Every year (recommended)",
    "every_2_years": "Every 2 years",
    "every_3_years": "Every 3 years",
    "every_4_years": "Every 4 years",
}


def approver_words(body: str) -> str:
    return APPROVER_WORDS.get(body, body.replace("_", " "))


def cycle_words(cycle: str) -> str:
    return CYCLE_WORDS.get(cycle, "Every month" if cycle == "1 month" else f"Every {cycle}")


def date_words(day: dt.date | None) -> str:
    return long_date(day) if day else "not yet set"


def slug(text: str) -> str:
    return re.sub(r"[^a-z0-9]+", "-", text.lower()).strip("-")


def phone_href(number: str) -> str:
    return "tel:" + re.sub(r"[^0-9+]", "", number)


def phone_link(number: str | None) -> str:
    return f"[{number}]({phone_href(number)})" if number else "—"


def email_link(address: str | None) -> str:
    return f"[{address}](mailto:{address})" if address else "—"


def contact_lines(contact: Contact) -> str:
    """A contact as short Markdown lines that read well on a phone: who, then how to reach them.

    The role title is left to the heading above it.
    """
    found = [f"**{contact.name}**"]
    if contact.phone:
        found.append(f"Telephone: {phone_link(contact.phone)}")
    if contact.out_of_hours_phone:
        found.append(f"Out of hours: {phone_link(contact.out_of_hours_phone)}")
    if contact.hours:
        found.append(f"Answered: {contact.hours}")
    if contact.email:
        found.append(f"Email: {email_link(contact.email)}")
    if contact.website:
        found.append(f"Website: [{contact.website}]({contact.website})")
    return "  \n".join(line for line in found if line)


def file_size(size: int) -> str:
    """A file size as people read it: 84 KB, 1.2 MB."""
    if size < 1_000_000:
        return f"{max(1, round(size / 1000))} KB"
    return f"{size / 1_000_000:.1f} MB"
