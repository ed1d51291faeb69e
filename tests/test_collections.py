"""Collections: fields declared once, entries at every level with overlays, shown as cards or a table
in the site, the PDF, policies.json and the search index, their links checked at their lines."""

from __future__ import annotations

import html
import json
import subprocess
from collections.abc import Callable
from pathlib import Path

import pytest

from conftest import AUTHORITY, POLICY, minimal_tree, write_tree
from policypress.checks.links.gather import gather_links
from policypress.compose.load import load_project
from policypress.compose.render import render_project
from policypress.core.errors import SourceErrors
from tree_tools import run

MakeProject = Callable[..., Path]
DECLARED = "content/collections/services.yml"
LA_FILE = "schools/local-authorities/northshire/collections/services.yml"
TRUST_FILE = "schools/test-trust/collections/services.yml"
SCHOOL_FILE = "schools/test-trust/alpha/collections/services.yml"

DECLARATION = """\
title: Local services
description: Help near us.
fields:
  - {name: name, required: true}
  - {name: what, type: multiline, required: true, label: What it offers}
  - {name: phone, type: phone, label: Telephone}
  - {name: email, type: email}
  - {name: website, type: url}
  - {name: through, type: contact}
  - {name: languages, type: list, label: Also in}
display:
  columns: [name, phone, website]
entries:
  - id: shared-line
    name: Shared Helpline
    what: A line for every school.
    phone: 01632 960700
"""
LA_ENTRIES = """\
entries:
  - id: family-team
    name: Family Team
    what: Visits at home.
    website: https://family.example.org/team
    through: front_door
  - id: carers
    name: Young Carers Club
    what: Clubs for young carers.
    email: carers@example.org
    languages: [Polish, Urdu]
"""
SHOWS = "\n\n## Services {#services}\n\n{{ directory(\"services\") }}\n"


def with_directory(text: str = SHOWS) -> str:
    return POLICY.rstrip("\n") + "\n" + text


def tree(**files: str | None) -> dict[str, str | None]:
    return {DECLARED: DECLARATION, LA_FILE: LA_ENTRIES, "content/policies/safeguarding.md": with_directory(),
            **{k.replace("__", "/"): v for k, v in files.items()}}


def problems_of(root: Path) -> list[str]:
    with pytest.raises(SourceErrors) as caught:
        render_project(load_project(root))
    return [str(p) for p in caught.value.problems]


def markdown_of(root: Path) -> str:
    return render_project(load_project(root))[0].policies[0].markdown


def test_a_declaration_with_mistakes_reports_each_at_its_line(make_project: MakeProject) -> None:
    declared = ("title: Local services\nfields:\n  - {name: what, type: colour}\n  - {name: what}\n"
                "display:\n  columns: [name, nowhere]\n")
    root = make_project({DECLARED: declared, LA_FILE: None})
    found = problems_of(root)
    assert any(p.startswith(f"{DECLARED}:3: ") and "colour" in p for p in found), found
    declared = declared.replace("type: colour", "type: text")
    found = problems_of(make_project({DECLARED: declared}))
    assert found == [
        f"{DECLARED}:2: the collection has no 'name' field — declare a field 'name' (type text, required): "
        "it heads each card",
        f"{DECLARED}:4: the field 'what' is declared twice — declare each field once",
        f"{DECLARED}:6: 'name' is not a declared field — use one of: what",
        f"{DECLARED}:6: 'nowhere' is not a declared field — use one of: what",
    ]


def test_every_bad_entry_is_reported_at_its_line_in_one_run(make_project: MakeProject) -> None:
    bad = """\
entries:
  - id: one
    name: One
    what: Fine.
    colour: blue
    website: www.example.org
  - id: two
    name: Two
    email: not-an-address
    phone: call us
    languages: {first: Polish}
  - name: Three
    what: No id.
"""
    root = make_project(tree(**{LA_FILE.replace("/", "__"): bad}))
    assert problems_of(root) == [
        f"{LA_FILE}:5: 'colour' is not a field of this collection — use one of: id, name, what, phone, email, "
        "website, through, languages",
        f"{LA_FILE}:6: 'website': 'www.example.org' is not a web address — write the whole address, starting https://",
        f"{LA_FILE}:7: this entry has no 'what', which every entry needs — add 'what:' (multiline)",
        f"{LA_FILE}:9: 'email': 'not-an-address' is not an email address — write it as name@domain, "
        "e.g. office@example.org",
        f"{LA_FILE}:10: 'phone': 'call us' is not a telephone number — write digits and spaces, e.g. 01632 960123",
        f"{LA_FILE}:11: 'languages' should be a list of text — write each item on its own '- ' line under "
        "'languages:'",
        f"{LA_FILE}:12: this entry has no valid id — give it 'id:' in lower-case letters, digits and hyphens, "
        "e.g. family-support",
    ]
    result = run(root, "build", "--no-pdf")
    assert result.returncode == 2 and f"{LA_FILE}:10:" in result.stderr


