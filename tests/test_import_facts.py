"""policypress import: a school's names and numbers back into placeholders, registry citations into references,
and the people, numbers and links a person must decide about listed (importer/facts.py, importer/links.py).

Everything runs on the real example project: Hillcrest Primary School, its trust and Westmere's contacts.
"""

from __future__ import annotations

import re
from typing import Any

import pytest

from conftest import REPO
from policypress.checks.citations import CitationFinder
from policypress.checks.links.settings import LinkSettings
from policypress.compose.fact_types import fact_types
from policypress.compose.facts import Facts
from policypress.compose.load import load_project
from policypress.compose.sandbox import make_environment
from policypress.importer.document import Item, Place
from policypress.importer.facts import KnownFacts
from policypress.importer.links import link_problems, references
from policypress.importer.placeholders import cells_to_placeholders, to_placeholders
from policypress.source.project import Project

HILLCREST = "hillcrest-primary"
PLACE = Place(12, "Who to talk to", "")


@pytest.fixture(scope="module")
def project() -> Project:
    return load_project(REPO)


@pytest.fixture(scope="module")
def known(project: Project) -> KnownFacts:
    return KnownFacts.for_school(project, HILLCREST)


@pytest.fixture(scope="module")
def finder(project: Project) -> CitationFinder:
    return CitationFinder(project.registry.model)


def render(project: Project, text: str, school_id: str = HILLCREST) -> str:
    """One line of policy text rendered for a school with the facts policies use (compose/facts.py)."""
    env = make_environment()
    facts = Facts(project, project.schools[school_id], env)
    names: dict[str, Any] = {fact.name: facts.value(fact) for fact in fact_types()}
    return env.from_string(text).render(names)


def convert(text: str, known: KnownFacts) -> str:
    converted, items = to_placeholders(text, PLACE, known)
    assert items == [], [i.what for i in items]
    return converted


# --- known facts become placeholders ------------------------------------------------------------------------

def test_school_trust_and_authority_names_become_placeholders(project: Project, known: KnownFacts) -> None:
    text = ("Hillcrest Primary School is one of the schools of Oakfield Learning Trust, in Westmere Borough Council's "
            "area; we follow the Westmere Safeguarding Children Partnership's procedures.")
    converted = convert(text, known)
    assert converted == ("{{ school.name }} is one of the schools of {{ trust.name }}, in {{ local_authority.name }}'s "
                         "area; we follow the {{ local_authority.safeguarding_partnership }}'s procedures.")
    assert render(project, converted) == text


def test_the_schools_short_name_is_the_school(project: Project, known: KnownFacts) -> None:
    assert convert("Welcome to Hillcrest Primary.", known) == "Welcome to {{ school.name }}."
    # A bare "Hillcrest" is a place (the school's address says so), never the school.
    assert convert("Parking in Hillcrest is limited.", known) == "Parking in Hillcrest is limited."


@pytest.mark.parametrize("phone", ["020 7946 0302", "02079460302", "020-7946-0302", "(020) 7946 0302",
                                   "+44 20 7946 0302", "020\u00a07946\u00a00302"])
def test_the_dsls_phone_is_found_whatever_its_spacing(project: Project, known: KnownFacts, phone: str) -> None:
    converted = convert(f"Call Fatima Begum on {phone}.", known)
    assert converted == 'Call {{ contact("dsl").name }} on {{ contact("dsl").phone }}.'
    assert render(project, converted) == "Call Fatima Begum on 020 7946 0302."


def test_emails_are_found_whatever_their_case(project: Project, known: KnownFacts) -> None:
    converted = convert("Email DSL@Hillcrest.Example.org or k.lowe@hillcrest.example.org.", known)
    assert converted == 'Email {{ contact("dsl").email }} or {{ contact("deputy_dsl").email }}.'
    assert render(project, converted) == "Email dsl@hillcrest.example.org or k.lowe@hillcrest.example.org."


def test_the_local_authoritys_contacts_come_through_the_school(project: Project, known: KnownFacts) -> None:
    text = ("Ring the LADO on 020 7946 0110, or out of hours 020 7946 0199; Kwame Asante is the virtual school head; "
            "the trust's CEO is Dr Priya Raman.")
    converted = convert(text, known)
    assert '{{ contact("lado").phone }}' in converted
    assert '{{ contact("front_door").out_of_hours_phone }}' in converted
    assert '{{ contact("virtual_school").name }}' in converted
    assert '{{ contact("ceo").name }}' in converted
    assert render(project, converted) == text


