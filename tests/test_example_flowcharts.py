"""The example's flowcharts as parents and governors get them: each school's own people and numbers,
in the site's inline SVG, in the PDF as vector graphics with text of at least 9 pt, and in words."""

from __future__ import annotations

import html
import json
import re
import xml.etree.ElementTree as ET
from collections.abc import Iterator
from pathlib import Path

import pikepdf
import pytest
from playwright.sync_api import Browser
from pypdf import PdfReader

from conftest import REPO
from policypress.compose.flowchart_views import FlowView
from policypress.compose.load import load_project
from policypress.compose.render import RenderedSchool, render_project

CHART = "worried-about-a-child"
PAIRS = [("brookside-infant", "riverside-primary"), ("riverside-primary", "hillcrest-primary"),
         ("hillcrest-primary", "oakfield-academy")]


@pytest.fixture(scope="module")
def schools() -> dict[str, RenderedSchool]:
    return {s.school.id: s for s in render_project(load_project(REPO))}


def own_facts(school: RenderedSchool) -> list[str]:
    """What only this school's safeguarding flowchart should show: its DSL and its front door's numbers."""
    door = school.contacts["front_door"]
    return [school.contacts["dsl"].name, str(school.contacts["dsl"].phone), str(door.phone),
            str(door.out_of_hours_phone)]


SVG_NS = "{http://www.w3.org/2000/svg}"


def svg_pictures(page_or_svg: str) -> list[ET.Element]:
    """The <svg> elements in a page (or the one SVG file)."""
    return [ET.fromstring(found) for found in re.findall(r"<svg\b.*?</svg>", page_or_svg, re.S)]


def svg_lines(svg: str) -> list[str]:
    """Each line of text of the picture(s), whole (a phone link's words included)."""
    return ["".join(text.itertext()) for root in svg_pictures(svg) for text in root.iter(f"{SVG_NS}text")]


def svg_runs(svg: str) -> set[str]:
    """The pieces each line is set in: a line, or the words around a link and the link's words."""
    runs: set[str] = set()
    for root in svg_pictures(svg):
        for text in root.iter(f"{SVG_NS}text"):
            pieces = [text.text or "", *("".join(child.itertext()) for child in text)]
            runs.update(piece.strip() for piece in pieces if piece.strip())
    return runs


def svg_text(svg: str) -> str:
    return " ".join(svg_lines(svg))


@pytest.mark.parametrize(("school_id", "other_id"), PAIRS)
def test_each_svg_names_its_own_dsl_and_numbers_not_anothers(example_site: Path, schools: dict[str, RenderedSchool],
                                                             school_id: str, other_id: str) -> None:
    page = (example_site / school_id / "policies" / "child-protection.html").read_text(encoding="utf-8")
    inline = re.search(r'<figure class="flowchart" id="flowchart-worried-about-a-child".*?</figure>', page, re.S)
    assert inline is not None
    on_its_own = (example_site / school_id / "flowcharts" / f"{CHART}.svg").read_text(encoding="utf-8")
    for svg in (inline.group(0), on_its_own):
        words = svg_text(svg)
        assert all(fact in words for fact in own_facts(schools[school_id])), words
        assert not [fact for fact in own_facts(schools[other_id]) if fact in words and
                    fact not in own_facts(schools[school_id])]


def flowchart_page(pdf: Path) -> int:
    """The index of the page that carries the picture (its boxes' text is set in lines of the box)."""
    reader = PdfReader(pdf)
    return next(n for n, page in enumerate(reader.pages)
                if "You are worried about\na child" in page.extract_text().replace("\r", ""))


@pytest.mark.parametrize(("school_id", "other_id"), PAIRS)
def test_each_pdf_has_its_own_flowchart_as_vector_graphics(example_site: Path, schools: dict[str, RenderedSchool],
                                                           school_id: str, other_id: str) -> None:
    pdf = example_site / school_id / "pdf" / "child-protection.pdf"
    index = flowchart_page(pdf)
    text = PdfReader(pdf).pages[index].extract_text()
    assert all(fact in text for fact in own_facts(schools[school_id])), text
    whole = " ".join(page.extract_text() for page in PdfReader(pdf).pages)
    assert not [fact for fact in own_facts(schools[other_id])
                if fact in whole and fact not in own_facts(schools[school_id])]
    with pikepdf.open(pdf) as document:
        images = [name for name, xobject in document.pages[index].resources.get("/XObject", {}).items()
                  if xobject.get("/Subtype") == "/Image"]
    assert images == []  # drawn as paths and text, not pasted in as a picture


