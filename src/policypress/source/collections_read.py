"""Read every collection: declarations in content/collections/, and each level's changes.

Where the files live (the same file name, `<id>.yml`, at every level):
- `content/collections/<id>.yml`: the declaration (fields, display) and the shared entries;
- `schools/local-authorities/<la>/collections/<id>.yml`: a local authority's entries;
- `schools/<trust>/collections/<id>.yml`: a trust's;
- `schools/<trust>/<school>/collections/<id>.yml`: one school's.
"""

from __future__ import annotations

from collections.abc import Callable
from pathlib import Path
from typing import Any

from policypress.core.errors import Problem, ProblemCollector
from policypress.source.collection_schema import (
    Collection,
    CollectionDeclaration,
    CollectionOverlay,
    Collections,
    Entry,
    OverlayChanges,
    read_entries,
)
from policypress.source.project import LA_FOLDER, Project, SchoolSource, Source

ReadModel = Callable[[type[Any], Path], "Source[Any] | None"]
FOLDER = "collections"


def read_collections(root: Path, read_model: ReadModel, problems: ProblemCollector) -> Collections:
    """Every declared collection and every level's changes, each entry checked at its line."""
    declared: dict[str, Collection] = {}
    for path in _yml_files(root / "content" / FOLDER):
        source = read_model(CollectionDeclaration, path)
        if source:
            collection, found = _declared(path.stem, source)
            problems.extend(found)
            declared[path.stem] = collection
    overlays: dict[tuple[str, str], dict[str, OverlayChanges]] = {}
    for level, owner, folder in _overlay_folders(root / "schools"):
        for path in _yml_files(folder):
            changes = _overlay(path, read_model, declared, problems, root)
            if changes:
                overlays.setdefault((level, owner), {})[path.stem] = changes
    return Collections(declared, overlays)


def read_all_collections(root: Path, read_model: ReadModel, problems: ProblemCollector,
                         project: Project) -> Collections:
    """read_collections, then every school's overlays and contact roles checked against what reaches it."""
    collections = read_collections(root, read_model, problems)
    problems.extend(overlay_problems(collections, project.schools))
    problems.extend(contact_problems(collections, project))
    return collections


def _yml_files(folder: Path) -> list[Path]:
    return sorted(folder.glob("*.yml")) if folder.is_dir() else []


def _overlay_folders(schools: Path) -> list[tuple[str, str, Path]]:
    """(level, owner id, folder) of every collections folder below schools/."""
    if not schools.is_dir():
        return []
    found = [("local_authority", p.name, p / FOLDER) for p in sorted((schools / LA_FOLDER).glob("*/"))]
    for trust in sorted(p for p in schools.iterdir() if p.is_dir() and p.name != LA_FOLDER):
        found.append(("trust", trust.name, trust / FOLDER))
        found += [("school", p.name, p / FOLDER) for p in sorted(trust.iterdir())
                  if p.is_dir() and (trust / f"{p.name}.yml").exists()]
    return [(level, owner, folder) for level, owner, folder in found if folder.is_dir()]


def _declared(collection_id: str, source: Source[CollectionDeclaration]) -> tuple[Collection, list[Problem]]:
    declaration, path, lines = source.model, source.path, source.lines
    names = [spec.name for spec in declaration.fields]
    problems = [Problem(path, lines.get(("fields", i, "name"), 1), f"the field '{name}' is declared twice",
                        "declare each field once") for i, name in enumerate(names) if name in names[:i]]
    if "name" not in names:
        problems.append(Problem(path, lines.get(("fields",), 1), "the collection has no 'name' field",
                                "declare a field 'name' (type text, required): it heads each card"))
    problems += [Problem(path, lines.get(("display", "columns", i), 1), f"'{column}' is not a declared field",
                         f"use one of: {', '.join(dict.fromkeys(names))}")
                 for i, column in enumerate(declaration.display.columns) if column not in names]
    entries, found = read_entries(declaration.entries, declaration, path, lines, "entries")
    problems += found + _repeated_ids(entries, path)
    return Collection(collection_id, declaration, path, tuple(entries)), problems


