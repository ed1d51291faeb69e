"""The "Statutory information" page of each school's site and the dashboard's "What each school publishes online".

One small tree, built once for the module on a fixed day (SOURCE_DATE_EPOCH), shows every standing:
a requirement met by a policy on the site, one met by a document on the school's own website, one out
of date (a policy and a document), one only in draft, one missing, and one that does not apply.
"""

from __future__ import annotations

import html
import json
import os
import re
import subprocess
from collections.abc import Iterator
from pathlib import Path

import pytest
from playwright.sync_api import Browser, Page, ViewportSize

from browser import axe_violations, serve_folder
from conftest import POLICY, SCHOOL, minimal_tree, write_tree
from policypress.checks.review_reports import write_review_reports
from policypress.compose.load import load_project
from policypress.compose.render import render_project
from policypress.core.dates import build_today
from policypress.outputs.pages import navigation, school_pages, site_environment
from policypress.outputs.statutory_page import school_words
from tree_tools import POLICYPRESS

PHONE: ViewportSize = {"width": 390, "height": 844}
BUILD_DAY = "1796083200"  # 1 December 2026
OFFICE_TEL = "tel:01632960000"

PUBLISHING = """\
requirements:
  child-protection-policy:
    what: Child protection and safeguarding policy
    should: [maintained, academy, free_school]
    update_every: annually
    basis: Keeping children safe in education
    registry: kcsie
  behaviour-policy:
    what: Behaviour policy
    must: [maintained, academy, free_school]
    update_every: annually
    basis: School Information (England) Regulations 2008
    registry: kcsie
  complaints-procedure:
    what: Complaints procedure
    must: [maintained, academy, free_school]
    update_every: annually
    basis: Education Act 2002
    registry: kcsie
  admission-arrangements:
    what: Admission arrangements
    must: [maintained, academy, free_school]
    update_every: annually
    when: by 15 March each year
    basis: School Admissions Code
    registry: kcsie
  pupil-premium-statement:
    what: Pupil premium strategy statement
    must: [maintained, academy, free_school]
    update_every: annually
    basis: the conditions of grant
    registry: kcsie
  curriculum:
    what: "Curriculum <script>alert(1)</script> *for* [each](x) year"
    must: [maintained, academy, free_school]
    basis: School Information (England) Regulations 2008
    registry: kcsie
  sixth-form-results:
    what: Sixth form results
    must: [academy]
    only: {sixth_form: true}
    basis: the funding agreement
    registry: kcsie
  charging:
    what: Charging and remissions policy
    must: [maintained]
    should: [academy, free_school]
    update_every: every_4_years
    basis: Education Act 1996
    registry: kcsie
"""

SCHOOL_EXTRA = """\
  behaviour: {}
  complaints:
    approvals:
      - {date: 2024-01-10, by: full_governing_body, version: "1.0"}
kind: academy
published_elsewhere:
  admission-arrangements:
    title: "Admissions <script>alert(2)</script> for *2027* [to] 2028"
    url: https://alpha.example.org/admissions?year=2027&x=<b>
    updated: 2026-03-01
  pupil-premium-statement:
    url: https://alpha.example.org/pupil-premium
    updated: 2024-12-01
"""


def policy(title: str, meets: str) -> str:
    return (f"---\ntitle: {title}\nsummary: What we do.\ncategory: Pupils\nstatutory: true\n"
            f"approver: full_governing_body\nreview_cycle: annually\nowner: headteacher\nmeets: [{meets}]\n"
            f"audience: [public, staff]\n---\nWords about {title.lower()}.\n")


def statutory_tree() -> dict[str, str]:
    files = minimal_tree()
    files["content/publishing.yml"] = PUBLISHING
    files["content/policies/safeguarding.md"] = POLICY.replace("audience:", "meets: [child-protection-policy]\n"
                                                               "audience:")
    files["content/policies/behaviour.md"] = policy("Behaviour policy", "behaviour-policy")
    files["content/policies/complaints.md"] = policy("Complaints policy", "complaints-procedure")
    files["schools/test-trust/alpha.yml"] = SCHOOL + SCHOOL_EXTRA
    return files


def build(root: Path, out: Path) -> Path:
    result = subprocess.run([*POLICYPRESS, "--root", str(root), "build", "--out", str(out)], capture_output=True,
                            text=True, timeout=300, check=False, env={**os.environ, "SOURCE_DATE_EPOCH": BUILD_DAY})
    assert result.returncode == 0, result.stderr
    return out


