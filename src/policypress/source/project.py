"""The project's types: the validated source, each model with its file and the line of every key.

Only types live here (no reading, no rendering), so every stage can name them without pulling
in the code that makes them.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from pathlib import Path
from typing import Generic, Literal, TypeVar

from pydantic import BaseModel

from policypress.source.collection_schema import Collections
from policypress.source.content_schema import Flowchart, PolicyMeta, Registry
from policypress.source.publishing_schema import Requirements, Terms
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
class Scope:
    """Who may use a model policy: every school, one trust's schools, or one local authority's schools."""

    kind: Literal["shared", "trust", "local-authority"]
    owner: str = ""  # the trust's or the local authority's id; "" when shared

    def words(self) -> str:
        """'trust 'riverside-academy-trust'', 'local authority 'westmere'', or 'every trust (shared)'."""
        return "every trust (shared)" if self.kind == "shared" else f"{self.kind.replace('-', ' ')} '{self.owner}'"


SHARED = Scope("shared")


@dataclass(frozen=True)
class PolicySource:
    """A model policy: validated front matter and its Markdown body as source lines."""

    id: str
    meta: Source[PolicyMeta]
    body: list[Line]
    scope: Scope = SHARED


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
    trust_policies: dict[str, dict[str, PolicySource]] = field(default_factory=dict)  # schools/<trust>/policies/
    authority_policies: dict[str, dict[str, PolicySource]] = field(default_factory=dict)  # …/<la>/policies/
    requirements: Source[Requirements] | None = None  # content/publishing.yml, when the project has one
    terms: Source[Terms] | None = None  # content/terms.yml, when the project has one

    # Which model a school gets: the rule lives here and nowhere else. The trust's own model first,
    # then its local authority's, then the shared one: a nearer model replaces a farther one of the
    # same id, so a trust can write its own anti-bullying policy without renaming the shared one.

    def levels(self, school: SchoolSource) -> list[dict[str, PolicySource]]:
        """The models a school can see, nearest first: its trust's, its local authority's, the shared ones."""
        return [self.trust_policies.get(school.trust, {}),
                self.authority_policies.get(school.source.model.local_authority, {}), self.policies]

    def find_model(self, school: str | SchoolSource, policy_id: str) -> PolicySource | None:
        """The model policy this school (its id, or itself) publishes under policy_id, or None if its scope has none."""
        source = self.schools[school] if isinstance(school, str) else school
        return next((level[policy_id] for level in self.levels(source) if policy_id in level), None)

    def model_for(self, school: str | SchoolSource, policy_id: str) -> PolicySource:
        """The model policy this school publishes under policy_id (the project is checked: it has one)."""
        found = self.find_model(school, policy_id)
        if found is None:
            raise KeyError(f"school '{school}' can see no model '{policy_id}'")
        return found

    def models_seen_by(self, school: SchoolSource) -> dict[str, PolicySource]:
        """Every model the school could list, by id (a nearer model replacing a farther one)."""
        found: dict[str, PolicySource] = {}
        for level in reversed(self.levels(school)):
            found.update(level)
        return found

    def trust_model(self, trust_id: str, policy_id: str) -> PolicySource | None:
        """The model a trust's overlay of policy_id adapts: its own, else one its schools see, else the shared."""
        if policy_id in self.trust_policies.get(trust_id, {}):
            return self.trust_policies[trust_id][policy_id]
        schools = [school for _, school in sorted(self.schools.items()) if school.trust == trust_id]
        found = next((found for school in schools if (found := self.find_model(school, policy_id))), None)
        return found or self.policies.get(policy_id)

    def all_models(self) -> list[PolicySource]:
        """Every model policy of every scope: shared, then each trust's, then each local authority's."""
        found = list(self.policies.values())
        for scoped in (*self.trust_policies.values(), *self.authority_policies.values()):
            found += scoped.values()
        return found


def latest_snapshot(project: Project, school_id: str, policy_id: str) -> Snapshot | None:
    """The newest approval file of this school's policy, if it has any."""
    found = project.approvals.get((school_id, policy_id), ())
    return found[-1] if found else None
