"""A short placeholder cannot make a huge value or a render that never ends: each is a problem at its line."""

from __future__ import annotations

import time
from collections.abc import Callable
from pathlib import Path

import pytest

from conftest import POLICY
from policypress.compose import render
from policypress.compose.fact_types import fact_types
from policypress.compose.load import load_project
from policypress.compose.render import render_project
from policypress.core.errors import SourceErrors

SAFEGUARDING = "content/policies/safeguarding.md"
LINE = len(POLICY.splitlines()) + 1  # the line added at the end of the policy
ALLOWED = "use only " + ", ".join(fact.usage for fact in fact_types())
TOO_BIG = "would make a value of more than 100,000 characters"


def problems(make_project: Callable[..., Path], line: str) -> list[str]:
    root = make_project({SAFEGUARDING: POLICY + line + "\n"})
    with pytest.raises(SourceErrors) as caught:
        render_project(load_project(root))
    return [str(p) for p in caught.value.problems]


@pytest.mark.parametrize(("template", "why"), [
    ("{{ school.name * 100000000 }}", "repeating text or a list this many times"),
    ("{{ 'x' * 10**9 }}", "repeating text or a list this many times"),
    ("{{ [1] * 10**8 }}", "repeating text or a list this many times"),
    ("{{ 'x'|center(10**9) }}", "a number this large"),
    ("{{ 'x'.ljust(10**9) }}", "a number this large"),
    ("{{ '{:>{w}}'.format('x', w=10**9) }}", "a number this large"),
    ("{{ '%999999999s' % 'x' }}", "this format"),
    ("{{ '{:>999999999}'.format('x') }}", "this format"),
    ("{{ 2 ** 100000 }}", "this power"),
])
def test_a_huge_value_is_refused_at_its_line(make_project: Callable[..., Path], template: str, why: str) -> None:
    started = time.monotonic()
    assert problems(make_project, template) == [
        f"{SAFEGUARDING}:{LINE}: this placeholder is not allowed ({why} {TOO_BIG}) — {ALLOWED}"]
    assert time.monotonic() - started < 10  # refused before it is made, not after


@pytest.mark.parametrize("template", ["{{ '{:,}'.format(2500000) }}", "{{ 'ab' * 3 }}", "{{ 2 ** 10 }}",
                                      "{% for n in range(3) %}{{ n }}{% endfor %}"])
def test_ordinary_arithmetic_still_works(make_project: Callable[..., Path], template: str) -> None:
    root = make_project({SAFEGUARDING: POLICY + template + "\n"})
    assert render_project(load_project(root))[0].policies[0].markdown


def test_a_render_that_takes_too_long_is_stopped_at_the_running_line(make_project: Callable[..., Path],
                                                                       monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setattr(render, "RENDER_SECONDS", 1)
    loops = "{% for a in range(100000) %}{% for b in range(100000) %}x{% endfor %}{% endfor %}"
    started = time.monotonic()
    assert problems(make_project, loops) == [
        f"{SAFEGUARDING}:{LINE}: this policy takes more than 1 seconds to render (this line was running then: a loop "
        "inside a loop?) — make its {% for %} loops shorter, or write the text out"]
    assert time.monotonic() - started < 15
