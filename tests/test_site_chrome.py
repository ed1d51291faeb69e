"""What surrounds every page of a school's site: 404 pages, the header, footer, language, descriptions, icon.

The 404 pages are served as a static host serves them: the same bytes of <school>/404.html for any
missing address under /<school>/ (at any depth), and /404.html for any other, with status 404.
The accessibility statement's date is the statement's own, whatever day the site is built.
"""

from __future__ import annotations

import datetime as dt
import re
import urllib.error
import urllib.request
from collections.abc import Callable, Iterator
from contextlib import AbstractContextManager
from html.parser import HTMLParser
from pathlib import Path
from urllib.parse import parse_qs, urlsplit

import pytest
from playwright.sync_api import Browser, Page, Response, ViewportSize

from browser import Quiet, axe_violations, serve_folder
from conftest import REPO
from policypress.compose.load import load_project
from policypress.compose.render import RenderedSchool, render_project
from policypress.compose.wording import date_words, phone_href
from policypress.outputs.site_chrome import site_root
from tree_tools import run

PHONE: ViewportSize = {"width": 390, "height": 844}


@pytest.fixture(scope="module")
def schools() -> dict[str, RenderedSchool]:
    """The example's schools as the build renders them: what the pages should say."""
    return {s.school.id: s for s in render_project(load_project(REPO))}


class _StaticHost(Quiet):
    """A static host's 404 rule: <school>/404.html under a school's folder, else the site's /404.html."""

    def send_error(self, code: int, message: str | None = None, explain: str | None = None) -> None:
        if code != 404:
            super().send_error(code, message, explain)
            return
        site = Path(self.directory)
        first = self.path.lstrip("/").split("/", 1)[0]
        page = site / first / "404.html" if first and (site / first / "404.html").is_file() else site / "404.html"
        body = page.read_bytes()
        self.send_response(404)
        self.send_header("Content-Type", "text/html; charset=utf-8")
        self.send_header("Content-Length", str(len(body)))
        self.end_headers()
        self.wfile.write(body)


def static_host(site: Path) -> AbstractContextManager[str]:
    """Serve site on 127.0.0.1 with the 404 rule above; the base URL."""
    return serve_folder(site, _StaticHost)


@pytest.fixture(scope="module")
def host(example_site: Path) -> Iterator[str]:
    with static_host(example_site) as base:
        yield base



def status(url: str) -> int:
    try:
        with urllib.request.urlopen(url, timeout=10) as answer:
            return int(answer.status)
    except urllib.error.HTTPError as error:
        return error.code


def open_page(browser: Browser, url: str) -> tuple[Page, Response | None, dict[str, int]]:
    """The page at url on a phone, its response and the status of every stylesheet and script it asked for."""
    page = browser.new_page(viewport=PHONE)
    loaded: dict[str, int] = {}

    def note(response: Response) -> None:
        if response.request.resource_type in ("stylesheet", "script"):
            loaded[response.url] = response.status

    page.on("response", note)
    answer = page.goto(url, wait_until="networkidle")
    return page, answer, loaded


def rgb(colour: str) -> str:
    """#rrggbb as the browser writes a computed colour."""
    return "rgb({}, {}, {})".format(*(int(colour[i:i + 2], 16) for i in (1, 3, 5)))


# --- 404 pages ---------------------------------------------------------------------------------------


@pytest.mark.browser
@pytest.mark.parametrize("missing", ["no-such-page.html", "no/such/page.html", "policies/old/2019/behaviour.html"])
def test_a_school_404_page_works_at_any_depth(host: str, browser: Browser, schools: dict[str, RenderedSchool],
                                              missing: str) -> None:
    school = schools["hillcrest-primary"]
    page, answer, loaded = open_page(browser, f"{host}/hillcrest-primary/{missing}")
    assert answer is not None and answer.status == 404
    assert loaded and all(code == 200 for code in loaded.values()), loaded
    assert any(url.endswith("/assets/school.css") for url in loaded)
    header = page.evaluate("getComputedStyle(document.querySelector('.md-header')).backgroundColor")
    assert header == rgb(school.colour)
    assert page.inner_text("h1") == "We could not find that page"
    links = {page.inner_text(f"article a[href='{href}']"): href for href in
             page.eval_on_selector_all("article a", "links => links.map(a => a.getAttribute('href'))")}
    assert set(links.values()) == {"/hillcrest-primary/index.html", "/hillcrest-primary/contacts.html"}
    assert all(status(host + href) == 200 for href in links.values())
    icon = page.get_attribute("link[rel=icon]", "href") or ""
    assert icon.startswith("/hillcrest-primary/") and status(host + icon) == 200
    assert page.evaluate("document.documentElement.scrollWidth") <= PHONE["width"]
    assert axe_violations(page) == []
    page.close()


