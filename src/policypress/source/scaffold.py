"""`policypress new-school`, `new-trust` and `new-local-authority`: a file with every field, commented,
that builds as it is (once its trust and local authority exist).

Each field's comment is its docstring in the schema, so the scaffold cannot drift from what the
schema accepts; a field added to the schema later is written with its default.
"""

from __future__ import annotations

from pathlib import Path
from typing import get_args

import yaml
from pydantic import BaseModel, TypeAdapter, ValidationError

from policypress.core.errors import UsageError
from policypress.core.files import write_file
from policypress.source.project import LA_FOLDER
from policypress.source.schema_types import Id, Phase
from policypress.source.school_schema import Address, Branding, Contact, LocalAuthority, School, Trust

GUIDE = "Field reference and next steps: README, 'Start your own trust'."
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
# The services the example's child-protection policy asks of a local authority.
LA_ROLES = {
    "front_door": "Children's services front door (referrals about a child)",
    "lado": "Local authority designated officer (LADO)",
    "prevent": "Prevent coordinator",
    "early_help": "Early help advice for families and schools",
}


def _checked_id(value: str, what: str) -> str:
    try:
        return TypeAdapter(Id).validate_python(value)
    except ValidationError:
        raise UsageError(f"'{value}' cannot be a {what} id — use lower-case letters, digits and hyphens, "
                         "e.g. larkfield-primary") from None


def _new_file(root: Path, path: Path, text: str) -> Path:
    if path.exists():
        raise UsageError(f"{path.relative_to(root)} already exists — choose another id or edit that file")
    write_file(path, text)
    return path.relative_to(root)


def new_school(root: Path, trust_id: str, school_id: str) -> Path:
    """Write schools/<trust>/<school>.yml; refuse to overwrite or to guess a trust."""
    folder = root / "schools" / _checked_id(trust_id, "trust")
    if not (folder / "trust.yml").exists():
        raise UsageError(f"there is no trust '{trust_id}' (schools/{trust_id}/trust.yml) — "
                         f"create it first with: policypress new-trust --id {trust_id}")
    authorities = sorted(p.stem for p in (root / "schools" / LA_FOLDER).glob("*.yml"))
    path = folder / f"{_checked_id(school_id, 'school')}.yml"
    return _new_file(root, path, school_yaml(school_id, authorities))


def new_trust(root: Path, trust_id: str) -> Path:
    """Write schools/<trust>/trust.yml; refuse to overwrite."""
    path = root / "schools" / _checked_id(trust_id, "trust") / "trust.yml"
    return _new_file(root, path, trust_yaml(trust_id))


def new_local_authority(root: Path, la_id: str) -> Path:
    """Write schools/local-authorities/<id>.yml; refuse to overwrite."""
    path = root / "schools" / LA_FOLDER / f"{_checked_id(la_id, 'local authority')}.yml"
    return _new_file(root, path, local_authority_yaml(la_id))


def _doc(model: type[BaseModel], name: str) -> str:
    return f"# {model.model_fields[name].description}"


def _fields(model: type[BaseModel], written: dict[str, list[str]]) -> list[str]:
    """Each field of the model with its docstring: the lines given, else its default as YAML."""
    lines = []
    for name, info in model.model_fields.items():
        lines.append(_doc(model, name))
        if name in written:
            lines += written[name]
        else:  # a field this scaffold does not know yet: its default, which always validates
            default = info.get_default(call_default_factory=True)
            if isinstance(default, BaseModel):
                default = default.model_dump(mode="json")
            lines += yaml.safe_dump({name: default}, default_flow_style=False, sort_keys=False).splitlines()
    return lines


def _address(street: str, town: str) -> list[str]:
    return ["address:",
            f"  {_doc(Address, 'lines')}", f"  lines: [{street}]",
            f"  {_doc(Address, 'town')}", f"  town: {town}",
            f"  {_doc(Address, 'postcode')}", "  postcode: AB1 2CD  # replace"]


def _branding() -> list[str]:
    return ["branding:",
            f"  {_doc(Branding, 'primary_colour')}", "  primary_colour: null  # e.g. \"#1f4e79\"",
            f"  {_doc(Branding, 'logo')}", "  logo: null"]


