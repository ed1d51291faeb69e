"""read_word_file: the three real Word files (read from ../shared/reference/word at test time) against
what a person wrote down by reading them, and small generated files for every kind of structure and
every file that cannot be read."""

from __future__ import annotations

import re
from collections import Counter
from pathlib import Path

import pytest
from conftest import reference_folder

import word_fixtures as wf
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
    assert sum(address.startswith("mailto:") for address in found_links) == 8
    assert document.footer_text and document.header_text == ("Westlands First School & Nursery",)
    assert Counter(what.split()[0] for what, _ in document.removed)["bookmark"] > 50


def test_reference_places_count_blocks_and_name_the_heading() -> None:
    document = reference("000.docx")
    assert [b.place.paragraph for b in document.blocks] == list(range(1, len(document.blocks) + 1))
    types = next(b for b in document.blocks if b.kind == "heading" and b.number == "5.2.")
    after = document.blocks[types.place.paragraph]
    assert after.place.heading == "Types of bullying" and 0 < len(after.place.context) <= 80
