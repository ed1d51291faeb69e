"""The source model: what each YAML file and policy front matter may contain.

Every model forbids unknown keys, so a typo is an error that names its line, and every field
carries a docstring, which `policypress new-school` and the README reference are built from.
"""

from __future__ import annotations

import datetime as dt
import re
from typing import Annotated, Literal

from pydantic import (
    BaseModel,
    BeforeValidator,
    ConfigDict,
    Field,
    StringConstraints,
    field_validator,
    model_validator,
)

Id = Annotated[str, StringConstraints(pattern=r"^[a-z0-9][a-z0-9-]*$")]
Role = Annotated[str, StringConstraints(pattern=r"^[a-z][a-z0-9_]*$")]
Text = Annotated[str, StringConstraints(min_length=1, strip_whitespace=True)]
Url = Annotated[str, StringConstraints(pattern=r"^https?://[^\s]+$")]
Email = Annotated[str, StringConstraints(pattern=r"^[^@\s]+@[^@\s]+\.[^@\s]+$")]
Colour = Annotated[str, StringConstraints(pattern=r"^#[0-9a-fA-F]{6}$")]


def _digits_as_text(value: object) -> object:
    """YAML reads 100234 as a number; a URN is an identifier, so keep it as text."""
    return str(value) if isinstance(value, int) and not isinstance(value, bool) else value


Urn = Annotated[str, BeforeValidator(_digits_as_text), StringConstraints(pattern=r"^\d{6}$")]

Approver = Literal[
    "full_governing_body",
    "governing_body_committee",
    "local_governing_committee",
    "individual_governor",
    "headteacher",
    "trust_board",
    "proprietor",
    "local_authority",
    "employer",
]
Audience = Literal["public", "staff", "governors"]
Phase = Literal[
    "nursery", "infant", "first", "primary", "junior", "middle", "secondary",
    "all-through", "special", "alternative-provision",
]

REVIEW_CYCLE_MONTHS = {
    "annually": 12,
    "recommended_annually": 12,
    "every_2_years": 24,
    "every_3_years": 36,
    "every_4_years": 48,
}
_MONTHS = re.compile(r"^(?:(1) month|([2-9]|[1-9]\d) months)$")  # "1 month", "2 months" … "99 months"


def review_cycle_months(cycle: str) -> int:
    """Months between reviews for a validated review cycle."""
    if cycle in REVIEW_CYCLE_MONTHS:
        return REVIEW_CYCLE_MONTHS[cycle]
    match = _MONTHS.match(cycle)
    assert match, cycle
    return int(match.group(1) or match.group(2))


def longest_cycle(meta: PolicyMeta) -> str | None:
    """The longest review cycle a trust or school may set for a model policy, or None for no limit.

    Statutory policies default to their own cycle: the model already says how often the law asks.
    """
    return meta.max_review_cycle or (meta.review_cycle if meta.statutory else None)


def _check_cycle(value: object) -> object:
    if isinstance(value, str) and (value in REVIEW_CYCLE_MONTHS or _MONTHS.match(value)):
        return value
    kinds = ", ".join(REVIEW_CYCLE_MONTHS)
    raise ValueError(f"'{value}' is not a review cycle — use one of {kinds}, or 'N months'")


ReviewCycle = Annotated[str, BeforeValidator(_check_cycle)]


class Strict(BaseModel):
    """Base: unknown keys are errors; docstrings under fields become their descriptions."""

    model_config = ConfigDict(extra="forbid", frozen=True, use_attribute_docstrings=True)


class Contact(Strict):
    """A person or service that parents, staff or the school may need to reach."""

    name: Text
    """The person's or service's name as parents should see it."""
    title: Text
    """What the role is called, e.g. 'Designated safeguarding lead'."""
    phone: str | None = None
    """Main telephone number."""
    out_of_hours_phone: str | None = None
    """Number to ring outside office hours, where there is one."""
    email: Email | None = None
    """Email address (use example.org-style addresses in examples)."""
    website: Url | None = None
    """Web address of the service, if it has one."""
    hours: str | None = None
    """When the number is answered, e.g. 'Monday to Friday, 8.30am to 5pm'."""


class Address(Strict):
    """A postal address."""

    lines: list[Text] = Field(min_length=1)
    """Street lines, first to last."""
    town: Text
    """Town or city."""
    postcode: Text
    """Postcode."""


class Branding(Strict):
    """Colours and logo used on the site and the PDFs."""

    primary_colour: Colour = "#1f4e79"
    """Header colour, as #rrggbb; it must keep white text readable (contrast 4.5:1)."""
    logo: str | None = None
    """Logo file (SVG or PNG), relative to the trust folder; it must stay inside the source tree."""

    @field_validator("primary_colour")
    @classmethod
    def _readable_with_white_text(cls, colour: str) -> str:
        ratio = contrast_with_white(colour)
        if ratio < 4.5:
            raise ValueError(f"{colour} is too light for the white header text "
                             f"(contrast {ratio:.1f}:1, at least 4.5:1 is needed) — choose a darker colour")
        return colour


def contrast_with_white(colour: str) -> float:
    """WCAG contrast ratio of white text on a #rrggbb background."""
    channels = [int(colour[i:i + 2], 16) / 255 for i in (1, 3, 5)]
    linear = [c / 12.92 if c <= 0.03928 else ((c + 0.055) / 1.055) ** 2.4 for c in channels]
    luminance = 0.2126 * linear[0] + 0.7152 * linear[1] + 0.0722 * linear[2]
    return 1.05 / (luminance + 0.05)


