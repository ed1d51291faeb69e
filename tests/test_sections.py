"""Overlays: replace, append, prepend, insert_after and remove, at trust and school level;
`set:` values; sections a trust locks. Each test renders a small inline project."""

from __future__ import annotations

import re
import textwrap
from collections.abc import Callable
from pathlib import Path

import pytest

from conftest import SCHOOL, TRUST
from policypress.compose.load import load_project
from policypress.compose.render import RenderedPolicy, render_project
from policypress.core.errors import SourceErrors

MakeProject = Callable[..., Path]

BEHAVIOUR = """\
---
title: Behaviour policy
summary: How we expect everyone to behave.
category: Behaviour
statutory: true
approver: full_governing_body
review_cycle: annually
owner: headteacher
---
Intro for {{ school.name }}.

## Rules {#rules}

Be kind.

### Rewards {#rewards}

Stickers.

## Sanctions {#sanctions}

Time out.
"""

INTRO = "Intro for Alpha Primary School.\n\n"
RULES = "## Rules {#rules}\n\nBe kind.\n\n"
REWARDS = "### Rewards {#rewards}\n\nStickers.\n\n"
SANCTIONS = "## Sanctions {#sanctions}\n\nTime out."
ORIGINAL = INTRO + RULES + REWARDS + SANCTIONS


def overlay(*changes: tuple[str, str, str], set_values: str = "") -> str:
    """An `overlay:` block: optional `set:` lines, then (section, action, text) changes."""
    out = "overlay:\n"
    if set_values:
        out += "  set:\n" + textwrap.indent(textwrap.dedent(set_values), "    ")
    if changes:
        out += "  sections:\n"
    for section, action, text in changes:
        out += f"    - section: {section}\n      action: {action}\n"
        if text:
            out += "      text: |\n" + textwrap.indent(text, "        ")
    return out


def school_file(block: str = "", locked_trust: str = "") -> dict[str, str]:
    """Files for a project whose school publishes the behaviour policy with `block` under it."""
    school = SCHOOL + (
        "  behaviour:\n    approvals:\n"
        '      - {date: 2026-09-10, by: full_governing_body, version: "1.0"}\n'
        + textwrap.indent(block, "    ")
    )
    trust = TRUST + ("  behaviour:\n" + textwrap.indent(locked_trust, "    ") if locked_trust else "")
    return {"content/policies/behaviour.md": BEHAVIOUR, "schools/test-trust/alpha.yml": school,
            "schools/test-trust/trust.yml": trust}


def rendered(root: Path, policy: str = "behaviour") -> RenderedPolicy:
    schools = render_project(load_project(root))
    return next(p for p in schools[0].policies if p.id == policy)


def text_of(root: Path) -> str:
    """The rendered Markdown; Markdown reads a run of blank lines as one, so runs count as one here."""
    return re.sub(r"\n{3,}", "\n\n", rendered(root).markdown).rstrip("\n")


def problems(root: Path) -> list[str]:
    with pytest.raises(SourceErrors) as caught:
        render_project(load_project(root))
    return [str(p) for p in caught.value.problems]


def test_no_overlay_renders_the_model_policy(make_project: MakeProject) -> None:
    assert text_of(make_project(school_file())) == ORIGINAL


@pytest.mark.parametrize("level", ["trust", "school"])
@pytest.mark.parametrize(("change", "expected"), [
    pytest.param(("rules", "replace", "Be kind and fair.\n"),
                 INTRO + "## Rules {#rules}\n\nBe kind and fair.\n\n" + SANCTIONS, id="replace"),
    pytest.param(("rules", "append", "Ask us if unsure.\n"),
                 INTRO + RULES + REWARDS + "Ask us if unsure.\n\n" + SANCTIONS, id="append"),
    pytest.param(("rules", "prepend", "Our rules are short.\n"),
                 INTRO + "## Rules {#rules}\n\nOur rules are short.\n\nBe kind.\n\n" + REWARDS + SANCTIONS,
                 id="prepend"),
    pytest.param(("rewards", "insert_after", "## Lunchtimes {#lunch}\n\nMidday supervisors help.\n"),
                 INTRO + RULES + REWARDS + "## Lunchtimes {#lunch}\n\nMidday supervisors help.\n\n"
                 + SANCTIONS, id="insert_after"),
    pytest.param(("rewards", "remove", ""), INTRO + RULES + SANCTIONS, id="remove-subsection"),
    pytest.param(("rules", "remove", ""), INTRO + SANCTIONS, id="remove-with-subsections"),
    pytest.param(("sanctions", "append", "Parents are told the same day.\n"),
                 ORIGINAL + "\n\nParents are told the same day.", id="append-to-last"),
])
def test_each_action_at_trust_and_school_level(
    make_project: MakeProject, level: str, change: tuple[str, str, str], expected: str
) -> None:
    block = overlay(change)
    files = school_file(block) if level == "school" else school_file(locked_trust=block)
    assert text_of(make_project(files)) == expected


