"""directory("id") and collection("id"): a collection's entries for one school, in policy text.

directory() prints the entries as cards (Material's grid cards: a list of boxes; in the PDF, one
block per entry) or as a Markdown table; collection() gives the entries to a `{% for %}` loop, each
value printed as a fact (escaped, wording.markdown_text). Every value is text: the cards are our
own HTML with every value escaped by html.escape, the table's cells are escaped Markdown.
"""

from __future__ import annotations

import html
from collections.abc import Iterable, Sequence
from typing import Any, Literal

from policypress.compose.template_problems import FactMissing
from policypress.compose.wording import Markdown, email_link, markdown_text, phone_href, phone_link, web_link
from policypress.source.collection_schema import Collection, Entry, FieldSpec
from policypress.source.collections_read import merged_entries
from policypress.source.school_schema import Contact

Layout = Literal["cards", "table"]


def entries_for(facts: Any, collection_id: str) -> tuple[Collection, list[Entry]]:
    """The collection and this school's entries of it, remembered as shown by the policy being rendered."""
    collections = facts.project.collections
    if collection_id not in collections.declared:
        known = ", ".join(sorted(collections.declared)) or "none yet"
        raise FactMissing(f"there is no collection '{collection_id}'",
                          f"declare it in content/collections/{collection_id}.yml, or use one of: {known}")
    entries = merged_entries(collections, collection_id, facts.project.schools[facts.school.id])
    facts.listed[collection_id] = (collections.declared[collection_id], entries)
    return collections.declared[collection_id], entries


def collection(facts: Any, collection_id: str) -> list[dict[str, Any]]:
    """The entries for a loop: each a record of every declared field (None where left out), and its id."""
    found, entries = entries_for(facts, collection_id)
    return [{"id": entry.id, **{spec.name: _loop_value(facts, spec, entry.values.get(spec.name))
                                for spec in found.declaration.fields}} for entry in entries]


def _loop_value(facts: Any, spec: FieldSpec, value: Any) -> Any:
    return facts.contacts().get(value) if spec.type == "contact" and value else value


def directory(facts: Any, collection_id: str, layout: Layout | None = None) -> Markdown:
    """The entries as cards or a table (the collection's own display when layout is left out)."""
    found, entries = entries_for(facts, collection_id)
    chosen = layout or found.declaration.display.layout
    if chosen not in ("cards", "table"):
        raise FactMissing(f"'{chosen}' is not a layout of directory()", 'write layout="cards" or layout="table"')
    if not entries:
        return Markdown("")
    contacts = {entry.id: _contacts_of(facts, found, entry) for entry in entries}
    if chosen == "table":
        return Markdown(_table(found, entries, contacts))
    return Markdown(cards_markdown(found, entries, contacts))


def _contacts_of(facts: Any, found: Collection, entry: Entry) -> dict[str, Contact]:
    """The entry's contact fields, each resolved like contact('role') (an unknown role is reported at the
    entry's line by source/collections_read.contact_problems, so it is left out here)."""
    known = facts.contacts()
    return {spec.name: facts.contact(entry.values[spec.name]) for spec in found.declaration.fields
            if spec.type == "contact" and entry.values.get(spec.name) in known}


def label(spec: FieldSpec) -> str:
    """What readers see before a value: the declared label, else the field name's words."""
    return spec.label or spec.name.replace("_", " ").capitalize()


# Cards -------------------------------------------------------------------------------------------
# Policy text (so its PDF, search, redline and pack) gets each card as an item of a Markdown list;
# the site's page swaps that list for Material's grid cards (site_cards), written from the same
# entries, after the policy text is sanitised.

def cards_markdown(found: Collection, entries: list[Entry], contacts: dict[str, dict[str, Contact]]) -> str:
    """The entries as a Markdown list: the name in bold, then one paragraph a field ('Label: value')."""
    items = [_card_markdown(found, entry, contacts[entry.id]) for entry in entries]
    return "\n\n" + "\n\n".join(items) + "\n\n"


def _card_markdown(found: Collection, entry: Entry, contacts: dict[str, Contact]) -> str:
    parts = [f"- **{markdown_text(entry.values['name'])}**"]
    for spec in found.declaration.fields:
        value = entry.values.get(spec.name)
        if spec.name != "name" and value not in (None, "", []):
            parts += _markdown_value(spec, value, contacts.get(spec.name))
    return "\n\n    ".join(parts)


def _markdown_value(spec: FieldSpec, value: Any, contact: Contact | None) -> list[str]:
    head = f"**{markdown_text(label(spec))}:** "
    if spec.type == "multiline":  # the label starts the first paragraph
        paragraphs = [markdown_text(" ".join(p.split())) for p in str(value).split("\n\n") if p.strip()]
        return [f"{head if i == 0 else ''}{p}" for i, p in enumerate(paragraphs)]
    if spec.type == "list":
        return [head + ", ".join(markdown_text(v) for v in value)]
    return [head + _cell(spec, value, contact)]


