"""Shards balanced by work: every job computes the same split alone, and no shard is much heavier."""

from __future__ import annotations

import dataclasses
from pathlib import Path

import pytest

from policypress.compose.load import load_project
from policypress.compose.render import RenderedSchool, render_project
from policypress.publish.shards import SCHOOL_COST, all_shards, school_work, shard_schools

REPO = Path(__file__).resolve().parent.parent


@pytest.fixture(scope="module")
def example() -> list[RenderedSchool]:
    return render_project(load_project(REPO))


def test_work_counts_each_public_policy_text_and_fixed_costs(example: list[RenderedSchool]) -> None:
    school = example[0]
    work = school_work(school)
    assert work > SCHOOL_COST + sum(len(p.markdown) for p in school.public_policies)
    longer = dataclasses.replace(school.public_policies[0], markdown=school.public_policies[0].markdown + "x" * 5000)
    policies = tuple(longer if p is school.public_policies[0] else p for p in school.policies)
    assert school_work(dataclasses.replace(school, policies=policies)) == work + 5000
    assert school_work(dataclasses.replace(school, policies=())) == SCHOOL_COST


def test_work_is_the_same_on_every_run(example: list[RenderedSchool]) -> None:
    again = render_project(load_project(REPO))
    assert [school_work(s) for s in example] == [school_work(s) for s in again]


def test_heaviest_first_onto_the_lightest_shard() -> None:
    work = {"a": 10, "b": 7, "c": 6, "d": 5, "e": 4, "f": 1}
    # a→1 (10, 0, 0), b→2 (10, 7, 0), c→3 (10, 7, 6), d→3 (10, 7, 11), e→2 (10, 11, 11), f→1
    assert all_shards(work, 3) == [["a", "f"], ["b", "e"], ["c", "d"]]
    loads = [sum(work[s] for s in shard) for shard in all_shards(work, 3)]
    assert loads == [11, 11, 11]


def test_shards_cover_every_school_once_and_are_sorted() -> None:
    work = {f"school-{n:03d}": (n * 7919) % 1000 + 100 for n in range(97)}
    shards = all_shards(work, 4)
    assert sorted(s for shard in shards for s in shard) == sorted(work)
    assert all(shard == sorted(shard) for shard in shards)
    loads = [sum(work[s] for s in shard) for shard in shards]
    assert max(loads) - min(loads) <= max(work.values())  # LPT: within one school of each other here


def test_balanced_by_work_not_by_count() -> None:
    work = {"big": 900, "s1": 100, "s2": 100, "s3": 100, "s4": 100, "s5": 100, "s6": 100, "s7": 100}
    first, second = all_shards(work, 2)
    assert first == ["big"]
    assert len(second) == 7


def test_ties_broken_by_id_whatever_the_order_given() -> None:
    work = {"c": 5, "a": 5, "b": 5, "d": 5}
    reordered = dict(sorted(work.items(), reverse=True))
    assert all_shards(work, 2) == all_shards(reordered, 2) == [["a", "c"], ["b", "d"]]


def test_more_shards_than_schools_leaves_some_empty() -> None:
    assert all_shards({"a": 1, "b": 2}, 4) == [["b"], ["a"], [], []]


@pytest.mark.parametrize(("index", "count"), [(0, 4), (5, 4), (1, 0)])
def test_index_outside_the_shards_is_refused(index: int, count: int) -> None:
    with pytest.raises(ValueError, match="between 1 and"):
        shard_schools({"a": 1}, index, count)


def test_example_split_is_within_one_school_of_even(example: list[RenderedSchool]) -> None:
    work = {s.school.id: school_work(s) for s in example}
    shards = all_shards(work, 2)
    loads = sorted(sum(work[s] for s in shard) for shard in shards)
    assert loads[1] - loads[0] <= max(work.values())
    assert sorted(s for shard in shards for s in shard) == sorted(work)
