"""Flowcharts as data: checked with exact messages, resolved per school, drawn once, readable.

The inline flowchart below is used by the minimal project's safeguarding policy; the real
example's flowcharts are checked in the built site and PDFs (test_example_flowcharts.py).
"""

from __future__ import annotations

import re
import xml.etree.ElementTree as ET
from collections.abc import Callable
from pathlib import Path

import pytest

from conftest import POLICY, SCHOOL
from policypress.compose.flowchart_views import MARK, FlowView, text_alternative
from policypress.compose.load import load_project
from policypress.compose.render import RenderedSchool, render_project
from policypress.core.errors import SourceErrors
from policypress.outputs import diagrams as diagram

MakeProject = Callable[..., Path]
CHART = "content/flowcharts/worried.yml"
ALPHA = "schools/test-trust/alpha.yml"
SAFEGUARDING = "content/policies/safeguarding.md"
FLOWCHART = """\
title: If you are worried
description: What any adult does when worried about a child.
start: worried
nodes:
  worried:
    kind: step
    label: You are worried about a child
  danger:
    kind: decision
    label: Is the child in immediate danger?
  police:
    kind: contact
    label: Ring 999, then tell the DSL
    contact: dsl
  nursery:
    kind: step
    label: Tell the nursery lead too
    when: school.nursery
  record:
    kind: step
    label: Tell {{ contact("dsl").name }} the same day
  decides:
    kind: end
    label: The DSL decides what happens next
edges:
  - {from: worried, to: danger}
  - {from: danger, to: police, label: "Yes"}
  - {from: danger, to: nursery, label: "No"}
  - {from: nursery, to: record}
  - {from: police, to: decides}
  - {from: record, to: decides}
"""
POLICY_WITH_CHART = POLICY.replace("## Early years {#early-years}", '{{ flowchart("worried") }}\n\n'
                                   "## Early years {#early-years}")
SVG_NS = "{http://www.w3.org/2000/svg}"


def chart(old: str = "", new: str = "") -> dict[str, str | None]:
    assert old in FLOWCHART, old
    return {CHART: FLOWCHART.replace(old, new, 1), SAFEGUARDING: POLICY_WITH_CHART}


def rendered(make_project: MakeProject, changes: dict[str, str | None]) -> RenderedSchool:
    return render_project(load_project(make_project(changes)))[0]


def view_of(school: RenderedSchool) -> FlowView:
    return school.policies[0].flowcharts[0]


def problems_of(root: Path) -> list[str]:
    with pytest.raises(SourceErrors) as caught:
        render_project(load_project(root))
    return [str(problem) for problem in caught.value.problems]