@pytest.mark.browser
def test_the_404_page_searches_the_school_s_policies(host: str, browser: Browser) -> None:
    page, _, _ = open_page(browser, f"{host}/hillcrest-primary/a/b/missing.html")
    page.fill("#pp-not-found-query", "bullying")
    page.click("form[role=search] button[type=submit]")
    page.wait_for_selector(".md-search-result__item", timeout=15000)
    assert urlsplit(page.url).path == "/hillcrest-primary/index.html"
    first = page.get_attribute(".md-search-result__item a", "href") or ""
    assert "bullying" in page.inner_text(".md-search-result").lower()
    assert status(first.split("#")[0]) == 200
    page.close()


@pytest.mark.browser
def test_the_trust_index_404_page_links_to_every_school(host: str, browser: Browser,
                                                        schools: dict[str, RenderedSchool]) -> None:
    page, answer, _ = open_page(browser, f"{host}/no/such/school/page.html")
    assert answer is not None and answer.status == 404
    assert page.get_attribute("html", "lang") == "en-GB"
    assert page.inner_text("h1") == "We could not find that page"
    hrefs = page.eval_on_selector_all("main a", "links => links.map(a => a.getAttribute('href'))")
    expected = {f"{site_root(s.trust.site_url)}{sid}/index.html" for sid, s in schools.items()}
    assert set(hrefs) == expected
    assert all(status(host + href) == 200 for href in hrefs)
    assert axe_violations(page) == []
    page.close()


@pytest.mark.parametrize(("site_url", "root"), [
    (None, "/"), ("https://policies.oakfield.example.org/", "/"), ("https://example.org/policies", "/policies/"),
    ("https://example.org/a/policies/", "/a/policies/")])
def test_the_404_pages_link_from_the_path_of_the_site_url(site_url: str | None, root: str) -> None:
    assert site_root(site_url) == root


def test_a_school_published_under_a_sub_path_has_a_404_page_linking_from_it(
        make_project: Callable[..., Path]) -> None:
    from conftest import TRUST

    out = built(make_project, {"schools/test-trust/trust.yml": TRUST.replace(
        "website: https://trust.example.org", "website: https://trust.example.org\nsite_url: https://example.org/policies/")})
    page = (out / "site/alpha/404.html").read_text(encoding="utf-8")
    local = [u for u in re.findall(r'(?:href|src)="([^"]+)"', page) if not u.startswith(("mailto:", "tel:", "#"))]
    assert local and all(u.startswith("/policies/alpha/") for u in local), local
    assert '"base": "/policies/alpha/"' in page  # search loads its index from there
    root = (out / "site/404.html").read_text(encoding="utf-8")
    assert 'href="/policies/alpha/index.html"' in root


# --- header, titles, language, descriptions, icon ---------------------------------------------------


@pytest.mark.browser
def test_every_school_s_full_name_shows_in_the_phone_header(host: str, browser: Browser,
                                                             schools: dict[str, RenderedSchool]) -> None:
    for sid, school in schools.items():
        page, _, _ = open_page(browser, f"{host}/{sid}/index.html")
        topic = ".md-header__topic:first-child .md-ellipsis"
        assert page.inner_text(topic).strip() == school.school.name
        sizes = page.eval_on_selector(topic, "e => [e.scrollWidth, e.clientWidth, e.scrollHeight, e.clientHeight, "
                                             "getComputedStyle(e).textOverflow, getComputedStyle(e).whiteSpace]")
        scroll_width, client_width, scroll_height, client_height, overflow, _ = sizes
        assert scroll_width <= client_width and scroll_height <= client_height, (sid, sizes)
        assert overflow != "ellipsis" or scroll_width < client_width, (sid, sizes)
        inside = page.evaluate("""() => {
            const h = document.querySelector('.md-header').getBoundingClientRect();
            const t = document.querySelector('.md-header__topic:first-child .md-ellipsis').getBoundingClientRect();
            return t.top >= h.top && t.bottom <= h.bottom && t.left >= 0 && t.right <= window.innerWidth; }""")
        assert inside, sid
        page.close()


