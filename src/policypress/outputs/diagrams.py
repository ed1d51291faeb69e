"""Flowchart pictures: DOT from a school's FlowView, SVG from Graphviz. The one module that runs Graphviz.

The same SVG goes inline into the site page and, as an image, into the PDF. Graphviz's output
is made accessible here: a title and description, no per-box tooltips, no ids that could clash
with the page's, and every phone number in a box a `tel:` link (the site's rules,
site_engine/contact_links.py). The picture is a named group whose only announced content is
those links: the words of the boxes are hidden from screen readers, which read the same steps
written out below the picture. Its background is transparent, so that the page can show that
the picture scrolls (the site's CSS) and a watermark shows through on paper. Each distinct DOT
source is drawn once and cached by its hash, so a rebuild with nothing changed never runs `dot`.
"""

from __future__ import annotations

import functools
import hashlib
import html
import re
import textwrap
import xml.etree.ElementTree as ET
from collections.abc import Callable
from pathlib import Path

import graphviz

from policypress.compose.flowchart_views import FlowBox, FlowView
from policypress.compose.render import RenderedSchool
from policypress.core.errors import BuildFailed, Problem, ProblemCollector
from policypress.core.files import write_file
from policypress.outputs.figures import Drawing
from policypress.site_engine.contact_links import find_contacts

CACHE_FORMAT = "policypress-svg-2"  # bump when the drawing options change
FONT = "DejaVu Sans"
FONT_STACK = "DejaVu Sans, Verdana, Arial, sans-serif"  # Verdana's widths are close to DejaVu's
FONT_SIZE = 11.0  # points, at the picture's natural size
WRAP = 22  # characters per line of a box: narrow enough to print at full size on A4
INK = "#0b0c0c"
BOXES = {  # shape and fill say what a box is; text is always near-black (contrast above 12:1)
    "step": {"shape": "box", "style": "rounded,filled", "fillcolor": "#ffffff", "penwidth": "1.2"},
    "decision": {"shape": "hexagon", "style": "filled", "fillcolor": "#fff2c4", "penwidth": "2.4"},
    "end": {"shape": "box", "style": "rounded,filled", "fillcolor": "#dcefe2", "penwidth": "1.2",
            "peripheries": "2"},
    "contact": {"shape": "box", "style": "filled", "fillcolor": "#e2ebf7", "penwidth": "1.2"},
}
LINK_INK = "#003078"  # dark blue, underlined: above 9:1 on every box colour
SMALLEST_PRINT_PT = 9.0
SVG_NS = "http://www.w3.org/2000/svg"
PROLOG = re.compile(r"<\?xml.*?\?>|<!DOCTYPE.*?>|<!--.*?-->", re.DOTALL)


def dot_source(view: FlowView) -> str:
    """The DOT text of one school's flowchart: top to bottom, labels wrapped to stay narrow."""
    graph = graphviz.Digraph(
        view.id,
        graph_attr={"rankdir": "TB", "nodesep": "0.25", "ranksep": "0.3", "pad": "0.08", "bgcolor": "transparent"},
        node_attr={"fontname": FONT, "fontsize": str(FONT_SIZE), "fontcolor": INK, "color": INK,
                   "margin": "0.1,0.05"},
        edge_attr={"fontname": FONT, "fontsize": str(FONT_SIZE), "fontcolor": INK, "color": INK,
                   "penwidth": "1.2", "arrowsize": "0.8"},
    )
    for box in view.boxes:
        graph.node(box.id, label=_box_label(box), **BOXES[box.kind])
    for arrow in view.arrows:
        label = f"<<B>{html.escape(arrow.label)}</B>>" if arrow.label else None
        graph.edge(arrow.source, arrow.to, label=label)
    source: str = graph.source
    return source


def _box_label(box: FlowBox) -> str:
    lines = [html.escape(line) for line in textwrap.wrap(box.label, WRAP)]
    if box.kind == "decision":
        lines = [f"<B>{line}</B>" for line in lines]
    contact = box.contact_lines()
    if contact:  # the person or service in bold, then each number on its own line
        lines += [f"<B>{html.escape(line)}</B>" for line in textwrap.wrap(contact[0], WRAP)]
        lines += [html.escape(line) for line in contact[1:]]
    return "<" + "<BR/>".join(lines) + ">"


def draw(view: FlowView, cache_dir: Path) -> str:
    """The accessible SVG of one school's flowchart (Graphviz runs only for a DOT not seen before)."""
    return accessible_svg(_raw_svg(dot_source(view), cache_dir), view)


@functools.cache
def dot_version() -> tuple[int, ...]:
    """Graphviz's version, asked once: graphviz.version() starts `dot -V` each time it is called."""
    try:
        found: tuple[int, ...] = graphviz.version()
    except (graphviz.ExecutableNotFound, graphviz.CalledProcessError, RuntimeError) as exc:
        raise BuildFailed(f"Graphviz could not be run ({exc}) — install the Debian package graphviz "
                          "(scripts/setup does)") from exc
    return found


