"""Material for MkDocs' side of a school's look: the theme's CSS class names and variables live here only.

Another theme would mean another `theme_css`; the rest of policypress hands over a colour.

This file is also the MkDocs hooks file of every school's config (mkdocs_driver.write_config):
MkDocs' templates are not autoescaped, and Material prints the site name, nav titles and the
page's front-matter title as they are (and some of them again through `| e`). The config and
the front matter hold text, so each hook turns it into escaped Markup: printed raw it shows as
text, and `| e` leaves it as it is (no `&amp;amp;`).
"""

from __future__ import annotations

from typing import Any

from markupsafe import Markup


def as_text(value: Any) -> Any:
    """Text made safe to print into HTML as it is (Markup: escaped once); anything else unchanged."""
    return Markup.escape(value) if isinstance(value, str) else value


def on_config(config: Any) -> Any:
    """MkDocs hook: the site name is the school's name, text."""
    config["site_name"] = as_text(config["site_name"])
    return config


def on_nav(nav: Any, config: Any, files: Any) -> Any:
    """MkDocs hook: every nav title (policy titles, categories) is text."""
    pending = list(nav.items)
    while pending:
        item = pending.pop()
        item.title = as_text(item.title)
        pending += getattr(item, "children", None) or []
    return nav


def on_page_markdown(markdown: str, page: Any, config: Any, files: Any) -> str:
    """MkDocs hook: the front matter's title (printed by Material in <title> and the header) is text."""
    if "title" in page.meta:
        page.meta["title"] = as_text(page.meta["title"])
    return markdown


def theme_css(colour: str) -> str:
    """The school's stylesheet for the Material theme: its colour, readable links, tables and flowcharts."""
    return (":root > * {\n"
            f"  --md-primary-fg-color: {colour};\n  --md-primary-fg-color--dark: {colour};\n"
            f"  --md-accent-fg-color: {colour};\n  --md-typeset-a-color: {colour};\n"
            "}\n"
            "/* Links in running text must not rely on colour alone (WCAG 1.4.1). */\n"
            ".md-typeset a { text-decoration: underline; }\n"
            "/* Tables wrap instead of scrolling sideways: a scrolling box needs keyboard access and\n"
            "   hides columns on a phone. Words stay whole (no 'Nikhil Sharm/a'); long emails and web\n"
            "   addresses break only at @ . / (contact_links.py puts a <wbr> there). */\n"
            ".md-typeset__scrollwrap { overflow-x: visible; }\n"
            ".md-typeset__table { display: block; box-sizing: border-box; width: 100%; }\n"
            ".md-typeset table:not([class]) { display: table; overflow: visible; width: 100%; }\n"
            ".md-typeset table:not([class]) :is(td, th) { overflow-wrap: normal; word-break: normal; }\n"
            "@media (max-width: 44.9375em) {\n"
            "  .md-typeset table:not([class]) :is(td, th) { padding: 0.5em 0.4em; }\n"
            "  /* Material gives each heading cell 5rem: four columns (version history) would not fit. */\n"
            "  .md-typeset table:not([class]) th { min-width: 0; }\n"
            "}\n" + FLOWCHART_CSS + CONTACT_LINK_CSS)


# A flowchart is shown at its natural size where it fits. On a phone it shrinks to no less than
# 80 % of it, so the words stay readable (about 12 px), and its box scrolls sideways instead.
# When it does not fit, a line above it says so (its height is 0 unless the figure, a size
# container, is narrower than the picture's smallest width), and a shadow marks each edge that
# has more to see: the covers scroll with the picture, the shadows stay at the box's edges
# (the picture's background is transparent). Links in the picture are underlined by the SVG itself;
# Chromium draws no outline around SVG text, so a focused one gets a yellow halo (GOV.UK's focus colour).
FLOWCHART_CSS = """\
.md-typeset figure.flowchart {
  display: block; width: auto; max-width: 100%; margin: 1.5em 0; container-type: inline-size;
}
.md-typeset .flowchart-cue {
  margin: 0; overflow: hidden; font-size: 0.75rem; font-weight: 700; text-align: left;
  max-height: clamp(0px, calc((0.8 * var(--flowchart-width) - 100cqw) * 1000), 8em);
}
.md-typeset .flowchart-cue::before { content: "\\2194\\FE0E\\00A0"; content: "\\2194\\FE0E\\00A0" / ""; }
.md-typeset .flowchart-picture {
  overflow-x: auto;
  background:
    linear-gradient(to right, var(--md-default-bg-color) 30%, transparent) left / 2.5rem 100% no-repeat local,
    linear-gradient(to left, var(--md-default-bg-color) 30%, transparent) right / 2.5rem 100% no-repeat local,
    radial-gradient(farthest-side at 0 50%, rgb(0 0 0 / 35%), transparent) left / 1rem 100% no-repeat scroll,
    radial-gradient(farthest-side at 100% 50%, rgb(0 0 0 / 35%), transparent) right / 1rem 100% no-repeat scroll;
}
.md-typeset .flowchart-picture svg {
  display: block; margin: 0 auto; height: auto; width: 100%;
  max-width: var(--flowchart-width); min-width: calc(0.8 * var(--flowchart-width));
}
.md-typeset .flowchart-picture:focus-visible { outline: 0.15rem solid var(--md-accent-fg-color); }
.md-typeset .flowchart-svg a:focus-visible { outline: none; }
.md-typeset .flowchart-svg a:focus-visible tspan {
  fill: #0b0c0c; stroke: #fd0; stroke-width: 5px; stroke-linejoin: round; paint-order: stroke;
}
.md-typeset .flowchart-words ol ol, .md-typeset .flowchart-words ul ol { margin-top: 0.3em; }
"""

# A phone number is one unit: it never breaks over two lines (it is at most 17 characters).
CONTACT_LINK_CSS = """\
.md-typeset a[href^="tel:"] { white-space: nowrap; }
"""
