"""The look of policypress's own page parts on Material: the help panel, marks, "In short", "About this policy".

Appended to each school's stylesheet (outputs/pages.branding_css), after the theme's colours, so
that everything here takes the school's colour from Material's variables. Each mark says what it
means in words as well as colour (WCAG 1.4.1).
"""

from __future__ import annotations

PAGE_CSS = """\
/* "Worried about a child?": first on the home page and in the "In short" of safeguarding policies. */
.md-typeset .help-panel {
  border: 0.2rem solid var(--md-primary-fg-color); border-radius: 0.4rem;
  padding: 0.2rem 1rem 0.8rem; margin: 1em 0 1.5em; background: #fff;
}
.md-typeset .help-panel h2 { margin-top: 0.6em; }
.md-typeset .help-panel p { margin: 0.6em 0; }
.md-typeset .quick-contacts { font-weight: 700; margin-top: -0.4em; }
/* Buttons big enough to tap (WCAG 2.5.8), each on one line: a number never breaks. */
.md-typeset .help-panel .md-button.help-call {
  display: inline-block; white-space: nowrap; margin: 0.3em 0.5em 0.3em 0;
  padding: 0.55em 1.1em; font-size: 0.8rem; min-height: 2.75rem; box-sizing: border-box;
}
.md-typeset .help-panel .md-button.help-call--emergency {
  background-color: #b10e1e; border-color: #b10e1e; color: #fff;
}
.md-typeset .help-panel .md-button.help-call--emergency:is(:hover, :focus) {
  background-color: #7d0a15; border-color: #7d0a15; color: #fff;
}
/* Marks on the home page and policy pages: words in a frame, not colour alone. */
.md-typeset .statutory-mark, .md-typeset .overdue-mark {
  display: inline-block; font-size: 0.7rem; font-weight: 700; line-height: 1.6;
  padding: 0 0.5em; border: 0.1rem solid currentColor; border-radius: 0.2rem;
  vertical-align: 0.1em; white-space: nowrap;
}
.md-typeset .statutory-mark { color: var(--md-primary-fg-color); }
.md-typeset .overdue-mark { color: #8a3c00; background: #fff4e5; }
.md-typeset .overdue-mark::before { content: "\\26A0\\FE0E  "; }
/* "In short" in the school's colour, apart from Material's blue notes and orange warnings. */
.md-typeset .admonition.in-short { border-color: var(--md-primary-fg-color); font-size: 0.8rem; }
.md-typeset .in-short > .admonition-title {
  background-color: color-mix(in srgb, var(--md-primary-fg-color) 10%, #fff);
}
.md-typeset .in-short > .admonition-title::before { background-color: var(--md-primary-fg-color); }
/* "About this policy": document control and versions, folded away at the end of the page. */
.md-typeset details.about-policy > summary { min-height: 2.75rem; box-sizing: border-box; }
/* Statutory information: a card per item, its left edge saying (with the words) whether it is met. */
.md-typeset .statutory-item {
  border: 0.05rem solid #8c959a; border-left: 0.3rem solid #1e6b34; border-radius: 0.2rem;
  padding: 0 0.8rem; margin: 0.8em 0; overflow-wrap: anywhere;
}
.md-typeset .statutory-item h3 { margin: 0.6em 0 0.3em; }
.md-typeset .statutory-item p { margin: 0.4em 0; }
.md-typeset .statutory-item--overdue { border-left-color: #8a3c00; }
.md-typeset .statutory-item--draft-only, .md-typeset .statutory-item--missing { border-left-color: #5f6b70; }
.md-typeset .statutory-when { color: var(--md-default-fg-color--light); font-size: 0.7rem; }
"""
