"""Word origins and the redline: each change since approval, attributed to where it came from."""

from __future__ import annotations

from collections.abc import Callable, Mapping
from pathlib import Path

from conftest import POLICY, REGISTRY, SCHOOL, TRUST
from policypress.compose.load import load_project
from policypress.compose.provenance import Word, plain_words, policy_words, tagged_words
from policypress.compose.render import render_project
from policypress.governors.redline import Change, compare

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


def test_three_changes_each_with_its_origin(make_project: MakeProject) -> None:
    after = {SAFEGUARDING: POLICY.replace(SENTENCE, NEW_SENTENCE),
             ALPHA: SCHOOL.replace("Dana Safe", "Robin Guard"),
             REGISTRY_FILE: REGISTRY.replace('edition: "2025"', 'edition: "2026"')}
    found = changes(make_project, {}, after)
    assert [(c.origin, c.deleted, c.inserted, c.places) for c in found] == [
        (f"School facts ({ALPHA}): the dsl contact", "Dana Safe", "Robin Guard", 1),
        (f"Trust model policy text ({SAFEGUARDING}, line 25)", "", "and governors", 1),
        (f"Statutory registry update: kcsie ({REGISTRY_FILE})", "(2025).", "(2026).", 1),
    ]
    assert found[1].before == "have no nursery. Training All staff"
    assert found[1].after == "are trained every year. See Keeping"


def test_overlay_text_is_put_down_to_the_overlay(make_project: MakeProject) -> None:
    found = changes(make_project, {}, {TRUST_FILE: TRUST + OVERLAY})
    assert [(c.origin, c.inserted) for c in found] == [
        (f"Trust overlay ({TRUST_FILE}, line 15)", "Our governors are trained too.")]
    found = changes(make_project, {}, {ALPHA: SCHOOL + OVERLAY.replace("    overlay", "    overlay", 1)})
    assert [c.origin for c in found] == [f"School overlay ({ALPHA}, line 30)"]


def test_the_same_change_in_many_places_is_listed_once(make_project: MakeProject) -> None:
    twice = POLICY.replace("the same day.", 'the same day, or {{ contact("dsl").name }} again.')
    found = changes(make_project, {SAFEGUARDING: twice},
                    {SAFEGUARDING: twice, ALPHA: SCHOOL.replace("Dana Safe", "Robin Guard")})
    assert [(c.deleted, c.inserted, c.places) for c in found] == [("Dana Safe", "Robin Guard", 2)]


def test_no_change_means_no_redline(make_project: MakeProject) -> None:
    assert changes(make_project, {}, {}) == []
