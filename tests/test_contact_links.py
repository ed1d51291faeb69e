"""Every phone number a tel: link and every email a mailto: link, in one tap (site_engine/contact_links.py).

The rules are checked number by number (what is and what is not a phone number), through the
site's Markdown dialect (never inside a link, code or heading; facts stay text), against the
checks that read links (sanitiser, internal links, `check links`), and over the built example:
every phone number and email on every policy page is a link, and at 390 pixels no name, word or
number breaks inside.
"""

from __future__ import annotations

import re
from collections.abc import Iterator
from html.parser import HTMLParser
from pathlib import Path

import markdown
import pytest
from playwright.sync_api import ViewportSize

from policypress.checks.internal_links import find_links
from policypress.checks.links.gather import link_targets
from policypress.compose.sanitise import renders_safely, sanitise
from policypress.compose.wording import markdown_text
from policypress.site_engine import dialect
from policypress.site_engine.contact_links import breakable, find_contacts


def links_in(text: str, before: str = "", phone_column: bool = False) -> list[tuple[str, str | None]]:
    return [(text[f.start:f.end], f.href) for f in find_contacts(text, before, phone_column)]


def phones_in(text: str) -> list[str]:
    return [href for _, href in links_in(text) if href and href.startswith("tel:")]


@pytest.mark.parametrize(("text", "href"), [
    ("Call 020 7946 0302 today.", "tel:02079460302"),
    ("Ring 01632 960100.", "tel:01632960100"),
    ("Ring 01632 960 100.", "tel:01632960100"),
    ("the helpline (0800 028 0285).", "tel:08000280285"),
    ("0121 496 0000", "tel:01214960000"),
    ("Childline on 0800 1111 at any time", "tel:08001111"),
    ("Childline: 0800 11 11", "tel:08001111"),
    ("0800 123456", "tel:0800123456"),
    ("01697 12345", "tel:0169712345"),
    ("07700 900123", "tel:07700900123"),
    ("written together, 02079460302.", "tel:02079460302"),
    ("(020) 7946 0302", "tel:02079460302"),
    ("(01632) 960100", "tel:01632960100"),
    ("+44 20 7946 0302", "tel:+442079460302"),
    ("+44 (0)20 7946 0302", "tel:+442079460302"),
    ("+44 1632 960100", "tel:+441632960100"),
    ("020-7946-0302", "tel:02079460302"),
    ("If a child is in danger, ring 999.", "tel:999"),
    ("**999**", "tel:999"),
    ("call the police on 101", "tel:101"),
    ("ring NHS 111 for advice", "tel:111"),
    ("the police non-emergency number (101)", "tel:101"),
    ("Telephone: 101", "tel:101"),
    ("Samaritans: call 116 123", "tel:116123"),
])
def test_a_phone_number_is_found_with_its_digits(text: str, href: str) -> None:
    assert phones_in(text) == [href]


@pytest.mark.parametrize("text", [
    "section 175 of the Education Act 2002", "Children Act 1989", "KCSIE 2024", "within 10 school days",
    "Year 6", "pupils in Years 3 to 6", "On 1 September 2026", "01/09/2026", "2026-09-01", "at 08:45",
    "from 0830-1530", "breakfast club 0800-0845", "URN 123456", "company number 08123456", "postcode NT1 1AA",
    "WM1 2AB", "£999", "£1,011.50", "999 days", "section 999", "paragraphs 105-113", "paragraph 101",
    "section 101 of the Act", "page 111", "based on 111 responses", "101 children", "version 1.11",
    "about 112 pupils", "a fine of £101", "999-1000", "1999", "9999", "0.999", "3.111",
    "phoning the school about 101 children", "Room 101", "20 7946 0302 without its 0",
    "020 7946 030", "ukpga/2002/32/section/175",
])
def test_other_digits_are_never_taken_for_a_phone_number(text: str) -> None:
    assert phones_in(text) == []


def test_a_short_number_after_another_or_in_a_phone_column_is_a_phone_number() -> None:
    assert phones_in("999 / 101") == ["tel:999", "tel:101"]
    assert phones_in("Ring 999 or 101") == ["tel:999", "tel:101"]
    assert links_in("101", phone_column=True) == [("101", "tel:101")]
    assert links_in("101", phone_column=False) == []
    assert links_in("101 pupils", phone_column=True) == []
    assert links_in("101", before="If it is not an emergency, ring the police on ") == [("101", "tel:101")]


@pytest.mark.parametrize(("text", "found"), [
    ("Email dsl@alpha.example.org.", [("dsl@alpha.example.org", "mailto:dsl@alpha.example.org")]),
    ("o.griffiths@hillcrest.example.org", [("o.griffiths@hillcrest.example.org",
                                            "mailto:o.griffiths@hillcrest.example.org")]),
    ("first_name+tag@mail.example.co.uk,", [("first_name+tag@mail.example.co.uk",
                                             "mailto:first_name+tag@mail.example.co.uk")]),
    ("See https://www.gov.uk/report-child-abuse.", [("https://www.gov.uk/report-child-abuse", None)]),
    ("www.example.org/help", [("www.example.org/help", None)]),
    ("https://user@example.org/", [("https://user@example.org/", None)]),
    ("an @ sign alone, or name@ or @example.org", []),
])
def test_emails_are_links_and_web_addresses_written_as_text_only_break(text: str,
                                                                       found: list[tuple[str, str | None]]) -> None:
    assert links_in(text) == found


