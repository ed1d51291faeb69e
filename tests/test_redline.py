"""Word origins and the redline: each change since approval, attributed to where it came from."""

from __future__ import annotations

from collections.abc import Callable, Mapping
from pathlib import Path

from conftest import POLICY, REGISTRY, SCHOOL, TRUST
from policypress.compose.load import load_project
from policypress.compose.provenance import Word, plain_words, policy_words, tagged_words
from policypress.compose.render import render_project
from policypress.governors.redline import UNKNOWN, Change, by_section, compare, summary
from policypress.governors.sections import Heading, word_headings

MakeProject = Callable[..., Path]
ALPHA = "schools/test-trust/alpha.yml"
TRUST_FILE = "schools/test-trust/trust.yml"
SAFEGUARDING = "content/policies/safeguarding.md"
REGISTRY_FILE = "content/statutory.yml"
SENTENCE = "All staff are trained every year."
NEW_SENTENCE = "All staff and governors are trained every year."
OVERLAY = """    overlay:
      sections:
        - section: training
          action: append
          text: Our governors are trained too.
"""


def words_of(root: Path) -> list[Word]:
    return policy_words(load_project(root), "alpha", "safeguarding")


def changes(make_project: MakeProject, before: Mapping[str, str | None],
            after: Mapping[str, str | None]) -> list[Change]:
    approved = words_of(make_project(before))
    root = make_project(after)
    return compare(approved, words_of(root), load_project(root), "alpha")


def test_every_word_is_tagged_with_its_line_or_fact(make_project: MakeProject) -> None:
    words = {w.text: w.origin for w in words_of(make_project())}
    assert words["Everyone"] == f"line:{SAFEGUARDING}:13"
    assert words["Alpha"] == "fact:school:details"
    assert words["Dana"] == words["01632"] == "fact:contact:dsl"
    assert words["(2025)."] == "fact:registry:kcsie"
    assert words["trained"] == f"line:{SAFEGUARDING}:25"


def test_tagged_words_match_the_published_text_in_every_example_policy() -> None:
    project = load_project(Path(__file__).resolve().parent.parent)
    for school in render_project(project):
        for policy in school.policies:
            traced = [w.text for w in policy_words(project, school.school.id, policy.id)]
            assert traced == plain_words(policy.markdown), (school.school.id, policy.id)


def test_markdown_marks_are_not_words() -> None:
    words = [w.text for w in tagged_words("## Training {#training}\n\n- See **[KCSIE (2025)](https://x.example.org/a)**.\n")]
    assert words == ["Training", "See", "KCSIE", "(2025)."]


def test_three_changes_each_with_its_origin_in_governors_words(make_project: MakeProject) -> None:
    registry = REGISTRY.replace("    publisher:", "    aliases: [KCSIE]\n    publisher:")
    after = {SAFEGUARDING: POLICY.replace(SENTENCE, NEW_SENTENCE),
             ALPHA: SCHOOL.replace("Dana Safe", "Robin Guard"),
             REGISTRY_FILE: registry.replace('edition: "2025"', 'edition: "2026"')}
    found = changes(make_project, {REGISTRY_FILE: registry}, after)
    assert [(c.origin.words, c.deleted, c.inserted, c.places) for c in found] == [
        ("a contact changed: DSL Dana Safe → Robin Guard", "Dana Safe", "Robin Guard", 1),
        ("the trust's model text", "", "and governors", 1),
        ("the statutory guidance changed: KCSIE 2025 → 2026", "(2025).", "(2026).", 1),
    ]
    assert [c.origin.short for c in found] == [
        "a contact changed (DSL)", "the trust's model text", "the statutory guidance changed (KCSIE 2025 → 2026)"]
    assert found[1].before == "have no nursery. Training All staff"
    assert found[1].after == "are trained every year. See Keeping"
    assert summary(found) == ("3 changes: a contact changed (DSL); the statutory guidance changed (KCSIE 2025 → 2026); "
                              "the trust's model text")


def test_each_change_is_placed_under_its_section_heading(make_project: MakeProject) -> None:
    after = {SAFEGUARDING: POLICY.replace(SENTENCE, NEW_SENTENCE).replace("Everyone at", "Everybody at"),
             ALPHA: SCHOOL.replace("Dana Safe", "Robin Guard")}
    approved = words_of(make_project({}))
    root = make_project(after)
    project = load_project(root)
    policy = render_project(project)[0].policies[0]
    headings = word_headings(policy.markdown, [], "#p-{}", Heading("", "#p-text"))
    found = compare(approved, words_of(root), project, "alpha", headings)
    assert [(c.section, c.inserted) for c in found] == [
        (Heading("", "#p-text"), "Everybody"),
        (Heading("What to do", "#p-what-to-do"), "Robin Guard"),
        (Heading("Training", "#p-training"), "and governors")]
    assert [(h.title, [c.inserted for c in group]) for h, group in by_section(found)] == [
        ("", ["Everybody"]), ("What to do", ["Robin Guard"]), ("Training", ["and governors"])]