@pytest.mark.browser
def test_page_titles_are_dark_enough(host: str, browser: Browser) -> None:
    """h1 as dark as the text (16:1 on white), not Material's light grey (4.6:1, just at AA)."""
    page, _, _ = open_page(browser, f"{host}/hillcrest-primary/policies/behaviour.html")
    colour = page.evaluate("getComputedStyle(document.querySelector('.md-typeset h1')).color")
    background = page.evaluate("getComputedStyle(document.body).backgroundColor")
    assert background == "rgb(255, 255, 255)"
    red, green, blue, *alpha = (float(c) for c in re.findall(r"[\d.]+", colour))
    shown = [alpha[0] * c + (1 - alpha[0]) * 255 if alpha else c for c in (red, green, blue)]  # over white
    luminance = sum(w * _linear(c / 255) for w, c in zip((0.2126, 0.7152, 0.0722), shown, strict=True))
    assert 1.05 / (luminance + 0.05) >= 7, colour
    page.close()


def _linear(channel: float) -> float:
    return channel / 12.92 if channel <= 0.04045 else ((channel + 0.055) / 1.055) ** 2.4


def test_every_page_is_in_british_english(example_site: Path) -> None:
    pages = sorted(example_site.glob("**/*.html"))
    assert len(pages) > 20
    wrong = [p.relative_to(example_site).as_posix() for p in pages
             if not re.search(r'<html lang="en-GB"', p.read_text(encoding="utf-8"))]
    assert wrong == []


def test_each_policy_page_is_described_by_its_summary(example_site: Path, schools: dict[str, RenderedSchool]) -> None:
    for sid, school in schools.items():
        for policy in school.public_policies:
            head = Head.of(example_site / sid / "policies" / f"{policy.id}.html")
            assert head.description == policy.meta.summary, (sid, policy.id)
        for name in ("index.html", "contacts.html", "accessibility.html"):
            assert school.school.name in (Head.of(example_site / sid / name).description or ""), (sid, name)


def test_the_favicon_is_the_school_s_logo_or_a_plain_one_of_ours(example_site: Path,
                                                                 schools: dict[str, RenderedSchool]) -> None:
    for sid, school in schools.items():
        icon = Head.of(example_site / sid / "index.html").icon or ""
        expected = f"assets/logo{school.logo.suffix.lower()}" if school.logo else "assets/favicon.svg"
        assert icon == expected, sid
        assert (example_site / sid / icon).is_file()
        assert "material" not in (example_site / sid / icon).read_text(encoding="utf-8", errors="replace").lower()


# --- footer -----------------------------------------------------------------------------------------


def test_every_page_has_the_school_s_footer(example_site: Path, schools: dict[str, RenderedSchool]) -> None:
    for sid, school in schools.items():
        office = school.contacts["office"]
        newest = max(p.approved.date for p in school.public_policies if p.approved)
        address = school.school.address
        for page in ["index.html", "contacts.html", "404.html",
                     *(f"policies/{p.id}.html" for p in school.public_policies)]:
            footer = Footer.of(example_site / sid / page)
            assert ", ".join([*address.lines, address.town, address.postcode]) in footer.text, (sid, page)
            assert office.phone and footer.links[office.phone] == phone_href(office.phone)
            assert footer.times == {newest.isoformat(): date_words(newest)}, (sid, page)
            assert f"Policies last updated on {date_words(newest)}" in footer.text
            assert footer.links["Need this in another format or language?"].endswith("contacts.html")
            report = urlsplit(footer.links["Report a problem with this page"])
            assert (report.scheme, report.path) == ("mailto", office.email), (sid, page)
            subject = parse_qs(report.query)["subject"][0]
            assert subject.startswith("Problem"), subject


