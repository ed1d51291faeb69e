"""Collections: repeated structured entries (a directory of services, say) as data.

A collection is declared once, in `content/collections/<id>.yml`: its title, its fields (name,
type, required, description), how it is displayed, and optionally shared entries. A local
authority, a trust or a school adds, replaces or removes entries with a file of the same name in
its own `collections/` folder (see source/collections_read.py for where those files live). Every
entry is checked against the declared fields at its own line.
"""

from __future__ import annotations

import re
from dataclasses import dataclass, field
from typing import Annotated, Any, Literal

from pydantic import Field, StringConstraints

from policypress.core.errors import Problem
from policypress.source.schema_types import Id, Strict, Text
from policypress.source.yaml_lines import LineMap, Loc

FieldName = Annotated[str, StringConstraints(pattern=r"^[a-z][a-z0-9_]*$")]
FieldType = Literal["text", "multiline", "url", "email", "phone", "contact", "list"]
URL = re.compile(r"^https?://[^\s]+$")
EMAIL = re.compile(r"^[^@\s]+@[^@\s]+\.[^@\s]+$")
PHONE = re.compile(r"^\+?[0-9][0-9 ]{2,20}[0-9]$")
ROLE = re.compile(r"^[a-z][a-z0-9_]*$")


class FieldSpec(Strict):
    """One field every entry of the collection may (or must) have."""

    name: FieldName
    """The key entries write it under, e.g. 'how_to_refer' (lower case, digits and underscores)."""
    type: FieldType = "text"
    """text (one line), multiline (paragraphs), url, email, phone, contact (a role, as contact('role')) or list."""
    required: bool = False
    """Every entry must give it."""
    label: Text | None = None
    """What readers see before the value, e.g. 'How to refer'; left out: the name's words."""
    description: str = ""
    """What the field holds, for whoever writes entries."""


class Display(Strict):
    """How directory("id") shows the collection when the policy does not say."""

    layout: Literal["cards", "table"] = "cards"
    """cards (one box per entry, every field) or table (one row per entry)."""
    columns: list[FieldName] = Field(default_factory=list)
    """The fields a table shows, in order; left out: the required ones."""


class CollectionDeclaration(Strict):
    """content/collections/<id>.yml: a collection's fields, declared once, and its shared entries."""

    title: Text
    """The collection's name as readers see it, e.g. 'Support services for families'."""
    description: str = ""
    """What the collection is for."""
    fields: list[FieldSpec] = Field(min_length=1)
    """The fields of an entry; 'name' must be one of them (it heads each card)."""
    display: Display = Field(default_factory=Display)
    """How the entries are shown by default."""
    entries: list[dict[str, Any]] = Field(default_factory=list)
    """Entries every school gets (each with an 'id'); local authorities, trusts and schools add their own."""


class CollectionOverlay(Strict):
    """A local authority's, trust's or school's `collections/<id>.yml`: its changes to the entries."""

    entries: list[dict[str, Any]] = Field(default_factory=list)
    """New entries (each with an id not used at a wider level)."""
    replace: list[dict[str, Any]] = Field(default_factory=list)
    """Entries that take the place of a wider level's entry with the same id."""
    remove: list[Id] = Field(default_factory=list)
    """Ids of a wider level's entries this level does not show."""


@dataclass(frozen=True)
class Entry:
    """One validated entry, with the file and line of the entry and of each of its fields."""

    id: str
    values: dict[str, Any]
    path: str
    line: int
    field_lines: dict[str, int] = field(default_factory=dict)


@dataclass(frozen=True)
class OverlayChanges:
    """One level's validated changes to a collection."""

    path: str
    add: tuple[Entry, ...] = ()
    replace: tuple[Entry, ...] = ()
    remove: tuple[tuple[str, int], ...] = ()  # (id, line)


@dataclass(frozen=True)
class Collection:
    """A declared collection: its declaration, where it is, and its shared entries."""

    id: str
    declaration: CollectionDeclaration
    path: str
    entries: tuple[Entry, ...] = ()


@dataclass(frozen=True)
class Collections:
    """Every collection and every level's changes: overlays[(level, owner)][collection id]."""

    declared: dict[str, Collection] = field(default_factory=dict)
    overlays: dict[tuple[str, str], dict[str, OverlayChanges]] = field(default_factory=dict)


def read_entries(raw: list[dict[str, Any]], declaration: CollectionDeclaration, path: str, lines: LineMap,
                 key: str) -> tuple[list[Entry], list[Problem]]:
    """The entries under key, each checked against the declared fields; every problem at its line."""
    entries, problems = [], []
    for index, item in enumerate(raw):
        entry, found = read_entry(item, declaration, path, lines, (key, index))
        problems += found
        if entry:
            entries.append(entry)
    return entries, problems


def read_entry(item: dict[str, Any], declaration: CollectionDeclaration, path: str, lines: LineMap,
               loc: Loc) -> tuple[Entry | None, list[Problem]]:
    """One entry: an id, only declared fields, every required one, each value of its type."""
    line = lines.get(loc, 1)
    specs = {spec.name: spec for spec in declaration.fields}
    problems = [Problem(path, lines.get((*loc, name), line), f"'{name}' is not a field of this collection",
                        f"use one of: {', '.join(['id', *specs])}") for name in item if name not in specs
                and name != "id"]
    entry_id = item.get("id")
    if not isinstance(entry_id, str) or not re.match(r"^[a-z0-9][a-z0-9-]*$", entry_id):
        problems.append(Problem(path, line, "this entry has no valid id",
                                "give it 'id:' in lower-case letters, digits and hyphens, e.g. family-support"))
    for spec in declaration.fields:
        value = item.get(spec.name)
        where = lines.get((*loc, spec.name), line)
        if value in (None, "", []):
            if spec.required:
                problems.append(Problem(path, line, f"this entry has no '{spec.name}', which every entry needs",
                                        f"add '{spec.name}:' ({spec.description or spec.type})"))
            continue
        problems += [Problem(path, where, what, fix) for what, fix in value_problems(spec, value)]
    if problems:
        return None, problems
    values = {name: _clean(specs[name], value) for name, value in item.items() if name != "id"}
    field_lines = {name: lines.get((*loc, name), line) for name in values}
    return Entry(str(entry_id), values, path, line, field_lines), []


def _clean(spec: FieldSpec, value: Any) -> Any:
    if spec.type == "list":
        return [str(v).strip() for v in value]
    return str(value).strip()


def value_problems(spec: FieldSpec, value: Any) -> list[tuple[str, str]]:
    """What is wrong with one value for its declared type, as (what, fix); [] when it is right."""
    if spec.type == "list":
        if not isinstance(value, list) or any(isinstance(v, dict | list) for v in value):
            return [(f"'{spec.name}' should be a list of text", f"write each item on its own '- ' line under "
                     f"'{spec.name}:'")]
        return []
    if isinstance(value, dict | list | bool):
        return [(f"'{spec.name}' should be {spec.type} text, not a list or keys", "write it on one line")]
    text = str(value).strip()
    rule = {"url": (URL, "is not a web address", "write the whole address, starting https://"),
            "email": (EMAIL, "is not an email address", "write it as name@domain, e.g. office@example.org"),
            "phone": (PHONE, "is not a telephone number", "write digits and spaces, e.g. 01632 960123"),
            "contact": (ROLE, "is not a contact role", "write a role such as early_help, as contact('role') takes")}
    if spec.type in rule:
        pattern, what, fix = rule[spec.type]
        if not pattern.match(text):
            return [(f"'{spec.name}': '{text}' {what}", fix)]
    return []