def _contacts(roles: dict[str, str], domain: str, first_number: int = 960000) -> list[str]:
    lines = ["contacts:"]
    for number, (role, title) in enumerate(roles.items(), first_number):
        lines += [f"  {role}:",
                  f"    name: Replace Name  {_doc(Contact, 'name')}",
                  f"    title: {title}",
                  f"    phone: 01632 {number}  # replace",
                  f"    email: {role.replace('_', '.')}@{domain}  # replace"]
    return lines


def school_yaml(school_id: str, authorities: list[str]) -> str:
    """The scaffold text: every School field with its description as a comment."""
    la = authorities[0] if authorities else "replace-with-local-authority-id"
    la_doc = f"# Known: {', '.join(authorities)}." if authorities else "# Create one: policypress new-local-authority"
    body = _fields(School, {
        "id": [f"id: {school_id}"],
        "name": ["name: Replace Primary School"],
        "urn": ['urn: "000000"  # replace'],
        "phase": [f"# One of: {', '.join(get_args(Phase))}", "phase: primary"],
        "kind": ["kind: academy  # or maintained, free_school"],
        "nursery": ["nursery: false"],
        "sixth_form": ["sixth_form: false"],
        "local_authority": [la_doc, f"local_authority: {la}"],
        "address": _address("Replace Street", "Replace"),
        "website": [f"website: https://{school_id}.example.org"],
        "contacts": _contacts(STARTER_ROLES, f"{school_id}.example.org"),
        "values": ["values: [Kindness, Curiosity, Respect]"],
        "branding": _branding(),
        "policies": ["# Each entry: overlay (set: front-matter values; sections: changes by section id)",
                     "# and approvals (date: YYYY-MM-DD, by: approving body, version, minute).",
                     "# A policy without an approval is a draft: it never appears on the public site.",
                     "policies: {}"],
        "published_elsewhere": ["# e.g. send-information-report: {url: https://…/sen-report.pdf, updated: 2026-09-01}",
                                "published_elsewhere: {}"],
    })
    return "\n".join([f"# New school: replace every value marked 'replace'. {GUIDE}", *body]) + "\n"


def trust_yaml(trust_id: str) -> str:
    """The scaffold text of a trust: every Trust field with its description as a comment."""
    body = _fields(Trust, {
        "id": [f"id: {trust_id}"],
        "name": ["name: Replace Learning Trust"],
        "website": [f"website: https://{trust_id}.example.org"],
        "site_url": ["site_url: null  # e.g. https://policies.example.org/"],
        "address": _address("Replace Street", "Replace"),
        "contacts": _contacts({"ceo": "Chief executive officer"}, f"{trust_id}.example.org", 960090),
        "branding": ["branding:",
                     f"  {_doc(Branding, 'primary_colour')}", '  primary_colour: "#1f4e79"  # replace',
                     f"  {_doc(Branding, 'logo')}", "  logo: null"],
        "policies": ["# e.g. child-protection: {overlay: {sections: [...]}, locked: [contacts], approvals: [...]}",
                     "policies: {}"],
    })
    return "\n".join([f"# New trust: replace every value marked 'replace', then add schools with "
                      f"policypress new-school --trust {trust_id} --id ID. {GUIDE}", *body]) + "\n"


def local_authority_yaml(la_id: str) -> str:
    """The scaffold text of a local authority: every field with its description as a comment."""
    body = _fields(LocalAuthority, {
        "id": [f"id: {la_id}"],
        "name": ["name: Replace Council"],
        "website": [f"website: https://www.{la_id}.example.org"],
        "contacts": _contacts(LA_ROLES, f"{la_id}.example.org", 960050),
        "safeguarding_partnership": ["safeguarding_partnership: Replace Safeguarding Children Partnership"],
        "procedures_url": [f"procedures_url: https://www.{la_id}.example.org/safeguarding-procedures"],
    })
    return "\n".join([f"# New local authority: replace every value marked 'replace'; schools name it in "
                      f"local_authority: {la_id}. {GUIDE}", *body]) + "\n"