class Approval(Strict):
    """One approval of one version of a policy."""

    date: dt.date
    """Date of the meeting or decision, as YYYY-MM-DD."""
    by: Approver
    """The body that approved it."""
    version: Text
    """Version number given to the approved text, e.g. '3.0'."""
    minute: str | None = None
    """Minute reference of the decision, e.g. 'FGB 2026-03 item 7'."""


class PolicyFields(Strict):
    """Front-matter values an overlay may set; every field is optional here."""

    title: Text | None = None
    """Title of the policy."""
    summary: Text | None = None
    """One line for parents: what the policy is for."""
    category: Text | None = None
    """Home-page group, e.g. 'Safeguarding'."""
    review_cycle: ReviewCycle | None = None
    """A shorter review cycle than the model's."""
    owner: Role | None = None
    """Contact role that owns the policy."""
    audience: list[Audience] | None = None
    """Who may read it: public, staff, governors."""


class SectionChange(Strict):
    """A change to one named section of a policy (a heading with `{#id}`)."""

    section: Id
    """The section id, as written after the heading: `## Reporting {#reporting}`."""
    action: Literal["replace", "append", "prepend", "insert_after", "remove"]
    """replace the body, append or prepend to it, insert a new section after it, or remove it."""
    text: str = ""
    """The Markdown (with placeholders) to use; for insert_after it starts with its own heading."""

    @model_validator(mode="after")
    def _text_matches_action(self) -> SectionChange:
        if self.action == "remove" and self.text.strip():
            raise ValueError("a 'remove' change takes no text — delete the text, or use another action")
        if self.action != "remove" and not self.text.strip():
            raise ValueError(f"a '{self.action}' change needs some text — add 'text: |' and the Markdown")
        return self


class Overlay(Strict):
    """Changes a trust or school makes to a model policy."""

    set: PolicyFields = PolicyFields()
    """Front-matter values to change."""
    sections: list[SectionChange] = []
    """Section changes, applied in order."""


class TrustPolicy(Strict):
    """How a trust adapts one model policy for all its schools."""

    overlay: Overlay = Overlay()
    """Changes made for every school in the trust."""
    locked: list[Id] = []
    """Section ids no school may change."""
    approvals: list[Approval] = []
    """Trust-wide approvals (by the trust board) that count for every school."""


class SchoolPolicy(Strict):
    """A policy a school publishes, with its own changes and approvals."""

    overlay: Overlay = Overlay()
    """Changes for this school only."""
    approvals: list[Approval] = []
    """This school's approvals of the policy, oldest first."""


class Trust(Strict):
    """A trust (or a maintained school's governing body acting alone): `schools/<trust>/trust.yml`."""

    id: Id
    """Must be the name of the trust's folder."""
    name: Text
    """Full name of the trust."""
    website: Url
    """The trust's website."""
    site_url: Url | None = None
    """Where build/site is published, e.g. https://policies.example.org/ (printed on every PDF page)."""
    address: Address | None = None
    """Registered office."""
    contacts: dict[Role, Contact] = {}
    """Trust-wide officers by role (e.g. ceo, head_of_inclusion); schools inherit them."""
    branding: Branding = Branding()
    """Colours and logo every school uses unless it sets its own."""
    policies: dict[Id, TrustPolicy] = {}
    """Trust overlays, locked sections and trust-wide approvals, by policy id."""


class School(Strict):
    """A school: `schools/<trust>/<school>.yml`."""

    id: Id
    """Must be the file name without `.yml`; it is also the school's folder under build/site."""
    name: Text
    """The school's full name."""
    urn: Urn
    """Unique reference number: six digits, in quotes."""
    phase: Phase
    """The school's phase."""
    nursery: bool = False
    """Whether the school has a nursery class."""
    local_authority: Id
    """Id of the local authority file in schools/local-authorities/."""
    address: Address
    """The school's postal address."""
    website: Url
    """The school's own website."""
    contacts: dict[Role, Contact]
    """People by role: headteacher, dsl, deputy_dsl, chair_of_governors, senco, …"""
    values: list[Text] = []
    """The school's values, as it states them."""
    branding: Branding | None = None
    """Colours and logo; the trust's are used when left out."""
    policies: dict[Id, SchoolPolicy]
    """The policies this school publishes, by id, with overlays and approvals."""


class LocalAuthority(Strict):
    """Facts shared by every school in a local authority: `schools/local-authorities/<id>.yml`."""

    id: Id
    """Must be the file name without `.yml`."""
    name: Text
    """The council's name."""
    website: Url
    """The council's website."""
    contacts: dict[Role, Contact]
    """Services by role: front_door (children's services, with out-of-hours number), lado, prevent."""
    safeguarding_partnership: Text
    """Name of the local safeguarding children partnership."""
    procedures_url: Url
    """Where the partnership's child-protection procedures are published."""


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
    requires: list[Annotated[str, StringConstraints(pattern=r"^[a-z_]+(\.[a-z0-9_]+)+$")]] = []
    """Facts every school must have, e.g. contacts.dsl or local_authority.contacts.lado."""
    references: list[Id] = []
    """Ids of the statutory registry entries the policy cites."""
    audience: list[Audience] = ["public"]
    """Who may read it: public, staff, governors. Only public policies reach the site."""


class SupersededEdition(Strict):
    """An older edition of a guidance document."""

    edition: Text
    """Its edition, e.g. '2024'."""
    title: Text | None = None
    """Its title, when it differs from the current one (e.g. 'Use of reasonable force')."""
    url: Url
    """Where it was (or is) published."""


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
