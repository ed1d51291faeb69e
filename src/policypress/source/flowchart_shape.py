"""A flowchart file's shape, checked once before any school is rendered: every arrow joins real
boxes, every box can be reached from the start, every decision has labelled exits."""

from __future__ import annotations

from collections.abc import Callable

from policypress.core.errors import Problem
from policypress.source.content_schema import Flowchart
from policypress.source.project import Source


def shape_problems(source: Source[Flowchart]) -> list[Problem]:
    """Every problem with the flowchart's shape, each at its line."""
    chart, lines, path = source.model, source.lines, source.path
    problems = []
    if chart.start not in chart.nodes:
        problems.append(Problem(path, lines.get(("start",), 1), f"start '{chart.start}' is not a node",
                                f"use one of the node ids: {', '.join(chart.nodes)}"))
    elif chart.nodes[chart.start].when:
        problems.append(Problem(path, lines.get(("nodes", chart.start, "when"), 1),
                                "the start node cannot have a condition",
                                "move the condition to a node further down"))
    problems += _edge_problems(source)
    problems += _decision_problems(source)
    if not problems:
        problems += _unreached_problems(source)
    return problems


def _edge_problems(source: Source[Flowchart]) -> list[Problem]:
    chart, problems = source.model, []
    for n, edge in enumerate(chart.edges):
        for key, node in (("from", edge.source), ("to", edge.to)):
            if node not in chart.nodes:
                problems.append(Problem(source.path, source.lines.get(("edges", n, key), 1),
                                        f"the arrow {key} '{node}' names no node",
                                        f"use one of the node ids: {', '.join(chart.nodes)}"))
    return problems


def _decision_problems(source: Source[Flowchart]) -> list[Problem]:
    chart, problems = source.model, []
    for node_id, node in chart.nodes.items():
        exits = [e for e in chart.edges if e.source == node_id]
        if node.kind == "decision" and (len(exits) < 2 or any(not e.label for e in exits)):
            problems.append(Problem(source.path, source.lines.get(("nodes", node_id), 1),
                                    f"decision '{node_id}' needs two or more arrows out, each with a label",
                                    "add arrows from it with labels such as 'Yes' and 'No'"))
    return problems


def _unreached_problems(source: Source[Flowchart]) -> list[Problem]:
    chart = source.model
    reached = reachable(chart.start, lambda n: [e.to for e in chart.edges if e.source == n])
    return [Problem(source.path, source.lines.get(("nodes", node_id), 1),
                    f"nothing leads to node '{node_id}' from the start '{chart.start}'",
                    "add an arrow to it, or remove it")
            for node_id in chart.nodes if node_id not in reached]


def reachable(start: str, following: Callable[[str], list[str]]) -> list[str]:
    """Nodes reachable from start (start first), breadth first."""
    seen, queue = [start], [start]
    while queue:
        for nxt in following(queue.pop(0)):
            if nxt not in seen:
                seen.append(nxt)
                queue.append(nxt)
    return seen

