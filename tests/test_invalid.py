"""Invalid sources: every problem is reported, each as `path:line: what — how to fix it`.

Each case changes the minimal valid project (conftest.py) in one or two places and lists the
exact messages a school office would read.
"""

from __future__ import annotations

import hashlib
import re
import subprocess
import typing
from collections.abc import Callable
from pathlib import Path

import pytest
from pydantic import BaseModel

from conftest import POLICY, REGISTRY, SCHOOL, TRUST
from policypress.compose.fact_types import fact_types
from policypress.compose.load import load_project
from policypress.compose.render import render_project
from policypress.core.errors import SourceErrors
from policypress.source import content_schema, school_schema
from policypress.source.validation import PATTERNS

MakeProject = Callable[..., Path]
POLICYPRESS = Path(__file__).resolve().parent.parent / ".venv" / "bin" / "policypress"
ALPHA = "schools/test-trust/alpha.yml"
TRUST_FILE = "schools/test-trust/trust.yml"
SAFEGUARDING = "content/policies/safeguarding.md"
APPROVERS = ("full_governing_body, governing_body_committee, local_governing_committee, individual_governor, "
             "headteacher, trust_board, proprietor, local_authority, employer")
SCHOOL_KEYS = ("id, name, urn, phase, kind, nursery, sixth_form, local_authority, address, website, contacts, values, "
               "branding, policies, published_elsewhere")


def edit(text: str, old: str, new: str) -> str:
    """text with old replaced by new; old must be there, so a fixture cannot silently stay valid."""
    assert old in text, old
    return text.replace(old, new)


BETA = edit(edit(SCHOOL, "id: alpha", "id: beta"), "Alpha Primary", "Beta Infant")


def school(old: str, new: str) -> dict[str, str | None]:
    return {ALPHA: edit(SCHOOL, old, new)}


def policy(old: str, new: str) -> dict[str, str | None]:
    return {SAFEGUARDING: edit(POLICY, old, new)}


def school_overlay(section: str, action: str) -> dict[str, str | None]:
    """The school changes one section of the safeguarding policy (lines 26 to 30 of alpha.yml)."""
    return {ALPHA: SCHOOL + "    overlay:\n      sections:\n"
            f"        - section: {section}\n          action: {action}\n          text: Extra words.\n"}