def test_flowchart_text_prints_at_9pt_or_more(example_site: Path) -> None:
    for school in ("brookside-infant", "riverside-primary"):
        for policy, chart in (("child-protection", CHART), ("anti-bullying", "bullying-stages")):
            svg = (example_site / school / "flowcharts" / f"{chart}.svg").read_text(encoding="utf-8")
            lines = svg_runs(svg)
            pdf = PdfReader(example_site / school / "pdf" / f"{policy}.pdf")
            printed = [(text, size) for page in pdf.pages for text, size in printed_sizes(page) if text in lines]
            assert {text for text, _ in printed} == lines  # every line of the picture is text in the PDF
            assert min(size for _, size in printed) >= 9.0, (school, policy)


def printed_sizes(page: object) -> list[tuple[str, float]]:
    """Each run of text on the page with the size it is printed at, in points (font size times scaling)."""
    sizes: list[tuple[str, float]] = []

    def visit(text: str, cm: list[float], tm: list[float], _font: object, size: float) -> None:
        if text.strip():
            scale = (tm[2] ** 2 + tm[3] ** 2) ** 0.5 * (cm[2] ** 2 + cm[3] ** 2) ** 0.5
            sizes.append((text.strip(), size * scale))

    page.extract_text(visitor_text=visit)  # type: ignore[attr-defined]
    return sizes


def test_text_alternative_lists_every_box_of_every_flowchart(example_site: Path,
                                                             schools: dict[str, RenderedSchool]) -> None:
    checked = 0
    for school in schools.values():
        for policy in school.public_policies:
            page = (example_site / school.school.id / "policies" / f"{policy.id}.html").read_text(encoding="utf-8")
            for view in policy.flowcharts:
                words = re.search(rf'<div class="flowchart-words">.*?flow-{view.id}-.*?</div>', page, re.S)
                assert words is not None
                for box in view.boxes:
                    item = re.search(rf'<li id="flow-{view.id}-{box.id}">(.*?)(?:<ul>|</li>)', words.group(0))
                    assert item is not None, box
                    assert html.unescape(re.sub(r"<[^>]+>", "", item.group(1))).startswith(box.label), box
                checked += len(view.boxes)
    assert checked > 40  # both flowcharts, in every school


def test_the_nursery_step_shows_only_where_there_is_a_nursery(schools: dict[str, RenderedSchool]) -> None:
    shown = {sid: "nursery" in [b.id for p in s.policies for v in p.flowcharts if v.id == CHART for b in v.boxes]
             for sid, s in schools.items()}
    assert shown == {sid: bool(s.school.nursery) for sid, s in schools.items()}
    assert True in shown.values() and False in shown.values()


def test_allegations_flowchart_names_each_schools_head_chair_and_lado(example_site: Path,
                                                                    schools: dict[str, RenderedSchool]) -> None:
    for school_id, school in schools.items():
        words = svg_text((example_site / school_id / "flowcharts" / "worried-about-an-adult.svg").read_text())
        for role in ("headteacher", "chair_of_governors", "lado"):
            assert school.contacts[role].name in words and str(school.contacts[role].phone) in words, role


def test_pdf_tags_each_flowchart_as_a_figure_with_alternative_text(example_site: Path) -> None:
    with pikepdf.open(example_site / "brookside-infant" / "pdf" / "child-protection.pdf") as document:
        alts = [str(node.get("/Alt")) for node in _structure(document.Root.StructTreeRoot)
                if node.get("/S") == "/Figure" and "/Alt" in node]
    titles = ["What to do if you are worried about a child.", "What to do if you are worried about an adult who"]
    assert [any(alt.startswith(title) for alt in alts) for title in titles] == [True, True], alts


def _structure(node: pikepdf.Object) -> list[pikepdf.Dictionary]:
    """Every structure element under node, depth first."""
    found: list[pikepdf.Dictionary] = []
    kids = node.get("/K") if isinstance(node, pikepdf.Dictionary) else None
    items = list(kids) if isinstance(kids, pikepdf.Array) else [kids] if kids is not None else []
    for kid in items:
        if isinstance(kid, pikepdf.Dictionary):
            found.append(kid)
            found += _structure(kid)
    return found


# --- on a phone: numbers to tap, a cue that the picture scrolls, search finds the steps ------------


def contact_numbers(view: FlowView) -> set[str]:
    """Every phone number the picture shows for a contact box."""
    return {str(number) for box in view.boxes if box.contact is not None
            for number in (box.contact.phone, box.contact.out_of_hours_phone) if number}


def test_every_number_in_every_picture_is_a_tel_link(example_site: Path, schools: dict[str, RenderedSchool]) -> None:
    checked = 0
    for school_id, school in schools.items():
        for view in {v.id: v for p in school.public_policies for v in p.flowcharts}.values():
            svg = (example_site / school_id / "flowcharts" / f"{view.id}.svg").read_text(encoding="utf-8")
            [root] = svg_pictures(svg)
            links = {"".join(a.itertext()): a.get("href") for a in root.iter(f"{SVG_NS}a")}
            expected = contact_numbers(view)
            assert expected <= set(links), (school_id, view.id, links)
            assert all(links[n] == "tel:" + re.sub(r"\D", "", n) for n in expected)
            if any("999" in box.label for box in view.boxes):  # "Ring 999 now": both safeguarding charts
                assert links.get("999") == "tel:999"
                checked += 1
            checked += len(expected)
    assert checked > 20


