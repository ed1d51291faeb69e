"""Model policies scoped to a trust or a local authority, beside the shared ones.

A school listing a policy id gets its trust's own model first, else its local authority's, else
the shared one. Two trusts here both have an `anti-bullying` model with different words; the
local authority westmere has a `home-education` model that only its schools can list.
"""

from __future__ import annotations

import datetime as dt
import json
from pathlib import Path

import pytest

from conftest import AUTHORITY, POLICY, SCHOOL, TRUST, minimal_tree, write_tree
from policypress.checks.content import run as check_content
from policypress.checks.internal_links import internal_link_problems
from policypress.checks.links.gather import gather_links
from policypress.compose.load import load_project
from policypress.compose.provenance import policy_words
from policypress.compose.render import render_project
from policypress.core.errors import SourceErrors
from policypress.governors.approve import ApprovalRequest, approve
from policypress.governors.redline import compare, text_source
from tree_tools import run

TEST_TRUST_MODEL = "schools/test-trust/policies/anti-bullying.md"
OTHER_TRUST_MODEL = "schools/other-trust/policies/anti-bullying.md"
LA_MODEL = "schools/local-authorities/westmere/policies/home-education.md"
ALPHA = "schools/test-trust/alpha.yml"
GAMMA = "schools/test-trust/gamma.yml"
BETA = "schools/other-trust/beta.yml"
TODAY = dt.date(2026, 11, 20)


def model(title: str, words: str) -> str:
    """A small model policy whose body is one section holding words."""
    head = POLICY.split("---\n")[1].replace("Safeguarding policy", title).replace("statutory: true", "statutory: false")
    head = head.replace("requires: [contacts.dsl]\n", "").replace("references: [kcsie]\n", "")
    return f"---\n{head}---\n## Our approach {{#approach}}\n\n{words}\n"


def school(school_id: str, name: str, la: str, policies: dict[str, str]) -> str:
    """The conftest school renamed, in local authority la, listing policies (id: date approved)."""
    text = SCHOOL.replace("id: alpha", f"id: {school_id}").replace("Alpha Primary School", name)
    text = text.replace("local_authority: northshire", f"local_authority: {la}")
    listed = "".join(f"  {pid}:\n    approvals:\n      - {{date: {day}, by: full_governing_body, version: \"1.0\"}}\n"
                     for pid, day in policies.items())
    return text.split("policies:\n")[0] + "policies:\n" + listed


WESTMERE = AUTHORITY.replace("id: northshire", "id: westmere").replace("Northshire", "Westmere")
OTHER_TRUST = TRUST.replace("id: test-trust", "id: other-trust").replace("Test Learning", "Other Academy")
OTHER_TRUST = OTHER_TRUST.split("policies:\n")[0]


def scoped_tree() -> dict[str, str]:
    """Two trusts with their own anti-bullying models; westmere's home-education model for its schools."""
    files = minimal_tree()
    files.update({
        TEST_TRUST_MODEL: model("Anti-bullying policy", "Test trust words: we tell a teacher the same day."),
        OTHER_TRUST_MODEL: model("Anti-bullying charter", "Other trust words: every class agrees a kindness charter."),
        LA_MODEL: model("Elective home education", "Westmere words: the council's home education team helps."),
        "content/policies/home-education.md": model("Elective home education", "Shared words on home education."),
        "schools/local-authorities/westmere.yml": WESTMERE,
        ALPHA: school("alpha", "Alpha Primary School", "northshire",
                      {"safeguarding": "2026-09-10", "anti-bullying": "2026-09-10", "home-education": "2026-09-10"}),
        GAMMA: school("gamma", "Gamma Primary School", "westmere",
                      {"anti-bullying": "2026-09-11", "home-education": "2026-09-11"}),
        "schools/other-trust/trust.yml": OTHER_TRUST,
        BETA: school("beta", "Beta Academy", "westmere",
                     {"anti-bullying": "2026-09-12", "home-education": "2026-09-12"}),
    })
    return files


def make(tmp_path: Path, changes: dict[str, str | None] | None = None) -> Path:
    files = scoped_tree()
    for rel, text in (changes or {}).items():
        if text is None:
            files.pop(rel, None)
        else:
            files[rel] = text
    return write_tree(tmp_path / "project", files)


