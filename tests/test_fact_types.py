"""A fact type is declared once (compose/fact_types.py): rendering, provenance and the redline all follow it."""

from __future__ import annotations

from collections.abc import Callable
from pathlib import Path

import pytest

from conftest import POLICY, SCHOOL
from policypress.compose import fact_types
from policypress.compose.fact_types import FactType, FactWords
from policypress.compose.load import load_project
from policypress.compose.provenance import policy_words
from policypress.compose.render import render_project
from policypress.core.errors import SourceErrors
from policypress.governors.redline import compare

MakeProject = Callable[..., Path]
SAFEGUARDING = "content/policies/safeguarding.md"
ALPHA = "schools/test-trust/alpha.yml"
# A new kind of fact, declared in one place only: the school office's postal details.
OFFICE = FactType("office", "office.*", lambda facts: facts.school.address, "office",
                  lambda _project, school, _key: FactWords("the office's address", school.source.model.name))
USES_OFFICE = POLICY.replace("helps keep children safe.", "helps keep children safe. Write to us in {{ office.town }}.")


@pytest.fixture
def office_fact(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setattr(fact_types, "FACT_TYPES", (*fact_types.FACT_TYPES, OFFICE))


def test_a_declared_fact_type_renders(make_project: MakeProject, office_fact: None) -> None:
    root = make_project({SAFEGUARDING: USES_OFFICE})
    policy = render_project(load_project(root))[0].policies[0]
    assert "Write to us in Northtown." in policy.markdown


def test_a_declared_fact_type_is_traced(make_project: MakeProject, office_fact: None) -> None:
    root = make_project({SAFEGUARDING: USES_OFFICE})
    origins = {w.text: w.origin for w in policy_words(load_project(root), "alpha", "safeguarding")}
    assert origins["Northtown."] == "fact:office:details"
    assert origins["Write"] == f"line:{SAFEGUARDING}:13"


def test_a_declared_fact_type_is_named_in_the_redline(make_project: MakeProject, office_fact: None) -> None:
    approved = policy_words(load_project(make_project({SAFEGUARDING: USES_OFFICE})), "alpha", "safeguarding")
    root = make_project({SAFEGUARDING: USES_OFFICE, ALPHA: SCHOOL.replace("town: Northtown", "town: Southtown")})
    current = policy_words(load_project(root), "alpha", "safeguarding")
    found = compare(approved, current, load_project(root), "alpha")
    assert [(c.origin.words, c.origin.short, c.deleted, c.inserted) for c in found] == [
        ("the office's address changed: Alpha Primary School Northtown → Southtown",
         "the office's address changed (Alpha Primary School Northtown → Southtown)", "Northtown.", "Southtown.")]


def test_a_declared_fact_type_is_offered_in_error_messages(make_project: MakeProject, office_fact: None) -> None:
    root = make_project({SAFEGUARDING: USES_OFFICE.replace("{{ office.town }}", "{{ ofice.town }}")})
    with pytest.raises(SourceErrors) as caught:
        render_project(load_project(root))
    assert [str(p) for p in caught.value.problems] == [
        f"{SAFEGUARDING}:13: 'ofice' is not a known fact — did you mean 'office'? Placeholders can use "
        + ", ".join(fact.usage for fact in fact_types.FACT_TYPES[:-1]) + ", office.*"]


def test_without_the_declaration_the_name_is_unknown(make_project: MakeProject) -> None:
    with pytest.raises(SourceErrors) as caught:
        render_project(load_project(make_project({SAFEGUARDING: USES_OFFICE})))
    assert "'office' is not a known fact" in str(caught.value)