def test_the_report_link_names_the_page(example_site: Path, schools: dict[str, RenderedSchool]) -> None:
    school = schools["hillcrest-primary"]
    policy = next(p for p in school.public_policies if p.id == "child-protection")
    footer = Footer.of(example_site / "hillcrest-primary/policies/child-protection.html")
    query = parse_qs(urlsplit(footer.links["Report a problem with this page"]).query)
    assert query["subject"] == [f"Problem with the page: {policy.meta.title}"]
    assert query["body"][0].startswith(
        "Page: https://policies.oakfield.example.org/hillcrest-primary/policies/child-protection.html\n")


class Head(HTMLParser):
    """The meta description and icon of a page."""

    def __init__(self) -> None:
        super().__init__(convert_charrefs=True)
        self.description: str | None = None
        self.icon: str | None = None

    def handle_starttag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        found = dict(attrs)
        if tag == "meta" and found.get("name") == "description":
            self.description = found.get("content")
        if tag == "link" and found.get("rel") == "icon":
            self.icon = found.get("href")

    @classmethod
    def of(cls, path: Path) -> Head:
        parser = cls()
        parser.feed(path.read_text(encoding="utf-8"))
        return parser


class Footer(HTMLParser):
    """The text, links (text → href) and <time> elements of a page's footer."""

    def __init__(self) -> None:
        super().__init__(convert_charrefs=True)
        self.inside = False
        self.words: list[str] = []
        self.links: dict[str, str] = {}
        self.times: dict[str, str] = {}
        self._open: tuple[str, str] | None = None  # the <a> or <time> being read, and its href or datetime
        self._text: list[str] = []

    def handle_starttag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        self.inside = self.inside or tag == "footer"
        found = dict(attrs)
        if self.inside and tag in ("a", "time"):
            self._open, self._text = (tag, found.get("href") or found.get("datetime") or ""), []

    def handle_endtag(self, tag: str) -> None:
        if self._open and tag == self._open[0]:
            kept = self.links if tag == "a" else self.times
            words = " ".join("".join(self._text).split())
            kept[words if tag == "a" else self._open[1]] = self._open[1] if tag == "a" else words
            self._open = None
        self.inside = self.inside and tag != "footer"

    def handle_data(self, data: str) -> None:
        if self.inside:
            self.words.append(data)
            self._text.append(data)

    @property
    def text(self) -> str:
        return " ".join(" ".join(self.words).split())

    @classmethod
    def of(cls, path: Path) -> Footer:
        parser = cls()
        parser.feed(path.read_text(encoding="utf-8"))
        assert parser.words, f"{path}: no footer"
        return parser


# --- the accessibility statement --------------------------------------------------------------------


def built(make_project: Callable[..., Path], changes: dict[str, str] | None = None) -> Path:
    root = make_project(changes)
    result = run(root, "build", "--no-pdf")
    assert result.returncode == 0, result.stderr
    return root / "build"


def test_the_accessibility_statement_is_dated_by_its_own_words(make_project: Callable[..., Path],
                                                                monkeypatch: pytest.MonkeyPatch) -> None:
    pages = []
    for day in (dt.datetime(2027, 1, 5, tzinfo=dt.UTC), dt.datetime(2028, 6, 30, tzinfo=dt.UTC)):
        monkeypatch.setenv("SOURCE_DATE_EPOCH", str(int(day.timestamp())))
        out = built(make_project)
        pages.append((out / "site/alpha/accessibility.html").read_text(encoding="utf-8"))
    assert pages[0] == pages[1]
    statement = " ".join(re.sub(r"<[^>]+>", " ", pages[0]).split())
    assert re.search(r"This statement was prepared on \d{1,2} [A-Z][a-z]+ 20\d\d\.", statement)
    for words in ("partially compliant", "Content that is not accessible", "Equality and Human Rights Commission",
                  "Equality Advisory and Support Service", "Alpha school office", "PDFs", "Flowchart"):
        assert words in statement, words
    assert 'href="tel:01632960000"' in pages[0] and 'href="mailto:office@alpha.example.org"' in pages[0]
    assert "2027" not in statement and "2028" not in statement
