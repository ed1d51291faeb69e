"""Every kind of fact policy text can use, declared once.

Rendering (compose/facts.py) builds the template's names from this list, provenance
(compose/provenance.py) tags each word a fact prints with its kind, the redline
(governors/redline.py) says in words where a changed fact is written, and error messages list
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
    describe: Callable[[Project, SchoolSource, str], str] | None = None
    """Where a value of this kind is written, as governors read it, given the key ('details' for a record)."""
    lookup: bool = False
    """Called with a key, e.g. contact('dsl'), rather than read by attribute."""
    in_flowcharts: bool = True
    """Flowchart labels and conditions may use it."""


def _school_file(project: Project, school: SchoolSource, _key: str) -> str:
    return f"School facts ({school.source.path})"


def _trust_file(project: Project, school: SchoolSource, _key: str) -> str:
    return f"Trust facts ({project.trusts[school.trust].path})"


def _authority_file(project: Project, school: SchoolSource, _key: str) -> str:
    return f"Local authority facts ({project.authorities[school.source.model.local_authority].path})"


def _contact_file(project: Project, school: SchoolSource, role: str) -> str:
    """Which file defines the contact this school uses: its own, the trust's, or the local authority's."""
    if role in school.source.model.contacts:
        owner = _school_file(project, school, role)
    elif role in project.trusts[school.trust].model.contacts:
        owner = _trust_file(project, school, role)
    else:
        owner = _authority_file(project, school, role)
    return f"{owner}: the {role.replace('_', ' ')} contact"


def _registry_file(project: Project, _school: SchoolSource, entry_id: str) -> str:
    return f"Statutory registry update: {entry_id} ({project.registry.path})"


FACT_TYPES: tuple[FactType, ...] = (
    FactType("school", "school.*", lambda facts: facts.school, "school", _school_file),
    FactType("trust", "trust.*", lambda facts: facts.trust, "trust", _trust_file),
    FactType("local_authority", "local_authority.*", lambda facts: facts.authority, "local_authority",
             _authority_file),
    FactType("policy", "policy.*", lambda facts: facts.meta, in_flowcharts=False),
    FactType("contact", "contact('role')", lambda facts: facts.contact, "contact", _contact_file, lookup=True),
    FactType("ref", "ref('id')", lambda facts: facts.ref, "registry", _registry_file, lookup=True,
             in_flowcharts=False),
    FactType("flowchart", "flowchart('id')", lambda facts: facts.flowchart, lookup=True, in_flowcharts=False),
)


def fact_types() -> tuple[FactType, ...]:
    """The declared fact types (read at each call, so that a test can declare one more)."""
    return FACT_TYPES


def describe_origin(kind: str, key: str, project: Project, school: SchoolSource) -> str:
    """A fact origin ('fact:KIND:KEY' without 'fact:') in words, naming the file to edit."""
    found = next((t for t in fact_types() if t.kind == kind and t.describe), None)
    return found.describe(project, school, key) if found and found.describe else "Facts (?)"