NODES = "worried, danger, police, nursery, record, decides"
CASES = [
    pytest.param(chart("  - {from: record, to: decides}", "  - {from: record, to: decided}"), [
        f"{CHART}:31: the arrow to 'decided' names no node — use one of the node ids: {NODES}"],
        id="arrow-to-unknown-node"),
    pytest.param(chart("  - {from: worried, to: danger}", "  - {from: worry, to: danger}"), [
        f"{CHART}:26: the arrow from 'worry' names no node — use one of the node ids: {NODES}"],
        id="arrow-from-unknown-node"),
    pytest.param(chart("  - {from: nursery, to: record}\n", ""), [
        f"{CHART}:19: nothing leads to node 'record' from the start 'worried' — add an arrow to it, or remove it"],
        id="node-nothing-reaches"),
    pytest.param(chart('  - {from: danger, to: nursery, label: "No"}', "  - {from: danger, to: nursery}"), [
        f"{CHART}:8: decision 'danger' needs two or more arrows out, each with a label — add arrows from it with "
        "labels such as 'Yes' and 'No'"],
        id="decision-exit-without-label"),
    pytest.param(chart('  - {from: danger, to: nursery, label: "No"}\n', "  - {from: police, to: nursery}\n"), [
        f"{CHART}:8: decision 'danger' needs two or more arrows out, each with a label — add arrows from it with "
        "labels such as 'Yes' and 'No'"],
        id="decision-with-one-exit"),
    pytest.param(chart("    label: Tell the nursery lead too", '    label: ""'), [
        f"{CHART}:17: nodes.nursery.label: is empty — write a value (text in the box; may use placeholders such as "
        "{{ contact('dsl').name }})"],
        id="empty-label"),
    pytest.param(chart('contact("dsl").name', 'contact("dsl").nmae'), [
        f"{CHART}:21: 'contact(\"dsl\").nmae' is not a known fact — did you mean 'contact(\"dsl\").name'? "
        "A contact has: name, title, phone, out_of_hours_phone, email, website, hours"],
        id="undefined-fact-in-label"),
    pytest.param(chart("    contact: dsl", "    contact: safeguarding_lead"), [
        f"{CHART}:14: contact('safeguarding_lead') is not defined for Alpha Primary School — add a "
        "'safeguarding_lead' contact to the school, trust or local authority file"],
        id="unknown-contact-box"),
    pytest.param(chart("    when: school.nursery", "    when: school.has_nursery"), [
        f"{CHART}:18: 'school.has_nursery' is not a known fact — did you mean 'school.nursery'? A school has: "
        "id, name, urn, phase, kind, nursery, sixth_form, local_authority, address, website, contacts, values, "
        "branding, policies, published_elsewhere"],
        id="undefined-fact-in-condition"),
    pytest.param(chart("start: worried", "start: worry"), [
        f"{CHART}:3: start 'worry' is not a node — use one of the node ids: {NODES}"],
        id="unknown-start"),
    pytest.param({SAFEGUARDING: POLICY_WITH_CHART.replace('flowchart("worried")', 'flowchart("worries")'),
                  CHART: FLOWCHART}, [
        f"{SAFEGUARDING}:19: flowchart('worries') is not in content/flowcharts — add "
        "content/flowcharts/worries.yml, or use one of: worried"],
        id="unknown-flowchart"),
]


@pytest.mark.parametrize(("changes", "expected"), CASES)
def test_invalid_flowchart_is_reported_exactly(make_project: MakeProject, changes: dict[str, str | None],
                                               expected: list[str]) -> None:
    assert problems_of(make_project(changes)) == expected


def test_policy_text_gets_a_mark_where_the_flowchart_goes(make_project: MakeProject) -> None:
    school = rendered(make_project, chart())
    assert MARK.format(id="worried") in school.policies[0].markdown
    assert [view.id for view in school.policies[0].flowcharts] == ["worried"]


def test_labels_use_the_schools_facts(make_project: MakeProject) -> None:
    view = view_of(rendered(make_project, chart()))
    assert view.box("record").label == "Tell Dana Safe the same day"
    police = view.box("police")
    assert police.contact is not None and police.contact_lines() == ["Dana Safe", "Phone 01632 960002"]


def test_a_node_whose_condition_fails_is_left_out_and_bypassed(make_project: MakeProject) -> None:
    view = view_of(rendered(make_project, chart()))  # Alpha has no nursery
    assert "nursery" not in [box.id for box in view.boxes]
    assert [(a.source, a.to, a.label) for a in view.exits("danger")] == [("danger", "police", "Yes"),
                                                                        ("danger", "record", "No")]


def test_a_node_whose_condition_holds_is_kept(make_project: MakeProject) -> None:
    changes = {**chart(), ALPHA: SCHOOL.replace("phase: primary", "phase: primary\nnursery: true")}
    view = view_of(rendered(make_project, changes))
    assert [(a.source, a.to) for a in view.exits("danger")] == [("danger", "police"), ("danger", "nursery")]


