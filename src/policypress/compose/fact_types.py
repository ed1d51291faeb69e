"""Every kind of fact policy text can use, declared once.

Rendering (compose/facts.py) builds the template's names from this list, provenance
(compose/provenance.py) tags each word a fact prints with its kind, the redline
(governors/redline.py) says in governors' words what a changed fact is, and error messages list
what placeholders may use. A new kind of fact is one entry here: none of them can forget it.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass
from typing import Any

from policypress.source.project import Project, SchoolSource


@dataclass(frozen=True)
class FactType:
    """One name policy text can use, and how its values are found and traced."""

    name: str
    """The name in templates: school for {{ school.name }}, contact for {{ contact('dsl') }}."""
    usage: str
    """How a placeholder writes it, for error messages: school.* or contact('role')."""
    value: Callable[[Any], Any]
    """Its value among one school's facts (compose/facts.Facts): a record, or a function of one key."""
    kind: str | None = None
    """The origin recorded with each word it prints ('fact:KIND:KEY'); None: not traced."""
    describe: Callable[[Project, SchoolSource, str], FactWords] | None = None
    """What a value of this kind is, as governors read it, given the key ('details' for a record)."""
    lookup: bool = False
    """Called with a key, e.g. contact('dsl'), rather than read by attribute."""
    in_flowcharts: bool = True
    """Flowchart labels and conditions may use it."""


@dataclass(frozen=True)
class FactWords:
    """A fact as governors read it in the redline: '[a contact] changed: [deputy DSL] Karen Lowe → Daniel Osei'.

    Never a file, a line or a key as the source writes it: the pack is read at a meeting.
    """

    what: str
    """What kind of thing it is, e.g. 'a contact', 'the statutory guidance', "our school's details"."""
    name: str = ""
    """Which one, e.g. 'deputy DSL' or 'KCSIE' ('' when the kind says it all)."""


# Short names that read better in capitals than as the words of a role key.
ACRONYMS = {"dsl": "DSL", "senco": "SENCO", "lado": "LADO", "ceo": "CEO", "send": "SEND", "dpo": "DPO",
            "pshe": "PSHE", "sen": "SEN", "hr": "HR", "cfo": "CFO", "coo": "COO"}
SHORT_TITLE_WORDS = 4  # a contact's title this short is its name in the redline; longer ones give way to the role


def _school_words(_project: Project, _school: SchoolSource, _key: str) -> FactWords:
    return FactWords("our school's details")


def _trust_words(_project: Project, _school: SchoolSource, _key: str) -> FactWords:
    return FactWords("the trust's details")


def _authority_words(_project: Project, _school: SchoolSource, _key: str) -> FactWords:
    return FactWords("the local authority's details")


def _contact_words(project: Project, school: SchoolSource, role: str) -> FactWords:
    """'a contact' and the role as people say it: 'deputy DSL' where the role has a short name, else
    the contact's own title if it is short ('chair of governors'), else the role's words."""
    model = school.source.model
    contacts = {**project.authorities[model.local_authority].model.contacts,
                **project.trusts[school.trust].model.contacts, **model.contacts}
    title = contacts[role].title if role in contacts else ""
    if any(part in ACRONYMS for part in role.split("_")) or not 0 < len(title.split()) <= SHORT_TITLE_WORDS:
        return FactWords("a contact", role_words(role))
    return FactWords("a contact", _in_sentence(title))


def _in_sentence(title: str) -> str:
    """A title as it reads inside a sentence: 'Chair of governors' → 'chair of governors'; 'SENCO' stays."""
    return title if title[:2].isupper() else title[0].lower() + title[1:]


def role_words(role: str) -> str:
    """A role key as words: deputy_dsl → 'deputy DSL', chair_of_governors → 'chair of governors'."""
    return " ".join(ACRONYMS.get(part, part) for part in role.split("_"))


REGISTRY_KIND_WORDS = {"statutory_guidance": "the statutory guidance", "advice": "the government's advice",
                       "legislation": "the law"}


def _registry_words(project: Project, _school: SchoolSource, entry_id: str) -> FactWords:
    """'the statutory guidance' and the name people cite it by (its first alias, else its title)."""
    entry = project.registry.model.entries.get(entry_id)
    if entry is None:  # cited when approved, since taken out of the registry
        return FactWords("the statutory guidance")
    return FactWords(REGISTRY_KIND_WORDS[entry.kind], entry.aliases[0] if entry.aliases else entry.title)


FACT_TYPES: tuple[FactType, ...] = (
    FactType("school", "school.*", lambda facts: facts.school, "school", _school_words),
    FactType("trust", "trust.*", lambda facts: facts.trust, "trust", _trust_words),
    FactType("local_authority", "local_authority.*", lambda facts: facts.authority, "local_authority",
             _authority_words),
    FactType("policy", "policy.*", lambda facts: facts.meta, in_flowcharts=False),
    FactType("contact", "contact('role')", lambda facts: facts.contact, "contact", _contact_words, lookup=True),
    FactType("ref", "ref('id')", lambda facts: facts.ref, "registry", _registry_words, lookup=True,
             in_flowcharts=False),
    FactType("flowchart", "flowchart('id')", lambda facts: facts.flowchart, lookup=True, in_flowcharts=False),
    FactType("picture", "picture('name')", lambda facts: facts.picture, lookup=True, in_flowcharts=False),
    FactType("directory", "directory('id')", lambda facts: facts.directory, lookup=True,
             in_flowcharts=False),
    FactType("collection", "collection('id')", lambda facts: facts.collection, lookup=True,
             in_flowcharts=False),
)


def fact_types() -> tuple[FactType, ...]:
    """The declared fact types (read at each call, so that a test can declare one more)."""
    return FACT_TYPES


def describe_origin(kind: str, key: str, project: Project, school: SchoolSource) -> FactWords:
    """A fact origin ('fact:KIND:KEY' without 'fact:') as governors read it."""
    found = next((t for t in fact_types() if t.kind == kind and t.describe), None)
    return found.describe(project, school, key) if found and found.describe else FactWords("a fact")