def test_addresses_break_only_after_at_and_slash_and_before_a_dot() -> None:
    assert breakable("o.griffiths@hillcrest.example.org") == ["o.griffiths@", "hillcrest", ".example", ".org"]
    assert breakable("https://www.gov.uk/guidance/x") == ["https://", "www", ".gov", ".uk/", "guidance/", "x"]


# --- through the site's Markdown dialect --------------------------------------------------------

def site_html(text: str) -> str:
    return markdown.markdown(text, extensions=list(dialect.site_extensions()))


def print_html(text: str) -> str:
    return dialect.print_markdown([]).convert(text)


@pytest.mark.parametrize("render", [site_html, print_html], ids=["site", "pdf"])
def test_the_site_and_the_pdf_link_numbers_and_emails(render: object) -> None:
    page = render("Ring 020 7946 0302 or email dsl@alpha.example.org.")  # type: ignore[operator]
    assert page.replace("<wbr>", "<wbr />") == ('<p>Ring <a href="tel:02079460302">020 7946 0302</a> or email '
                    '<a href="mailto:dsl@alpha.example.org">dsl@<wbr />alpha<wbr />.example<wbr />.org</a>.</p>')


@pytest.mark.parametrize(("text", "kept"), [
    pytest.param("[020 7946 0302](tel:02079460302)", '<a href="tel:02079460302">020 7946 0302</a>', id="link"),
    pytest.param("[Ring us on 020 7946 0302](contacts.md)", '<a href="contacts.md">Ring us on 020 7946 0302</a>',
                 id="link-words"),
    pytest.param("`020 7946 0302`", "<code>020 7946 0302</code>", id="code"),
    pytest.param('<a href="contacts.html">020 7946 0302</a>', '<a href="contacts.html">020 7946 0302</a>',
                 id="raw-link"),
    pytest.param("<code>ring 999</code>", "<code>ring 999</code>", id="raw-code"),
    pytest.param("<div>\n020 7946 0302\n</div>", "<div>\n020 7946 0302\n</div>", id="raw-block"),
    pytest.param("<https://www.example.org>", '<a href="https://www.example.org">', id="autolink"),
])
def test_nothing_is_linked_inside_a_link_code_or_raw_html(text: str, kept: str) -> None:
    page = site_html(text)
    assert kept in page and "tel:" not in page.replace(kept, "")


def test_a_heading_keeps_its_number_as_words() -> None:
    assert site_html("## Call 999 {#call}") == '<h2 id="call">Call 999</h2>'


def test_a_table_column_of_phone_numbers_links_its_short_numbers() -> None:
    page = site_html("| Service | Telephone |\n|---|---|\n| Police, non-emergency | 101 |\n| NHS | 111 |")
    assert '<td><a href="tel:101">101</a></td>' in page and '<td><a href="tel:111">111</a></td>' in page
    other = site_html("| Item | Count |\n|---|---|\n| Pupils | 101 |")
    assert "tel:" not in other


def test_a_fact_stays_text_when_its_number_becomes_a_link() -> None:
    """Facts are text (compose/wording.markdown_text): markup in a fact is shown, never obeyed, and the
    link is made of the number's digits and the address's own characters only."""
    fact = markdown_text('<b onmouseover="x()">Office</b> 020 7946 0302, first_name@example.org [x](javascript:y)')
    page = site_html(f"Call {fact}.")
    assert "<b" not in page and "javascript:" not in page.replace("[x](javascript:y)", "")
    assert '&lt;b onmouseover="x()"&gt;Office&lt;/b&gt; <a href="tel:02079460302">020 7946 0302</a>' in page
    assert '<a href="mailto:first_name@example.org">first_name@<wbr />example<wbr />.org</a>' in page
    assert "[x](javascript:y)" in page


def test_the_sanitiser_and_the_link_checks_leave_contact_links_alone() -> None:
    """The sanitiser keeps such text as typed; tel:/mailto: made from text are no web links to check
    (`check links`) and no internal links (the build's check): both read the source, not the page."""
    text = "Ring 020 7946 0302, 999 or email dsl@alpha.example.org; see [the contacts](../contacts.md)."
    assert sanitise(text) == text and renders_safely(text)
    assert link_targets(text) == []
    assert [link.href for link in find_links(text)] == ["../contacts.md"]
    assert renders_safely("[Call us](tel:02079460302) or [write](mailto:a@example.org)")


# --- the built example ----------------------------------------------------------------------------

PHONE_LIKE = re.compile(r"(?<![\w.])(?:\+44|\(?0\d{2,4}\)?)[ \u00a0-]?\d{3,4}[ \u00a0-]?\d{3,4}\b"
                        r"|\b999\b|[\w.+-]+@[\w-]+(?:\.[\w-]+)+")