def test_text_alternative_nests_branches_and_continues_where_they_meet(make_project: MakeProject) -> None:
    words = re.sub(r"<[^>]+>", "|", text_alternative(view_of(rendered(make_project, chart()))))
    steps = [part for part in words.split("|") if part.strip()]
    assert steps == ["You are worried about a child", "Is the child in immediate danger?", "Yes:",
                     "Ring ", "999", ", then tell the DSL (Dana Safe, phone ", "01632 960002", ")", "No:",
                     "Tell Dana Safe the same day", "The DSL decides what happens next"]
    outline = text_alternative(view_of(rendered(make_project, chart())))
    assert outline.count("<ol") == 3  # the steps, and one list under each branch
    assert outline.endswith('<li id="flow-worried-decides">The DSL decides what happens next</li></ol>')


def test_numbers_in_the_steps_in_words_are_links(make_project: MakeProject) -> None:
    outline = text_alternative(view_of(rendered(make_project, chart())))
    assert '<li id="flow-worried-police">Ring <a href="tel:999">999</a>, then tell the DSL (Dana Safe, phone ' \
           '<a href="tel:01632960002">01632 960002</a>)</li>' in outline


def test_the_svg_is_one_named_group_whose_only_announced_words_are_its_phone_links(
        make_project: MakeProject, tmp_path: Path) -> None:
    """Links inside role=img are hidden from assistive technology (axe: nested-interactive), so the
    picture is a named group; every word but the phone links is aria-hidden (the steps in words
    below the picture say them once)."""
    svg = diagram.draw(view_of(rendered(make_project, chart())), tmp_path / "cache")
    root = ET.fromstring(svg)
    assert root.get("role") == "group"
    assert root.get("aria-labelledby") == "flowchart-worried-title flowchart-worried-desc"
    assert [child.tag for child in root][:2] == [f"{SVG_NS}title", f"{SVG_NS}desc"]
    assert root[0].text == "If you are worried"
    assert len(root.findall(f".//{SVG_NS}title")) == 1  # Graphviz's per-box titles are gone
    assert {el.get("id") for el in root.iter() if el.get("id")} == {"flowchart-worried-title",
                                                                    "flowchart-worried-desc"}
    texts = " ".join("".join(t.itertext()) for t in root.iter(f"{SVG_NS}text"))
    assert "Dana Safe" in texts and "Phone 01632 960002" in texts and "Ring 999, then tell the" in texts
    links = [(a.get("href"), a.get("aria-label"), "".join(a.itertext())) for a in root.iter(f"{SVG_NS}a")]
    assert links == [("tel:999", "999 (Ring 999, then tell the DSL)", "999"),
                     ("tel:01632960002", "01632 960002 (phone, Dana Safe)", "01632 960002")]
    for text in root.iter(f"{SVG_NS}text"):
        if text.find(f"{SVG_NS}a") is None:
            assert text.get("aria-hidden") == "true", "".join(text.itertext())
        else:  # the words around a link are hidden, the link is not
            assert [c.get("aria-hidden") for c in text if c.tag == f"{SVG_NS}tspan"] == ["true"] * sum(
                1 for c in text if c.tag == f"{SVG_NS}tspan")
    assert 'fill="white"' not in svg  # a transparent background: the page's scroll shadows show through


def test_decisions_look_different_from_steps(make_project: MakeProject) -> None:
    dot = diagram.dot_source(view_of(rendered(make_project, chart())))
    assert re.search(r"danger \[label=<<B>Is the child in</B><BR/><B>immediate danger\?</B>>[^\]]*shape=hexagon", dot)
    assert re.search(r"worried \[label=<You are worried about<BR/>a child>[^\]]*shape=box", dot)


def test_each_drawing_is_cached_by_content(make_project: MakeProject, tmp_path: Path,
                                          monkeypatch: pytest.MonkeyPatch) -> None:
    view = view_of(rendered(make_project, chart()))
    first = diagram.draw(view, tmp_path / "cache")
    assert len(list((tmp_path / "cache").glob("*.svg"))) == 1

    def no_graphviz(*_args: object, **_kwargs: object) -> None:
        raise AssertionError("Graphviz ran for a drawing already in the cache")

    monkeypatch.setattr("policypress.outputs.diagrams.graphviz.Source", no_graphviz)
    assert diagram.draw(view, tmp_path / "cache") == first