@pytest.fixture(scope="module")
def source(tmp_path_factory: pytest.TempPathFactory) -> Path:
    return write_tree(tmp_path_factory.mktemp("statutory"), statutory_tree())


@pytest.fixture(scope="module")
def built(source: Path, tmp_path_factory: pytest.TempPathFactory) -> Path:
    """The tree built once: build/ with site/ and reports/."""
    return build(source, tmp_path_factory.mktemp("out"))


def page_html(built: Path) -> str:
    return (built / "site" / "alpha" / "statutory-information.html").read_text(encoding="utf-8")


def item(built: Path, req_id: str) -> str:
    """The HTML of one requirement's card on the page."""
    found = re.search(rf'<div class="statutory-item[^"]*">\s*<h3 id="{req_id}".*?</div>', page_html(built), re.S)
    assert found, f"no card for {req_id}"
    return found.group(0)


def hrefs(fragment: str) -> list[str]:
    return [html.unescape(h) for h in re.findall(r'href="([^"]*)"', fragment)]


def words(fragment: str) -> str:
    """The fragment's text as a reader sees it."""
    text = " ".join(html.unescape(re.sub(r"<[^>]+>", " ", fragment.replace("<wbr />", ""))).split())
    return re.sub(r" ([,.])", r"\1", text)


def test_a_policy_on_the_site_is_linked_with_its_pdf_and_approval(built: Path) -> None:
    card = item(built, "child-protection-policy")
    assert "statutory-item--met" in card
    assert "Safeguarding policy, approved 10 September 2026" in words(card)
    assert hrefs(card)[:2] == ["policies/safeguarding.html", "pdf/safeguarding.pdf"]
    site = built / "site" / "alpha"
    assert (site / "policies" / "safeguarding.html").is_file() and (site / "pdf" / "safeguarding.pdf").is_file()
    assert "Updated every year." in words(card)


def test_a_document_elsewhere_is_linked_with_its_title_and_date(built: Path) -> None:
    card = item(built, "admission-arrangements")
    assert "statutory-item--elsewhere" in card
    assert hrefs(card) == ["https://alpha.example.org/admissions?year=2027&x=%3Cb%3E"]
    assert "On the school's website: Admissions <script>alert(2)</script> for *2027* [to] 2028, updated 1 March 2026" \
        in words(card)
    assert "Updated every year, by 15 March each year." in words(card)


def test_missing_says_so_and_gives_the_office(built: Path) -> None:
    card = item(built, "charging")
    assert "Not yet published online — ask the school office for a copy: 01632 960000 or office@alpha.example.org" \
        in words(card)
    assert hrefs(card) == [OFFICE_TEL, "mailto:office@alpha.example.org"]
    assert "Updated every 4 years." in words(card)


def test_a_draft_is_being_prepared_and_not_linked(built: Path) -> None:
    card = item(built, "behaviour-policy")
    assert "Being prepared (not yet approved)" in words(card)
    assert "policies/behaviour.html" not in card and OFFICE_TEL in hrefs(card)


def test_out_of_date_is_marked_with_the_date_it_was_due(built: Path) -> None:
    by_policy, by_document = item(built, "complaints-procedure"), item(built, "pupil-premium-statement")
    for card, due in ((by_policy, "10 January 2025"), (by_document, "1 December 2025")):
        assert '<span class="overdue-mark">Out of date</span>' in card
        assert f"It was due to be updated by {due}." in words(card)
    assert "policies/complaints.html" in hrefs(by_policy)
    assert hrefs(by_document) == ["https://alpha.example.org/pupil-premium"]


def test_groups_order_and_what_does_not_apply(built: Path) -> None:
    text = page_html(built)
    ids = re.findall(r'<h[23] id="([^"]+)"', text)
    assert ids[ids.index("required"):] == ["required", "behaviour-policy", "complaints-procedure",
                                           "admission-arrangements", "pupil-premium-statement", "curriculum",
                                           "recommended", "child-protection-policy", "charging"]
    assert "Sixth form results" not in text  # the school has no sixth form
    assert "paper copy" in words(text) and "free of charge" in words(text)


def test_facts_print_as_text(built: Path) -> None:
    text = page_html(built)
    article = re.search(r"<article.*?</article>", text, re.S)
    assert article and "<script" not in article.group(0)
    assert "Curriculum &lt;script&gt;alert(1)&lt;/script&gt; *for* [each](x) year" in text
    assert "<em>for</em>" not in text and 'href="x"' not in text and "<em>2027</em>" not in text