def _raw_svg(dot: str, cache_dir: Path) -> str:
    digest = hashlib.sha256(f"{CACHE_FORMAT}\0{dot_version()}\0{dot}".encode()).hexdigest()
    cached = cache_dir / f"{digest}.svg"
    if cached.exists():
        return cached.read_text(encoding="utf-8")
    try:
        svg: str = graphviz.Source(dot).pipe(format="svg", encoding="utf-8")
    except (graphviz.ExecutableNotFound, graphviz.CalledProcessError) as exc:
        raise BuildFailed(f"Graphviz could not draw a flowchart ({exc}) — install the Debian "
                          "package graphviz (scripts/setup does)") from exc
    cache_dir.mkdir(parents=True, exist_ok=True)
    write_file(cached, svg)
    return svg


def accessible_svg(raw: str, view: FlowView) -> str:
    """Graphviz's SVG as one named picture: a title and description; only its phone links announced."""
    root = ET.fromstring(PROLOG.sub("", raw))  # noqa: S314 — our own Graphviz output, labels escaped by it
    meanings = line_meanings(view)
    for parent in list(root.iter()):
        for child in [c for c in parent if c.tag == f"{{{SVG_NS}}}title"]:
            parent.remove(child)  # Graphviz titles every box with its id: noise to a screen reader
        parent.attrib.pop("id", None)
        if parent.get("font-family") == FONT:
            parent.set("font-family", FONT_STACK)
        if parent.tag == f"{{{SVG_NS}}}text":
            _link_numbers(parent, meanings)
    prefix = f"flowchart-{view.id}"
    title = ET.Element(f"{{{SVG_NS}}}title", id=f"{prefix}-title")
    title.text = view.title
    desc = ET.Element(f"{{{SVG_NS}}}desc", id=f"{prefix}-desc")
    desc.text = f"{view.description} The same steps are written out below the picture."
    root[0:0] = [title, desc]
    root.attrib.update({"role": "group", "aria-labelledby": f"{prefix}-title {prefix}-desc",
                        "class": "flowchart-svg"})
    _own_namespaces()
    text = ET.tostring(root, encoding="unicode")
    return "\n".join(line for line in text.splitlines() if line.strip())


def _link_numbers(text: ET.Element, meanings: dict[str, str]) -> None:
    """A line of a box: each phone number in it a link, named with what it is for; every other
    word hidden from screen readers (they read the steps in words below the picture)."""
    words = text.text or ""
    found = [f for f in find_contacts(words) if f.href]
    if not found:
        text.set("aria-hidden", "true")
        return
    text.text = None
    last = 0
    for place in found:
        _hidden_words(text, words[last:place.start])
        number = words[place.start:place.end]
        link = ET.SubElement(text, f"{{{SVG_NS}}}a", {"href": str(place.href),
                                                      "aria-label": f"{number} ({meanings.get(words, words)})"})
        shown = ET.SubElement(link, f"{{{SVG_NS}}}tspan", {"fill": LINK_INK, "text-decoration": "underline"})
        shown.text = number
        last = place.end
    _hidden_words(text, words[last:])


def _hidden_words(text: ET.Element, words: str) -> None:
    if words:
        ET.SubElement(text, f"{{{SVG_NS}}}tspan", {"aria-hidden": "true"}).text = words


def line_meanings(view: FlowView) -> dict[str, str]:
    """What each line of the picture that may hold a number is about, said with the number's link:
    a contact's line names the contact; a line of a box's words gives the box's words."""
    meanings: dict[str, str] = {}
    for box in view.boxes:
        meanings.update({line: box.label for line in textwrap.wrap(box.label, WRAP)})
    for box in view.boxes:
        if box.contact is not None:
            lines = box.contact_lines()[1:]
            kinds = ["phone"] * bool(box.contact.phone) + ["out of hours"] * bool(box.contact.out_of_hours_phone)
            meanings.update({line: f"{kind}, {box.contact.name}" for line, kind in zip(lines, kinds, strict=True)})
    return meanings


def _own_namespaces() -> None:
    """Write SVG elements without a prefix. ElementTree's prefixes are global to the process, and
    WeasyPrint registers its own when it is imported ('' for no namespace), which would turn every
    element into <ns0:svg>: set them again just before writing."""
    ET.register_namespace("", SVG_NS)
    ET.register_namespace("xlink", "http://www.w3.org/1999/xlink")


def draw_schools(schools: list[RenderedSchool], cache_dir: Path,
                 done: Callable[[int], None] | None = None) -> dict[str, dict[str, Drawing]]:
    """Every flowchart each school's policies show, by school id then flowchart id (done: told of each).

    A picture too wide to print with text of at least 9 pt is an input error: the labels decide it.
    """
    drawings: dict[str, dict[str, Drawing]] = {}
    problems = ProblemCollector()
    for school in schools:
        views = {view.id: view for policy in school.policies for view in policy.flowcharts}
        found = drawings.setdefault(school.school.id, {})
        for chart_id, view in sorted(views.items()):
            found[chart_id] = Drawing(view, draw(view, cache_dir))
            problems.extend(_too_big(found[chart_id], school.school.name))
            if done:
                done(1)
    problems.raise_if_any()
    return drawings


def _too_big(drawing: Drawing, school: str) -> list[Problem]:
    printed = FONT_SIZE * drawing.print_scale
    if printed >= SMALLEST_PRINT_PT:
        return []
    return [Problem(f"content/flowcharts/{drawing.view.id}.yml", 1,
                    f"the flowchart is too big for an A4 page at {school}: its text would print at "
                    f"{printed:.1f} pt, below {SMALLEST_PRINT_PT:.0f} pt",
                    "shorten the longest labels, split a decision with many exits, or split the chart in two")]
