"""A parent on a phone finds help first: the built example at 390 px in headless Chromium.

From every school's home page the DSL's number can be tapped without scrolling, 999 is a call
link, and the contacts page is one tap away and opens with "Worried about a child?". Policy
pages open with "In short" (safeguarding ones with the same help), keep document control for
the end, folded, and mark statutory policies and overdue reviews in words.
"""

from __future__ import annotations

import re
from collections.abc import Iterator
from pathlib import Path

import pytest
import yaml
from playwright.sync_api import Browser, Page, ViewportSize

from conftest import REPO

pytestmark = pytest.mark.browser
PHONE: ViewportSize = {"width": 390, "height": 844}
SCHOOL_FILES = sorted(p for p in (REPO / "schools").glob("*/*.yml") if p.name != "trust.yml"
                      and p.parent.name != "local-authorities")


def school_facts(path: Path) -> dict[str, object]:
    facts: dict[str, object] = yaml.safe_load(path.read_text(encoding="utf-8"))
    return facts


def tel(number: str) -> str:
    return "tel:" + re.sub(r"[^0-9+]", "", number)


SCHOOLS = {str(school_facts(p)["id"]): school_facts(p) for p in SCHOOL_FILES}




@pytest.fixture
def phone(browser: Browser) -> Iterator[Page]:
    page = browser.new_page(viewport=PHONE)
    yield page
    page.close()


def on_first_screen(page: Page, selector: str) -> bool:
    """Whether the element is shown, whole, in the first screen of the page (no scrolling)."""
    box = page.locator(selector).first.bounding_box()
    if box is None or not page.locator(selector).first.is_visible():
        return False
    return box["y"] >= 0 and box["y"] + box["height"] <= PHONE["height"]


def contact(school: str, role: str) -> dict[str, str]:
    contacts = SCHOOLS[school]["contacts"]
    assert isinstance(contacts, dict)
    found: dict[str, str] = contacts[role]
    return found


@pytest.mark.parametrize("school", sorted(SCHOOLS))
def test_the_dsl_and_999_can_be_called_from_the_first_screen(school: str, served: str, phone: Page) -> None:
    phone.goto(f"{served}/{school}/index.html", wait_until="networkidle")
    dsl = contact(school, "dsl")
    assert on_first_screen(phone, f'.help-panel a[href="{tel(dsl["phone"])}"]')
    assert on_first_screen(phone, '.help-panel a[href="tel:999"]')
    panel = phone.inner_text(".help-panel")
    assert "Worried about a child?" in panel and dsl["name"] in panel
    assert contact(school, "deputy_dsl")["name"] in panel
    assert phone.locator(f'.help-panel a[href="mailto:{dsl["email"]}"]').count() == 1
    # The panel comes before the list of policies.
    assert phone.evaluate("""() => document.querySelector('.help-panel').compareDocumentPosition(
        document.querySelector('article a[href^="policies/"]')) & Node.DOCUMENT_POSITION_FOLLOWING""")


@pytest.mark.parametrize("school", sorted(SCHOOLS))
def test_the_local_authority_numbers_and_the_office_are_on_the_home_page(school: str, served: str,
                                                                         phone: Page) -> None:
    phone.goto(f"{served}/{school}/index.html", wait_until="networkidle")
    authority = yaml.safe_load((REPO / "schools" / "local-authorities" /
                                f"{SCHOOLS[school]['local_authority']}.yml").read_text(encoding="utf-8"))
    front_door = authority["contacts"]["front_door"]
    for number in (front_door["phone"], front_door["out_of_hours_phone"]):
        assert phone.locator(f'.help-panel a[href="{tel(number)}"]').count() == 1, number
    office = contact(school, "office")
    assert phone.locator(f'article a[href="{tel(office["phone"])}"]').count() >= 1


@pytest.mark.parametrize("school", sorted(SCHOOLS))
def test_contacts_are_one_tap_away_and_start_with_help(school: str, served: str, phone: Page) -> None:
    phone.goto(f"{served}/{school}/index.html", wait_until="networkidle")
    link = 'article a[href^="contacts.html"]'
    assert on_first_screen(phone, link)
    phone.locator(link).first.click()
    phone.wait_for_load_state("networkidle")
    assert phone.url.split("#")[0].endswith(f"/{school}/contacts.html")
    headings = phone.locator("article h2").all_inner_texts()
    assert headings[:3] == ["Worried about a child?", "Making a complaint", "Everything else"]
    first_entry = phone.locator("article h3").first.inner_text()
    assert first_entry == "Designated safeguarding lead (DSL)"
    everything_else = phone.locator("#everything-else ~ h3").first.inner_text()
    assert everything_else == contact(school, "office")["title"]


def test_hours_stand_next_to_the_number_they_belong_to(served: str, phone: Page) -> None:
    phone.goto(f"{served}/hillcrest-primary/contacts.html", wait_until="networkidle")
    text = phone.inner_text("article")
    office = contact("hillcrest-primary", "office")
    assert f"Telephone: {office['phone']} ({office['hours']})" in text


def test_a_safeguarding_policy_opens_with_in_short_and_the_help(served: str, phone: Page) -> None:
    phone.goto(f"{served}/hillcrest-primary/policies/child-protection.html", wait_until="networkidle")
    dsl = contact("hillcrest-primary", "dsl")
    assert on_first_screen(phone, ".in-short .admonition-title")
    assert phone.locator(f'.in-short a[href="{tel(dsl["phone"])}"]').count() == 1
    assert phone.locator('.in-short a[href="tel:999"]').count() == 1
    # Document control is at the end, folded away.
    about = phone.locator("details.about-policy")
    assert about.count() == 1 and about.get_attribute("open") is None
    assert not phone.locator("#document-control").is_visible()
    headings = phone.locator("article h2").all_inner_texts()
    assert headings[-1] == "About this policy"
    about.locator("summary").click()
    assert phone.locator("#document-control").is_visible()


def test_other_policies_say_whom_to_ask(served: str, phone: Page) -> None:
    phone.goto(f"{served}/hillcrest-primary/policies/behaviour.html", wait_until="networkidle")
    in_short = phone.inner_text(".in-short")
    assert "Questions about this policy?" in in_short
    assert phone.locator(".in-short .help-panel").count() == 0
    office = contact("hillcrest-primary", "office")
    assert phone.locator(f'.in-short a[href="{tel(office["phone"])}"]').count() == 1


def test_statutory_policies_are_marked_in_words(served: str, phone: Page) -> None:
    phone.goto(f"{served}/hillcrest-primary/index.html", wait_until="networkidle")
    marked = phone.evaluate("""() => [...document.querySelectorAll('.statutory-mark')]
        .map(mark => mark.parentElement.querySelector('a').textContent)""")
    assert "Child protection and safeguarding policy" in marked and "Anti-bullying policy" not in marked
    phone.goto(f"{served}/hillcrest-primary/policies/complaints.html", wait_until="networkidle")
    assert phone.inner_text(".statutory-mark") == "Statutory"


def test_an_overdue_review_is_a_warning_in_words(served: str, phone: Page) -> None:
    phone.goto(f"{served}/brookside-infant/policies/child-protection.html", wait_until="networkidle")
    warning = phone.locator(".in-short .admonition.warning")
    assert warning.locator(".admonition-title").inner_text() == "Review overdue"
    assert "has not happened yet" in warning.inner_text()
    phone.goto(f"{served}/brookside-infant/index.html", wait_until="networkidle")
    assert "Review overdue" in phone.locator(".overdue-mark").all_inner_texts()
