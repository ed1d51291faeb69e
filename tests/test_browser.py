"""The parents' view: the built example in headless Chromium, checked with axe-core.

Each page must have no WCAG 2.2 AA violations, make no request to any host but the local
server, and fit a 390-pixel phone screen without sideways scrolling.
"""

from __future__ import annotations

import json
from pathlib import Path

import pytest
from playwright.sync_api import Browser, Request, ViewportSize

from browser import axe_violations

pytestmark = pytest.mark.browser
PHONE: ViewportSize = {"width": 390, "height": 844}




def _schools(site: Path) -> list[str]:
    return sorted(p.name for p in site.iterdir() if p.is_dir())


def _pages(site: Path) -> list[str]:
    """The trust index, and every page of every school: home, contacts, accessibility, statutory information,
    each policy."""
    pages = ["index.html"]
    for school in _schools(site):
        policies = sorted(p.relative_to(site).as_posix() for p in (site / school / "policies").glob("*.html"))
        pages += [f"{school}/index.html", f"{school}/contacts.html", f"{school}/accessibility.html",
                  f"{school}/statutory-information.html", *policies]
    return pages


def test_pages_pass_axe_and_stay_on_the_local_server(example_site: Path, served: str, browser: Browser,
                                                     tmp_path: Path) -> None:
    problems = {}
    for path in _pages(example_site):
        page = browser.new_page(viewport=PHONE)
        requested: list[str] = []

        def note(request: Request, seen: list[str] = requested) -> None:
            seen.append(request.url)

        page.on("request", note)
        response = page.goto(f"{served}/{path}", wait_until="networkidle")
        assert response is not None and response.status == 200, path
        outside = [url for url in requested if not url.startswith(served + "/")]
        violations = axe_violations(page)
        overflow = page.evaluate("document.documentElement.scrollWidth") > PHONE["width"]
        if outside or violations or overflow:
            problems[path] = {"outside": outside, "axe": violations, "overflow": overflow}
        page.screenshot(path=str(tmp_path / (path.replace("/", "_") + ".png")), full_page=True)
        page.close()
    assert problems == {}, json.dumps(problems, indent=1)


def test_search_finds_a_policy_in_the_browser(example_site: Path, served: str, browser: Browser) -> None:
    school = _schools(example_site)[0]
    page = browser.new_page()
    page.goto(f"{served}/{school}/index.html", wait_until="networkidle")
    page.keyboard.press("/")  # Material's shortcut to focus the search box
    page.keyboard.type("bullying")
    page.wait_for_selector(".md-search-result__item", timeout=15000)
    assert "bullying" in page.inner_text(".md-search-result").lower()
    page.close()


def test_flowchart_stays_readable_on_a_phone(example_site: Path, served: str, browser: Browser) -> None:
    school = _schools(example_site)[0]
    page = browser.new_page(viewport=PHONE)
    page.goto(f"{served}/{school}/policies/child-protection.html", wait_until="networkidle")
    found = page.evaluate("""() => {
        const box = document.querySelector('.flowchart-picture');
        const svg = box.querySelector('svg');
        const heights = [...svg.querySelectorAll('text')].map(t => t.getBoundingClientRect().height);
        return {smallest: Math.min(...heights), name: svg.getAttribute('aria-labelledby'),
                tabindex: box.tabIndex, scrolls: box.scrollWidth > box.clientWidth,
                page: document.documentElement.scrollWidth};
    }""")
    page.close()
    assert found["smallest"] >= 13  # 11 pt text shown at 80 %: about 12 px type, 14 px line boxes
    assert found["name"] == "flowchart-worried-about-a-child-title flowchart-worried-about-a-child-desc"
    assert found["tabindex"] == 0 and found["scrolls"]  # its own box scrolls, by keyboard too
    assert found["page"] <= PHONE["width"]  # the page itself never scrolls sideways