def markdown_of(root: Path, school_id: str, policy_id: str) -> str:
    rendered = render_project(load_project(root, TODAY), [school_id])[0]
    return next(p.markdown for p in rendered.policies if p.id == policy_id)


def problems_of(root: Path) -> list[str]:
    with pytest.raises(SourceErrors) as caught:
        load_project(root, TODAY)
    return [str(problem) for problem in caught.value.problems]


# Which model a school gets -------------------------------------------------------------------------


def test_each_trust_gets_its_own_model_of_the_same_id(tmp_path: Path) -> None:
    root = make(tmp_path)
    assert "Test trust words" in markdown_of(root, "alpha", "anti-bullying")
    assert "Test trust words" in markdown_of(root, "gamma", "anti-bullying")
    beta = markdown_of(root, "beta", "anti-bullying")
    assert "Other trust words" in beta and "Test trust words" not in beta


def test_a_local_authority_model_reaches_only_its_schools_and_replaces_the_shared_one(tmp_path: Path) -> None:
    root = make(tmp_path)
    assert "Westmere words" in markdown_of(root, "gamma", "home-education")
    assert "Westmere words" in markdown_of(root, "beta", "home-education")
    alpha = markdown_of(root, "alpha", "home-education")  # northshire: the shared model
    assert "Shared words" in alpha and "Westmere" not in alpha


def test_the_trust_model_comes_before_the_local_authority_and_the_shared_one(tmp_path: Path) -> None:
    root = make(tmp_path, {"schools/test-trust/policies/home-education.md":
                           model("Elective home education", "Test trust's own home education words.")})
    project = load_project(root, TODAY)
    assert project.model_for("gamma", "home-education").meta.path == "schools/test-trust/policies/home-education.md"
    assert project.model_for("beta", "home-education").meta.path == LA_MODEL
    assert project.find_model("alpha", "nothing") is None
    assert "own home education words" in markdown_of(root, "gamma", "home-education")


@pytest.fixture(scope="module")
def built_site(tmp_path_factory: pytest.TempPathFactory) -> Path:
    """The two-trust project built once (sites only) with the real command."""
    root = make(tmp_path_factory.mktemp("scoped"))
    done = run(root, "build", "--no-pdf")
    assert done.returncode == 0, done.stderr
    return root / "build" / "site"


def test_the_built_pages_show_each_school_its_own_models_text(built_site: Path) -> None:
    page = {sid: (built_site / sid / "policies" / "anti-bullying.html").read_text() for sid in ("alpha", "beta")}
    assert "Test trust words" in page["alpha"] and "Other trust words" not in page["alpha"]
    assert "Other trust words" in page["beta"] and "Test trust words" not in page["beta"]
    assert "Westmere words" in (built_site / "gamma" / "policies" / "home-education.html").read_text()
    assert "Shared words" in (built_site / "alpha" / "policies" / "home-education.html").read_text()


def test_policies_json_lists_each_schools_own_model(built_site: Path) -> None:
    def title(school_id: str) -> str:
        data = json.loads((built_site / school_id / "policies.json").read_text())
        return str(next(p["title"] for p in data["policies"] if p["id"] == "anti-bullying"))
    assert (title("alpha"), title("gamma"), title("beta")) == (
        "Anti-bullying policy", "Anti-bullying policy", "Anti-bullying charter")


# Errors, each with its place and fix ---------------------------------------------------------------


def test_a_school_listing_another_trusts_model_is_told_where_the_model_is(tmp_path: Path) -> None:
    alpha = school("alpha", "Alpha Primary School", "northshire", {"anti-bullying": "2026-09-10"})
    root = make(tmp_path, {TEST_TRUST_MODEL: None, GAMMA: None, ALPHA: alpha})
    assert problems_of(root) == [
        f"{ALPHA}:24: 'anti-bullying' is a model of trust 'other-trust' ({OTHER_TRUST_MODEL}), and Alpha Primary "
        "School is in trust 'test-trust' and local authority 'northshire' — use one of the models it can see "
        "(home-education, safeguarding), or add schools/test-trust/policies/anti-bullying.md (for the trust's "
        "schools) or content/policies/anti-bullying.md (shared)"]


