"""read_word_file: the three real Word files (read from ../shared/reference/word at test time) against
what a person wrote down by reading them, and small generated files for every kind of structure and
every file that cannot be read."""

from __future__ import annotations

import re
from collections import Counter
from pathlib import Path

import pytest

import word_fixtures as wf
from conftest import reference_folder
from policypress.core.errors import SourceErrors
from policypress.importer.document import Block, WordDocument
from policypress.importer.docx_reader import read_word_file


def reference(name: str) -> WordDocument:
    return read_word_file(reference_folder("word") / name)


def headings(document: WordDocument) -> list[tuple[int, str, str]]:
    return [(b.level, b.number, b.text) for b in document.blocks if b.kind == "heading"]


def tables(document: WordDocument) -> list[Block]:
    return [b for b in document.blocks if b.kind == "table"]


def links(document: WordDocument) -> list[str]:
    texts = [t for b in document.blocks for t in (b.text, *(cell for row in b.rows for cell in row))]
    return [address for text in texts for address in re.findall(r"\]\(([^)]*)\)", text)]


# 000: the trust's anti-bullying policy. Heading styles (Title, Heading 1-3) with numbers typed into them,
# a document-control table, a contents list typed under a bold "Contents" line, four appendices.
ANTI_BULLYING_SECTIONS = [
    "Introduction", "Aims", "Purpose", "Intended Outcomes", "Bullying definition and additional information",
    "Roles and Responsibilities", "Preventing and Tackling Bullying", "Safeguarding",
    "Special Educational Needs and Disabilities (SEND)", "Pupil Voice", "Monitoring and recording of incidents",
    "Links to guidance", "Review of Policy",
]


def test_anti_bullying_headings_levels_and_numbers() -> None:
    found = headings(reference("000.docx"))
    assert found[0] == (1, "", "Anti-Bullying Policy")
    numbered_sections = [(level, number, text) for level, number, text in found if re.fullmatch(r"\d+\.", number)]
    assert numbered_sections == [(2, f"{i}.", text) for i, text in enumerate(ANTI_BULLYING_SECTIONS, start=1)]
    subsections = [number for level, number, _ in found if level == 3 and number]
    assert subsections == ["5.1.", "5.2.", "5.3.", "5.4.", "6.1.", "6.2.", "6.3.", "6.4.", "6.5.", "6.6."]
    assert (4, "", "Staff") in found
    appendices = [text.split(":")[0] for level, _, text in found if text.startswith("Appendix")]
    assert appendices == ["Appendix A", "Appendix B", "Appendix C", "Appendix D"]
    assert all(level == 2 for level, _, text in found if text.startswith("Appendix"))
    assert len(found) == 31
    assert Counter(level for level, _, _ in found) == {1: 1, 2: 17, 3: 12, 4: 1}


def test_anti_bullying_contents_list_and_bold_lines_are_not_headings() -> None:
    document = reference("000.docx")
    removed = Counter(what for what, _ in document.removed)
    assert removed["contents list"] == 32  # the "Contents" line and its 31 entries
    texts = [b.text for b in document.blocks]
    assert not any(text.rstrip().endswith("\t3") for text in texts)
    heading_texts = [text for _, _, text in headings(document)]
    assert "Contents" not in heading_texts
    assert not any(text.startswith("Last reviewed") for text in heading_texts)  # a 'Label: value' line
    assert "Anti-Bullying Alliance" not in heading_texts  # a quotation's attribution
    assert document.header_text == ("Cambrian Learning Trust",)


def test_anti_bullying_tables_lists_and_links() -> None:
    document = reference("000.docx")
    found = tables(document)
    assert [len(t.rows) for t in found] == [4, 5, 4, 2, 4]
    assert [t.header for t in found] == [True, False, False, True, True]
    assert found[0].rows[0][1:] == ("", "", "")  # "Document Control" spans the four columns
    assert "Document Control" in found[0].rows[0][0]
    items = [b for b in document.blocks if b.kind == "list_item"]
    assert len(items) > 120 and not any(b.text.startswith(("·", "•")) for b in items)
    assert len(links(document)) == 3 and all(address.startswith("http") for address in links(document))


# 002: the infant school's behaviour policy: no heading styles at all; headings are bold lines, the
# routines under "Routines" are bold typed bullets; a change log first; forms in tables at the end.
BEHAVIOUR_FIRST_HEADINGS = [
    "Introduction", "Standards", "Positive reinforcement", "Logical Consequences",
    "More Serious Behavioural Incidents",
]
BEHAVIOUR_ROUTINES = [
    "Calm starts", "Stopping and listening", "Lining up", "Signalling the end of lunchtime and playtime",
    "Playtime", "Lunchtime", "Assembly", "End of assembly", "Calming strategies",
]


