"""`--shard K/N` by work, not by count: each CI job builds about the same number of pages.

Every matrix job computes the split on its own machine, from the source alone, and must get the
same answer as the others; so the estimate uses nothing measured (no timings, no cache state),
only the rendered text, and the assignment breaks every tie by school id.
"""

from __future__ import annotations

import heapq
from collections.abc import Mapping

from policypress.compose.render import RenderedSchool

# In characters of Markdown, about 1,000 to a PDF page in the example (55,000 characters, 55 to 60 pages a
# school). Measured there with PDFs: a school's site took about 1 s, its PDFs about 10 s (0.18 s a page).
SCHOOL_COST = 6_000
"""A school's fixed work: one MkDocs run, its chrome, search index and index pages (about 6 PDF pages' worth)."""
POLICY_COST = 2_500
"""A public policy's fixed work beyond its text: its PDF's cover, document control and page furniture."""
FLOWCHART_COST = 1_500
"""A flowchart drawn for a policy: a Graphviz picture, on the page and in the PDF."""


def school_work(school: RenderedSchool) -> int:
    """An estimate of the work of building one school, in characters of Markdown.

    PDF pages grow with the policy's text; each document and each school also costs a fixed amount
    whatever its length. Only relative sizes matter (the split compares schools with each other).
    """
    policies = school.public_policies
    return (SCHOOL_COST
            + sum(POLICY_COST + len(p.markdown) + FLOWCHART_COST * len(p.flowcharts) for p in policies))


def shard_schools(work: Mapping[str, int], index: int, count: int) -> list[str]:
    """The sorted school ids of shard `index` (1 to count) of `count`, balanced by work.

    Longest processing time first: the heaviest school goes onto the shard with the least work so
    far (the lowest-numbered one on a tie), ties between schools broken by id, so every job that
    runs this with the same work gets the same split. Within 4/3 of the best possible balance.
    """
    if not 1 <= index <= count:
        raise ValueError(f"shard {index}/{count}: the index must be between 1 and {count}")
    loads = [(0, shard) for shard in range(1, count + 1)]  # (work so far, shard number): a min-heap
    mine: list[str] = []
    for sid in sorted(work, key=lambda s: (-work[s], s)):
        load, shard = heapq.heappop(loads)
        if shard == index:
            mine.append(sid)
        heapq.heappush(loads, (load + work[sid], shard))
    return sorted(mine)


def all_shards(work: Mapping[str, int], count: int) -> list[list[str]]:
    """Every shard's school ids, first to last (for reports and benchmarks)."""
    return [shard_schools(work, index, count) for index in range(1, count + 1)]