def test_a_title_before_a_known_name_stays_as_written(project: Project, known: KnownFacts) -> None:
    converted = convert("Mrs Fatima Begum (DSL) and Mr Robert Ainsley, Headteacher.", known)
    assert converted == 'Mrs {{ contact("dsl").name }} (DSL) and Mr {{ contact("headteacher").name }}, Headteacher.'


def test_link_addresses_and_placeholders_are_left_alone(known: KnownFacts) -> None:
    text = ('[Hillcrest Primary School](https://hillcrest.example.org/staff/dsl@hillcrest.example.org) and '
            '{{ contact("office").phone }}')
    assert convert(text, known) == ('[{{ school.name }}](https://hillcrest.example.org/staff/dsl@hillcrest.example.org)'
                                    ' and {{ contact("office").phone }}')
    assert convert("<https://hillcrest.example.org/020-7946-0302>", known) == \
        "<https://hillcrest.example.org/020-7946-0302>"


def test_a_contact_link_whose_words_are_known_becomes_the_placeholder(known: KnownFacts) -> None:
    text = "Email [dsl@hillcrest.example.org](mailto:dsl@hillcrest.example.org) or [020 7946 0303](tel:02079460303)."
    assert convert(text, known) == 'Email {{ contact("dsl").email }} or {{ contact("deputy_dsl").phone }}.'


def test_whole_words_only(known: KnownFacts) -> None:
    text = "Karen Lowestoft and Hillcrest Primary Schools, 020 7946 03021 and xdsl@hillcrest.example.org"
    converted, _items = to_placeholders(text, PLACE, known)
    assert "{{" not in converted


def test_a_trusts_model_knows_the_trust_not_one_schools_authority(project: Project) -> None:
    trust = KnownFacts.for_trust(project, "oakfield-learning-trust")
    converted, _items = to_placeholders("Oakfield Learning Trust: Marcus Ellery, 01632 960201; Westmere "
                                        "Borough Council.", PLACE, trust)
    # Oakfield's schools are in Northshire and Westmere: the council's name is not one fact for all of them.
    assert converted == ('{{ trust.name }}: {{ contact("head_of_inclusion").name }}, '
                         '{{ contact("head_of_inclusion").phone }}; Westmere Borough Council.')
    assert trust.target == "schools/oakfield-learning-trust/trust.yml"


# --- people and numbers the files do not know ----------------------------------------------------------------

def kinds(items: list[Item]) -> list[tuple[str, str]]:
    return [(item.kind, re.search(r'"([^"]+)"', item.what).group(1)) for item in items]  # type: ignore[union-attr]


def test_a_labelled_person_is_listed_with_a_contact_entry(known: KnownFacts) -> None:
    text = "Designated Safeguarding Lead: Rachel Example, 01632 960999, r.example@hillcrest.example.org"
    converted, items = to_placeholders(text, PLACE, known)
    assert converted == text  # kept, so the import is faithful, and listed
    assert kinds(items) == [("unknown-person", "Rachel Example"), ("unknown-phone", "01632 960999"),
                            ("unknown-email", "r.example@hillcrest.example.org")]
    entry = ("contacts: {dsl: {name: Rachel Example, title: Designated safeguarding lead, phone: 01632 960999, "
             "email: r.example@hillcrest.example.org}}")
    assert all(entry in item.fix for item in items)
    assert "schools/oakfield-learning-trust/hillcrest-primary.yml" in items[0].fix
    assert '{{ contact("dsl").name }}' in items[0].fix
    assert all(item.place == PLACE for item in items)


@pytest.mark.parametrize(("text", "name", "role"), [
    ("Mrs Jane Example (Deputy DSL) will cover.", "Mrs Jane Example", "deputy_dsl"),
    ("Please speak to Sam Green (SENCO) first.", "Sam Green", "senco"),
    ("Our headteacher is Tom Brown.", "Tom Brown", "headteacher"),
    ("The Chair of Governors - Ms Ada Lovell", "Ms Ada Lovell", "chair_of_governors"),
    ("Pastoral Manager: Sam Green", "Sam Green", "pastoral_manager"),
    ("Concerns go to Dr Okafor.", "Dr Okafor", "replace_me"),
])
def test_people_next_to_a_role_or_with_a_title(known: KnownFacts, text: str, name: str, role: str) -> None:
    converted, items = to_placeholders(text, PLACE, known)
    assert converted == text
    assert kinds(items) == [("unknown-person", name)]
    assert f"contacts: {{{role}: {{name: {name}, " in items[0].fix