CASES = [
    pytest.param(school("website:", "websit:"), [
        f"{ALPHA}:10: unknown key 'websit' — did you mean 'website'? Allowed here: {SCHOOL_KEYS}"],
        id="unknown-key-typo"),
    pytest.param(school("    phone: 01632 960001", "    phnoe: 01632 960001"), [
        f"{ALPHA}:15: unknown key 'phnoe' — did you mean 'phone'? Allowed here: name, title, phone, "
        "out_of_hours_phone, email, website, hours"],
        id="unknown-nested-key-typo"),
    pytest.param(school("phase: primary\n", ""), [
        f"{ALPHA}:1: 'phase' is missing — add 'phase:' (the school's phase: one of nursery, infant, first, "
        "primary, junior, middle, secondary, all-through, special, alternative-provision)"],
        id="missing-required-key"),
    pytest.param(school("  town: Northtown\n", ""), [
        f"{ALPHA}:6: 'town' is missing under address — add 'town:' (town or city)"],
        id="missing-nested-key"),
    pytest.param(school("name: Alpha Primary School", "name: Alpha: Primary School"), [
        f"{ALPHA}:2: YAML cannot read this line: a ':' inside a value, or a key indented more than the one "
        "above — put a value that contains ': ' in quotes (name: \"Alpha: a school\"), or line the key up "
        "with the others"],
        id="bad-yaml-colon"),
    pytest.param(school("  lines: [1 School Lane]", "  lines: [1 School Lane"), [
        f"{ALPHA}:7: the list opened with '[' on this line is not closed — add the closing ']' at the end "
        "of the list"],
        id="bad-yaml-unclosed-list"),
    pytest.param(school("  town: Northtown", "\ttown: Northtown"), [
        f"{ALPHA}:8: this line is indented with a tab — indent with spaces only"],
        id="bad-yaml-tab"),
    pytest.param({ALPHA: SCHOOL + "phase: secondary\n"}, [
        f"{ALPHA}:27: the key 'phase' appears twice (first on line 4) — keep one of them and delete the "
        "other"],
        id="duplicate-key"),
    pytest.param(school("date: 2026-09-10", "date: September 2025"), [
        f"{ALPHA}:26: policies.safeguarding.approvals.date: 'September 2025' is not a date — use YYYY-MM-DD, "
        "e.g. 2026-09-15"],
        id="date-in-words"),
    pytest.param(school("date: 2026-09-10", "date: 2026-02-30"), [
        f"{ALPHA}:26: '2026-02-30' is not a real date (day is out of range for month) — check the day and "
        "the month; write dates as YYYY-MM-DD"],
        id="date-that-does-not-exist"),
    pytest.param(school('urn: "123456"', 'urn: "12345"'), [
        f"{ALPHA}:3: urn: '12345' is not six digits — a URN is six digits, in quotes, e.g. urn: \"100234\""],
        id="urn-five-digits"),
    pytest.param(school('version: "2.0"', "version: 2.0"), [
        f"{ALPHA}:26: policies.safeguarding.approvals.version: '2.0' was read as a number or true/false, "
        "not as text — put it in quotes: version: \"2.0\""],
        id="version-unquoted"),
    pytest.param(school("local_authority: northshire", "local_authority: southshire"), [
        f"{ALPHA}:5: there is no local authority 'southshire' — add "
        "schools/local-authorities/southshire.yml or use one of: northshire"],
        id="unknown-local-authority"),
    pytest.param({ALPHA: SCHOOL + "  anti-bullying: {}\n"}, [
        f"{ALPHA}:27: there is no policy 'anti-bullying' in content/policies — use one of: safeguarding"],
        id="unknown-policy"),
    pytest.param(school_overlay("trainign", "append"), [
        f"{ALPHA}:29: policy 'safeguarding' has no section 'trainign' — use one of its section ids: "
        "what-to-do, early-years, training"],
        id="overlay-unknown-section"),
    pytest.param(school_overlay("what-to-do", "replace"), [
        f"{ALPHA}:29: section 'what-to-do' of policy 'safeguarding' is locked by the trust "
        f"({TRUST_FILE}:10) — remove this change, or ask the trust to change its text"],
        id="overlay-on-locked-section"),
    pytest.param(school_overlay("training", "delete"), [
        f"{ALPHA}:30: policies.safeguarding.overlay.sections.action: 'delete' is not allowed — use one of: "
        "replace, append, prepend, insert_after, remove"],
        id="overlay-unknown-action"),
    pytest.param({TRUST_FILE: edit(TRUST, "[what-to-do]", "[what-to-doo]")}, [
        f"{TRUST_FILE}:10: policy 'safeguarding' has no section 'what-to-doo' to lock — use one of its "
        "section ids: what-to-do, early-years, training"],
        id="lock-unknown-section"),
    pytest.param(policy("{{ school.name }}", "{{ school.nmae }}"), [
        f"{SAFEGUARDING}:13: 'school.nmae' is not a known fact — did you mean 'school.name'? "
        f"A school has: {SCHOOL_KEYS}"],
        id="undefined-placeholder"),
    pytest.param(policy("{{ school.name }}", "{{ schol.name }}"), [
        f"{SAFEGUARDING}:13: 'schol' is not a known fact — did you mean 'school'? Placeholders can use "
        + ", ".join(fact.usage for fact in fact_types())],
        id="undefined-name"),
    pytest.param(policy('contact("dsl").name }} on', 'contact("nobody").name }} on'), [
        f"{SAFEGUARDING}:17: contact('nobody') is not defined for Alpha Primary School — add a 'nobody' "
        "contact to the school, trust or local authority file"],
        id="unknown-contact"),
    pytest.param(policy('on {{ contact("dsl").phone }}', 'on {{ contact("dls").phone }}'), [
        f"{SAFEGUARDING}:17: contact('dls') is not defined for Alpha Primary School — did you mean "
        "contact('dsl')? Otherwise add a 'dls' contact to the school, trust or local authority file"],
        id="misspelt-contact"),
    pytest.param(policy('ref("kcsie")', 'ref("nope")'), [
        f"{SAFEGUARDING}:25: ref('nope') is not in content/statutory.yml — add the entry to the registry, "
        "or use one of: kcsie"],
        id="unknown-ref"),
    pytest.param(policy("references: [kcsie]", "references: [kcsie, nope]"), [
        f"{SAFEGUARDING}:10: 'nope' is not in content/statutory.yml — add it to the registry or correct "
        "the id"],
        id="unknown-front-matter-reference"),
    pytest.param(policy("requires: [contacts.dsl]", "requires: [contacts.dsl, contacts.senco]"), [
        f"{ALPHA}:24: policy 'safeguarding' needs contacts.senco, which Alpha Primary School does not have "
        "— add a 'senco' contact to the school file (or to the trust or local authority)"],
        id="required-fact-missing"),
    pytest.param(policy("requires: [contacts.dsl]", "requires: [dsl]"), [
        f"{SAFEGUARDING}:9: requires: 'dsl' is not a fact — name a fact such as contacts.dsl or "
        "local_authority.contacts.lado"],
        id="requires-not-a-fact"),
    pytest.param({SAFEGUARDING: POLICY.split("---\n", 2)[2]}, [
        f"{SAFEGUARDING}:1: the policy has no front matter — start the file with '---', the policy's keys, "
        "then '---'"],
        id="no-front-matter"),
    pytest.param(policy("owner: dsl\n", ""), [
        f"{SAFEGUARDING}:2: 'owner' is missing — add 'owner:' (contact role that owns the policy, e.g. dsl "
        "or headteacher)"],
        id="front-matter-missing-key"),
    pytest.param({SAFEGUARDING: POLICY + "\n## More training {#training}\n\nMore.\n"}, [
        f"{SAFEGUARDING}:27: the section id 'training' is used twice (also on line 23) — give every heading "
        "in a policy a different {#id}"],
        id="duplicate-section-id"),
    pytest.param(school("by: full_governing_body", "by: governors"), [
        f"{ALPHA}:26: 'governors' is not an approving body — use one of: {APPROVERS}, or declare the trust's "
        "own under governance:"],
        id="unknown-approver-in-school"),
    pytest.param(policy("approver: full_governing_body", "approver: headteacher\napprover: x"), [
        f"{SAFEGUARDING}:7: the key 'approver' appears twice (first on line 6) — keep one of them and delete "
        "the other"],
        id="duplicate-key-in-front-matter"),
    pytest.param(policy("approver: full_governing_body", "approver: Trust Board"), [
        f"{SAFEGUARDING}:6: approver: 'Trust Board' is not allowed — did you mean 'trust_board'? Use one of: "
        f"{APPROVERS}"],
        id="unknown-approver-in-policy"),
    pytest.param(policy("review_cycle: annually", "review_cycle: yearly"), [
        f"{SAFEGUARDING}:7: review_cycle: 'yearly' is not a review cycle — use one of annually, "
        "recommended_annually, every_2_years, every_3_years, every_4_years, or 'N months'"],
        id="unknown-review-cycle"),
    pytest.param(school("id: alpha", "id: alfa"), [
        f"{ALPHA}:1: id 'alfa' does not match the file name — write 'id: alpha' or rename the file"],
        id="id-does-not-match-file"),
    pytest.param(school("  dsl:", "  DSL:"), [
        f"{ALPHA}:17: contacts: the name 'DSL' is not a valid role name — use lower-case letters, digits "
        "and underscores, e.g. deputy_dsl"],
        id="role-name-in-capitals"),
    pytest.param(school("  office: {name: Alpha school office, title: School office, phone: 01632 960000, "
                        "email: office@alpha.example.org}\n", ""), [
        f"{ALPHA}:11: contacts: the school has no 'office' contact: parents need the number to ring — add "
        "'office:' under contacts, with the office's name, title, phone, email and hours"],
        id="no-office-contact"),
    pytest.param(school("website: https://alpha.example.org", "website: alpha.example.org"), [
        f"{ALPHA}:10: website: 'alpha.example.org' is not a web address — write the whole address, starting "
        "https://, e.g. https://www.example.org"],
        id="website-without-https"),
    pytest.param(school("phase: primary", "phase: Primary"), [
        f"{ALPHA}:4: phase: 'Primary' is not allowed — did you mean 'primary'? Use one of: nursery, infant, "
        "first, primary, junior, middle, secondary, all-through, special, alternative-provision"],
        id="phase-in-capitals"),
    pytest.param(school("phase: primary", "phase: primary\nnursery: maybe"), [
        f"{ALPHA}:5: nursery: 'maybe' is not true or false — write true or false"],
        id="nursery-not-boolean"),
    pytest.param(school("address:\n  lines: [1 School Lane]\n  town: Northtown\n  postcode: NT1 1AA",
                        "address: 1 School Lane, Northtown"), [
        f"{ALPHA}:6: address: should hold keys, not a single value — write its keys on the lines below it, "
        "indented: lines, town, postcode"],
        id="address-on-one-line"),
    pytest.param(policy("{{ school.name }}", "{{ contact('dsl').out_of_hours_phone }}"), [
        f"{SAFEGUARDING}:13: {{{{ contact('dsl').out_of_hours_phone }}}} has no value for Alpha Primary School "
        "— add the missing detail to the school, trust or local authority file, or put the sentence inside "
        "{% if … %}"],
        id="placeholder-without-value"),
    pytest.param(policy("{% endif %}", ""), [
        f"{SAFEGUARDING}:21: the {{% if %}} on this line is never closed — add {{% endif %}} where its text "
        "ends"],
        id="unclosed-if"),
    pytest.param({"content/statutory.yml": edit(REGISTRY, "verified: 2026-11-01", "verified: 1 Nov 2026")}, [
        "content/statutory.yml:10: entries.kcsie.verified: '1 Nov 2026' is not a date — use YYYY-MM-DD, "
        "e.g. 2026-09-15"],
        id="registry-date-in-words"),
    pytest.param(school('urn: "123456"', 'urn: "12345"')
                 | policy("approver: full_governing_body", "approver: governors"), [
        f"{SAFEGUARDING}:6: approver: 'governors' is not allowed — use one of: {APPROVERS}",
        f"{ALPHA}:3: urn: '12345' is not six digits — a URN is six digits, in quotes, e.g. urn: \"100234\""],
        id="two-problems-in-two-files"),
    pytest.param(school('urn: "123456"', 'urn: "12345"')
                 | {SAFEGUARDING: POLICY + "\n## More training {#training}\n\nMore.\n",
                    TRUST_FILE: edit(TRUST, "website: https://trust.example.org", "website: trust.example.org")}, [
        f"{SAFEGUARDING}:27: the section id 'training' is used twice (also on line 23) — give every heading "
        "in a policy a different {#id}",
        f"{ALPHA}:3: urn: '12345' is not six digits — a URN is six digits, in quotes, e.g. urn: \"100234\"",
        f"{TRUST_FILE}:3: website: 'trust.example.org' is not a web address — write the whole address, "
        "starting https://, e.g. https://www.example.org"],
        id="three-problems-in-three-files"),
]


