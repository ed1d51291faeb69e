"""The example's flowcharts as parents and governors get them: each school's own people and numbers,
in the site's inline SVG, in the PDF as vector graphics with text of at least 9 pt, and in words."""

from __future__ import annotations

import html
import re
from pathlib import Path

import pikepdf
import pytest
from pypdf import PdfReader

from conftest import REPO
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


def svg_text(svg: str) -> str:
    return html.unescape(" ".join(re.findall(r"<text[^>]*>([^<]*)</text>", svg)))


@pytest.mark.parametrize(("school_id", "other_id"), PAIRS)
def test_each_svg_names_its_own_dsl_and_numbers_not_anothers(example_site: Path, schools: dict[str, RenderedSchool],
                                                             school_id: str, other_id: str) -> None:
    page = (example_site / school_id / "policies" / "child-protection.html").read_text(encoding="utf-8")
    inline = re.search(r'<figure class="flowchart" id="flowchart-worried-about-a-child">.*?</figure>', page, re.S)
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
            lines = {html.unescape(line) for line in re.findall(r"<text[^>]*>([^<]*)</text>", svg)}
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
                    item = re.search(rf'<li id="flow-{view.id}-{box.id}">([^<]*)', words.group(0))
                    assert item is not None and html.unescape(item.group(1)).startswith(box.label), box
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