def test_a_key_personnel_row_names_whose_details_they_are(known: KnownFacts) -> None:
    row = ("The Deputy DSLs are...", "Contact details: Paula Example & Pip Sample\nemail: deputies@school.example.org",
           "Telephone: 01632 960777", "Fatima Begum")
    cells, items = cells_to_placeholders(row, PLACE, known)
    assert cells[3] == '{{ contact("dsl").name }}'
    assert sorted(kinds(items)) == [("unknown-email", "deputies@school.example.org"),
                                    ("unknown-person", "Paula Example"), ("unknown-person", "Pip Sample"),
                                    ("unknown-phone", "01632 960777")]
    assert all("contacts: {deputy_dsl: {name: Paula Example, title: Deputy designated safeguarding lead" in item.fix
               for item in items)
    # The same row written as a Markdown table line.
    line, line_items = to_placeholders("| Chair of Governors | Tom Brown | 07700 900123 |", PLACE, known)
    assert line == "| Chair of Governors | Tom Brown | 07700 900123 |"
    assert kinds(line_items) == [("unknown-person", "Tom Brown"), ("unknown-phone", "07700 900123")]
    assert "contacts: {chair_of_governors: {name: Tom Brown, title: Chair of governors, phone: 07700 900123}}" \
        in line_items[0].fix


def test_unknown_numbers_and_emails_anywhere(known: KnownFacts) -> None:
    text = ("Ring the school office on 01632 960500 or the helpline on 0800 123 4567, mobile 07700 900 123, "
            "or email [the team](mailto:team@school.example.org).")
    converted, items = to_placeholders(text, PLACE, known)
    assert converted == text
    assert kinds(items) == [("unknown-phone", "01632 960500"), ("unknown-phone", "0800 123 4567"),
                            ("unknown-phone", "07700 900 123"), ("unknown-email", "team@school.example.org")]
    assert "contacts: {office: {name: replace_me, title: School office, phone: 01632 960500" in items[0].fix


@pytest.mark.parametrize("text", [
    "Keeping Children Safe in Education sets out what All Staff must do.",
    "The Designated Safeguarding Lead is Responsible For the Safeguarding Policy.",
    "The DSL - Training Records are kept in the office.",
    "Staff attend the Westmere Borough Council course on Monday 3 September.",
    "Pupils in Year 6 and Key Stage 2 use the NSPCC PANTS resources and Childline.",
    "Behaviour Policy, Anti-Bullying Policy and Online Safety Policy: see Appendix B.",
    "Source: Psychology Today",
    "The school opened in 1998, has 420 pupils and was inspected on 01.09.2025 (report 0123456).",
    "Dr Barnardo's Homes became Barnardo's, a children's charity.",
    "The headteacher, Deputy Headteacher and Senior Leadership Team meet weekly.",
    "Contact the Local Authority Designated Officer (LADO) within one working day.",
])
def test_ordinary_sentences_list_nothing(known: KnownFacts, text: str) -> None:
    assert to_placeholders(text, PLACE, known)[1] == []


# --- citations ----------------------------------------------------------------------------------------------

def test_a_stale_edition_becomes_the_reference_and_is_reported(project: Project, finder: CitationFinder) -> None:
    text, items = references("Staff read Keeping Children Safe in Education 2023 every year.", PLACE, finder)
    assert text == 'Staff read {{ ref("kcsie") }} every year.'
    assert [item.kind for item in items] == ["stale-citation"]
    assert "2023" in items[0].what and "current edition is 2025" in items[0].what
    assert items[0].place.paragraph == PLACE.paragraph
    assert "Keeping children safe in education (2025)" in render(project, text)


@pytest.mark.parametrize(("line", "expected"), [
    ("All staff follow KCSIE.", 'All staff follow {{ ref("kcsie") }}.'),
    ("Keeping children safe in education (KCSIE) 2025 is statutory guidance.", '{{ ref("kcsie") }} is statutory '
                                                                                 "guidance."),
    ("Read [the guidance](https://www.gov.uk/government/publications/keeping-children-safe-in-education--2).",
     'Read {{ ref("kcsie") }}.'),
    ("See [Keeping Children Safe in Education](https://example.org/copy-of-kcsie.pdf).", 'See {{ ref("kcsie") }}.'),
])
def test_current_or_undated_citations_become_references(finder: CitationFinder, line: str, expected: str) -> None:
    assert references(line, PLACE, finder) == (expected, [])