def problems_of(root: Path) -> list[str]:
    """Every problem loading and rendering the project reports, as the CLI prints them."""
    with pytest.raises(SourceErrors) as caught:
        render_project(load_project(root))
    return [str(problem) for problem in caught.value.problems]


@pytest.mark.parametrize(("changes", "expected"), CASES)
def test_invalid_source_is_reported_exactly(
    make_project: MakeProject, changes: dict[str, str | None], expected: list[str]
) -> None:
    assert problems_of(make_project(changes)) == expected


def test_typo_is_one_problem_not_also_a_missing_key(make_project: MakeProject) -> None:
    found = problems_of(make_project(school("postcode:", "postcod:")))
    assert found == [f"{ALPHA}:9: unknown key 'postcod' — did you mean 'postcode'? Allowed here: lines, town, "
                     "postcode"]


def test_urn_with_leading_zero_needs_no_quotes(make_project: MakeProject) -> None:
    root = make_project(school('urn: "123456"', "urn: 012345"))
    assert load_project(root).schools["alpha"].source.model.urn == "012345"


def test_problems_in_every_school_are_reported_in_one_run(make_project: MakeProject) -> None:
    no_dsl = edit(SCHOOL, "  dsl:\n    name: Dana Safe", "  deputy_dsl:\n    name: Dana Safe")
    beta = edit(edit(no_dsl, "id: alpha", "id: beta"), "Alpha Primary", "Beta Infant")
    found = problems_of(make_project({ALPHA: no_dsl, "schools/test-trust/beta.yml": beta}))
    fix = "add a 'dsl' contact to the school file (or to the trust or local authority)"
    assert found == [
        f"{ALPHA}:24: policy 'safeguarding' needs contacts.dsl, which Alpha Primary School does not have — {fix}",
        f"schools/test-trust/beta.yml:24: policy 'safeguarding' needs contacts.dsl, which Beta Infant School "
        f"does not have — {fix}"]