def test_school_changes_apply_after_the_trusts(make_project: MakeProject) -> None:
    trust = overlay(("rules", "replace", "Trust rules.\n"))
    school = overlay(("rules", "append", "School addition.\n"))
    assert text_of(make_project(school_file(school, locked_trust=trust))) == (
        INTRO + "## Rules {#rules}\n\nTrust rules.\n\nSchool addition.\n\n" + SANCTIONS)


def test_a_school_can_change_a_section_the_trust_inserted(make_project: MakeProject) -> None:
    trust = overlay(("sanctions", "insert_after", "## Exclusions {#exclusions}\n\nOnly the head.\n"))
    school = overlay(("exclusions", "append", "We follow the local authority's guidance.\n"))
    assert text_of(make_project(school_file(school, locked_trust=trust))).endswith(
        "## Exclusions {#exclusions}\n\nOnly the head.\n\nWe follow the local authority's guidance.")


def test_overlay_text_may_use_placeholders(make_project: MakeProject) -> None:
    school = overlay(("sanctions", "append", "Ring {{ contact('headteacher').phone }}.\n"))
    assert text_of(make_project(school_file(school))).endswith(
        "Time out.\n\nRing 01632 960001.")


def test_several_changes_apply_in_order(make_project: MakeProject) -> None:
    school = overlay(("rewards", "remove", ""), ("rules", "append", "No rewards here.\n"),
                     ("sanctions", "prepend", "First:\n"))
    assert text_of(make_project(school_file(school))) == (
        INTRO + RULES + "No rewards here.\n\n## Sanctions {#sanctions}\n\nFirst:\n\nTime out.")


@pytest.mark.parametrize("level", ["trust", "school"])
def test_set_overrides_front_matter(make_project: MakeProject, level: str) -> None:
    block = overlay(set_values="summary: How Alpha expects everyone to behave.\nreview_cycle: 6 months\n")
    files = school_file(block) if level == "school" else school_file(locked_trust=block)
    policy = rendered(make_project(files))
    assert policy.meta.summary == "How Alpha expects everyone to behave."
    assert policy.meta.review_cycle == "6 months"
    assert str(policy.next_review) == "2027-03-10"
    assert policy.meta.title == "Behaviour policy"  # what is not set stays as the model says


def test_school_set_wins_over_trust_set(make_project: MakeProject) -> None:
    trust = overlay(set_values="review_cycle: 6 months\ncategory: Pupils\n")
    school = overlay(set_values="review_cycle: 3 months\n")
    policy = rendered(make_project(school_file(school, locked_trust=trust)))
    assert (policy.meta.review_cycle, policy.meta.category) == ("3 months", "Pupils")
    assert str(policy.next_review) == "2026-12-10"


def test_set_audience_can_take_a_policy_off_the_site(make_project: MakeProject) -> None:
    school = overlay(set_values="audience: [staff]\n")
    policy = rendered(make_project(school_file(school)))
    assert policy.meta.audience == ["staff"] and not policy.public


def test_trust_may_change_a_section_it_locked(make_project: MakeProject) -> None:
    trust = "locked: [rules]\n" + overlay(("rules", "replace", "The trust's rules.\n"))
    root = make_project(school_file(locked_trust=trust))
    assert text_of(root) == INTRO + "## Rules {#rules}\n\nThe trust's rules.\n\n" + SANCTIONS


LOCKED_AT = "section 'rules' of policy 'behaviour' is locked by the trust (schools/test-trust/trust.yml:12)"
REFUSED = "remove this change, or ask the trust to change its text"


@pytest.mark.parametrize(("change", "line"), [
    pytest.param(("rules", "replace", "Our own rules.\n"), 32, id="replace"),
    pytest.param(("rules", "append", "More.\n"), 32, id="append"),
    pytest.param(("rules", "prepend", "More.\n"), 32, id="prepend"),
    pytest.param(("rules", "remove", ""), 32, id="remove"),
    pytest.param(("rewards", "replace", "Merits.\n"), 32, id="subsection-of-locked"),
    pytest.param(("rewards", "insert_after", "### Merits {#merits}\n\nMerits.\n"), 32,
                 id="insert-inside-locked"),
])
def test_school_may_not_change_a_locked_section(
    make_project: MakeProject, change: tuple[str, str, str], line: int
) -> None:
    root = make_project(school_file(overlay(change), locked_trust="locked: [rules]\n"))
    assert problems(root) == [f"schools/test-trust/alpha.yml:{line}: {LOCKED_AT} — {REFUSED}"]


def test_locking_a_subsection_protects_it_from_changes_to_its_parent(make_project: MakeProject) -> None:
    school = overlay(("rules", "replace", "Shorter rules.\n"), ("rules", "append", "Ask us.\n"),
                     ("rules", "remove", ""))
    root = make_project(school_file(school, locked_trust="locked: [rewards]\n"))
    locked = ("section 'rewards' of policy 'behaviour' is locked by the trust "
              f"(schools/test-trust/trust.yml:12) — {REFUSED}")
    assert problems(root) == [f"schools/test-trust/alpha.yml:{line}: {locked}" for line in (32, 36, 40)]


