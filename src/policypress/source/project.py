"""The project's types: the validated source, each model with its file and the line of every key.

Only types live here (no reading, no rendering), so every stage can name them without pulling
in the code that makes them.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from pathlib import Path
from typing import Generic, TypeVar

from pydantic import BaseModel

from policypress.source.collection_schema import Collections
from policypress.source.content_schema import Flowchart, PolicyMeta, Registry
from policypress.source.school_schema import Approval, LocalAuthority, School, Trust
from policypress.source.sections import Line
from policypress.source.yaml_lines import LineMap

M = TypeVar("M", bound=BaseModel)
LA_FOLDER = "local-authorities"


@dataclass(frozen=True)
class Source(Generic[M]):
    """A validated model with the file it came from and the line of every key."""

    model: M
    path: str
    lines: LineMap


@dataclass(frozen=True)
class PolicySource:
    """A model policy: validated front matter and its Markdown body as source lines."""

    id: str
    meta: Source[PolicyMeta]
    body: list[Line]


@dataclass(frozen=True)
class SchoolSource:
    """A school file and the id of the trust whose folder holds it."""

    trust: str
    source: Source[School]


@dataclass(frozen=True)
class Snapshot:
    """One approval file: the record, the policy's Markdown as approved, and where it is."""

    approval: Approval
    markdown: str
    path: str  # relative to the project folder
    lines: LineMap  # the line of each front-matter key


Records = dict[tuple[str, str], tuple[Snapshot, ...]]  # (school id, policy id) -> oldest first


@dataclass(frozen=True)
class Project:
    """The whole validated source, ready to render."""

    root: Path
    policies: dict[str, PolicySource]
    registry: Source[Registry]
    flowcharts: dict[str, Source[Flowchart]]
    authorities: dict[str, Source[LocalAuthority]]
    trusts: dict[str, Source[Trust]]
    schools: dict[str, SchoolSource]
    approvals: Records = field(default_factory=dict)  # approvals/<school>/<policy>/ files, oldest first
    collections: Collections = field(default_factory=Collections)  # source/collections_read.py


def latest_snapshot(project: Project, school_id: str, policy_id: str) -> Snapshot | None:
    """The newest approval file of this school's policy, if it has any."""
    found = project.approvals.get((school_id, policy_id), ())
    return found[-1] if found else None
