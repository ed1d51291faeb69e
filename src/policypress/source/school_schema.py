"""The facts files: trusts, schools and local authorities, their contacts, overlays and approvals.

`schools/<trust>/trust.yml`, `schools/<trust>/<school>.yml` and `schools/local-authorities/<id>.yml`.
"""

from __future__ import annotations

import datetime as dt
from typing import Literal

from pydantic import Field, field_validator, model_validator

from policypress.core.dates import MonthOnly, build_today
from policypress.source.publishing_schema import SchoolKind
from policypress.source.schema_types import (
    ApprovalDate,
    Audience,
    Colour,
    Email,
    Id,
    Phase,
    ReviewCycle,
    Role,
    Strict,
    Text,
    Url,
    Urn,
)


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


DEFAULT_COLOUR = "#1f4e79"  # when neither the school nor its trust chooses one


class Branding(Strict):
    """Colours and logo used on the site and the PDFs; what a school leaves out comes from its trust."""

    primary_colour: Colour | None = None
    """Header colour, as #rrggbb; it must keep white text readable (contrast 4.5:1). Left out: the trust's."""
    logo: str | None = None
    """Logo file (SVG, PNG or JPEG), relative to the trust folder, inside the source tree. Left out: the trust's."""

    @field_validator("primary_colour")
    @classmethod
    def _readable_with_white_text(cls, colour: str | None) -> str | None:
        if colour is None:
            return None
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


class PublishedElsewhere(Strict):
    """A document the school publishes on its own website, meeting a publishing requirement."""

    title: Text | None = None
    """Its title, when it differs from the requirement's name."""
    url: Url
    """Where it is published; `check links` and `check publishing` fetch it."""
    updated: ApprovalDate
    """When it was last brought up to date, as YYYY-MM-DD (or YYYY-MM)."""


class Approval(Strict):
    """One approval of one version of a policy."""

    date: ApprovalDate
    """Date of the meeting or decision, as YYYY-MM-DD; an old approval known only to its month: YYYY-MM."""
    by: Role
    """The body that approved it: one of the trust's `governance` bodies, or (with none declared) one of
    full_governing_body, governing_body_committee, local_governing_committee, individual_governor,
    headteacher, trust_board, proprietor, local_authority, employer."""
    version: Text
    """Version number given to the approved text, e.g. '3.0'."""
    minute: str | None = None
    """Minute reference of the decision, e.g. 'FGB 2026-03 item 7'."""
    signed_by: list[Text] = []
    """Who signed the approved policy, by name or role, e.g. ['Ms A Example, chair of the committee']."""

    @field_validator("date")
    @classmethod
    def _month_is_over(cls, day: dt.date) -> dt.date:
        if isinstance(day, MonthOnly) and day.replace(day=1) > build_today():
            raise ValueError(f"{day:%B %Y} has not started yet — an approval is recorded after its meeting")
        return day


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
    approver: Role | None = None
    """The body that approves it here: one the trust's scheme of delegation (`governance:`) declares."""
    author: Text | None = None
    """Who wrote it: a contact role (e.g. head_of_inclusion) or a name, shown in document control."""
    reviewer: Text | None = None
    """Who reviews it: a contact role or a name, shown in document control."""
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


class Body(Strict):
    """One body (or person) in a trust's scheme of delegation that may approve policies."""

    name: Text
    """Its name as it reads after 'approved by', e.g. 'the local governing committee'."""
    on_behalf_of: Role | None = None
    """The body whose delegated authority it uses, e.g. trust_board: printed 'on behalf of' that body."""


class Governance(Strict):
    """A trust's scheme of delegation: who may approve which policies."""

    bodies: dict[Role, Body] = Field(min_length=1)
    """The bodies that approve policies, by id (the id `approve --by` and `by:` use)."""
    approves: dict[str, list[Role]] = {}
    """Who may approve what: a policy id, a category (e.g. 'Safeguarding') or `default`, each with body ids.
    Left out for a policy: the body its front matter names, if declared. A body acting on behalf of another
    lets that other body approve too."""


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
    governance: Governance | None = None
    """The trust's scheme of delegation; left out, the fixed list of approvers applies (see Approval.by)."""


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
    kind: SchoolKind | None = None
    """maintained, academy or free_school: what it must publish online depends on it (`check publishing`)."""
    nursery: bool = False
    """Whether the school has a nursery class."""
    sixth_form: bool = False
    """Whether the school has a sixth form."""
    local_authority: Id
    """Id of the local authority file in schools/local-authorities/."""
    address: Address
    """The school's postal address."""
    website: Url
    """The school's own website."""
    contacts: dict[Role, Contact]
    """People by role: office (required: the number parents ring), headteacher, dsl, deputy_dsl, …"""
    values: list[Text] = []
    """The school's values, as it states them."""
    branding: Branding = Branding()
    """Colour and logo; each one left out is the trust's."""
    policies: dict[Id, SchoolPolicy]
    """The policies this school publishes, by id, with overlays and approvals."""
    published_elsewhere: dict[Id, PublishedElsewhere] = {}
    """Documents it publishes outside policypress, by the publishing requirement they meet."""

    @field_validator("contacts")
    @classmethod
    def _has_an_office(cls, contacts: dict[str, Contact]) -> dict[str, Contact]:
        if "office" not in contacts:
            raise ValueError("the school has no 'office' contact: parents need the number to ring — add "
                             "'office:' under contacts, with the office's name, title, phone, email and hours")
        return contacts


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