def test_a_chart_too_big_to_print_at_9pt_is_an_input_error(make_project: MakeProject, tmp_path: Path) -> None:
    long_steps = "".join(f"  step{n}:\n    kind: step\n    label: Step number {n} of a very long procedure\n"
                         for n in range(40))
    arrows = "".join(f"  - {{from: step{n}, to: step{n + 1}}}\n" for n in range(39))
    text = (f"title: Long\ndescription: Too long.\nstart: step0\nnodes:\n{long_steps}edges:\n{arrows}")
    policy = POLICY_WITH_CHART.replace('flowchart("worried")', 'flowchart("long")')
    school = rendered(make_project, {"content/flowcharts/long.yml": text, SAFEGUARDING: policy})
    with pytest.raises(SourceErrors) as caught:
        diagram.draw_schools([school], tmp_path / "cache")
    [problem] = caught.value.problems
    assert str(problem).startswith("content/flowcharts/long.yml:1: the flowchart is too big for an A4 page at "
                                   "Alpha Primary School: its text would print at ")
    assert str(problem).endswith("below 9 pt — shorten the longest labels, split a decision with many exits, "
                                 "or split the chart in two")


def test_the_readme_example_is_a_valid_flowchart(make_project: MakeProject) -> None:
    readme = (Path(__file__).resolve().parent.parent / "README.md").read_text(encoding="utf-8")
    section = readme[readme.index("### Flowcharts"):]
    example = section[section.index("```yaml\n") + 8:section.index("```\n", section.index("```yaml"))]
    policy = POLICY_WITH_CHART.replace('flowchart("worried")', 'flowchart("worried-about-a-child")')
    school = rendered(make_project, {"content/flowcharts/worried-about-a-child.yml": example, SAFEGUARDING: policy})
    view = view_of(school)
    assert [box.id for box in view.boxes] == ["worried", "danger", "ring-999", "tell-dsl", "decides"]
    assert view.box("tell-dsl").label == "Tell Dana Safe the same day"


def _luminance(colour: str) -> float:
    channels = [int(colour[i:i + 2], 16) / 255 for i in (1, 3, 5)]
    linear = [c / 12.92 if c <= 0.03928 else ((c + 0.055) / 1.055) ** 2.4 for c in channels]
    return 0.2126 * linear[0] + 0.7152 * linear[1] + 0.0722 * linear[2]


def _contrast(one: str, other: str) -> float:
    light, dark = sorted((_luminance(one), _luminance(other)), reverse=True)
    return (light + 0.05) / (dark + 0.05)


def test_box_colours_keep_text_readable_and_borders_visible() -> None:
    for kind, style in diagram.BOXES.items():
        assert _contrast(diagram.INK, style["fillcolor"]) >= 7.0, kind  # text: AAA, not just AA
        assert _contrast(diagram.INK, "#ffffff") >= 3.0  # borders and arrows on the white page
    fills = [style["fillcolor"] for style in diagram.BOXES.values()]
    shapes = [(style["shape"], style["style"], style.get("peripheries")) for style in diagram.BOXES.values()]
    assert len(set(fills)) == len(fills) and len(set(shapes)) == len(shapes)  # kinds differ without colour too


def test_the_picture_has_no_namespace_prefixes_after_weasyprint_is_loaded(make_project: MakeProject,
                                                                           tmp_path: Path) -> None:
    """WeasyPrint registers XML prefixes for the whole process; the SVG must not pick them up."""
    import weasyprint.pdf.metadata  # noqa: F401 — the import registers its prefixes

    view = view_of(rendered(make_project, {CHART: FLOWCHART, SAFEGUARDING: POLICY_WITH_CHART}))
    svg = diagram.draw(view, tmp_path / "cache")
    assert svg.startswith("<svg ") and "ns0:" not in svg and "<svg:" not in svg
