"""Flowcharts resolved for one school, and their text alternative.

For each school a flowchart's labels are rendered with that school's facts and its conditional
boxes are kept or left out, giving a `FlowView`: what the picture (outputs/diagrams.py) and the
text alternative show. The file's shape is checked once, by source/flowchart_shape.py.
"""

from __future__ import annotations

import html
from collections.abc import Iterator
from dataclasses import dataclass

from policypress.compose.wording import phone_href
from policypress.site_engine.contact_links import find_contacts
from policypress.source.content_schema import Flowchart
from policypress.source.flowchart_shape import reachable
from policypress.source.school_schema import Contact

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
    reached = reachable(chart.start, lambda n: [a.to for a in arrows if a.source == n])
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
        reach = [set(reachable(s, self._next)) for s in starts]
        return next((n for n in reachable(starts[0], self._next) if all(n in r for r in reach)), stop)

    def _next(self, node: str) -> list[str]:
        return [a.to for a in self.view.exits(node)]


def anchor(view: FlowView, node: str) -> str:
    return f"flow-{view.id}-{node}"


def _quoted(box: FlowBox) -> str:
    return f"“{html.escape(box.label)}”"


def _item(view: FlowView, node: str, branches: str = "") -> str:
    box = view.box(node)
    words = linked_words(box.label)
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


def linked_words(text: str) -> str:
    """Text as HTML, each phone number and email in it a link (the site's rules: contact_links.py)."""
    parts: list[str] = []
    last = 0
    for found in find_contacts(text):
        words = html.escape(text[found.start:found.end])
        parts += [html.escape(text[last:found.start]),
                  f'<a href="{html.escape(found.href)}">{words}</a>' if found.href else words]
        last = found.end
    return "".join([*parts, html.escape(text[last:])])


def _tel(number: str) -> str:
    return f'<a href="{phone_href(number)}">{html.escape(number)}</a>'


