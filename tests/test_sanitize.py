"""The sanitiser: raw HTML, Markdown links and attribute lists in policy text are made safe,
while safe markup, code and autolinks are left exactly as written.

Beyond comparing text, every dangerous example is rendered with the Markdown extensions of the
site (site_engine/dialect.py) and the HTML is checked independently of the sanitiser's own audit."""

from __future__ import annotations

import html
from html.parser import HTMLParser

import markdown
import pytest

from policypress.compose.sanitise import sanitise
from policypress.site_engine import dialect

DANGEROUS_TAGS = {"script", "style", "iframe", "frame", "object", "embed", "svg", "math", "form", "base",
                  "link", "meta", "template", "button"}
BAD_SCHEMES = ("javascript:", "vbscript:", "data:")


def site_extensions() -> list[str]:
    """The extensions the site's MkDocs config is given (site_engine/dialect.py)."""
    return list(dialect.site_extensions())


class _Elements(HTMLParser):
    def __init__(self) -> None:
        super().__init__(convert_charrefs=True)
        self.found: list[tuple[str, str, str]] = []

    def handle_starttag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        self.found.append((tag, "", ""))
        self.found += [(tag, name, value or "") for name, value in attrs]


def dangers(text: str) -> list[tuple[str, str, str]]:
    """Tags, event handlers and script addresses in the page this Markdown becomes on the site."""
    parser = _Elements()
    parser.feed(markdown.markdown(text, extensions=site_extensions()))
    bad = []
    for tag, name, value in parser.found:
        address = "".join(html.unescape(value).split()).lower()
        if (tag in DANGEROUS_TAGS or ":" in tag or name.startswith("on") or name in ("style", "srcdoc")
                or address.startswith(BAD_SCHEMES)):
            bad.append((tag, name, value))
    return bad


@pytest.mark.parametrize(("raw", "expected"), [
    pytest.param("Before <script>alert('x')</script> after.", "Before  after.", id="script-and-content"),
    pytest.param("A <SCRIPT type='text/javascript'>\nsteal()\n</SCRIPT > B", "A  B", id="script-any-case"),
    pytest.param('<img src="logo.png" alt="Logo" onerror="alert(1)">', '<img src="logo.png" alt="Logo">',
                 id="onerror"),
    pytest.param('<strong onclick="alert(1)">Call us</strong>', "<strong>Call us</strong>", id="onclick"),
    pytest.param('Map: <iframe src="https://maps.example.org/embed"></iframe> below.', "Map:  below.",
                 id="iframe"),
    pytest.param('<a href="javascript:alert(1)">Click</a>', "<a>Click</a>", id="javascript-href"),
    pytest.param('<a href=" JaVaScRiPt:alert(1)">Click</a>', "<a>Click</a>", id="javascript-href-mixed-case"),
    pytest.param('<a href="&#106;avascript:alert(1)">Click</a>', "<a>Click</a>", id="javascript-href-entity"),
    pytest.param('<a href="java\tscript:alert(1)">Click</a>', "<a>Click</a>", id="javascript-href-tab"),
    pytest.param("<style>body { display: none }</style>Visible.", "Visible.", id="style-element"),
    pytest.param('<p style="color: red">Red</p>', "<p>Red</p>", id="style-attribute"),
    pytest.param("<object data='x.swf'></object><embed src='x.swf'>End", "End", id="object-embed"),
    pytest.param("[Click](javascript:alert(1)) here", "Click here", id="markdown-link-javascript"),
    pytest.param("[Click]( <JavaScript:alert((1))> )", "Click", id="markdown-link-angle-brackets"),
    pytest.param("![Logo](data:image/svg+xml;base64,PHN2Zz4=)", "Logo", id="markdown-image-data"),
    pytest.param("[Click][1]\n\n[1]: javascript:alert(1)", "[Click][1]\n\n[1]: #", id="reference-link"),
    pytest.param("<javascript://%0aalert(1)>", "javascript://%0aalert(1)", id="javascript-autolink"),
    pytest.param("Para\n{: onclick=\"alert(1)\" }", "Para\n", id="attr-list-on-paragraph"),
    pytest.param("## Help {: #help .note onmouseover=alert(1) }", "## Help {: #help .note }",
                 id="attr-list-on-heading"),
    pytest.param("<img/onerror=alert(1)/src=x>", "<img>", id="slash-instead-of-space"),
    pytest.param("<x:y onmouseover=alert(1)>Hover</x:y>", "Hover", id="unknown-element"),
    pytest.param("<<script>script>alert(1)<</script>/script>", "", id="nested-to-rebuild-a-tag"),
    pytest.param('<img title="a>b" onerror=alert(1)>', '<img title="a&gt;b">', id="quoted-angle-bracket"),
    pytest.param("<div\nonclick=alert(1)>Box</div>", "<div>Box</div>", id="attribute-on-next-line"),
    pytest.param("Text \\`<img src=x onerror=alert(1)>` end", 'Text \\`<img src="x">` end',
                 id="escaped-backtick-is-not-code"),
    pytest.param("``a`<img src=x onerror=alert(1)>`", '``a`<img src="x">`', id="unbalanced-backticks"),
])
def test_unsafe_markup_is_removed(raw: str, expected: str) -> None:
    assert dangers(raw), "the example should be dangerous before sanitising"
    assert sanitise(raw) == expected
    assert dangers(sanitise(raw)) == []


