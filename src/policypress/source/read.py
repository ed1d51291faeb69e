"""Read and validate every file of the source tree (content/, schools/, approvals/), collecting every problem."""

from __future__ import annotations

import re
from dataclasses import replace
from pathlib import Path
from typing import Any, TypeVar

from pydantic import BaseModel

from policypress.core.errors import Problem, ProblemCollector
from policypress.source.approval_records import read_approvals
from policypress.source.collections_read import read_all_collections
from policypress.source.content_schema import Flowchart, PolicyMeta, Registry
from policypress.source.project import LA_FOLDER, SHARED, PolicySource, Project, SchoolSource, Scope, Source
from policypress.source.publishing_schema import Requirements, Terms
from policypress.source.reader import UnreadableFile, read_source
from policypress.source.school_schema import LocalAuthority, School, Trust
from policypress.source.sections import lines_from
from policypress.source.validation import validate
from policypress.source.yaml_lines import YamlProblem, load_yaml

M = TypeVar("M", bound=BaseModel)


class _Reader:
    """Reads files relative to root, collecting every problem instead of stopping."""

    def __init__(self, root: Path, problems: ProblemCollector) -> None:
        self.root = root
        self.problems = problems

    def rel(self, path: Path) -> str:
        return path.relative_to(self.root).as_posix()

    def text(self, path: Path) -> str | None:
        """The file's text through the one reader (inside the project, bounded, UTF-8), or None."""
        try:
            return read_source(self.root, path, self.rel(path))
        except UnreadableFile as exc:
            self.problems.extend([exc.problem])
            return None

    def model(self, cls: type[M], path: Path, text: str | None = None, first: int = 1) -> Source[M] | None:
        text = self.text(path) if text is None else text
        if text is None:
            return None
        rel = self.rel(path)
        soft: list[Problem] = []
        try:
            data, lines = load_yaml(text, rel, first, soft)
        except YamlProblem as exc:
            self.problems.extend(exc.problems)
            return None
        self.problems.extend(soft)
        if not isinstance(data, dict):
            self.problems.add(rel, first, "this file should hold keys and values",
                              "start it with the keys described in the README")
            return None
        model, found = validate(cls, data, lines, rel)
        self.problems.extend(found)
        return Source(model, rel, lines) if model else None

    def id_matches(self, source: Source[Any], expected: str) -> None:
        if source.model.id != expected:
            self.problems.add(source.path, source.lines.get(("id",), 1),
                              f"id '{source.model.id}' does not match the file name",
                              f"write 'id: {expected}' or rename the file")


def read_project(root: Path, problems: ProblemCollector) -> Project:
    """Read and validate every file and approval record; each problem found is added to problems.

    Missing top-level folders stop the reading at once (nothing else could be found)."""
    root = root.resolve()
    reader = _Reader(root, problems)
    _require_folders(root, problems)
    problems.raise_if_any()
    registry = reader.model(Registry, root / "content" / "statutory.yml")
    project = Project(
        root=root,
        policies=_load_policies(reader, root / "content" / "policies"),
        registry=registry or Source(Registry(entries={}), "content/statutory.yml", {}),
        flowcharts=_load_named(reader, Flowchart, root / "content" / "flowcharts"),
        authorities=_load_named(reader, LocalAuthority, root / "schools" / LA_FOLDER, check_id=True),
        trusts=_load_trusts(reader, root / "schools"),
        schools=_load_schools(reader, root / "schools"),
        trust_policies=_load_trust_policies(reader, root / "schools"),
        authority_policies=_load_authority_policies(reader, root / "schools" / LA_FOLDER),
        requirements=_optional(reader, Requirements, root / "content" / "publishing.yml"),
        terms=_optional(reader, Terms, root / "content" / "terms.yml"),
    )
    records, found = read_approvals(project)
    problems.extend(found)
    return replace(project, approvals=records, collections=read_all_collections(root, reader.model, problems,
                                                                                         project))


def _require_folders(root: Path, problems: ProblemCollector) -> None:
    for needed in ("content/policies", "content/statutory.yml", "schools"):
        if not (root / needed).exists():
            problems.add(needed, 1, f"{needed} is missing from {root}",
                         "run policypress from the project folder, or pass --root")


def _optional(reader: _Reader, cls: type[M], path: Path) -> Source[M] | None:
    """A file the project may leave out (it then has no requirements, or no old terms)."""
    return reader.model(cls, path) if path.exists() else None


def _yml_files(folder: Path) -> list[Path]:
    return sorted(folder.glob("*.yml")) if folder.is_dir() else []


