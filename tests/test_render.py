"""Rendering one school's policies: facts, conditionals, contacts, references, approvals,
review dates and what may be published. Each test renders a small inline project."""

from __future__ import annotations

import datetime as dt
from collections.abc import Callable
from pathlib import Path

import pytest

from conftest import REGISTRY, SCHOOL, TRUST
from policypress.compose.fact_types import fact_types
from policypress.compose.load import load_project
from policypress.compose.render import RenderedPolicy, RenderedSchool, render_project
from policypress.core.dates import add_months
from policypress.core.errors import SourceErrors

MakeProject = Callable[..., Path]
ALPHA = "schools/test-trust/alpha.yml"

FRONT = """\
---
title: Facts policy
summary: Checks facts.
category: Testing
statutory: false
approver: headteacher
review_cycle: {cycle}
owner: headteacher
---
"""
KCSIE_LINK = ("[Keeping children safe in education (2025)]"
              "(https://www.gov.uk/government/publications/keeping-children-safe-in-education--2)")
WORKING_TOGETHER = """\
  working-together:
    title: Working together to safeguard children
    publisher: Department for Education
    url: https://www.gov.uk/government/publications/working-together-to-safeguard-children--2
    edition: "2023"
    kind: statutory_guidance
    verified: 2026-11-01
"""


USAGES = ", ".join(fact.usage for fact in fact_types())  # every name policy text may use


def facts_policy(body: str, cycle: str = "annually", extra_front: str = "") -> str:
    return FRONT.format(cycle=cycle).replace("---\n", "---\n" + extra_front, 1) + body


def with_facts(body: str, school: str = SCHOOL, **files: str) -> dict[str, str]:
    """A project where alpha also publishes the 'facts' policy, approved on 2026-09-10."""
    school_text = school + ("  facts:\n    approvals:\n"
                            '      - {date: 2026-09-10, by: headteacher, version: "1.0"}\n')
    return {"content/policies/facts.md": facts_policy(body), ALPHA: school_text, **files}


def render(root: Path) -> dict[str, RenderedSchool]:
    return {s.school.id: s for s in render_project(load_project(root))}


def policy_of(root: Path, policy: str = "facts", school: str = "alpha") -> RenderedPolicy:
    return next(p for p in render(root)[school].policies if p.id == policy)


def markdown_of(root: Path) -> str:
    return policy_of(root).markdown


# --- facts and conditionals -------------------------------------------------------------------

CONDITIONALS = """\
{% if school.nursery %}We have a nursery.{% else %}We have no nursery.{% endif %}
{% if school.phase == "secondary" %}Pupils choose options in year 9.{% else %}Phase: {{ school.phase }}.{% endif %}
{% if local_authority.id == "northshire" %}We follow Northshire's procedures.{% endif %}
{% if trust.id == "test-trust" %}We are part of {{ trust.name }}.{% endif %}
"""


@pytest.mark.parametrize(("facts", "expected"), [
    ("phase: primary", "We have no nursery.\nPhase: primary.\n"),
    ("phase: primary\nnursery: true", "We have a nursery.\nPhase: primary.\n"),
    ("phase: secondary", "We have no nursery.\nPupils choose options in year 9.\n"),
])
def test_conditionals_follow_the_school_facts(make_project: MakeProject, facts: str, expected: str) -> None:
    school = SCHOOL.replace("phase: primary", facts)
    markdown = markdown_of(make_project(with_facts(CONDITIONALS, school)))
    assert markdown == expected + "We follow Northshire's procedures.\nWe are part of Test Learning Trust."


def test_the_same_policy_reads_differently_in_each_school(make_project: MakeProject) -> None:
    beta = SCHOOL.replace("id: alpha", "id: beta").replace("Alpha Primary", "Beta Infant").replace(
        "phase: primary", "phase: infant\nnursery: true").replace("Dana Safe", "Morgan Guard")
    schools = render(make_project({"schools/test-trust/beta.yml": beta}))
    alpha, beta_md = (schools[s].policies[0].markdown for s in ("alpha", "beta"))
    assert alpha.startswith("Everyone at Alpha Primary School helps keep children safe.")
    assert beta_md.startswith("Everyone at Beta Infant School helps keep children safe.")
    assert "Tell Dana Safe on 01632 960002 the same day." in alpha
    assert "Tell Morgan Guard on 01632 960002 the same day." in beta_md
    assert "We have no nursery." in alpha and "Our nursery follows the same rules." in beta_md