def test_a_heading_without_its_own_id_takes_the_id_the_contents_give_it() -> None:
    headings = word_headings("Intro.\n\n## First part\n\nText here.\n\n```\n## not a heading\n```\n", ["first-part"],
                             "#x-{}", Heading(""))
    assert [h.title for h in headings] == ["", *["First part"] * 7]  # a '#' line in a code block is no heading
    assert headings[-1].href == "#x-first-part"


def test_a_deleted_passage_is_placed_in_the_section_it_was_taken_from(make_project: MakeProject) -> None:
    before = {SAFEGUARDING: POLICY.replace("We have no nursery.", "We have no nursery. We may open one.")}
    approved = words_of(make_project(before))
    root = make_project({})
    project = load_project(root)
    policy = render_project(project)[0].policies[0]
    found = compare(approved, words_of(root), project, "alpha",
                    word_headings(policy.markdown, [], "#{}", Heading("")))
    assert [(c.section.title, c.deleted, c.origin.words) for c in found] == [
        ("Early years", "We may open one.", "the trust's model text")]


def test_overlay_text_is_put_down_to_the_overlay(make_project: MakeProject) -> None:
    found = changes(make_project, {}, {TRUST_FILE: TRUST + OVERLAY})
    assert [(c.origin.words, c.inserted) for c in found] == [("the trust's own text", "Our governors are trained too.")]
    found = changes(make_project, {}, {ALPHA: SCHOOL + OVERLAY.replace("    overlay", "    overlay", 1)})
    assert [c.origin.words for c in found] == ["our school's own text"]


def test_a_new_use_of_a_fact_is_a_change_of_wording_not_of_the_fact(make_project: MakeProject) -> None:
    added = POLICY.replace("the same day.", 'the same day. Ask {{ contact("headteacher").name }} too.')
    found = changes(make_project, {}, {SAFEGUARDING: added})
    assert [(c.origin.words, c.inserted) for c in found] == [("the trust's model text", "Ask Alex Head too.")]


def test_a_fact_taken_out_of_the_text_is_a_change_of_wording(make_project: MakeProject) -> None:
    found = changes(make_project, {}, {SAFEGUARDING: POLICY.replace('{{ contact("dsl").phone }}', "")})
    assert [(c.origin.words, c.deleted) for c in found] == [("the text no longer shows a contact: DSL", "01632 960002")]
    found = changes(make_project, {}, {SAFEGUARDING: POLICY.replace(' on {{ contact("dsl").phone }}', "")})
    assert [(c.origin.words, c.deleted) for c in found] == [("the trust's model text", "on 01632 960002")]


def test_contacts_are_named_by_their_role_as_people_say_it(make_project: MakeProject) -> None:
    school = SCHOOL.replace("  dsl:\n", "  chair_of_governors:\n    name: Sam Chair\n    title: Chair of governors\n"
                            "  deputy_dsl:\n    name: Karen Lowe\n    title: Pastoral lead and deputy designated "
                            "safeguarding lead\n  dsl:\n")
    text = POLICY.replace("the same day.", 'the same day, or {{ contact("deputy_dsl").name }}, or '
                          '{{ contact("chair_of_governors").name }}.')
    found = changes(make_project, {ALPHA: school, SAFEGUARDING: text},
                    {ALPHA: school.replace("Karen Lowe", "Daniel Osei").replace("Sam Chair", "Jo Chair"),
                     SAFEGUARDING: text})
    assert [c.origin.words for c in found] == ["a contact changed: deputy DSL Karen Lowe → Daniel Osei",
                                               "a contact changed: chair of governors Sam → Jo"]


def test_the_same_change_in_many_places_is_listed_once(make_project: MakeProject) -> None:
    twice = POLICY.replace("the same day.", 'the same day, or {{ contact("dsl").name }} again.')
    found = changes(make_project, {SAFEGUARDING: twice},
                    {SAFEGUARDING: twice, ALPHA: SCHOOL.replace("Dana Safe", "Robin Guard")})
    assert [(c.deleted, c.inserted, c.places) for c in found] == [("Dana Safe", "Robin Guard", 2)]


def test_without_recorded_origins_only_new_words_have_a_known_source(make_project: MakeProject) -> None:
    before = {SAFEGUARDING: POLICY.replace(SENTENCE, NEW_SENTENCE)}
    approved = [Word(w.text, "") for w in words_of(make_project(before))]
    root = make_project({SAFEGUARDING: POLICY.replace("the same day.", "the same day or sooner.")})
    found = compare(approved, words_of(root), load_project(root), "alpha")
    assert [(c.origin.words, c.deleted, c.inserted) for c in found] == [
        ("the trust's model text", "day.", "day or sooner."), (UNKNOWN, "and governors", "")]


def test_no_change_means_no_redline(make_project: MakeProject) -> None:
    assert changes(make_project, {}, {}) == []
