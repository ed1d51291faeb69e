"""The collections a school's public policies show, as data for policies.json.

Each collection once, by id, with its title, description and this school's entries; a policy
lists the ids it shows. A contact field gives the role and the contact it resolves to.
"""

from __future__ import annotations

from typing import Any

from policypress.compose.render import RenderedSchool
from policypress.source.collection_schema import Collection, Entry


def collections_json(school: RenderedSchool) -> dict[str, Any]:
    """{collection id: {title, description, entries}} for every collection a public policy shows."""
    found: dict[str, Any] = {}
    for policy in school.public_policies:
        for collection, entries in policy.collections:
            found.setdefault(collection.id, {
                "title": collection.declaration.title, "description": collection.declaration.description,
                "entries": [_entry(collection, entry, school) for entry in entries]})
    return dict(sorted(found.items()))


def _entry(collection: Collection, entry: Entry, school: RenderedSchool) -> dict[str, Any]:
    kinds = {spec.name: spec.type for spec in collection.declaration.fields}
    return {"id": entry.id, **{name: _value(kinds[name], value, school) for name, value in entry.values.items()}}


def _value(kind: str, value: Any, school: RenderedSchool) -> Any:
    contact = school.contacts.get(value) if kind == "contact" else None
    if contact is None:
        return value
    return {"role": value, "name": contact.name, "phone": contact.phone, "email": contact.email,
            "website": contact.website}