# --- contacts ---------------------------------------------------------------------------------

CONTACTS = 'DSL: {{ contact("dsl").name }}. CEO: {{ contact("ceo").name }}. LADO: {{ contact("lado").name }}.\n'


def test_contact_falls_back_from_school_to_trust_to_local_authority(make_project: MakeProject) -> None:
    markdown = markdown_of(make_project(with_facts(CONTACTS)))
    assert markdown == "DSL: Dana Safe. CEO: Robin Chief. LADO: Pat Example."


def test_school_contact_wins_over_trust_and_trust_over_local_authority(make_project: MakeProject) -> None:
    trust = TRUST.replace("contacts:\n", "contacts:\n  lado:\n    name: Trust Lado\n    title: Trust LADO\n")
    school = SCHOOL.replace("contacts:\n", "contacts:\n  ceo:\n    name: School Boss\n    title: Executive head\n")
    markdown = markdown_of(make_project(with_facts(CONTACTS, school, **{"schools/test-trust/trust.yml": trust})))
    assert markdown == "DSL: Dana Safe. CEO: School Boss. LADO: Trust Lado."


def test_rendered_school_lists_every_contact_it_can_name(make_project: MakeProject) -> None:
    contacts = render(make_project())["alpha"].contacts
    assert sorted(contacts) == ["ceo", "dsl", "front_door", "headteacher", "lado", "office"]
    assert contacts["front_door"].out_of_hours_phone == "01632 960199"


def test_a_whole_contact_prints_as_words(make_project: MakeProject) -> None:
    markdown = markdown_of(make_project(with_facts('Speak to {{ contact("dsl") }}.\n')))
    assert markdown == "Speak to Dana Safe (Designated safeguarding lead, [01632 960002](tel:01632960002))."


def test_an_address_prints_as_one_line(make_project: MakeProject) -> None:
    body = "Write to {{ school.address }} about the {{ policy.title | lower }}.\n"
    assert markdown_of(make_project(with_facts(body))) == (
        "Write to 1 School Lane, Northtown, NT1 1AA about the facts policy.")


def test_an_empty_fact_is_an_error_not_the_word_none(make_project: MakeProject) -> None:
    root = make_project(with_facts('Out of hours: {{ contact("dsl").out_of_hours_phone }}.\n'))
    with pytest.raises(SourceErrors) as caught:
        render(root)
    assert [str(p) for p in caught.value.problems] == [
        "content/policies/facts.md:10: {{ contact(\"dsl\").out_of_hours_phone }} has no value for Alpha Primary "
        "School — add the missing detail to the school, trust or local authority file, or put the sentence "
        "inside {% if … %}"]


def test_an_empty_fact_can_be_left_out_with_if(make_project: MakeProject) -> None:
    body = '{% if contact("dsl").out_of_hours_phone %}Out of hours: call.{% else %}Office hours only.{% endif %}\n'
    assert markdown_of(make_project(with_facts(body))) == "Office hours only."


# --- statutory references ---------------------------------------------------------------------


def test_ref_gives_a_titled_link_with_edition_and_lists_the_reference(make_project: MakeProject) -> None:
    policy = policy_of(make_project(with_facts('See {{ ref("kcsie") }}.\n')))
    assert policy.markdown == f"See {KCSIE_LINK}."
    assert [(ref_id, entry.edition) for ref_id, entry in policy.references] == [("kcsie", "2025")]