def test_overlays_add_replace_and_remove_entries_in_order(make_project: MakeProject) -> None:
    trust = "replace:\n  - id: carers\n    name: Carers Together\n    what: The trust's own club.\n"
    school = ("remove: [shared-line]\nentries:\n  - id: our-room\n    name: Our Family Room\n"
              "    what: A weekly drop-in.\n")
    root = make_project(tree(**{TRUST_FILE.replace("/", "__"): trust, SCHOOL_FILE.replace("/", "__"): school}))
    policy = render_project(load_project(root))[0].policies[0]
    (collection, entries), = policy.collections
    assert collection.id == "services"
    assert [(e.id, e.values["name"], e.path) for e in entries] == [
        ("family-team", "Family Team", LA_FILE), ("carers", "Carers Together", TRUST_FILE),
        ("our-room", "Our Family Room", SCHOOL_FILE)]
    assert "Shared Helpline" not in policy.markdown and "Young Carers Club" not in policy.markdown


def test_an_overlay_naming_an_entry_that_is_not_there_is_an_error_at_its_line(make_project: MakeProject) -> None:
    school = ("remove: [nowhere]\nreplace:\n  - id: missing\n    name: M\n    what: W.\n"
              "entries:\n  - id: carers\n    name: Again\n    what: W.\n")
    root = make_project(tree(**{SCHOOL_FILE.replace("/", "__"): school,
                                "schools/test-trust/collections/unknown.yml": "entries: []\n"}))
    assert problems_of(root) == [
        f"{SCHOOL_FILE}:1: there is no entry 'nowhere' to remove — use one of: shared-line, family-team, carers",
        f"{SCHOOL_FILE}:3: there is no entry 'missing' to replace — add it under 'entries:' instead, or use the "
        "id of an entry it replaces",
        f"{SCHOOL_FILE}:7: an entry 'carers' is already there — move it under 'replace:' to change that entry, "
        "or give it another id",
        "schools/test-trust/collections/unknown.yml:1: there is no collection 'unknown' — declare it in "
        "content/collections/unknown.yml, or rename this file",
    ]


def test_cards_are_a_list_in_policy_text_with_every_value_as_text_and_links(make_project: MakeProject) -> None:
    text = markdown_of(make_project(tree()))  # what the PDF, the redline and the pack read
    assert ("- **Family Team**\n\n    **What it offers:** Visits at home.\n\n"
            "    **Website:** [https://family.example.org/team](https://family.example.org/team)\n\n"
            "    **Through:** Children's Front Door, [01632 960100](tel:01632960100), "
            "[frontdoor@northshire.example.org](mailto:frontdoor@northshire.example.org)\n\n") in text
    assert "- **Shared Helpline**\n\n    **What it offers:** A line for every school.\n\n" \
           "    **Telephone:** [01632 960700](tel:01632960700)" in text
    assert "    **Also in:** Polish, Urdu" in text and "<div" not in text


def test_a_table_shows_the_declared_columns(make_project: MakeProject) -> None:
    root = make_project(tree(**{"content__policies__safeguarding.md": with_directory(
        SHOWS.replace('directory("services")', 'directory("services", layout="table")'))}))
    text = markdown_of(root)
    assert "| Name | Telephone | Website |" in text
    assert "| Family Team | — | [https://family.example.org/team](https://family.example.org/team) |" in text
    assert "| Shared Helpline | [01632 960700](tel:01632960700) | — |" in text


def test_a_loop_gets_every_entry_with_its_values_escaped(make_project: MakeProject) -> None:
    loop = ('\n\n## Services {#services}\n\n{% for e in collection("services") %}\n- {{ e.name }}'
            '{% if e.through %} via {{ e.through.name }}{% endif %}\n{% endfor %}\n')
    la = LA_ENTRIES.replace("name: Family Team", "name: Family <b>Team</b> [x](javascript:alert(1))")
    root = make_project(tree(**{"content__policies__safeguarding.md": with_directory(loop),
                                LA_FILE.replace("/", "__"): la}))
    text = markdown_of(root)
    assert "- Shared Helpline\n" in text
    assert "- Family &lt;b&gt;Team&lt;/b&gt; " in text and "via Children's Front Door" in text
    assert "<b>" not in text and "](javascript" not in text


def test_an_unknown_collection_or_role_is_an_error(make_project: MakeProject) -> None:
    root = make_project(tree(**{"content__policies__safeguarding.md": with_directory(SHOWS.replace(
        '"services"', '"servces"'))}))
    assert "there is no collection 'servces' — declare it in content/collections/servces.yml, or use one of: " \
           "services" in problems_of(root)[0]
    root = make_project(tree(**{LA_FILE.replace("/", "__"): LA_ENTRIES.replace("through: front_door",
                                                                               "through: nobody")}))
    assert problems_of(root) == [f"{LA_FILE}:6: 'nobody' is not a contact of Alpha Primary School — use a contact "
                                 "role of the school, its trust or its local authority, e.g. early_help"]