def test_behaviour_bold_paragraphs_are_headings() -> None:
    found = headings(reference("002.docx"))
    assert [text for _, _, text in found[:5]] == BEHAVIOUR_FIRST_HEADINGS
    assert [text for level, _, text in found if level == 3] == BEHAVIOUR_ROUTINES
    assert Counter(level for level, _, _ in found) == {2: 26, 3: 9}
    assert [text.split(" – ")[0] for _, _, text in found[-3:]] == ["Appendix 1", "Appendix 2", "Appendix 3"]
    assert "What is Bullying?" in [text for _, _, text in found]
    assert not any("Everyone stop" in text for _, _, text in found)  # bold lines with line breaks


def test_behaviour_tables_typed_bullets_numbers_and_picture() -> None:
    document = reference("002.docx")
    found = tables(document)
    assert [(len(t.rows), len(t.rows[0])) for t in found] == [(2, 5), (7, 2), (2, 2), (15, 2)]
    assert [t.header for t in found] == [True, False, True, False]
    items = [b for b in document.blocks if b.kind == "list_item"]
    assert sum(1 for b in items if not b.ordered) > 50
    ordered = [b.number for b in items if b.ordered]
    assert ordered[:5] == ["1.", "2.", "3.", "4.", "5."]
    assert not any(b.text.startswith(("·", "•", "1.")) for b in items)
    pictures = [b.picture for b in document.blocks if b.picture is not None]
    assert len(pictures) == 1 and pictures[0].content_type == "image/png" and pictures[0].alt
    assert len(links(document)) == 1 and "sharepoint.com" in links(document)[0]
    assert document.header_text == ("Alvaston Infant & Nursery School",)


# 003: the first school's safeguarding policy: Heading 1 for sections and parts, Heading 2 with typed
# numbers ("1.3.2"), bold lines as subheadings under them, two key-personnel tables, 18 links (most mailto:).


def test_safeguarding_headings() -> None:
    found = headings(reference("003.docx"))
    assert len(found) == 107
    assert Counter(level for level, _, _ in found) == {2: 8, 3: 85, 4: 14}
    parts = [text.split(" ")[:2] for level, _, text in found if level == 2]
    assert [" ".join(p) for p in parts] == [
        "Section 1", "Section 2", "Section 3", "Part 1", "Part 2", "Part 3.", "Part 4", "Annex A",
    ]
    numbers = [number for _, number, _ in found if number]
    assert numbers[:4] == ["1.0", "1.11", "1.12", "1.13"] and "4.2.9" in numbers and len(numbers) == 72
    assert (3, "1.22", "Mental Health") in found  # "1.22 - Mental Health": the dash goes with the number
    assert (4, "", "Background") in found  # a bold line under a Heading 2
    assert not any(text == "" for _, _, text in found)  # an empty Heading 2 paragraph is set aside


def test_safeguarding_tables_and_links() -> None:
    document = reference("003.docx")
    found = tables(document)
    assert [(len(t.rows), len(t.rows[0]), t.header) for t in found] == [(7, 2, False), (7, 2, True)]
    found_links = links(document)
    assert len(found_links) == 18
    assert sum(address.startswith("mailto:") for address in found_links) == 9
    assert document.footer_text and document.header_text == ("Westlands First School & Nursery",)
    assert Counter(what.split()[0] for what, _ in document.removed)["bookmark"] > 50


def test_reference_places_count_blocks_and_name_the_heading() -> None:
    document = reference("000.docx")
    assert [b.place.paragraph for b in document.blocks] == list(range(1, len(document.blocks) + 1))
    types = next(b for b in document.blocks if b.kind == "heading" and b.number == "5.2.")
    after = document.blocks[types.place.paragraph]
    assert after.place.heading == "Types of bullying" and 0 < len(after.place.context) <= 80


# Small generated files


def read(document: wf.Document, tmp_path: Path, footnotes: dict[str, str] | None = None) -> WordDocument:
    return read_word_file(wf.save(document, tmp_path / "policy.docx", footnotes))


def test_each_kind_of_heading_and_its_level(tmp_path: Path) -> None:
    document = wf.new_document()
    wf.add_styled_heading(document, "Attendance Policy", 0)
    wf.add_styled_heading(document, "1. Aims", 1)
    wf.add_paragraph(document, "We want every pupil here every day.")
    wf.add_styled_heading(document, "1.1 Who this covers", 2)
    wf.add_bold_paragraph(document, "Pupils in the nursery")
    wf.add_paragraph(document, "The nursery has its own times.")
    wf.add_bold_paragraph(document, "This whole sentence is bold and ends with a stop.")
    wf.add_bold_paragraph(document, "Last reviewed: May 2026")
    found = headings(read(document, tmp_path))
    assert found == [
        (1, "", "Attendance Policy"),
        (2, "1.", "Aims"),
        (3, "1.1", "Who this covers"),
        (4, "", "Pupils in the nursery"),
    ]