def test_a_broken_file_does_not_hide_problems_elsewhere(make_project: MakeProject) -> None:
    """alpha.yml cannot be read, yet gamma is checked and beta rendered, which finds the policy's mistake."""
    gamma = edit(edit(SCHOOL, "id: alpha", "id: gamma"), "local_authority: northshire", "local_authority: westmere")
    found = problems_of(make_project(school('urn: "123456"', 'urn: "12345"')
                                     | policy("{{ school.name }}", "{{ school.nmae }}")
                                     | {"schools/test-trust/beta.yml": BETA, "schools/test-trust/gamma.yml": gamma}))
    assert found == [
        f"{SAFEGUARDING}:13: 'school.nmae' is not a known fact — did you mean 'school.name'? A school has: "
        f"{SCHOOL_KEYS}",
        f"{ALPHA}:3: urn: '12345' is not six digits — a URN is six digits, in quotes, e.g. urn: \"100234\"",
        "schools/test-trust/gamma.yml:5: there is no local authority 'westmere' — add "
        "schools/local-authorities/westmere.yml or use one of: northshire"]


def test_a_policy_that_cannot_be_read_is_not_also_called_missing(make_project: MakeProject) -> None:
    found = problems_of(make_project(policy("owner: dsl\n", "")))
    assert found == [f"{SAFEGUARDING}:2: 'owner' is missing — add 'owner:' (contact role that owns the policy, "
                     "e.g. dsl or headteacher)"]