def test_a_school_outside_the_local_authority_cannot_list_its_model(tmp_path: Path) -> None:
    root = make(tmp_path, {"content/policies/home-education.md": None})
    assert problems_of(root) == [
        f"{ALPHA}:30: 'home-education' is a model of local authority 'westmere' ({LA_MODEL}), and Alpha Primary "
        "School is in trust 'test-trust' and local authority 'northshire' — use one of the models it can see "
        "(anti-bullying, safeguarding), or add schools/test-trust/policies/home-education.md (for the trust's "
        "schools) or content/policies/home-education.md (shared)"]


def test_an_id_no_model_has_is_reported_as_before(tmp_path: Path) -> None:
    root = make(tmp_path, {GAMMA: school("gamma", "Gamma Primary School", "westmere", {"uniform": "2026-09-11"})})
    assert problems_of(root) == [
        f"{GAMMA}:24: there is no policy 'uniform' in content/policies — use one of: anti-bullying, "
        "home-education, safeguarding"]


def test_local_authority_models_without_a_local_authority_file(tmp_path: Path) -> None:
    root = make(tmp_path, {"schools/local-authorities/eastshire/policies/travel.md": model("Travel", "Bus words.")})
    assert problems_of(root) == [
        "schools/local-authorities/eastshire/policies:1: these model policies belong to a local authority "
        "'eastshire' that has no file — add schools/local-authorities/eastshire.yml, or rename the folder to the "
        "id of a local authority: northshire, westmere"]


def test_a_trust_overlay_of_a_model_none_of_its_schools_can_see(tmp_path: Path) -> None:
    trust = TRUST + "  travel:\n    locked: [approach]\n"
    root = make(tmp_path, {"schools/test-trust/trust.yml": trust,
                           "schools/other-trust/policies/travel.md": model("Travel", "Other trust's bus words.")})
    assert problems_of(root) == [
        "schools/test-trust/trust.yml:11: 'travel' is a model of trust 'other-trust' "
        "(schools/other-trust/policies/travel.md), which no school of trust 'test-trust' can use — remove it from "
        "policies: here, or add schools/test-trust/policies/travel.md; the trust's schools can use: anti-bullying, "
        "home-education, safeguarding"]


def test_a_trust_overlay_of_a_local_authority_model_its_school_sees_is_fine(tmp_path: Path) -> None:
    trust = TRUST + "  home-education:\n    locked: [approach]\n"
    alpha = school("alpha", "Alpha Primary School", "northshire", {"safeguarding": "2026-09-10"})
    root = make(tmp_path, {"schools/test-trust/trust.yml": trust, "content/policies/home-education.md": None,
                           ALPHA: alpha})
    found = load_project(root, TODAY).trust_model("test-trust", "home-education")
    assert found is not None and found.meta.path == LA_MODEL


def test_a_model_file_name_that_is_not_an_id(tmp_path: Path) -> None:
    root = make(tmp_path, {"schools/test-trust/policies/Anti-Bullying.md": model("Shouting", "Capital words.")})
    assert problems_of(root) == [
        "schools/test-trust/policies/Anti-Bullying.md:1: 'Anti-Bullying.md' is not a policy id: a model's id is "
        "its file name — rename it in lower-case letters, digits and hyphens, e.g. anti-bullying.md"]


def test_a_broken_scoped_model_is_reported_at_its_line(tmp_path: Path) -> None:
    broken = model("Anti-bullying charter", "Words.").replace("category: Safeguarding", "categry: Safeguarding")
    found = problems_of(make(tmp_path, {OTHER_TRUST_MODEL: broken}))
    assert found[0].startswith(f"{OTHER_TRUST_MODEL}:4: unknown key 'categry'")
    assert not [p for p in found if p.startswith(BETA)]  # the school is not also told its model is missing