@pytest.mark.parametrize(("line", "expected"), [
    # The opening quote goes with the closing one the citation took.
    ("in line with \u201cWorking Together to Safeguard Children\u201d 2023, we",
     'in line with {{ ref("working-together") }}, we'),
    # A short name defined in brackets after the title stays as written (it is the same document).
    ("section 26 of the Counter-Terrorism and Security Act 2015 (the CTSA 2015), in",
     'section 26 of the {{ ref("counter-terrorism-security-act-2015") }} (the CTSA 2015), in'),
    ("duties under the Children Acts 1989 and 2004.",
     'duties under the {{ ref("children-act-1989") }} and {{ ref("children-act-2004") }}.'),
    # Words of a title inside a web address are part of the address.
    ("Radicalisation is described in the Revised Prevent Duty Guidance for England and Wales "
     "(https://www.gov.uk/guidance/revised-prevent-duty-guidance-for-england-and-wales).",
     'Radicalisation is described in the {{ ref("prevent-duty") }} '
     "(https://www.gov.uk/guidance/revised-prevent-duty-guidance-for-england-and-wales)."),
])
def test_citations_as_policies_write_them(finder: CitationFinder, line: str, expected: str) -> None:
    assert references(line, PLACE, finder)[0] == expected


def test_a_link_whose_words_are_its_address_is_not_a_citation_of_the_words_in_it(finder: CitationFinder) -> None:
    url = "https://www.example.org/guidance/keeping-children-safe-in-education-2023"
    assert references(f"See [{url}]({url}).", PLACE, finder) == (f"See [{url}]({url}).", [])


def test_a_link_to_an_old_edition_with_its_own_words_is_kept_and_reported(finder: CitationFinder) -> None:
    line = ("See [our summary](https://assets.publishing.service.gov.uk/media/64f0a68ea78c5f000dc6f3b2/"
            "Keeping_children_safe_in_education_2023.pdf).")
    text, items = references(line, PLACE, finder)
    assert text == line
    assert [item.kind for item in items] == ["stale-citation"]


@pytest.mark.parametrize("line", [
    "## Keeping Children Safe in Education 2023",
    "We keep children safe in education every day.",
    "Working together, we make our school a safe place.",
])
def test_headings_and_ordinary_sentences_are_left_alone(finder: CitationFinder, line: str) -> None:
    assert references(line, PLACE, finder) == (line, [])


def test_an_edition_newer_than_the_registry_is_kept_and_reported(finder: CitationFinder) -> None:
    text, items = references("as set out in KCSIE 2031.", PLACE, finder)
    assert text == "as set out in KCSIE 2031."
    assert [item.kind for item in items] == ["newer-edition"]


# --- links that go nowhere or that parents cannot open -------------------------------------------------------

@pytest.mark.parametrize(("link", "kind"), [
    ("[the referral form](#)", "placeholder-link"),
    ("[the referral form]()", "placeholder-link"),
    ("[the referral form](javascript:void(0))", "placeholder-link"),
    ("[the referral form](https://oakfield.sharepoint.com/sites/staff/Shared%20Documents/form.docx)",
     "not-public-link"),
    ("[the referral form](https://oakfield-my.sharepoint.com/personal/dsl/form.docx)", "not-public-link"),
    ("[the referral form](https://onedrive.live.com/?id=ABC123)", "not-public-link"),
    ("[the referral form](file:///S:/Safeguarding/form.docx)", "not-public-link"),
    ("[the referral form](http://intranet/safeguarding/form)", "not-public-link"),
    ("[the referral form](Safeguarding/form.docx)", "not-public-link"),
])
def test_links_parents_cannot_follow_keep_their_words(link: str, kind: str) -> None:
    text, items = link_problems(f"Use {link} to refer.", PLACE, LinkSettings())
    assert text == "Use the referral form to refer."
    assert [item.kind for item in items] == [kind]
    assert '"the referral form"' in items[0].what
    assert items[0].place.paragraph == PLACE.paragraph and items[0].place.heading == PLACE.heading
    assert "the referral form" in items[0].place.context
    if kind == "not-public-link":
        assert "publish" in items[0].fix and "published_elsewhere" in items[0].fix


def test_public_and_contact_links_are_kept() -> None:
    line = "[GOV.UK](https://www.gov.uk/x), [email us](mailto:office@hillcrest.example.org), [x](www.example.org/y)"
    assert link_problems(line, PLACE, LinkSettings()) == (line, [])
