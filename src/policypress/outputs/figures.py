"""A flowchart's figure as the site and the PDF show it: the picture, its name, the steps in words."""

from __future__ import annotations

import html
import re
from collections.abc import Mapping
from dataclasses import dataclass

from policypress.compose.flowchart_views import FlowView, text_alternative

MARK_FOUND = re.compile(r"<!-- flowchart: ([a-z0-9-]+) -->")
# Room for a picture on an A4 page of templates/pdf/print.css: the text width, and the text
# height (251 mm) less room for the caption and, above the picture, its section's heading and two
# lines of introduction, so that a chart never leaves its heading alone on the page before.
PRINT_WIDTH_PT = 172 / 25.4 * 72
PRINT_HEIGHT_PT = 210 / 25.4 * 72


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
    """A line that says when the picture is wider than the screen, the inline SVG (a named
    picture whose phone numbers are links), a link to the picture on its own, then the steps in words.

    On a phone the picture keeps a readable size and its box scrolls sideways, with a shadow at
    the edge that has more to see (site_engine/material.py); the box can take keyboard focus so
    that it can be scrolled without a mouse. The picture is left out of the site's search (its
    boxes' words would run together there): the steps in words are what search finds.
    """
    title = html.escape(view.title)
    return (f'<figure class="flowchart" id="flowchart-{view.id}"'
            f' style="--flowchart-width: {size_points(svg, "width") * 4 / 3:.0f}px">\n'
            '<p class="flowchart-cue" data-search-exclude>The chart is wider than your screen: scroll it'
            " sideways to see all of it.</p>\n"
            f'<div class="flowchart-picture" role="region" tabindex="0" aria-label="Flowchart: {title}"'
            " data-search-exclude>\n"
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