def test_bold_and_numbered_paragraphs_without_heading_styles(tmp_path: Path) -> None:
    document = wf.new_document()
    wf.add_bold_paragraph(document, "Uniform Policy")
    wf.add_paragraph(document, "Our uniform is simple and affordable.")
    wf.add_bold_paragraph(document, "5. What pupils wear")
    wf.add_paragraph(document, "Pupils wear a green jumper.")
    wf.add_paragraph(document, "5.1. Shoes")
    wf.add_paragraph(document, "Black shoes, not trainers.")
    wf.add_paragraph(document, "1. Pupils who forget their jumper borrow one from the office for the day.")
    found = read(document, tmp_path)
    assert headings(found) == [(1, "", "Uniform Policy"), (2, "5.", "What pupils wear"), (3, "5.1.", "Shoes")]
    step = found.blocks[-1]
    assert (step.kind, step.ordered, step.number) == ("list_item", True, "1.")
    assert step.text.startswith("Pupils who forget")


def test_word_numbering_and_typed_bullets_become_list_items(tmp_path: Path) -> None:
    document = wf.new_document()
    wf.add_word_bullets(document, ["Be kind", "Be ready"])
    wf.add_word_bullets(document, ["Listen", "Speak"], numbered=True)
    wf.add_typed_bullets(document, ["Walk inside"], bullet="·\t")
    wf.add_typed_bullets(document, ["Line up quietly"], bullet="- ")
    wf.add_typed_bullets(document, ["Hold the rail"], bullet="o ", indent_twips=1440)
    wf.add_symbol_bullet(document, "Wash your hands")
    items = [b for b in read(document, tmp_path).blocks if b.kind == "list_item"]
    assert [(b.text, b.ordered, b.level) for b in items] == [
        ("Be kind", False, 0), ("Be ready", False, 0), ("Listen", True, 0), ("Speak", True, 0),
        ("Walk inside", False, 0), ("Line up quietly", False, 0), ("Hold the rail", False, 1),
        ("Wash your hands", False, 0),
    ]


def test_inline_formatting_escapes_and_special_spaces(tmp_path: Path) -> None:
    document = wf.new_document()
    wf.add_paragraph(document, "Staff ", bold="must", italic=" always", after=" report it.")
    wf.add_paragraph(document, "Use *stars* and [brackets] <here> and snake_case\u00a0words\tnow")
    wf.add_paragraph(document, "# not a heading")
    wf.add_paragraph(document, "\u2018Quoted\u2019 words")
    texts = [b.text for b in read(document, tmp_path).blocks]
    assert texts[0] == "Staff **must** *always* report it."
    assert texts[1] == r"Use \*stars\* and \[brackets\] \<here\> and snake\_case words now"
    assert texts[2] == r"\# not a heading"
    assert texts[3] == "\u2018Quoted\u2019 words"


def test_links_external_anchor_and_fields(tmp_path: Path) -> None:
    document = wf.new_document()
    paragraph = wf.add_paragraph(document, "See ")
    wf.add_link(paragraph, "https://www.gov.uk/guidance", "the guidance")
    paragraph = wf.add_paragraph(document, "Read ")
    wf.add_anchor_link(paragraph, "appendix_a", "Appendix A")
    paragraph = wf.add_paragraph(document, "Visit ")
    wf.add_field_link(paragraph, "https://example.org/field", "our page")
    paragraph = wf.add_paragraph(document, "Or ")
    wf.add_simple_field(paragraph, 'HYPERLINK "https://example.org/simple"', "this one")
    texts = [b.text for b in read(document, tmp_path).blocks]
    assert texts == [
        "See [the guidance](https://www.gov.uk/guidance)",
        "Read [Appendix A](#appendix_a)",
        "Visit [our page](https://example.org/field)",
        "Or [this one](https://example.org/simple)",
    ]


def test_tables_merged_cells_and_header_rows(tmp_path: Path) -> None:
    document = wf.new_document()
    table = wf.add_table(document, [["Role", "Name", "Phone"], ["Lead", "Sam Example", "01632 960123"],
                                    ["Deputy", "Alex Example", "01632 960124"]], repeat_header=True)
    table.cell(1, 1).merge(table.cell(1, 2))
    table.cell(1, 0).merge(table.cell(2, 0))
    wf.add_table(document, [["Term", "Dates"], ["Autumn", "September"]], bold_first_row=True)
    wf.add_table(document, [["Term", "Dates"], ["Autumn", "September"]])
    found = tables(read(document, tmp_path))
    assert found[0].header and found[1].header and not found[2].header
    assert found[0].rows[1][1] != "" and found[0].rows[1][2] == ""  # merged across: text in the first cell
    assert found[0].rows[2][0] == ""  # merged down: the covered cell is empty
    assert found[0].rows[1][0].startswith("Lead") and found[0].rows[0] == ("Role", "Name", "Phone")