def test_every_pattern_in_the_model_is_explained_in_words() -> None:
    """A pattern added to the schema without words here would give a school a regular expression."""
    found: set[str] = set()
    classes = [*vars(school_schema).values(), *vars(content_schema).values()]
    for cls in classes:
        if isinstance(cls, type) and issubclass(cls, BaseModel):
            for field in cls.model_fields.values():
                found |= _patterns(field.annotation) | {
                    m.pattern for m in field.metadata if getattr(m, "pattern", None)}
    assert found and found <= set(PATTERNS)


def _patterns(tp: object) -> set[str]:
    found = {getattr(m, "pattern", None) for m in getattr(tp, "__metadata__", ())} - {None}
    for arg in typing.get_args(tp):
        found |= _patterns(arg)
    return {str(p) for p in found}


# --- the command line -----------------------------------------------------------------------

PROBLEM_LINE = re.compile(r"^[\w./-]+:\d+: .+ — .+$")


def digest(folder: Path) -> dict[str, str]:
    """sha256 of every file (and the name of every folder) under folder."""
    return {p.relative_to(folder).as_posix(): hashlib.sha256(p.read_bytes()).hexdigest() if p.is_file() else "dir"
            for p in sorted(folder.rglob("*"))}


def build(root: Path) -> subprocess.CompletedProcess[str]:
    return subprocess.run([str(POLICYPRESS), "--root", str(root), "build", "--no-pdf"], capture_output=True,
                          text=True, timeout=300, check=False)


def test_cli_exits_2_lists_every_problem_and_leaves_the_last_site_alone(make_project: MakeProject) -> None:
    root = make_project({"schools/test-trust/beta.yml": BETA})
    first = build(root)
    assert first.returncode == 0, first.stderr
    before = digest(root / "build")
    assert "site/alpha/policies/safeguarding.html" in before

    make_project(school('urn: "123456"', 'urn: "12345"') | policy("{{ school.name }}", "{{ school.nmae }}")
                 | {"schools/test-trust/beta.yml": BETA})
    second = build(root)

    assert second.returncode == 2
    lines = second.stderr.splitlines()
    assert [line for line in lines if PROBLEM_LINE.match(line)] == [
        f"{SAFEGUARDING}:13: 'school.nmae' is not a known fact — did you mean 'school.name'? "
        f"A school has: {SCHOOL_KEYS}",
        f"{ALPHA}:3: urn: '12345' is not six digits — a URN is six digits, in quotes, e.g. urn: \"100234\""]
    assert len(lines) == 3 and "nothing was written" in lines[-1]
    assert second.stdout == ""
    assert digest(root / "build") == before


def test_a_school_may_not_share_its_id_with_a_trust(make_project: MakeProject) -> None:
    """Both would write build/reports/<id>-reviews.ics, one feed over the other."""
    clash = edit(SCHOOL, "id: alpha", "id: test-trust")
    found = problems_of(make_project({ALPHA: None, "schools/test-trust/test-trust.yml": clash}))
    assert found == ["schools/test-trust/test-trust.yml:1: school id 'test-trust' is also a trust's id — give the "
                     "school an id of its own (and rename its file to match)"]