def test_a_school_cannot_change_a_section_its_trust_locked_in_the_trusts_own_model(tmp_path: Path) -> None:
    trust = TRUST + "  anti-bullying:\n    locked: [approach]\n"
    alpha = school("alpha", "Alpha Primary School", "northshire", {"anti-bullying": "2026-09-10"})
    alpha += "    overlay:\n      sections:\n        - section: approach\n          action: append\n" \
             "          text: Extra.\n"
    found = problems_of(make(tmp_path, {"schools/test-trust/trust.yml": trust, ALPHA: alpha, GAMMA: None}))
    assert found == [
        f"{ALPHA}:29: section 'approach' of policy 'anti-bullying' is locked by the trust "
        "(schools/test-trust/trust.yml:12) — remove this change, or ask the trust to change its text"]


# Every part of the tool follows the scope ----------------------------------------------------------


def test_provenance_and_redline_name_the_scoped_models_file(tmp_path: Path) -> None:
    project = load_project(make(tmp_path), TODAY)
    origins = {w.origin.rpartition(":")[0] for w in policy_words(project, "beta", "anti-bullying") if w.text == "Other"}
    assert origins == {f"line:{OTHER_TRUST_MODEL}"}
    la_origins = {w.origin for w in policy_words(project, "gamma", "home-education") if w.text == "Westmere"}
    assert [text_source(o) for o in la_origins] == ["the local authority's model text"]
    assert text_source(f"line:{OTHER_TRUST_MODEL}:12") == "the trust's model text"
    assert text_source("line:schools/local-authorities/westmere.yml:3") == "the local authority's text"


def test_check_content_reads_scoped_models_line_by_line(tmp_path: Path) -> None:
    url = "https://www.gov.uk/government/publications/keeping-children-safe-in-education--2"
    words = f"Test trust words: we tell a teacher the same day. See {url}."
    result = check_content(make(tmp_path, {TEST_TRUST_MODEL: model("Anti-bullying policy", words)}), TODAY)
    assert [(f.path, f.line, f.kind) for f in result.findings] == [(TEST_TRUST_MODEL, 13, "hand-written-link")]


def test_an_approval_of_a_scoped_model_snapshots_its_text(tmp_path: Path) -> None:
    root = make(tmp_path)
    done = approve(ApprovalRequest(root, "beta", "anti-bullying", "full_governing_body", TODAY), TODAY)
    snapshot = (root / done.path).read_text()
    assert "Other trust words" in snapshot and "Test trust words" not in snapshot
    beta = render_project(load_project(root, TODAY), ["beta"])[0]
    assert next(p for p in beta.policies if p.id == "anti-bullying").approved == done.approval



def test_links_in_a_scoped_model_are_checked_at_its_own_lines(tmp_path: Path) -> None:
    words = ("Other trust words: see [our travel policy](travel.md) and the "
             "[kindness charter](https://www.example.org/kindness).")
    root = make(tmp_path, {OTHER_TRUST_MODEL: model("Anti-bullying charter", words)})
    project = load_project(root, TODAY)
    assert [str(p) for p in internal_link_problems(project, render_project(project), pdf=True)] == [
        f"{OTHER_TRUST_MODEL}:13: the link 'travel.md' goes to the policy 'travel', which Beta Academy does not "
        "publish — remove the link, or write it in an overlay of only the schools that publish that policy"]
    used = [(u.place.path, u.place.line, u.place.school) for u in gather_links(project) if "kindness" in u.url]
    assert used == [(OTHER_TRUST_MODEL, 13, "beta")]


def test_a_scoped_model_is_sanitised_like_any_other(tmp_path: Path) -> None:
    words = 'Westmere words <script>alert("x")</script><a href="javascript:alert(1)">help</a>.'
    root = make(tmp_path, {LA_MODEL: model("Elective home education", words)})
    text = markdown_of(root, "gamma", "home-education")
    assert "Westmere words" in text and "<script" not in text and "javascript:" not in text


def test_the_redline_puts_a_change_down_to_the_local_authoritys_model_text(tmp_path: Path) -> None:
    root = make(tmp_path)
    before = policy_words(load_project(root, TODAY), "gamma", "home-education")
    (root / LA_MODEL).write_text(model("Elective home education", "Westmere words: the council's advisers help."))
    project = load_project(root, TODAY)
    found = compare(before, policy_words(project, "gamma", "home-education"), project, "gamma")
    assert [(c.origin.words, c.deleted, c.inserted) for c in found] == [
        ("the local authority's model text", "home education team helps.", "advisers help.")]