def test_references_list_body_citations_then_front_matter_ones(make_project: MakeProject) -> None:
    registry = REGISTRY + WORKING_TOGETHER
    body = facts_policy('See {{ ref("working-together") }} and {{ ref("working-together") }}.\n',
                        extra_front="references: [kcsie]\n")
    files = with_facts("", **{"content/statutory.yml": registry})
    files["content/policies/facts.md"] = body
    policy = policy_of(make_project(files))
    assert [ref_id for ref_id, _ in policy.references] == ["working-together", "kcsie"]


def test_a_new_edition_in_the_registry_reaches_every_citation(make_project: MakeProject) -> None:
    registry = REGISTRY.replace('edition: "2025"', 'edition: "2026"')
    policy = policy_of(make_project({"content/statutory.yml": registry}), "safeguarding")
    assert "[Keeping children safe in education (2026)](https://www.gov.uk/" in policy.markdown
    assert "(2025)" not in policy.markdown


# --- approvals, review dates and publication --------------------------------------------------


def test_next_review_is_the_latest_approval_plus_the_cycle(make_project: MakeProject) -> None:
    policy = policy_of(make_project(), "safeguarding")
    assert policy.approved is not None and policy.approved.date == dt.date(2026, 9, 10)
    assert policy.next_review == dt.date(2027, 9, 10)


@pytest.mark.parametrize(("start", "months", "expected"), [
    (dt.date(2026, 1, 31), 1, dt.date(2026, 2, 28)),
    (dt.date(2028, 1, 31), 1, dt.date(2028, 2, 29)),
    (dt.date(2026, 8, 31), 1, dt.date(2026, 9, 30)),
    (dt.date(2026, 12, 15), 1, dt.date(2027, 1, 15)),
    (dt.date(2026, 3, 31), 11, dt.date(2027, 2, 28)),
    (dt.date(2024, 2, 29), 12, dt.date(2025, 2, 28)),
    (dt.date(2026, 9, 10), 36, dt.date(2029, 9, 10)),
])
def test_add_months_clamps_to_the_end_of_a_shorter_month(start: dt.date, months: int, expected: dt.date) -> None:
    assert add_months(start, months) == expected


@pytest.mark.parametrize(("cycle", "expected"), [
    ("13 months", dt.date(2027, 2, 28)),
    ("25 months", dt.date(2028, 2, 29)),
    ("every_2_years", dt.date(2028, 1, 31)),
])
def test_review_from_31_january_clamps(make_project: MakeProject, cycle: str, expected: dt.date) -> None:
    files = with_facts("Text.\n")
    files["content/policies/facts.md"] = facts_policy("Text.\n", cycle=cycle)
    files[ALPHA] = files[ALPHA].replace("date: 2026-09-10, by: headteacher", "date: 2026-01-31, by: headteacher")
    assert policy_of(make_project(files)).next_review == expected


def test_latest_approval_counts_whatever_order_they_are_written_in(make_project: MakeProject) -> None:
    school = SCHOOL.replace(
        '      - {date: 2026-09-10, by: full_governing_body, version: "2.0"}\n',
        '      - {date: 2026-09-10, by: full_governing_body, version: "2.0"}\n'
        '      - {date: 2025-09-12, by: full_governing_body, version: "1.0"}\n')
    policy = policy_of(make_project({ALPHA: school}), "safeguarding")
    assert [a.version for a in policy.approvals] == ["1.0", "2.0"]
    assert policy.next_review == dt.date(2027, 9, 10)


TRUST_APPROVAL = TRUST.replace(
    "    locked: [what-to-do]\n",
    '    locked: [what-to-do]\n    approvals:\n      - {date: 2026-10-15, by: trust_board, version: "3.0"}\n')


def test_trust_wide_approval_counts_for_every_school(make_project: MakeProject) -> None:
    policy = policy_of(make_project({"schools/test-trust/trust.yml": TRUST_APPROVAL}), "safeguarding")
    assert [(a.by, a.version) for a in policy.approvals] == [
        ("full_governing_body", "2.0"), ("trust_board", "3.0")]
    assert policy.next_review == dt.date(2027, 10, 15)


