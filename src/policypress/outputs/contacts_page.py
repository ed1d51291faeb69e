"""What the contacts page shows of the local authority, and every contact the page links to.

The page lists only the local authority's contacts that the school's published policies name,
grouped by what they are for (the category of the first policy naming each), never the authority's
whole list: a full directory of services belongs in a collection a policy shows (directory()).
"""

from __future__ import annotations

from policypress.compose.render import RenderedPolicy, RenderedSchool
from policypress.source.school_schema import Contact

FRONT_DOOR = "front_door"  # shown first, under "Worried about a child?"
NEED_FIRST = ("dsl", "deputy_dsl")
SCHOOL_NEEDS = ("headteacher", "chair_of_governors", "clerk")


def authority_groups(school: RenderedSchool) -> list[tuple[str, list[tuple[str, Contact]]]]:
    """[(category, [(role, contact)])]: the LA's contacts the public policies name, each once, by purpose."""
    own = {**school.trust.contacts, **school.school.contacts}  # a role the trust or school gives is theirs
    placed: set[str] = {FRONT_DOOR}
    groups: dict[str, list[tuple[str, Contact]]] = {}
    for policy in sorted(school.public_policies, key=lambda p: (p.meta.category, p.meta.title)):
        for role in policy.contacts_used:
            if role in school.authority.contacts and role not in own and role not in placed:
                placed.add(role)
                groups.setdefault(policy.meta.category, []).append((role, school.authority.contacts[role]))
    return list(groups.items())


def directories(school: RenderedSchool) -> list[tuple[str, RenderedPolicy, str]]:
    """(collection title, the first public policy showing it, collection id) for every collection shown."""
    found: dict[str, tuple[str, RenderedPolicy, str]] = {}
    for policy in sorted(school.public_policies, key=lambda p: (p.meta.category, p.meta.title)):
        for collection, _entries in policy.collections:
            found.setdefault(collection.id, (collection.declaration.title, policy, collection.id))
    return list(found.values())


def page_contacts(school: RenderedSchool) -> list[tuple[str, str, Contact]]:
    """(level, role, contact) of every contact on the page; level is 'school', 'trust' or 'local_authority',
    the file it is written in."""
    merged = school.contacts
    found = [(_level(school, role), role, merged[role]) for role in (*NEED_FIRST, FRONT_DOOR) if role in merged]
    found += [("school", role, c) for role, c in school.school.contacts.items() if role not in NEED_FIRST]
    found += [("local_authority", role, c) for _, group in authority_groups(school) for role, c in group]
    found += [("trust", role, c) for role, c in school.trust.contacts.items()]
    return found


def _level(school: RenderedSchool, role: str) -> str:
    if role in school.school.contacts:
        return "school"
    return "trust" if role in school.trust.contacts else "local_authority"