class _Unlinked(HTMLParser):
    """Phone-like and email-like text in the page's article that is not inside a link."""

    VOID = frozenset({"wbr", "br", "img", "hr", "input", "meta", "link", "source", "col"})

    def __init__(self) -> None:
        super().__init__(convert_charrefs=True)
        self.open: list[str] = []
        self.text: list[str] = []
        self.tel: list[tuple[str, str]] = []

    def handle_starttag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        if tag not in self.VOID:
            self.open.append(tag)
        href = dict(attrs).get("href") or ""
        if tag == "a" and href.startswith("tel:") and "article" in self.open:
            self.tel.append((href, ""))

    def handle_endtag(self, tag: str) -> None:
        if tag in self.open:
            while self.open.pop() != tag:
                pass

    def handle_data(self, data: str) -> None:
        if "article" not in self.open:
            return
        if "a" in self.open:
            if self.tel and not self.tel[-1][1]:  # the words of the link just opened (in a <tspan> in a picture)
                self.tel[-1] = (self.tel[-1][0], data)
            return
        self.text.append(data)


def policy_pages(site: Path) -> Iterator[Path]:
    yield from sorted(site.glob("*/policies/*.html"))


def test_every_phone_number_and_email_on_every_policy_page_is_a_link(example_site: Path) -> None:
    unlinked: dict[str, list[str]] = {}
    pages = list(policy_pages(example_site))
    for path in pages:
        scan = _Unlinked()
        scan.feed(path.read_text(encoding="utf-8"))
        found = [m.group() for text in scan.text for m in PHONE_LIKE.finditer(text)]
        if found:
            unlinked[str(path.relative_to(example_site))] = found
    assert len(pages) >= 20 and unlinked == {}


def test_every_tel_link_in_the_example_is_a_phone_number_dialled_as_written(example_site: Path) -> None:
    """No false links: each tel: link's words are a phone number, and its address is their digits."""
    seen: set[str] = set()
    for path in policy_pages(example_site):
        scan = _Unlinked()
        scan.feed(path.read_text(encoding="utf-8"))
        for href, words in scan.tel:  # a button may say more ("Call 999"): its number is what it dials
            number = re.search(r"\b(?:0\d{2,4} \d{3,4} ?\d{3,4}|0800 1111|999|101)\b", words)
            assert number is not None, (path.name, words)
            assert href == "tel:" + re.sub(r"\D", "", number.group()), (path.name, href, words)
            seen.add(number.group())
    assert {"999", "101", "0800 1111", "0800 028 0285"} <= seen


PHONE: ViewportSize = {"width": 390, "height": 844}
WHOLE_WORDS = """() => {
    // Every word of every table cell of the page's article, and every tel: link, on one line:
    // no 'Nikhil Sharm/a', no 'Versio/n', no '020 7946 / 0302'. A word may break after its hyphen
    // ('non-/emergency') and an address at its <wbr>s (each piece is a text node of its own).
    document.querySelectorAll('article details').forEach(d => { d.open = true; });  // "About this policy"
    const split = [];
    const cells = document.querySelectorAll('article td, article th');
    for (const cell of cells) {
        const walker = document.createTreeWalker(cell, NodeFilter.SHOW_TEXT);
        for (let node = walker.nextNode(); node; node = walker.nextNode()) {
            for (const word of node.data.matchAll(/[^\\s-]+-?/g)) {
                const range = document.createRange();
                range.setStart(node, word.index);
                range.setEnd(node, word.index + word[0].length);
                const lines = new Set([...range.getClientRects()].map(r => Math.round(r.top)));
                if (lines.size > 1) split.push(word[0]);
            }
        }
    }
    for (const link of document.querySelectorAll('article a[href^="tel:"]')) {
        const lines = new Set([...link.getClientRects()].map(r => Math.round(r.top)));
        if (lines.size > 1) split.push(link.textContent);
    }
    return {split: split, cells: cells.length, page: document.documentElement.scrollWidth,
            tel: document.querySelectorAll('article a[href^="tel:"]').length};
}"""


@pytest.mark.browser
@pytest.mark.parametrize("school_id", ["brookside-infant", "hillcrest-primary", "oakfield-academy",
                                       "riverside-primary"])
def test_on_a_phone_no_name_word_or_number_breaks_inside(example_site: Path, school_id: str) -> None:
    from browser import chromium, serve_folder

    results = {}
    with serve_folder(example_site) as base, chromium() as browser:
        for policy in ("child-protection", "complaints", "anti-bullying"):
            page = browser.new_page(viewport=PHONE)
            page.goto(f"{base}/{school_id}/policies/{policy}.html", wait_until="networkidle")
            results[policy] = page.evaluate(WHOLE_WORDS)
            page.close()
    assert {policy: found["split"] for policy, found in results.items()} == {p: [] for p in results}
    assert all(found["page"] <= PHONE["width"] for found in results.values())
    assert results["child-protection"]["cells"] > 30 and results["child-protection"]["tel"] > 15
