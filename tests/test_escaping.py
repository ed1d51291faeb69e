"""Facts are text, never HTML: every fact, wherever it is printed, shows as typed and runs nothing.

A corpus of facts (school, trust and contact names, a contact's title and hours, the school's
website, an approval's minute, an overlay's title and summary, a registry entry's title, a policy
title) × payloads (a script, an image with onerror, bold): each is built, then every HTML page
(the school's site, the trust index, the reviews report), the search index, policies.json and,
for a few cases, the PDF text must show the payload as text and hold no element it would make.
"""

from __future__ import annotations

import html
import json
import subprocess
from collections.abc import Callable
from dataclasses import dataclass
from html.parser import HTMLParser
from pathlib import Path

import pytest

from conftest import POLICY, REGISTRY, SCHOOL, TRUST
from tree_tools import run

SCHOOL_FILE = "schools/test-trust/alpha.yml"
TRUST_FILE = "schools/test-trust/trust.yml"
POLICY_FILE = "content/policies/safeguarding.md"
REGISTRY_FILE = "content/statutory.yml"

PAYLOADS = {
    "script": "<script>alert(1)</script>",
    "img": "<img src=x onerror=alert(1)>",
    "bold": "<b>bold</b>",
}


def _quoted(text: str) -> str:
    """A YAML double-quoted scalar (JSON's strings are YAML's)."""
    return json.dumps(text)


def _school_overlay(key: str) -> Callable[[str], dict[str, str]]:
    def change(value: str) -> dict[str, str]:
        return {SCHOOL_FILE: SCHOOL.replace(
            "  safeguarding:\n    approvals:",
            f"  safeguarding:\n    overlay:\n      set:\n        {key}: {_quoted(value)}\n    approvals:")}
    return change


# field → how to write a value into the minimal tree
FIELDS: dict[str, Callable[[str], dict[str, str]]] = {
    "school name": lambda v: {SCHOOL_FILE: SCHOOL.replace("name: Alpha Primary School", f"name: {_quoted(v)}")},
    "trust name": lambda v: {TRUST_FILE: TRUST.replace("name: Test Learning Trust", f"name: {_quoted(v)}")},
    "contact name": lambda v: {SCHOOL_FILE: SCHOOL.replace("name: Dana Safe", f"name: {_quoted(v)}")},
    "contact title": lambda v: {SCHOOL_FILE: SCHOOL.replace(
        "title: Designated safeguarding lead", f"title: {_quoted(v)}")},
    "contact hours": lambda v: {SCHOOL_FILE: SCHOOL.replace(
        "    email: dsl@alpha.example.org", f"    email: dsl@alpha.example.org\n    hours: {_quoted(v)}")},
    "approval minute": lambda v: {SCHOOL_FILE: SCHOOL.replace(
        'version: "2.0"}', f'version: "2.0", minute: {_quoted(v)}}}')},
    "overlay title": _school_overlay("title"),
    "overlay summary": _school_overlay("summary"),
    "registry title": lambda v: {  # listed under the policy's references (ref() in its text: below)
        REGISTRY_FILE: REGISTRY.replace("title: Keeping children safe in education", f"title: {_quoted(v)}"),
        POLICY_FILE: POLICY.replace('See {{ ref("kcsie") }}.', "See the guidance.")},
    "policy title": lambda v: {POLICY_FILE: POLICY.replace("title: Safeguarding policy", f"title: {_quoted(v)}")},
    "office hours": lambda v: {SCHOOL_FILE: SCHOOL.replace(
        "email: office@alpha.example.org", f"email: office@alpha.example.org, hours: {_quoted(v)}")},
    "address line": lambda v: {SCHOOL_FILE: SCHOOL.replace("lines: [1 School Lane]", f"lines: [{_quoted(v)}]")},
}
# Text around each payload, as a fact would have it.
AROUND = "Hillcrest {} School"
PDF_CASES = {("school name", "script"), ("approval minute", "img"), ("registry title", "script"),
             ("policy title", "img"), ("contact name", "script")}