def test_the_page_is_in_the_nav_on_the_home_page_and_in_search(built: Path) -> None:
    site = built / "site" / "alpha"
    home = (site / "index.html").read_text(encoding="utf-8")
    assert home.count('href="statutory-information.html"') >= 2  # the menu and the line under "About"
    assert "<title>Statutory information" in page_html(built)
    index = json.loads((site / "search" / "search_index.json").read_text(encoding="utf-8"))
    assert any(d["location"].startswith("statutory-information.html") and "Pupil premium" in d["title"] + d["text"]
               for d in index["docs"])


def test_the_dashboard_has_a_row_per_school(built: Path) -> None:
    report = (built / "reports" / "reviews.html").read_text(encoding="utf-8")
    section = report.split('id="publishing"', 1)[1]
    assert '<a href="../site/alpha/statutory-information.html">Alpha Primary School</a>' in section
    assert (built / "reports" / "../site/alpha/statutory-information.html").resolve().is_file()
    text = words(section)
    assert "Primary academy" in text and "2 of 7 met" in text
    for said in ("Required, out of date: Complaints procedure (since 10 January 2025); Pupil premium strategy "
                 "statement (since 1 December 2025).",
                 "Required, not yet approved: Behaviour policy.",
                 "Required, missing: Curriculum <script>alert(1)</script> *for* [each](x) year.",
                 "Recommended, missing: Charging and remissions policy.",
                 "On the school's own website: Admission arrangements."):
        assert said in text
    assert text.index("Required, missing") < text.index("Recommended, missing")
    assert "Child protection" not in text  # met on the site: nothing to do
    assert "<script>alert" not in section


def test_same_source_same_bytes(source: Path, built: Path, tmp_path: Path) -> None:
    again = build(source, tmp_path / "again")
    for rel in ("site/alpha/statutory-information.html", "reports/reviews.html", "site/alpha/search/search_index.json"):
        assert (again / rel).read_bytes() == (built / rel).read_bytes(), rel


def test_no_requirements_file_no_page(tmp_path: Path) -> None:
    project = load_project(write_tree(tmp_path / "plain", minimal_tree()))
    school = render_project(project)[0]
    pages = school_pages(site_environment(project.root / "templates"), school)
    assert "statutory-information.md" not in pages and "statutory-information.md" not in pages["index.md"]
    assert "statutory-information.md" not in json.dumps(navigation(school))
    write_review_reports(tmp_path / "reports", project.root / "templates", [school], build_today(), 60)
    assert "What each school publishes online" not in (tmp_path / "reports" / "reviews.html").read_text()


@pytest.fixture(scope="module")
def served_build(built: Path) -> Iterator[str]:
    with serve_folder(built) as base:
        yield base


@pytest.fixture
def phone(browser: Browser) -> Iterator[Page]:
    page = browser.new_page(viewport=PHONE)
    yield page
    page.close()


@pytest.mark.browser
def test_on_a_phone_the_page_fits_passes_axe_and_its_links_work(phone: Page, served_build: str) -> None:
    phone.goto(f"{served_build}/site/alpha/statutory-information.html")
    assert phone.evaluate("document.documentElement.scrollWidth") <= PHONE["width"]
    assert axe_violations(phone) == []
    phone.locator("#complaints-procedure ~ p a", has_text="Complaints policy").click()
    phone.wait_for_url("**/policies/complaints.html")
    assert phone.locator("h1").first.inner_text().startswith("Complaints policy")


@pytest.mark.browser
def test_on_a_phone_the_dashboard_section_fits_and_passes_axe(phone: Page, served_build: str) -> None:
    phone.goto(f"{served_build}/reports/reviews.html")
    assert phone.evaluate("document.documentElement.scrollWidth") <= PHONE["width"]
    assert phone.locator("#publishing").is_visible()
    assert axe_violations(phone) == []
    phone.locator("#publishing a", has_text="Alpha Primary School").click()
    phone.wait_for_url("**/site/alpha/statutory-information.html")
    assert phone.locator("h1").first.inner_text() == "Statutory information"


def test_kind_and_phase_in_words(source: Path) -> None:
    school = load_project(source).schools["alpha"].source.model
    assert school_words(school) == "Primary academy"
    assert school_words(school.model_copy(update={"kind": "maintained", "nursery": True})) == (
        "Maintained primary school with a nursery")
    assert school_words(school.model_copy(update={"kind": "free_school", "phase": "secondary", "sixth_form": True})) \
        == "Secondary free school with a sixth form"
