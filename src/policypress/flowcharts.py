"""Flowcharts as data: checking their shape, resolving them for one school, and the words.

A flowchart file (content/flowcharts/<id>.yml) is checked once for its shape (every arrow
joins real boxes, every box can be reached, every decision has labelled exits). For each
school its labels are rendered with that school's facts and its conditional boxes are kept
or left out, giving a `FlowView`: what the picture (diagram.py) and the text alternative show.
"""

from __future__ import annotations

import html
import re
from collections.abc import Callable, Iterator, Mapping
from dataclasses import dataclass
from typing import TYPE_CHECKING

from policypress.errors import Problem
from policypress.model import Contact, Flowchart
from policypress.words import phone_href

if TYPE_CHECKING:
    from policypress.load import Source

MARK = "<!-- flowchart: {id} -->"  # where a policy shows a flowchart, until the figure replaces it


@dataclass(frozen=True)
class FlowBox:
    """One box as one school shows it."""

    id: str
    kind: str
    label: str
    contact: Contact | None = None

    def contact_lines(self) -> list[str]:
        """The contact's name and numbers, as printed under the label."""
        if self.contact is None:
            return []
        lines = [self.contact.name]
        if self.contact.phone:
            lines.append(f"Phone {self.contact.phone}")
        if self.contact.out_of_hours_phone:
            lines.append(f"Out of hours {self.contact.out_of_hours_phone}")
        return lines


@dataclass(frozen=True)
class FlowArrow:
    """An arrow between two kept boxes."""

    source: str
    to: str
    label: str | None


@dataclass(frozen=True)
class FlowView:
    """A flowchart resolved for one school: only its boxes, with its people and numbers."""

    id: str
    title: str
    description: str
    start: str
    boxes: tuple[FlowBox, ...]
    arrows: tuple[FlowArrow, ...]

    def box(self, box_id: str) -> FlowBox:
        return next(b for b in self.boxes if b.id == box_id)

    def exits(self, box_id: str) -> list[FlowArrow]:
        return [a for a in self.arrows if a.source == box_id]


# --- shape checks: once per file, before any school is rendered ------------------------------


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
    reached = _reachable(chart.start, lambda n: [e.to for e in chart.edges if e.source == n])
    return [Problem(source.path, source.lines.get(("nodes", node_id), 1),
                    f"nothing leads to node '{node_id}' from the start '{chart.start}'",
                    "add an arrow to it, or remove it")
            for node_id in chart.nodes if node_id not in reached]


def _reachable(start: str, following: Callable[[str], list[str]]) -> list[str]:
    """Nodes reachable from start (start first), breadth first."""
    seen, queue = [start], [start]
    while queue:
        for nxt in following(queue.pop(0)):
            if nxt not in seen:
                seen.append(nxt)
                queue.append(nxt)
    return seen


# --- one school's view -----------------------------------------------------------------------


def resolve(chart_id: str, chart: Flowchart, kept: set[str], boxes: dict[str, FlowBox]) -> FlowView:
    """The view with only the kept nodes: an arrow into a left-out node goes on to where it led."""
    arrows: list[FlowArrow] = []
    for edge in chart.edges:
        if edge.source in kept:
            for to, label in _landings(chart, kept, edge.to, edge.label, set()):
                arrow = FlowArrow(edge.source, to, label)
                if arrow not in arrows:
                    arrows.append(arrow)
    reached = _reachable(chart.start, lambda n: [a.to for a in arrows if a.source == n])
    return FlowView(chart_id, chart.title, chart.description, chart.start,
                    tuple(boxes[n] for n in chart.nodes if n in reached),
                    tuple(a for a in arrows if a.source in reached))


def _landings(chart: Flowchart, kept: set[str], node: str, label: str | None,
              seen: set[str]) -> Iterator[tuple[str, str | None]]:
    if node in kept:
        yield node, label
        return
    seen.add(node)
    for edge in chart.edges:
        if edge.source == node and edge.to not in seen:
            yield from _landings(chart, kept, edge.to, label or edge.label, seen)


# --- the text alternative --------------------------------------------------------------------


def text_alternative(view: FlowView) -> str:
    """The same steps as an ordered list; a decision's branches are nested lists under it."""
    return f'<ol class="flowchart-steps">{"".join(_Outline(view).steps(view.start, None))}</ol>'