@dataclass
class Found:
    """What a page holds: live elements a payload could make, and its text as a reader sees it."""

    live: list[str]
    text: str


WORD_BREAK = "\x00"


class _Scanner(HTMLParser):
    def __init__(self) -> None:
        super().__init__(convert_charrefs=True)
        self.live: list[str] = []
        self.words: list[str] = []
        self.open: list[str] = []

    def handle_starttag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        if tag == "wbr":  # where a long address may break (contact_links.py): no space to a reader
            self.words.append(WORD_BREAK)
            return
        self.live += [f"<{tag} {name}=…>" for name, _ in attrs if name.startswith("on")]
        if tag == "img" and dict(attrs).get("src") == "x":
            self.live.append("<img src=x>")
        self.open.append(tag)

    def handle_endtag(self, tag: str) -> None:
        if self.open and self.open[-1] == tag:
            self.open.pop()

    def handle_data(self, data: str) -> None:
        tag = self.open[-1] if self.open else ""
        if tag == "script" and "alert(1)" in data:
            self.live.append("<script>alert(1)")
        if tag == "b" and data == "bold":
            self.live.append("<b>bold")
        self.words.append(data)


def scan(markup: str) -> Found:
    scanner = _Scanner()
    scanner.feed(markup)
    scanner.close()
    return Found(scanner.live, " ".join(" ".join(scanner.words).replace(f" {WORD_BREAK} ", "").split()))


def pdf_text(path: Path) -> str:
    done = subprocess.run(["pdftotext", str(path), "-"], capture_output=True, check=True)
    return " ".join(done.stdout.decode("utf-8").split())


def built(make_project: Callable[..., Path], changes: dict[str, str], pdf: bool = False) -> Path:
    root = make_project(changes)
    result = run(root, "build", *([] if pdf else ["--no-pdf"]))
    assert result.returncode == 0, result.stderr
    return root / "build"


def assert_text_everywhere(out: Path, value: str) -> None:
    """No page holds a live element of the payload; some page, and the search index, show it as text."""
    shown = []
    for page in sorted([*out.glob("site/**/*.html"), *out.glob("reports/*.html")]):
        found = scan(page.read_text(encoding="utf-8"))
        assert not found.live, f"{page.relative_to(out)}: {found.live}"
        shown += [page.name] if value in found.text else []
    assert shown, f"{value!r} is shown on no page"
    index = json.loads((out / "site/alpha/search/search_index.json").read_text(encoding="utf-8"))
    indexed = []
    for doc in index["docs"]:
        for part in (doc["title"], doc["text"]):
            found = scan(part)  # Material's search shows these strings as HTML
            assert not found.live, f"search index, {doc['location']}: {found.live}"
            indexed += [doc["location"]] if value in found.text else []
    assert indexed, f"{value!r} is not in the search index as text"


CASES = [(field, payload) for field in FIELDS for payload in PAYLOADS]


@pytest.mark.parametrize(("field", "payload"), CASES, ids=[f"{f}-{p}" for f, p in CASES])
def test_a_fact_with_markup_is_text(make_project: Callable[..., Path], field: str, payload: str) -> None:
    value = AROUND.format(PAYLOADS[payload])
    out = built(make_project, FIELDS[field](value), pdf=(field, payload) in PDF_CASES)
    assert_text_everywhere(out, value)
    listing = json.loads((out / "site/alpha/policies.json").read_text(encoding="utf-8"))
    if field == "school name":
        assert listing["school"]["name"] == value
    if field in ("policy title", "overlay title"):
        assert listing["policies"][0]["title"] == value
    if field == "overlay summary":
        assert listing["policies"][0]["summary"] == value
    if (field, payload) in PDF_CASES:
        assert value in pdf_text(out / "site/alpha/pdf/safeguarding.pdf")