TABLE = '\n## At a glance {#at-a-glance}\n\n{{ directory("services", layout="table") }}\n'
HOSTILE = '<img src=x onerror=alert(1)> & "quotes" {{ 7*7 }}'


@pytest.fixture(scope="module")
def built(tmp_path_factory: pytest.TempPathFactory) -> Path:
    """The minimal project with the collection, built with its PDF."""
    files = {**minimal_tree(), **{k: v for k, v in tree().items() if v is not None}}
    files[LA_FILE] = LA_ENTRIES.replace("what: Clubs for young carers.", f"what: '{HOSTILE}'")
    files["content/policies/safeguarding.md"] = with_directory(SHOWS + TABLE)
    root = write_tree(tmp_path_factory.mktemp("collections"), files)
    result = run(root, "build")
    assert result.returncode == 0, result.stderr
    return root


def test_the_site_shows_cards_and_escapes_a_hostile_value(built: Path) -> None:
    page = (built / "build/site/alpha/policies/safeguarding.html").read_text(encoding="utf-8")
    assert '<div class="grid cards pp-directory" id="directory-services">' in page
    assert '<li id="services-family-team"><p><strong>Family Team</strong></p>' in page
    assert "<p><strong>Through:</strong> Children&#x27;s Front Door, <a href=\"tel:01632960100\">" in page
    table = page.split('id="at-a-glance"')[1].split("</table>")[0]
    assert "<th>Name</th>" in table and "<th>Telephone</th>" in table and "<th>Website</th>" in table
    assert '<td>Shared Helpline</td>' in table and 'href="tel:01632960700"' in table
    assert "<strong>Young Carers Club</strong>" in page
    assert html.escape(HOSTILE) in page
    assert "<img src=x" not in page and "49" not in page.split("Young Carers Club")[1][:400]


def test_the_pdf_shows_the_entries(built: Path) -> None:
    done = subprocess.run(["pdftotext", str(built / "build/site/alpha/pdf/safeguarding.pdf"), "-"],
                          capture_output=True, check=True)
    text = " ".join(done.stdout.decode("utf-8").split())
    for words in ("Family Team", "Young Carers Club", "Shared Helpline", "What it offers: Visits at home.",
                  "Also in: Polish, Urdu", HOSTILE, "Name Telephone Website"):
        assert words in text


def test_policies_json_and_the_search_index_hold_the_entries(built: Path) -> None:
    data = json.loads((built / "build/site/alpha/policies.json").read_text(encoding="utf-8"))
    assert data["policies"][0]["collections"] == ["services"]
    entries = data["collections"]["services"]["entries"]
    assert [e["id"] for e in entries] == ["shared-line", "family-team", "carers"]
    assert entries[1]["through"] == {"role": "front_door", "name": "Children's Front Door", "phone": "01632 960100",
                                     "email": "frontdoor@northshire.example.org", "website": None}
    assert entries[2]["what"] == HOSTILE and entries[2]["languages"] == ["Polish", "Urdu"]
    index = json.loads((built / "build/site/alpha/search/search_index.json").read_text(encoding="utf-8"))
    assert any("Young Carers Club" in doc["text"] for doc in index["docs"])


def test_links_of_entries_and_the_contacts_page_are_checked_at_their_lines(make_project: MakeProject) -> None:
    authority = AUTHORITY.replace("    email: frontdoor@northshire.example.org\n",
                                  "    email: frontdoor@northshire.example.org\n"
                                  "    website: https://frontdoor.example.org\n")
    root = make_project(tree(**{"schools__local-authorities__northshire.yml": authority}))
    places = {(u.url, str(u.place), u.place.policy) for u in gather_links(load_project(root))}
    assert ("https://family.example.org/team", f"{LA_FILE}:5", "safeguarding") in places
    assert ("https://frontdoor.example.org", "schools/local-authorities/northshire.yml:13", None) in places
    assert ("https://procedures.northshire.example.org", "schools/local-authorities/northshire.yml:5", None) in places
    assert ("https://alpha.example.org", "schools/test-trust/alpha.yml:10", None) in places


def test_the_contacts_page_lists_only_the_authority_contacts_policies_use(make_project: MakeProject) -> None:
    root = make_project(tree(**{"content__policies__safeguarding.md": with_directory(
        SHOWS + '\nCall {{ contact("lado").name }}.\n')}))
    result = run(root, "build", "--no-pdf")
    assert result.returncode == 0, result.stderr
    page = (root / "build/site/alpha/contacts.html").read_text(encoding="utf-8")
    local = page.split('id="local-authority"')[1].split('id="national"')[0]
    assert "Local authority designated officer" in local and 'id="la-safeguarding"' in local
    assert "Local services" in local and "policies/safeguarding.html#directory-services" in local
    without = make_project(tree())
    assert run(without, "build", "--no-pdf").returncode == 0
    page = (without / "build/site/alpha/contacts.html").read_text(encoding="utf-8")
    assert "Local authority designated officer" not in page.split('id="local-authority"')[1]