class _Outline:
    """Walks the chart from the start; branches that meet again continue in the outer list."""

    def __init__(self, view: FlowView) -> None:
        self.view = view
        self.listed: set[str] = set()

    def steps(self, node: str | None, stop: str | None) -> Iterator[str]:
        while node is not None and node != stop:
            if node in self.listed:
                yield f'<li>Go back to <a href="#{anchor(self.view, node)}">{_quoted(self.view.box(node))}</a>.</li>'
                return
            self.listed.add(node)
            exits = self.view.exits(node)
            if len(exits) <= 1:
                yield _item(self.view, node)
                node = exits[0].to if exits else None
                continue
            join = self._join([a.to for a in exits], stop)
            yield _item(self.view, node, "".join(self._branch(a.label, a.to, join) for a in exits))
            node = join

    def _branch(self, label: str | None, to: str, join: str | None) -> str:
        inner = "".join(self.steps(to, join))
        then = f"<ol>{inner}</ol>" if inner else " carry on with the next step."
        return f"<li><strong>{html.escape(label or 'Then')}:</strong>{then}</li>"

    def _join(self, starts: list[str], stop: str | None) -> str | None:
        """The first node every branch reaches: where the branches meet again."""
        reach = [set(_reachable(s, self._next)) for s in starts]
        return next((n for n in _reachable(starts[0], self._next) if all(n in r for r in reach)), stop)

    def _next(self, node: str) -> list[str]:
        return [a.to for a in self.view.exits(node)]


def anchor(view: FlowView, node: str) -> str:
    return f"flow-{view.id}-{node}"


def _quoted(box: FlowBox) -> str:
    return f"“{html.escape(box.label)}”"


def _item(view: FlowView, node: str, branches: str = "") -> str:
    box = view.box(node)
    words = html.escape(box.label)
    if box.contact is not None:
        words += _contact_words(box.contact)
    nested = f"<ul>{branches}</ul>" if branches else ""
    return f'<li id="{anchor(view, node)}">{words}{nested}</li>'


def _contact_words(contact: Contact) -> str:
    parts = [html.escape(contact.name)]
    if contact.phone:
        parts.append(f"phone {_tel(contact.phone)}")
    if contact.out_of_hours_phone:
        parts.append(f"out of hours {_tel(contact.out_of_hours_phone)}")
    return f" ({', '.join(parts)})"


def _tel(number: str) -> str:
    return f'<a href="{phone_href(number)}">{html.escape(number)}</a>'



# --- the figure, as the site and the PDF show it ----------------------------------------------

MARK_FOUND = re.compile(r"<!-- flowchart: ([a-z0-9-]+) -->")
# Room for a picture on an A4 page of templates/pdf/print.css: the text width, and the text
# height less room for the caption (a picture never runs into the footer).
PRINT_WIDTH_PT = 172 / 25.4 * 72
PRINT_HEIGHT_PT = 235 / 25.4 * 72


@dataclass(frozen=True)
class Drawing:
    """One school's flowchart and its picture."""

    view: FlowView
    svg: str

    @property
    def print_scale(self) -> float:
        """How much the picture shrinks to fit the printed page (1: printed at its natural size)."""
        return min(1.0, PRINT_WIDTH_PT / size_points(self.svg, "width"),
                   PRINT_HEIGHT_PT / size_points(self.svg, "height"))


def size_points(svg: str, side: str) -> float:
    """The picture's natural width or height in points (Graphviz writes width="123pt")."""
    found = re.search(rf'<svg[^>]*\s{side}="([\d.]+)pt"', svg)
    return float(found.group(1)) if found else 1.0


def with_figures(markdown: str, figures: Mapping[str, str]) -> str:
    """The policy's Markdown with each flowchart mark replaced by its figure."""
    return MARK_FOUND.sub(lambda found: figures.get(found.group(1), found.group(0)), markdown)


def site_figure(view: FlowView, svg: str, href: str) -> str:
    """Inline SVG (one named image), a link to the picture on its own, then the steps in words.

    On a phone the picture keeps a readable size and its box scrolls sideways; the box can
    take keyboard focus so that it can be scrolled without a mouse.
    """
    title = html.escape(view.title)
    return (f'<figure class="flowchart" id="flowchart-{view.id}">\n'
            f'<div class="flowchart-picture" role="region" tabindex="0" aria-label="Flowchart: {title}"'
            f' style="--flowchart-width: {size_points(svg, "width") * 4 / 3:.0f}px">\n'
            f"{svg}\n</div>\n"
            f'<figcaption>{title}. <a href="{href}">Open the flowchart on its own</a> to zoom in.'
            " The same steps are written out below.</figcaption>\n</figure>\n" + _words(view))


def print_figure(drawing: Drawing, svg_uri: str) -> str:
    """The picture as a vector image with its name, then the same steps in words."""
    view = drawing.view
    width = size_points(drawing.svg, "width") * drawing.print_scale
    alt = html.escape(f"{view.title}. {view.description} The steps are written out after the picture.")
    return (f'<figure class="flowchart" id="flowchart-{view.id}">\n'
            f'<img src="{svg_uri}" alt="{alt}" style="width: {width:.1f}pt">\n'
            f"<figcaption>{html.escape(view.title)}</figcaption>\n</figure>\n" + _words(view))


def _words(view: FlowView) -> str:
    return (f'<div class="flowchart-words">\n<p class="flowchart-words-title"><strong>{html.escape(view.title)}:'
            f" the steps in words</strong></p>\n{text_alternative(view)}\n</div>")