@pytest.mark.parametrize("payload", ["script", "bold"])
def test_a_website_with_markup_is_an_address(make_project: Callable[..., Path], payload: str) -> None:
    """A web address may hold no space, so <img …> cannot be one; the others are escaped in the link."""
    value = "https://alpha.example.org/" + PAYLOADS[payload]
    out = built(make_project, {SCHOOL_FILE: SCHOOL.replace("website: https://alpha.example.org",
                                                           f"website: {_quoted(value)}")})
    assert_text_everywhere(out, value)
    contacts = (out / "site/alpha/contacts.html").read_text(encoding="utf-8")
    assert html.escape(value, quote=False) in contacts


def test_a_website_with_spaces_is_refused(make_project: Callable[..., Path]) -> None:
    value = "https://alpha.example.org/" + PAYLOADS["img"]
    root = make_project({SCHOOL_FILE: SCHOOL.replace("website: https://alpha.example.org",
                                                     f"website: {_quoted(value)}")})
    result = run(root, "build", "--no-pdf")
    assert result.returncode != 0
    assert "alpha.yml" in result.stderr and "website" in result.stderr


TITLES = [
    "Safeguarding: what we do",
    "Safeguarding #1 policy",
    'The "safe" policy: it\'s ours',
    "Safeguarding & child protection",
    "- Safeguarding [policy] {#x} *now* | `code` > quote",
    "Safeguarding: <b>bold</b> & #2",
]


@pytest.mark.parametrize("title", TITLES)
def test_a_policy_title_with_yaml_or_markdown_characters(make_project: Callable[..., Path], title: str) -> None:
    """The page has one heading, the title; the tab title, nav, search index and policies.json show it."""
    out = built(make_project, FIELDS["policy title"](title))
    page = (out / "site/alpha/policies/safeguarding.html").read_text(encoding="utf-8")
    found = scan(page)
    assert not found.live
    headings = page.count("<h1")
    assert headings == 1, f"{headings} h1 elements"
    h1 = page[page.index("<h1"):page.index("</h1>")]
    assert scan(h1 + "</h1>").text == title
    tab = page[page.index("<title>") + 7:page.index("</title>")]
    assert html.unescape(tab) == f"{title} - Alpha Primary School"
    assert "title:" not in found.text  # the front matter is not shown as a heading and contents entry
    home = scan((out / "site/alpha/index.html").read_text(encoding="utf-8"))
    assert title in home.text
    listing = json.loads((out / "site/alpha/policies.json").read_text(encoding="utf-8"))
    assert listing["policies"][0]["title"] == title
    index = json.loads((out / "site/alpha/search/search_index.json").read_text(encoding="utf-8"))
    assert any(scan(doc["title"]).text == title for doc in index["docs"])


def test_a_fact_printed_into_policy_text_is_text(make_project: Callable[..., Path]) -> None:
    """{{ school.name }} in policy text prints the name as typed; the policy's own Markdown still works."""
    value = "Alpha *star* [link](https://evil.example.org) {: onclick=alert(1)} <b>bold</b> School"
    out = built(make_project, FIELDS["school name"](value))
    page = (out / "site/alpha/policies/safeguarding.html").read_text(encoding="utf-8")
    found = scan(page)
    assert not found.live
    assert f"Everyone at {value} helps keep children safe." in found.text
    assert "evil.example.org\"" not in page and "<em>star" not in page
    assert 'href="https://www.gov.uk/' in page  # ref()'s link is still a link


@pytest.mark.parametrize("payload", ["script", "img", "bold"])
def test_a_registry_title_printed_by_ref_is_text(make_project: Callable[..., Path], payload: str) -> None:
    value = AROUND.format(PAYLOADS[payload])
    out = built(make_project, {REGISTRY_FILE: REGISTRY.replace(
        "title: Keeping children safe in education", f"title: {_quoted(value)}")})
    assert_text_everywhere(out, value)


