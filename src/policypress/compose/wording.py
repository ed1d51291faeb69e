"""How values are written for people: approvers, review cycles, dates, phone links.

Facts are text, never HTML or Markdown: `markdown_text` and `markdown_url` write a fact so that a
Markdown page shows exactly its characters, and mark the result `Markdown` (ours, printed as it is).
"""

from __future__ import annotations

import datetime as dt
import re

from policypress.core.dates import AboutDate, MonthOnly, long_date
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


class Markdown(str):
    """Markdown our own code wrote, facts in it escaped: a page template prints it as it is."""


# Characters that mean something to Markdown (or its tables) anywhere in a line.
_MARKDOWN_ACTIVE = re.compile(r"([\\`*_\[\]|#])")
# What starts a block when it begins a line: a list item, a rule, a fence, a definition, an admonition.
_BLOCK_START = re.compile(r"^(?:[-+=~:!]|\d+[.)](?=\s|$))")
_BLOCK_ESCAPES = {"-": "\\-", "+": "\\+", "!": "\\!", "=": "&#61;", "~": "&#126;", ":": "&#58;"}
# Never valid in a URL as written, or taken as Markdown or HTML syntax in a link's destination.
_URL_UNSAFE = re.compile(r"[\s\"'<>\\^`{|}()\[\]*]")


def markdown_text(value: object) -> Markdown:
    """A fact as Markdown that shows exactly its text: no HTML, link, emphasis, attribute list or block.

    `&`, `<`, `>`, `{` and `}` become entities; Markdown's punctuation is backslash-escaped; a line break
    becomes a space (a fact is one line: it cannot start a heading or a list of its own).
    """
    if isinstance(value, Markdown):
        return value
    text = " ".join(str(value).split()) if "\n" in str(value) else str(value).strip()
    text = text.replace("&", "&amp;").replace("<", "&lt;").replace(">", "&gt;")
    text = _MARKDOWN_ACTIVE.sub(r"\\\1", text)
    text = text.replace("{", "&#123;").replace("}", "&#125;")  # attr_list's, as no `{: …}` the sanitiser removes
    return Markdown(_BLOCK_START.sub(_escape_block_start, text))


def _escape_block_start(found: re.Match[str]) -> str:
    start = found.group(0)
    return _BLOCK_ESCAPES.get(start) or f"{start[:-1]}\\{start[-1]}"


def markdown_url(url: str) -> Markdown:
    """An address for a Markdown link's destination: what could end it or be read as markup, %-encoded."""
    return Markdown(_URL_UNSAFE.sub(lambda m: "".join(f"%{b:02X}" for b in m.group(0).encode("utf-8")), url))


def approver_words(body: str) -> str:
    return APPROVER_WORDS.get(body, body.replace("_", " "))


def cycle_words(cycle: str) -> str:
    return CYCLE_WORDS.get(cycle, "Every month" if cycle == "1 month" else f"Every {cycle}")


def date_words(day: dt.date | None) -> str:
    """'3 March 2026'; a date known only to its month says so ('June 2022 (month only)'), one worked out
    from such a date says it is about right ('about 30 June 2023')."""
    if day is None:
        return "not yet set"
    if isinstance(day, MonthOnly):
        return f"{day:%B %Y} (month only)"
    return f"about {long_date(day)}" if isinstance(day, AboutDate) else long_date(day)


def on_date(day: dt.date) -> str:
    """'on 3 March 2026', or 'in June 2022 (month only)' for a date known only to its month."""
    return f"{'in' if isinstance(day, MonthOnly) else 'on'} {date_words(day)}"


def body_title(words: str) -> str:
    """A body's words for a table cell: 'Local governing committee on behalf of the board of trustees'."""
    return sentence_start(words.removeprefix("the "))


def sentence_start(text: str) -> str:
    """The text with its first letter a capital, the rest as written (names keep their capitals)."""
    return text[:1].upper() + text[1:]


def slug(text: str) -> str:
    return re.sub(r"[^a-z0-9]+", "-", text.lower()).strip("-")


def phone_href(number: str) -> str:
    return "tel:" + re.sub(r"[^0-9+]", "", number)


def phone_link(number: str | None) -> Markdown:
    return Markdown(f"[{markdown_text(number)}]({phone_href(number)})") if number else Markdown("—")


def email_link(address: str | None) -> Markdown:
    return Markdown(f"[{markdown_text(address)}]({markdown_url('mailto:' + address)})") if address else Markdown("—")


def web_link(url: str) -> Markdown:
    """A web address as a Markdown link that shows the address."""
    return Markdown(f"[{markdown_text(url)}]({markdown_url(url)})")


def contact_lines(contact: Contact) -> Markdown:
    """A contact as short Markdown lines that read well on a phone: who, then how to reach them.

    The hours a number is answered stand next to that number. The role title is left to the
    heading above it; every fact is escaped (markdown_text).
    """
    found = [f"**{markdown_text(contact.name)}**"]
    if contact.phone:
        hours = f" ({markdown_text(contact.hours)})" if contact.hours else ""
        found.append(f"Telephone: {phone_link(contact.phone)}{hours}")
    if contact.out_of_hours_phone:
        found.append(f"Out of hours: {phone_link(contact.out_of_hours_phone)} (at any other time)")
    elif contact.hours and not contact.phone:
        found.append(f"Open: {markdown_text(contact.hours)}")
    if contact.email:
        found.append(f"Email: {email_link(contact.email)}")
    if contact.website:
        found.append(f"Website: {web_link(contact.website)}")
    return Markdown("  \n".join(line for line in found if line))


def file_size(size: int) -> str:
    """A file size as people read it: 84 KB, 1.2 MB."""
    if size < 1_000_000:
        return f"{max(1, round(size / 1000))} KB"
    return f"{size / 1_000_000:.1f} MB"