def _load_named(reader: _Reader, cls: type[M], folder: Path, check_id: bool = False) -> dict[str, Source[M]]:
    found: dict[str, Source[M]] = {}
    for path in _yml_files(folder):
        source = reader.model(cls, path)
        if source:
            if check_id:
                reader.id_matches(source, path.stem)
            found[path.stem] = source
    return found


def _trust_folders(schools: Path) -> list[Path]:
    return sorted(p for p in schools.iterdir() if p.is_dir() and p.name != LA_FOLDER)


def _load_trusts(reader: _Reader, schools: Path) -> dict[str, Source[Trust]]:
    found: dict[str, Source[Trust]] = {}
    for folder in _trust_folders(schools):
        if not (folder / "trust.yml").exists():
            reader.problems.add(reader.rel(folder), 1, "this trust folder has no trust.yml",
                                "add trust.yml (see the README), or move the folder out of schools/")
            continue
        source = reader.model(Trust, folder / "trust.yml")
        if source:
            reader.id_matches(source, folder.name)
            found[folder.name] = source
    return found


def _load_schools(reader: _Reader, schools: Path) -> dict[str, SchoolSource]:
    found: dict[str, SchoolSource] = {}
    for folder in _trust_folders(schools):
        for path in _yml_files(folder):
            if path.name == "trust.yml":
                continue
            source = reader.model(School, path)
            if source is None:
                continue
            reader.id_matches(source, path.stem)
            if path.stem in found:
                reader.problems.add(source.path, 1, f"school id '{path.stem}' is used twice",
                                    f"rename one of it and {found[path.stem].source.path}")
            found[path.stem] = SchoolSource(folder.name, source)
    return found


def _load_trust_policies(reader: _Reader, schools: Path) -> dict[str, dict[str, PolicySource]]:
    """schools/<trust>/policies/<id>.md: models only that trust's schools may list."""
    found = {}
    for folder in _trust_folders(schools):
        if (folder / "policies").is_dir():
            found[folder.name] = _load_policies(reader, folder / "policies", Scope("trust", folder.name))
    return found


def _load_authority_policies(reader: _Reader, authorities: Path) -> dict[str, dict[str, PolicySource]]:
    """schools/local-authorities/<la>/policies/<id>.md: models only that local authority's schools may list."""
    found = {}
    folders = sorted(p for p in authorities.iterdir() if p.is_dir()) if authorities.is_dir() else []
    for folder in (f for f in folders if (f / "policies").is_dir()):
        if not (authorities / f"{folder.name}.yml").exists():
            known = ", ".join(p.stem for p in _yml_files(authorities)) or "none yet"
            reader.problems.add(reader.rel(folder / "policies"), 1,
                                f"these model policies belong to a local authority '{folder.name}' that has no file",
                                f"add schools/{LA_FOLDER}/{folder.name}.yml, or rename the folder to the id of "
                                f"a local authority: {known}")
            continue
        found[folder.name] = _load_policies(reader, folder / "policies", Scope("local-authority", folder.name))
    return found


def _load_policies(reader: _Reader, folder: Path, scope: Scope = SHARED) -> dict[str, PolicySource]:
    found: dict[str, PolicySource] = {}
    for path in sorted(folder.glob("*.md")):
        if not POLICY_ID.match(path.stem):
            reader.problems.add(reader.rel(path), 1, f"'{path.name}' is not a policy id: a model's id is its file name",
                                f"rename it in lower-case letters, digits and hyphens, e.g. {_as_id(path.stem)}.md")
            continue
        policy = _load_policy(reader, path, scope)
        if policy:
            found[policy.id] = policy
    return found


POLICY_ID = re.compile(r"^[a-z0-9][a-z0-9-]*$")  # as schema_types.Id: two files of a folder never share an id


def _as_id(name: str) -> str:
    """'Anti Bullying' → 'anti-bullying': the id a file name was probably meant to be."""
    return re.sub(r"[^a-z0-9]+", "-", name.lower()).strip("-") or "anti-bullying"


def _load_policy(reader: _Reader, path: Path, scope: Scope) -> PolicySource | None:
    text = reader.text(path)
    if text is None:
        return None
    lines = text.splitlines()
    end = next((i for i, t in enumerate(lines[1:], 1) if t.strip() == "---"), None)
    if not lines or lines[0].strip() != "---" or end is None:
        reader.problems.add(reader.rel(path), 1, "the policy has no front matter",
                            "start the file with '---', the policy's keys, then '---'")
        return None
    meta = reader.model(PolicyMeta, path, "\n".join(lines[1:end]), first=2)
    if meta is None:
        return None
    body = lines_from("\n".join(lines[end + 1:]), reader.rel(path), end + 2)
    return PolicySource(path.stem, meta, body, scope)