def test_footnotes(tmp_path: Path) -> None:
    document = wf.new_document()
    paragraph = wf.add_paragraph(document, "As the guidance says")
    wf.add_footnote_reference(paragraph, "7")
    found = read(document, tmp_path, footnotes={"7": "Keeping children safe in education, 2025."})
    assert found.blocks[0].text == "As the guidance says[^1]"
    assert found.footnotes == {"1": "Keeping children safe in education, 2025."}


@pytest.mark.parametrize("make", [wf.add_toc_styled_contents, wf.add_typed_contents, wf.add_contents_field])
def test_contents_lists_are_set_aside(tmp_path: Path, make: object) -> None:
    document = wf.new_document()
    wf.add_styled_heading(document, "Charging Policy", 0)
    make(document, ["Introduction", "Charges", "Remissions"])  # type: ignore[operator]
    wf.add_styled_heading(document, "Introduction", 1)
    wf.add_paragraph(document, "Education in school time is free.")
    found = read(document, tmp_path)
    assert [b.text for b in found.blocks] == ["Charging Policy", "Introduction", "Education in school time is free."]
    assert [what for what, _ in found.removed].count("contents list") >= 3
    place = next(place for what, place in found.removed if what == "contents list")
    assert place.heading == "Charging Policy" and place.paragraph == 2


def test_header_footer_page_breaks_empty_paragraphs_and_bookmarks(tmp_path: Path) -> None:
    document = wf.new_document()
    wf.set_header_and_footer(document, "Hillcrest Primary School", "Attendance Policy | Page")
    first = wf.add_paragraph(document, "Before the break.")
    wf.add_bookmark(first, "start_here")
    wf.add_page_break(document)
    wf.add_paragraph(document, "")
    wf.add_paragraph(document, "After the break.")
    found = read(document, tmp_path)
    assert [b.text for b in found.blocks] == ["Before the break.", "After the break."]
    assert found.header_text == ("Hillcrest Primary School",)
    assert found.footer_text == ("Attendance Policy | Page",)  # the PAGE field's number is left out
    removed = [what for what, _ in found.removed]
    assert "page break" in removed and "empty paragraph" in removed and "bookmark start_here" in removed


def test_pictures_with_and_without_alt_text(tmp_path: Path) -> None:
    document = wf.new_document()
    wf.add_paragraph(document, "Our flowchart:")
    wf.add_picture(document, tmp_path, alt="Flowchart: who to tell about a concern")
    wf.add_picture(document, tmp_path, alt="")
    wf.add_picture(document, tmp_path, alt="", title="Site map")
    pictures = [b.picture for b in read(document, tmp_path).blocks if b.kind == "picture"]
    assert [p.alt for p in pictures if p] == ["Flowchart: who to tell about a concern", "", "Site map"]
    assert all(p and p.data == wf.tiny_png() and p.content_type == "image/png" for p in pictures)


# Files that cannot be read: SourceErrors (exit 2) with what to do, never a traceback


def problem_of(path: Path) -> str:
    with pytest.raises(SourceErrors) as raised:
        read_word_file(path)
    assert raised.value.exit_code == 2 and len(raised.value.problems) == 1
    problem = raised.value.problems[0]
    assert problem.path == str(path)
    return f"{problem.what} — {problem.fix}"


@pytest.mark.parametrize("name", ["policy.doc", "policy.pdf", "policy.odt", "policy.rtf", "policy.txt"])
def test_other_formats_are_refused_with_what_to_do(tmp_path: Path, name: str) -> None:
    path = tmp_path / name
    path.write_bytes(b"anything")
    assert "save it as .docx (Word Document)" in problem_of(path)


def test_corrupt_protected_bodiless_and_broken_files(tmp_path: Path) -> None:
    assert "damaged" in problem_of(wf.write_corrupt(tmp_path / "corrupt.docx"))
    protected = problem_of(wf.write_ole(tmp_path / "protected.docx"))
    assert "password" in protected and "File > Info > Protect Document" in protected
    assert "no document body" in problem_of(wf.write_zip_without_body(tmp_path / "empty.docx"))
    assert "cannot be read" in problem_of(wf.write_broken_body(tmp_path / "broken.docx"))
    assert "cannot be opened" in problem_of(tmp_path / "missing.docx")


def test_a_zip_bomb_is_refused_before_it_is_unpacked(tmp_path: Path) -> None:
    path = wf.save(wf.new_document(), tmp_path / "bomb.docx")
    import zipfile

    with zipfile.ZipFile(path, "a", compression=zipfile.ZIP_DEFLATED) as archive:
        archive.writestr("word/media/huge.bin", bytes(210 * 1024 * 1024))
    assert "more than a policy has" in problem_of(path)
