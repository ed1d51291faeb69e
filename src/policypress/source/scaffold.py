"""`policypress new-school`: a school file with every field, commented, that builds as it is."""

from __future__ import annotations

from pathlib import Path

from pydantic import BaseModel

from policypress.core.errors import UsageError
from policypress.core.files import write_file
from policypress.source.project import LA_FOLDER
from policypress.source.school_schema import Address, Branding, Contact, School

# Roles most model policies ask for; the school names its own people for each.
STARTER_ROLES = {
    "office": "School office",  # required: the number parents ring, printed on every page
    "headteacher": "Headteacher",
    "dsl": "Designated safeguarding lead",
    "deputy_dsl": "Deputy designated safeguarding lead",
    "chair_of_governors": "Chair of governors",
    "senco": "Special educational needs coordinator",
    "online_safety_lead": "Online safety lead",
    "clerk": "Clerk to the governors",
}


def new_school(root: Path, trust_id: str, school_id: str) -> Path:
    """Write schools/<trust>/<school>.yml; refuse to overwrite or to guess a trust."""
    folder = root / "schools" / trust_id
    if not (folder / "trust.yml").exists():
        raise UsageError(f"there is no trust '{trust_id}' (schools/{trust_id}/trust.yml) — "
                         "create the trust first or check the id")
    path = folder / f"{school_id}.yml"
    if path.exists():
        raise UsageError(f"{path.relative_to(root)} already exists — choose another id or edit that file")
    authorities = sorted(p.stem for p in (root / "schools" / LA_FOLDER).glob("*.yml"))
    write_file(path, school_yaml(school_id, authorities))
    return path.relative_to(root)


def _doc(model: type[BaseModel], name: str) -> str:
    return f"# {model.model_fields[name].description}"


def school_yaml(school_id: str, authorities: list[str]) -> str:
    """The scaffold text: every School field with its description as a comment."""
    la = authorities[0] if authorities else "replace-with-local-authority-id"
    parts = [
        "# New school: replace every value marked 'replace'. Field reference: README, 'Source files'.",
        _doc(School, "id"), f"id: {school_id}",
        _doc(School, "name"), "name: Replace Primary School",
        _doc(School, "urn"), 'urn: "000000"  # replace',
        _doc(School, "phase") + ": nursery, infant, first, primary, junior, middle, secondary, all-through, special",
        "phase: primary",
        _doc(School, "nursery"), "nursery: false",
        _doc(School, "local_authority") + (f" Known: {', '.join(authorities)}" if authorities else ""),
        f"local_authority: {la}",
        _doc(School, "address"), "address:",
        f"  {_doc(Address, 'lines')}", "  lines: [Replace Street]",
        f"  {_doc(Address, 'town')}", "  town: Replace",
        f"  {_doc(Address, 'postcode')}", "  postcode: AB1 2CD",
        _doc(School, "website"), f"website: https://{school_id}.example.org",
        _doc(School, "contacts"), "contacts:", *_contacts(school_id),
        _doc(School, "values"), "values: [Kindness, Curiosity, Respect]",
        _doc(School, "branding"), "branding:",
        f"  {_doc(Branding, 'primary_colour')}", "  primary_colour: null  # e.g. \"#1f4e79\"",
        f"  {_doc(Branding, 'logo')}", "  logo: null",
        _doc(School, "policies"),
        "# Each entry: overlay (set: front-matter values; sections: changes by section id)",
        "# and approvals (date: YYYY-MM-DD, by: approving body, version, minute).",
        "# A policy without an approval is a draft: it never appears on the public site.",
        "policies: {}",
    ]
    return "\n".join(parts) + "\n"


def _contacts(school_id: str) -> list[str]:
    lines = []
    for role, title in STARTER_ROLES.items():
        lines += [f"  {role}:",
                  f"    name: Replace Name  {_doc(Contact, 'name')}",
                  f"    title: {title}",
                  "    phone: 01632 960000  # replace",
                  f"    email: {role.replace('_', '.')}@{school_id}.example.org  # replace"]
    return lines