def site_cards(markdown: str, shown: Iterable[tuple[Collection, Sequence[Entry]]], contacts: dict[str, Contact]) -> str:
    """The policy's Markdown with each list cards_markdown wrote replaced by the site's grid cards."""
    for found, entries in shown:
        resolved = {entry.id: {spec.name: contacts[entry.values[spec.name]] for spec in found.declaration.fields
                               if spec.type == "contact" and entry.values.get(spec.name) in contacts}
                    for entry in entries}
        written = cards_markdown(found, list(entries), resolved)
        markdown = markdown.replace(written.strip("\n"), _cards(found, list(entries), resolved).strip("\n"), 1)
    return markdown


def _cards(found: Collection, entries: list[Entry], contacts: dict[str, dict[str, Contact]]) -> str:
    items = [_card(found, entry, contacts[entry.id]) for entry in entries]
    slug = html.escape(found.id)
    return (f'\n\n<div class="grid cards pp-directory" id="directory-{slug}">\n<ul>\n'
            + "\n".join(items) + "\n</ul>\n</div>\n\n")


def _card(found: Collection, entry: Entry, contacts: dict[str, Contact]) -> str:
    parts = [f"<p><strong>{html.escape(entry.values['name'])}</strong></p>"]
    for spec in found.declaration.fields:
        value = entry.values.get(spec.name)
        if spec.name != "name" and value not in (None, "", []):
            parts.append(_card_value(spec, value, contacts.get(spec.name)))
    return f'<li id="{html.escape(found.id)}-{html.escape(entry.id)}">' + "".join(parts) + "</li>"


def _card_value(spec: FieldSpec, value: Any, contact: Contact | None) -> str:
    head = f"<strong>{html.escape(label(spec))}:</strong> "
    if spec.type == "multiline":  # the label starts the first paragraph
        paragraphs = [html.escape(" ".join(p.split())) for p in str(value).split("\n\n") if p.strip()]
        return "".join(f"<p>{head if i == 0 else ''}{p}</p>" for i, p in enumerate(paragraphs))
    if spec.type == "list":
        return f"<p>{head}{', '.join(html.escape(v) for v in value)}</p>"
    return f"<p>{head}{html_value(spec.type, value, contact)}</p>"


def html_value(kind: str, value: str, contact: Contact | None = None) -> str:
    """One value as HTML: a web address, email or telephone number as a link, a contact as name and links."""
    shown = html.escape(value)
    if kind == "url":
        return f'<a href="{html.escape(value, quote=True)}">{shown}</a>'
    if kind == "email":
        return f'<a href="mailto:{html.escape(value, quote=True)}">{shown}</a>'
    if kind == "phone":
        return f'<a href="{phone_href(value)}">{shown}</a>'
    if kind == "contact" and contact:
        return _contact_html(contact)
    return shown


def _contact_html(contact: Contact) -> str:
    parts = [html.escape(contact.name)]
    if contact.phone:
        parts.append(html_value("phone", contact.phone))
    if contact.email:
        parts.append(html_value("email", contact.email))
    return ", ".join(parts)


# Table -------------------------------------------------------------------------------------------

def _table(found: Collection, entries: list[Entry], contacts: dict[str, dict[str, Contact]]) -> str:
    specs = {spec.name: spec for spec in found.declaration.fields}
    names = found.declaration.display.columns or [s.name for s in found.declaration.fields if s.required]
    columns = [specs[name] for name in names]
    rows = ["| " + " | ".join(markdown_text(label(spec)) for spec in columns) + " |",
            "|" + "---|" * len(columns)]
    for entry in entries:
        cells = [_cell(spec, entry.values.get(spec.name), contacts[entry.id].get(spec.name)) for spec in columns]
        rows.append("| " + " | ".join(cells) + " |")
    return "\n\n" + "\n".join(rows) + "\n\n"


def _cell(spec: FieldSpec, value: Any, contact: Contact | None) -> str:
    if value in (None, "", []):
        return "—"
    if spec.type == "list":
        return "; ".join(markdown_text(v) for v in value)
    if spec.type == "contact" and contact:
        return ", ".join([markdown_text(contact.name), *([phone_link(contact.phone)] if contact.phone else []),
                          *([email_link(contact.email)] if contact.email else [])])
    links = {"url": web_link, "email": email_link, "phone": phone_link}
    return str(links[spec.type](value)) if spec.type in links else markdown_text(value)