def test_prepending_to_the_parent_of_a_locked_subsection_is_allowed(make_project: MakeProject) -> None:
    school = overlay(("rules", "prepend", "Read these with your child.\n"))
    root = make_project(school_file(school, locked_trust="locked: [rewards]\n"))
    assert text_of(root) == (INTRO + "## Rules {#rules}\n\nRead these with your child.\n\nBe kind.\n\n"
                             + REWARDS + SANCTIONS)


def test_school_may_insert_after_a_locked_section(make_project: MakeProject) -> None:
    school = overlay(("rules", "insert_after", "## Our playground {#playground}\n\nStay in sight.\n"))
    root = make_project(school_file(school, locked_trust="locked: [rules]\n"))
    assert text_of(root) == (INTRO + RULES + REWARDS + "## Our playground {#playground}\n\nStay in sight.\n\n"
                             + SANCTIONS)


def test_school_may_change_sections_the_trust_did_not_lock(make_project: MakeProject) -> None:
    school = overlay(("sanctions", "replace", "A quiet word first.\n"))
    root = make_project(school_file(school, locked_trust="locked: [rules]\n"))
    assert text_of(root) == INTRO + RULES + REWARDS + "## Sanctions {#sanctions}\n\nA quiet word first."


def test_insert_after_must_bring_its_own_heading(make_project: MakeProject) -> None:
    root = make_project(school_file(overlay(("rules", "insert_after", "Just a sentence.\n"))))
    assert problems(root) == [
        "schools/test-trust/alpha.yml:35: the text of an insert_after change must start with a heading "
        "of its own — start it with a heading such as '## Local arrangements {#local}', or use append "
        "to add to the section"]


def test_insert_after_heading_may_not_be_deeper_than_the_section(make_project: MakeProject) -> None:
    root = make_project(school_file(overlay(("rules", "insert_after", "### Extra {#extra}\n\nText.\n"))))
    assert problems(root) == [
        "schools/test-trust/alpha.yml:35: this heading is deeper than the section 'rules' it follows, "
        "so it would go inside that section — start the heading with '##', or use append to add to "
        "the section"]


def test_inserted_section_may_not_reuse_an_id(make_project: MakeProject) -> None:
    root = make_project(school_file(overlay(("rules", "insert_after", "## More {#sanctions}\n\nText.\n"))))
    assert problems(root) == [
        "schools/test-trust/alpha.yml:35: the section id 'sanctions' is used twice (also on "
        "content/policies/behaviour.md:20) — give every heading in a policy a different {#id}"]


def test_error_in_overlay_text_names_the_overlay_line(make_project: MakeProject) -> None:
    school = overlay(("sanctions", "append", "First line.\nRing {{ contact('headteacher').phnoe }}.\n"))
    assert problems(make_project(school_file(school))) == [
        "schools/test-trust/alpha.yml:36: 'contact('headteacher').phnoe' is not a known fact — did you mean "
        "'contact('headteacher').phone'? A contact has: name, title, phone, out_of_hours_phone, email, "
        "website, hours"]


def test_trust_overlay_on_unknown_section_is_reported_once(make_project: MakeProject) -> None:
    beta = SCHOOL.replace("id: alpha", "id: beta") + (
        "  behaviour:\n    approvals:\n"
        '      - {date: 2026-09-10, by: full_governing_body, version: "1.0"}\n')
    files = school_file(locked_trust=overlay(("rulez", "append", "x\n")))
    files["schools/test-trust/beta.yml"] = beta
    assert problems(make_project(files)) == [
        "schools/test-trust/trust.yml:14: policy 'behaviour' has no section 'rulez' — "
        "use one of its section ids: rules, rewards, sanctions"]


def test_a_conditional_section_keeps_its_opening_condition() -> None:
    from policypress.source.school_schema import SectionChange
    from policypress.source.sections import apply_change, lines_from

    text = ("## A {#a}\na body\n{% if school.nursery %}\n## B {#b}\nb body\n{% endif %}\n\n"
            "## C {#c}\nc body")
    lines = lines_from(text, "p.md", 1)
    replaced = apply_change(lines, SectionChange(section="a", action="replace", text="NEW"),
                            lines_from("NEW", "s.yml", 1))
    assert [line.text for line in replaced] == [
        "## A {#a}", "", "NEW", "", "{% if school.nursery %}", "## B {#b}", "b body", "{% endif %}", "",
        "## C {#c}", "c body"]
    removed = apply_change(lines, SectionChange(section="b", action="remove"), [])
    assert [line.text for line in removed] == ["## A {#a}", "a body", "## C {#c}", "c body"]
