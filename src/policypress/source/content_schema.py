"""The content files: policy front matter, the statutory registry and flowcharts."""

from __future__ import annotations

import datetime as dt
from typing import Annotated, Literal

from pydantic import ConfigDict, Field, StringConstraints

from policypress.source.schema_types import Approver, Audience, Id, ReviewCycle, Role, Strict, Text, Url


class PolicyMeta(Strict):
    """Front matter of a model policy in content/policies/<id>.md."""

    title: Text
    """Title of the policy."""
    summary: Text
    """One line for parents: what the policy is for."""
    category: Text
    """Home-page group, e.g. 'Safeguarding', 'Behaviour', 'Complaints'."""
    statutory: bool
    """Whether law or statutory guidance requires the policy."""
    approver: Approver
    """The body that approves it."""
    review_cycle: ReviewCycle
    """annually, every_2_years, every_3_years, every_4_years, or 'N months'."""
    max_review_cycle: ReviewCycle | None = None
    """Longest review cycle a trust or school overlay may set (e.g. annually: KCSIE asks for a yearly review
    of child protection). Left out: a statutory policy may only be shortened, others have no limit."""
    owner: Role
    """Contact role that owns the policy, e.g. dsl or headteacher."""
    author: Text | None = None
    """Who wrote it: a contact role (e.g. dsl) or a name; shown in document control."""
    reviewer: Text | None = None
    """Who reviews it: a contact role or a name; shown in document control."""
    requires: list[Annotated[str, StringConstraints(pattern=r"^[a-z_]+(\.[a-z0-9_]+)+$")]] = []
    """Facts every school must have, e.g. contacts.dsl or local_authority.contacts.lado."""
    references: list[Id] = []
    """Ids of the statutory registry entries the policy cites."""
    meets: list[Id] = []
    """Publishing requirements (content/publishing.yml) the policy meets, e.g. behaviour-policy."""
    audience: list[Audience] = ["public"]
    """Who may read it: public, staff, governors. Only public policies reach the site."""


def longest_cycle(meta: PolicyMeta) -> str | None:
    """The longest review cycle a trust or school may set for a model policy, or None for no limit.

    Statutory policies default to their own cycle: the model already says how often the law asks.
    """
    return meta.max_review_cycle or (meta.review_cycle if meta.statutory else None)


class SupersededEdition(Strict):
    """An older edition of a guidance document."""

    edition: Text
    """Its edition, e.g. '2024'."""
    title: Text | None = None
    """Its title, when it differs from the current one (e.g. 'Use of reasonable force')."""
    url: Url
    """Where it was (or is) published."""
    unsure: Text | None = None
    """What about this older edition could not be confirmed; citing it by its own title is then a warning."""


class StatutoryEntry(Strict):
    """One guidance document or Act in content/statutory.yml."""

    title: Text
    """Title as published."""
    aliases: list[Text] = []
    """Other names it is cited by, e.g. 'KCSIE'; `check content` looks for old editions under them too."""
    publisher: Text
    """Who publishes it, e.g. 'Department for Education'."""
    url: Url
    """Canonical address of the current edition."""
    edition: Text
    """Current edition, e.g. '2025' or 'September 2025'."""
    in_force: dt.date | None = None
    """When the current edition came into force."""
    kind: Literal["statutory_guidance", "advice", "legislation"]
    """Statutory guidance, non-statutory advice, or legislation."""
    supersedes: list[SupersededEdition] = []
    """Older editions that this one replaces."""
    verified: dt.date
    """When someone last checked this entry against the publisher's page."""
    unsure: Text | None = None
    """What could not be confirmed (the reference marks it [UNSURE]); its findings are never reported as certain."""


class Registry(Strict):
    """content/statutory.yml: the registry of guidance and legislation."""

    max_unverified_days: int = 365
    """An entry not verified for longer than this is reported."""
    entries: dict[Id, StatutoryEntry]
    """Entries by id; policies cite them with ref('id')."""


class FlowNode(Strict):
    """A box in a flowchart."""

    kind: Literal["step", "decision", "end", "contact"]
    """step, decision (needs two or more exits, each labelled), end, or contact box."""
    label: Text
    """Text in the box; may use placeholders such as {{ contact('dsl').name }}."""
    contact: Role | None = None
    """Contact role (e.g. front_door) whose name and phone numbers the box shows under its label."""
    when: str | None = None
    """Condition on facts (e.g. 'school.nursery'); the node is left out when false."""


class FlowEdge(Strict):
    """An arrow between two boxes."""

    model_config = ConfigDict(populate_by_name=True)

    source: Id = Field(alias="from")
    """Node the arrow leaves."""
    to: Id
    """Node the arrow reaches."""
    label: str | None = None
    """Label on the arrow, e.g. 'Yes' or 'No'."""


class Flowchart(Strict):
    """A flowchart in content/flowcharts/<id>.yml."""

    title: Text
    """Title, used as the picture's name for screen readers."""
    description: Text
    """One sentence on what the flowchart shows."""
    start: Id
    """Id of the first node."""
    nodes: dict[Id, FlowNode]
    """Boxes by id."""
    edges: list[FlowEdge]
    """Arrows."""