def _overlay(path: Path, read_model: ReadModel, declared: dict[str, Collection], problems: ProblemCollector,
             root: Path) -> OverlayChanges | None:
    rel = path.relative_to(root).as_posix()
    if path.stem not in declared:
        if not (root / "content" / FOLDER / path.name).exists():  # else its own problems are reported
            problems.add(rel, 1, f"there is no collection '{path.stem}'",
                         f"declare it in content/{FOLDER}/{path.name}, or rename this file")
        return None
    source = read_model(CollectionOverlay, path)
    if source is None:
        return None
    declaration, lines = declared[path.stem].declaration, source.lines
    added, found = read_entries(source.model.entries, declaration, rel, lines, "entries")
    replaced, more = read_entries(source.model.replace, declaration, rel, lines, "replace")
    problems.extend(found + more + _repeated_ids(added, rel))
    removed = tuple((entry_id, lines.get(("remove", i), 1)) for i, entry_id in enumerate(source.model.remove))
    return OverlayChanges(rel, tuple(added), tuple(replaced), removed)


def _repeated_ids(entries: list[Any], path: str) -> list[Problem]:
    seen: set[str] = set()
    problems = []
    for entry in entries:
        if entry.id in seen:
            problems.append(Problem(path, entry.line, f"the entry id '{entry.id}' is used twice in this file",
                                    "give each entry its own id"))
        seen.add(entry.id)
    return problems


def merged_entries(collections: Collections, collection_id: str, school: SchoolSource,
                   problems: list[Problem] | None = None) -> list[Entry]:
    """The school's entries of one collection: shared, then its local authority's, its trust's and its own
    changes, in that order (an unknown id to replace or remove, or an id added twice, goes to problems)."""
    entries = {entry.id: entry for entry in collections.declared[collection_id].entries}
    for level in _levels(school):
        changes = collections.overlays.get(level, {}).get(collection_id)
        if changes:
            _apply(entries, changes, [] if problems is None else problems)
    return list(entries.values())


def _levels(school: SchoolSource) -> list[tuple[str, str]]:
    model = school.source.model
    return [("local_authority", model.local_authority), ("trust", school.trust), ("school", model.id)]


def _apply(entries: dict[str, Entry], changes: OverlayChanges, problems: list[Problem]) -> None:
    for entry_id, line in changes.remove:
        if entries.pop(entry_id, None) is None:
            problems.append(Problem(changes.path, line, f"there is no entry '{entry_id}' to remove",
                                    f"use one of: {', '.join(entries) or 'none yet'}"))
    for entry in changes.replace:
        if entry.id not in entries:
            problems.append(Problem(changes.path, entry.line, f"there is no entry '{entry.id}' to replace",
                                    "add it under 'entries:' instead, or use the id of an entry it replaces"))
        entries[entry.id] = entry
    for entry in changes.add:
        if entry.id in entries:
            problems.append(Problem(changes.path, entry.line, f"an entry '{entry.id}' is already there",
                                    "move it under 'replace:' to change that entry, or give it another id"))
        entries[entry.id] = entry


def overlay_problems(collections: Collections, schools: dict[str, SchoolSource]) -> list[Problem]:
    """Every school's merge problems, each reported once."""
    found: list[Problem] = []
    for school in schools.values():
        for collection_id in collections.declared:
            merged_entries(collections, collection_id, school, found)
    return list(dict.fromkeys(found))


def contact_problems(collections: Collections, project: Project) -> list[Problem]:
    """A contact field naming a role a school that gets the entry does not have, at the field's line, once."""
    found: list[Problem] = []
    for school in project.schools.values():
        roles = _roles(project, school)
        for collection_id, collection in collections.declared.items():
            fields = [spec.name for spec in collection.declaration.fields if spec.type == "contact"]
            for entry in merged_entries(collections, collection_id, school):
                found += [Problem(entry.path, entry.field_lines[name], f"'{entry.values[name]}' is not a contact of "
                                  f"{school.source.model.name}", "use a contact role of the school, its trust or "
                                  "its local authority, e.g. early_help") for name in fields
                          if entry.values.get(name) and entry.values[name] not in roles]
    return list(dict.fromkeys(found))


def _roles(project: Project, school: SchoolSource) -> set[str]:
    model = school.source.model
    authority = project.authorities.get(model.local_authority)
    trust = project.trusts.get(school.trust)
    return {*model.contacts, *(trust.model.contacts if trust else ()), *(authority.model.contacts if authority else ())}