def test_trust_wide_approval_alone_publishes_the_policy(make_project: MakeProject) -> None:
    school = SCHOOL.replace('      - {date: 2026-09-10, by: full_governing_body, version: "2.0"}\n', "") \
        .replace("    approvals:\n", "    approvals: []\n")
    root = make_project({ALPHA: school, "schools/test-trust/trust.yml": TRUST_APPROVAL})
    policy = policy_of(root, "safeguarding")
    assert policy.public and policy.approved is not None and policy.approved.by == "trust_board"


def test_policy_without_approvals_is_not_public(make_project: MakeProject) -> None:
    school = SCHOOL.replace('      - {date: 2026-09-10, by: full_governing_body, version: "2.0"}\n', "") \
        .replace("    approvals:\n", "    approvals: []\n")
    rendered = render(make_project({ALPHA: school}))["alpha"]
    policy = rendered.policies[0]
    assert (policy.approved, policy.next_review, policy.public) == (None, None, False)
    assert rendered.public_policies == []


def test_policy_not_for_the_public_is_not_public_even_when_approved(make_project: MakeProject) -> None:
    files = with_facts("Staff only.\n")
    files["content/policies/facts.md"] = facts_policy("Staff only.\n", extra_front="audience: [staff, governors]\n")
    rendered = render(make_project(files))["alpha"]
    facts = next(p for p in rendered.policies if p.id == "facts")
    assert facts.approved is not None and not facts.public
    assert [p.id for p in rendered.public_policies] == ["safeguarding"]


def test_policies_are_ordered_by_category_then_title(make_project: MakeProject) -> None:
    rendered = render(make_project(with_facts("Text.\n")))["alpha"]
    assert [(p.meta.category, p.id) for p in rendered.policies] == [
        ("Safeguarding", "safeguarding"), ("Testing", "facts")]


def test_owner_is_the_contact_named_by_the_owner_role(make_project: MakeProject) -> None:
    policy = policy_of(make_project(), "safeguarding")
    assert policy.owner is not None and policy.owner.name == "Dana Safe"


# --- safety -----------------------------------------------------------------------------------


@pytest.mark.parametrize(("body", "expected"), [
    ("{{ school.__class__ }}",
     "content/policies/facts.md:10: this placeholder is not allowed (access to attribute '__class__' of 'School' "
     "object is unsafe) — use only " + USAGES),
    ('{% include "../../schools/test-trust/alpha.yml" %}',
     "content/policies/facts.md:10: policy text cannot include other files ('../../schools/test-trust/alpha.yml') "
     "— copy the words into the policy, or use a trust or school overlay"),
    ("{{ school.values }}",
     "content/policies/facts.md:10: {{ school.values }} is a list or a whole record, not one value — print one part "
     "of it, e.g. {{ school.name }} or {{ contact('dsl').phone }}, or join a list: {{ school.values | join(', ') }}"),
    ("{{ 1 / 0 }}",
     "content/policies/facts.md:10: a placeholder on this line failed (ZeroDivisionError: division by zero) — "
     "simplify it to a fact such as {{ school.name }}"),
])
def test_templates_run_in_a_sandbox_and_cannot_read_files(
    make_project: MakeProject, body: str, expected: str
) -> None:
    with pytest.raises(SourceErrors) as caught:
        render(make_project(with_facts(f"Line: {body}\n")))
    assert [str(p) for p in caught.value.problems] == [expected]


def test_values_from_school_files_are_text(make_project: MakeProject) -> None:
    """A fact printed into policy text is escaped: it shows as typed, never as markup (test_escaping.py)."""
    school = SCHOOL.replace("name: Alpha Primary School", 'name: "Alpha<script>alert(1)</script> School"')
    markdown = policy_of(make_project({ALPHA: school}), "safeguarding").markdown
    assert markdown.startswith("Everyone at Alpha&lt;script&gt;alert(1)&lt;/script&gt; School helps keep")


def test_rendering_the_same_source_twice_gives_the_same_text(make_project: MakeProject) -> None:
    root = make_project()
    first, second = render(root), render(root)
    assert [p.markdown for p in first["alpha"].policies] == [p.markdown for p in second["alpha"].policies]