@pytest.mark.parametrize(("raw", "expected"), [
    pytest.param("<!-- a note for editors -->Text", "Text", id="comment"),
    pytest.param('<abbr title="`">X</abbr> `" onclick="alert(1)">',
                 '<abbr title="&#96;">X</abbr> `" onclick="alert(1)">', id="backtick-inside-attribute"),
    pytest.param("<p>Unclosed <b title=\"x>bold", "<p>Unclosed &lt;b title=\"x>bold", id="unclosed-quote"),
    pytest.param("<custom-box>Text</custom-box>", "Text", id="unknown-tag"),
])
def test_odd_markup_is_tidied_and_stays_harmless(raw: str, expected: str) -> None:
    assert sanitise(raw) == expected
    assert dangers(sanitise(raw)) == []


@pytest.mark.parametrize("safe", [
    pytest.param('The <abbr title="Designated safeguarding lead">DSL</abbr> is <strong>Dana</strong>.', id="abbr"),
    pytest.param('<table>\n<caption>Contacts</caption>\n<thead><tr><th scope="col">Role</th><th scope="col">Name'
                 '</th></tr></thead>\n<tbody><tr><td>DSL</td><td colspan="2">Dana Safe</td></tr></tbody>\n</table>',
                 id="table"),
    pytest.param("<details open><summary>More</summary><p>Details <em>here</em>.</p></details>", id="details"),
    pytest.param('<a href="https://www.gov.uk/guidance" title="GOV.UK">Guidance</a>', id="https-link"),
    pytest.param('<a href="mailto:office@example.org">Email</a> or <a href="tel:01632960000">ring</a>', id="mail-tel"),
    pytest.param('<a href="contacts.html#dsl">Contacts</a> and <img src="images/map.png" alt="Map">',
                 id="relative-links"),
    pytest.param("Visit <https://example.org> or write to <office@example.org>.", id="autolinks"),
    pytest.param("Ring 01632 960000 if x < 3 and y > 2.", id="angle-brackets-in-prose"),
    pytest.param("[KCSIE (2025)](https://www.gov.uk/kcsie) and [contacts](contacts.md#dsl)", id="markdown-links"),
    pytest.param("## Reporting {#reporting}\n\nText {: .lead }", id="heading-id-and-class"),
    pytest.param("Write `<script>` or `onclick=\"x\"` to see why they are removed.", id="inline-code"),
    pytest.param("Use ``<a href=\"javascript:x\">`` as an example.", id="double-backtick-code"),
    pytest.param("Example:\n\n```\nIf you see <b onclick=\"x\">this</b>, report it.\n```\n", id="fenced-code"),
    pytest.param("Example:\n\n```html\n<abbr onclick=\"x\" title=\"y\">z</abbr> and [a](javascript:b)\n```\n",
                 id="fenced-code-with-language"),
])
def test_safe_markup_and_code_are_kept_exactly(safe: str) -> None:
    assert sanitise(safe) == safe
    assert dangers(safe) == []


def test_code_shows_the_markup_as_text_on_the_page() -> None:
    page = markdown.markdown(sanitise('Write `<img src=x onerror="y">` like this.'), extensions=site_extensions())
    assert page == '<p>Write <code>&lt;img src=x onerror="y"&gt;</code> like this.</p>'


def test_fence_the_site_would_not_show_as_code_is_cleaned() -> None:
    """Without a fenced-code extension, a blank line ends the 'fence' and a <div> after it is live HTML."""
    raw = "```\nfirst\n\n<div onclick=\"alert(1)\">live</div>\n```\n"
    if {"fenced_code", "pymdownx.superfences"} & set(site_extensions()):
        assert sanitise(raw) == raw and dangers(raw) == []
    else:
        assert dangers(raw)
        assert sanitise(raw) == "```\nfirst\n\n<div>live</div>\n```\n"
        assert dangers(sanitise(raw)) == []


def test_sanitising_twice_changes_nothing_more() -> None:
    raw = ('<p onclick="x">Hi <abbr title="A &amp; B">AB</abbr></p><script>x</script>'
           "[a](javascript:b) `<b>` <https://example.org>")
    once = sanitise(raw)
    assert once == '<p>Hi <abbr title="A &amp; B">AB</abbr></p>a `<b>` <https://example.org>'
    assert sanitise(once) == once


def test_policy_text_without_html_is_untouched() -> None:
    text = ("# Safeguarding {#top}\n\nEveryone at Alpha helps.\n\n- Tell [Dana Safe](contacts.html#dsl) on "
            "[01632 960002](tel:01632960002).\n- See [KCSIE (2025)](https://www.gov.uk/kcsie).\n\n"
            "| Role | Name |\n|---|---|\n| DSL | Dana |\n\n!!! note\n    Keep this safe.\n")
    assert sanitise(text) == text