def search_entries(example_site: Path, school: str, page: str) -> list[dict[str, str]]:
    index = json.loads((example_site / school / "search" / "search_index.json").read_text(encoding="utf-8"))
    return [entry for entry in index["docs"] if entry["location"].startswith(page)]


@pytest.mark.parametrize("school_id", ["brookside-infant", "hillcrest-primary"])
def test_search_finds_the_steps_in_words_not_the_pictures_words_run_together(
        example_site: Path, schools: dict[str, RenderedSchool], school_id: str) -> None:
    entries = search_entries(example_site, school_id, "policies/child-protection.html")
    text = html.unescape(" ".join(entry["text"] for entry in entries))
    view = next(v for p in schools[school_id].public_policies for v in p.flowcharts if v.id == CHART)
    dsl_phone = str(schools[school_id].contacts["dsl"].phone)
    assert f"Phone {dsl_phone}" not in text  # the picture's line; the steps in words say "phone 020 …"
    assert "Yes Write down" not in text and " Yes No " not in text  # an arrow's label run into a box's words
    assert f"{view.title}The steps" not in text  # the picture's title and description run together
    assert "wider than your screen" not in text
    assert f"{view.title}: the steps in words" in text
    assert all(box.label in text for box in view.boxes)
    assert f"phone {dsl_phone}" in text


@pytest.fixture(scope="module")
def chromium_page_server(example_site: Path) -> Iterator[tuple[str, Browser]]:
    from browser import chromium, serve_folder

    with serve_folder(example_site) as base, chromium() as browser:
        yield base, browser


FIGURE_STATE = """() => {
    const figure = document.querySelector('#flowchart-worried-about-a-child');
    const box = figure.querySelector('.flowchart-picture');
    const cue = figure.querySelector('.flowchart-cue');
    const links = [...box.querySelectorAll('svg a')].map(a => {
        const r = a.getBoundingClientRect();
        return {href: a.getAttribute('href'), width: r.width, height: r.height};
    });
    return {overflows: box.scrollWidth > box.clientWidth, cue: cue.getBoundingClientRect().height,
            cueText: cue.innerText, links: links, shadow: getComputedStyle(box).backgroundImage,
            page: document.documentElement.scrollWidth};
}"""


@pytest.mark.browser
@pytest.mark.parametrize("school_id", ["brookside-infant", "oakfield-academy"])
def test_on_a_phone_the_chart_says_it_scrolls_and_its_numbers_can_be_tapped(
        chromium_page_server: tuple[str, Browser], schools: dict[str, RenderedSchool], school_id: str) -> None:
    from browser import axe_violations

    base, browser = chromium_page_server
    page = browser.new_page(viewport={"width": 390, "height": 844})
    page.goto(f"{base}/{school_id}/policies/child-protection.html", wait_until="networkidle")
    found = page.evaluate(FIGURE_STATE)
    violations = axe_violations(page)
    page.focus(f"#flowchart-{CHART} .flowchart-picture")
    page.keyboard.press("Tab")  # from the scrolling box to the first number in the picture
    focused = page.evaluate("""() => { const a = document.activeElement;
        return {href: a.getAttribute('href'), in_svg: !!a.closest('svg'),
                halo: getComputedStyle(a.querySelector('tspan')).stroke}; }""")
    page.close()
    assert focused == {"href": "tel:999", "in_svg": True, "halo": "rgb(255, 221, 0)"}  # seen when focused
    assert found["overflows"] and found["cue"] >= 14  # at least a line of text shows
    assert found["cueText"].startswith("The chart is wider than your screen")
    assert "radial-gradient" in found["shadow"]  # the shadow at the edge with more to see
    dsl = schools[school_id].contacts["dsl"].phone
    tapped = [link for link in found["links"] if link["href"] == "tel:" + re.sub(r"\D", "", str(dsl))]
    assert tapped and all(link["width"] > 40 and link["height"] > 8 for link in tapped)
    assert any(link["href"] == "tel:999" for link in found["links"])
    assert found["page"] <= 390
    assert violations == []


@pytest.mark.browser
def test_on_a_wide_screen_the_whole_chart_shows_without_the_cue(chromium_page_server: tuple[str, Browser]) -> None:
    base, browser = chromium_page_server
    page = browser.new_page(viewport={"width": 1280, "height": 900})
    page.goto(f"{base}/hillcrest-primary/policies/child-protection.html", wait_until="networkidle")
    found = page.evaluate(FIGURE_STATE)
    page.close()
    assert not found["overflows"] and found["cue"] == 0