@pytest.mark.parametrize("payload", [*PAYLOADS, "ampersand"])
def test_a_fact_in_a_flowchart_is_text(make_project: Callable[..., Path], payload: str) -> None:
    """A label's fact is text in the drawing and its text alternative, escaped once (no &amp;amp;)."""
    from test_flowcharts import CHART, FLOWCHART, POLICY_WITH_CHART

    value = "Dana & Co" if payload == "ampersand" else f"Dana {PAYLOADS[payload]}"
    out = built(make_project, {CHART: FLOWCHART, POLICY_FILE: POLICY_WITH_CHART,
                               SCHOOL_FILE: SCHOOL.replace("name: Dana Safe", f"name: {_quoted(value)}")})
    page = scan((out / "site/alpha/policies/safeguarding.html").read_text(encoding="utf-8"))
    assert not page.live
    assert f"Tell {value} the same day" in page.text
    assert "&amp;" not in page.text
    svg = scan((out / "site/alpha/flowcharts/worried.svg").read_text(encoding="utf-8"))
    assert not svg.live
    assert value.replace(" ", "") in svg.text.replace(" ", "")  # the drawing wraps long words
    assert "&amp;" not in svg.text


def test_governors_read_a_fact_as_typed_in_the_redline(make_project: Callable[..., Path]) -> None:
    """Provenance records a fact's words as a reader sees them (no &amp;, no backslashes)."""
    from policypress.compose.load import load_project
    from policypress.compose.provenance import policy_words

    value = "Dana & <b>bold</b> *Safe*"
    root = make_project(FIELDS["contact name"](value))
    words = [w for w in policy_words(load_project(root), "alpha", "safeguarding") if "contact:dsl" in w.origin]
    assert [w.text for w in words][:4] == ["Dana", "&", "<b>bold</b>", "Safe"]


@pytest.mark.parametrize("value", ["Alpha [x](y) School", "Alpha ![a](b.png) School", r"Alpha \[x](y) School"])
def test_link_syntax_in_a_fact_is_text_and_no_link(make_project: Callable[..., Path], value: str) -> None:
    """A fact's brackets are escaped, so the link checks see no link (no 'goes to policies/y' error)."""
    out = built(make_project, {SCHOOL_FILE: SCHOOL.replace("name: Alpha Primary School", f"name: {_quoted(value)}")})
    page = (out / "site/alpha/policies/safeguarding.html").read_text(encoding="utf-8")
    assert 'href="y"' not in page and 'src="b.png"' not in page
    assert_text_everywhere(out, value)


FOOTER_CASES = [(field, payload) for field in ("school name", "office hours", "address line") for payload in PAYLOADS]


def footer_of(page: Path) -> str:
    markup = page.read_text(encoding="utf-8")
    return markup[markup.index("<footer"):markup.index("</footer>") + len("</footer>")]


@pytest.mark.parametrize(("field", "payload"), FOOTER_CASES, ids=[f"{f}-{p}" for f, p in FOOTER_CASES])
def test_a_fact_in_the_footer_is_text(make_project: Callable[..., Path], field: str, payload: str) -> None:
    """The footer of every page, the 404 page's included, shows the school's facts as typed."""
    value = AROUND.format(PAYLOADS[payload])
    out = built(make_project, FIELDS[field](value))
    for page in ("index.html", "policies/safeguarding.html", "404.html"):
        found = scan(footer_of(out / "site/alpha" / page))
        assert not found.live, f"{page}: {found.live}"
        assert value in found.text, page


@pytest.mark.parametrize("payload", PAYLOADS)
def test_the_report_link_names_a_title_with_markup_as_typed(make_project: Callable[..., Path], payload: str) -> None:
    """The "report a problem" mail's subject is the page's title as typed, %-encoded in the link."""
    from urllib.parse import parse_qs, urlsplit

    value = AROUND.format(PAYLOADS[payload])
    out = built(make_project, FIELDS["policy title"](value))
    footer = footer_of(out / "site/alpha/policies/safeguarding.html")
    assert not scan(footer).live
    link = html.unescape(footer.split('href="mailto:office@alpha.example.org?', 1)[1].split('"', 1)[0])
    assert parse_qs(link)["subject"] == [f"Problem with the page: {value}"]
    assert "<" not in urlsplit("mailto:x?" + link).query
