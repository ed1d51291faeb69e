"""`policypress import` on the constructs real trusts' Word files contain: tracked changes, comments, content
controls, text boxes, odd tables, links, fields and pictures, special characters, huge or deep documents,
broken styles and parts, hostile packages. No input gives a traceback or a hang: what can be imported is
imported (its words kept, or the construct reported as an item); bad input is exit 2 with `file:1: what — fix`.

Each file is python-docx's template with a body of raw WordprocessingML (word_fixtures.write_body_xml)."""

from __future__ import annotations

import json
import time
import zipfile
from pathlib import Path
from typing import Any

import pytest

import word_fixtures as wf
from policypress.importer.docx_reader import MISSING_NOTE, read_word_file
from tree_tools import copy_example, run

P = wf.text_paragraph


@pytest.fixture(scope="module")
def project(tmp_path_factory: pytest.TempPathFactory) -> Path:
    return copy_example(tmp_path_factory.mktemp("odd") / "p")


def imported(project: Path, path: Path) -> dict[str, Any]:
    """Import `path` (dry run) through the real command; exit 0 and no traceback; the report as JSON."""
    result = run(project, "import", str(path), "--trust", "oakfield-learning-trust", "--school", "hillcrest-primary",
                 "--id", "x", "--dry-run", "--json")
    assert "Traceback" not in result.stderr, result.stderr
    assert result.returncode == 0, result.stderr + result.stdout
    report: dict[str, Any] = json.JSONDecoder().raw_decode(result.stdout)[0]
    return report


def refused(project: Path, path: Path) -> str:
    """Import `path`: exit 2 with one 'file:1: what — how to fix it' line and no traceback; that line."""
    result = run(project, "import", str(path), "--trust", "oakfield-learning-trust", "--school", "hillcrest-primary",
                 "--id", "x", "--dry-run")
    assert "Traceback" not in result.stderr, result.stderr
    assert result.returncode == 2, result.stderr + result.stdout
    assert f"{path}:1: " in result.stderr and " — " in result.stderr, result.stderr
    return result.stderr


def words(path: Path) -> str:
    """Every word the reader keeps from the body (blocks, table cells, footnotes), one string."""
    document = read_word_file(path)
    texts = [b.text for b in document.blocks] + [cell for b in document.blocks for row in b.rows for cell in row]
    return " ".join(" ".join([*texts, *document.footnotes.values()]).split())


def item_kinds(report: dict[str, Any]) -> list[str]:
    return [item["kind"] for item in report["files"][0]["items"]]


def run_text(text: str) -> str:
    return f'<w:r><w:t xml:space="preserve">{text}</w:t></w:r>'


# Body constructs whose words are kept (or left out) — (id, body, words kept, words that must not appear)

_RTL = "\u0645\u062f\u0631\u0633\u0629 \u05d1\u05d9\u05ea"
_EMOJI = "\U0001f60a\U0001f44d\U0001f3fd"
_INS = '<w:ins w:id="1" w:author="A. Teacher" w:date="2025-01-01T00:00:00Z">'
_DEL = '<w:del w:id="2" w:author="A. Teacher" w:date="2025-01-01T00:00:00Z">'
_TEXT_BOX = ('<w:txbxContent><w:p><w:r><w:t>Call the office first</w:t></w:r></w:p></w:txbxContent>')
_SHAPE = ('<w:drawing><wp:anchor><wp:docPr id="5" name="Text Box 5"/><a:graphic><a:graphicData '
          'uri="http://schemas.microsoft.com/office/word/2010/wordprocessingShape"><wps:wsp><wps:txbx>'
          f'{_TEXT_BOX}</wps:txbx></wps:wsp></a:graphicData></a:graphic></wp:anchor></w:drawing>')
_VML_BOX = f'<w:pict><v:shape id="t1"><v:textbox>{_TEXT_BOX}</v:textbox></v:shape></w:pict>'


def _cell(text: str, properties: str = "") -> str:
    return f"<w:tc><w:tcPr>{properties}</w:tcPr>{P(text)}</w:tc>"


def _table(*rows: str) -> str:
    return "<w:tbl><w:tblPr/>" + "".join(f"<w:tr>{row}</w:tr>" for row in rows) + "</w:tbl>"


def _field(instruction: str, shown: str, end: bool = True) -> str:
    parts = ['<w:r><w:fldChar w:fldCharType="begin"/></w:r>',
             f'<w:r><w:instrText xml:space="preserve">{instruction}</w:instrText></w:r>',
             '<w:r><w:fldChar w:fldCharType="separate"/></w:r>', run_text(shown)]
    return "".join(parts) + ('<w:r><w:fldChar w:fldCharType="end"/></w:r>' if end else "")


KEPT_CASES = [
    ("inserted-text", f"<w:p>{run_text('Staff ')}{_INS}{run_text('record every incident')}</w:ins></w:p>",
     ["Staff record every incident"], []),
    ("deleted-text", f"<w:p>{run_text('Staff act')}{_DEL}<w:r><w:delText> slowly</w:delText></w:r></w:del>"
     f"{run_text(' at once')}</w:p>", ["Staff act at once"], ["slowly"]),
    ("moved-text", f"<w:p><w:moveFrom w:id='3' w:author='A'>{run_text('Moved words')}</w:moveFrom>"
     f"{run_text('Stay here')}</w:p><w:p>{run_text('Then ')}<w:moveTo w:id='4' w:author='A'>"
     f"{run_text('Moved words')}</w:moveTo></w:p>", ["Stay here", "Then Moved words"], ["Moved words Stay"]),
    ("comment", f"<w:p><w:commentRangeStart w:id='0'/>{run_text('Commented words')}<w:commentRangeEnd w:id='0'/>"
     "<w:r><w:commentReference w:id='0'/></w:r></w:p>", ["Commented words"], ["Secret remark"]),
    ("content-control-paragraphs", f"<w:sdt><w:sdtPr><w:alias w:val='Box'/></w:sdtPr><w:sdtContent>"
     f"{P('Inside a control')}</w:sdtContent></w:sdt>", ["Inside a control"], []),
    ("content-control-runs", f"<w:p>{run_text('Named ')}<w:sdt><w:sdtPr/><w:sdtContent>{run_text('Ms Example')}"
     "</w:sdtContent></w:sdt></w:p>", ["Named Ms Example"], []),
    ("content-control-cells", _table(f"{_cell('Role')}<w:sdt><w:sdtContent>{_cell('Lead')}</w:sdtContent></w:sdt>",
                                     f"{_cell('DSL')}<w:sdt><w:sdtContent>{_cell('A. Person')}</w:sdtContent>"
                                     "</w:sdt>"), ["Lead", "A. Person"], []),
    ("content-control-rows", "<w:tbl><w:tblPr/><w:tr>" + _cell("Heading cell") + "</w:tr><w:sdt><w:sdtContent>"
     f"<w:tr>{_cell('Row in a control')}</w:tr></w:sdtContent></w:sdt></w:tbl>", ["Row in a control"], []),
    ("text-box-drawing", f"<w:p>{run_text('Before the box')}<w:r>{_SHAPE}</w:r></w:p>",
     ["Before the box", "Call the office first"], []),
    ("text-box-vml", f"<w:p>{run_text('Before the box')}<w:r>{_VML_BOX}</w:r></w:p>",
     ["Before the box", "Call the office first"], []),
    ("alternate-content", f"<w:p><w:r><mc:AlternateContent><mc:Choice Requires='wps'>{_SHAPE}</mc:Choice>"
     f"<mc:Fallback>{_VML_BOX}</mc:Fallback></mc:AlternateContent></w:r></w:p>", ["Call the office first"],
     ["Call the office first Call the office first"]),
    ("nested-table", _table(_cell("Outer") + "<w:tc><w:tcPr/>" + _table(_cell("Inner words")) + "<w:p/></w:tc>"),
     ["Outer", "Inner words"], []),
    ("ragged-rows", _table(_cell("One"), _cell("Two") + _cell("Three") + _cell("Four")), ["One", "Four"], []),
    ("vertical-merge", _table(_cell("Merged", "<w:vMerge w:val='restart'/>") + _cell("a"),
                              _cell("", "<w:vMerge/>") + _cell("b"), _cell("", "<w:vMerge/>") + _cell("c")),
     ["Merged", "c"], []),
    ("huge-grid-span", _table(_cell("Wide", "<w:gridSpan w:val='999999999'/>"), _cell("Below")),
     ["Wide", "Below"], []),
    ("empty-table", f"{P('Before')}<w:tbl/>{P('After')}", ["Before", "After"], []),
    ("one-row-table", _table(_cell("Only") + _cell("row")), ["Only", "row"], []),
    ("link-without-relationship", f"<w:p>{run_text('See ')}<w:hyperlink r:id='rId999'>{run_text('the guide')}"
     "</w:hyperlink></w:p>", ["See the guide"], []),
    ("link-address-with-brackets", "<w:p>" + _field(' HYPERLINK "https://example.org/a)b (c) &lt;d&gt;" ', "Odd")
     + "</w:p>", ["[Odd](https://example.org/a%29b%20%28c%29%20%3Cd%3E)"], []),
    ("link-without-text", f"<w:p>{run_text('Nothing ')}<w:hyperlink r:id='rId999'/><w:hyperlink w:anchor='x'>"
     "<w:r><w:t></w:t></w:r></w:hyperlink>" + run_text("lost") + "</w:p>", ["Nothing lost"], []),
    ("hyperlink-field-smart-quotes", "<w:p>" + _field(" HYPERLINK \u201chttps://example.org/a\u201d ", "Smart link")
     + "</w:p>", ["[Smart link](https://example.org/a)"], ["\u201c"]),
    ("hyperlink-field-unquoted", "<w:p>" + _field(" HYPERLINK https://example.org/b \\o 'tip' ", "Bare link")
     + "</w:p>", ["[Bare link](https://example.org/b)"], []),
    ("hyperlink-field-unterminated", "<w:p>" + _field(' HYPERLINK "https://example.org/c ', "Open quote")
     + "</w:p>", ["[Open quote](https://example.org/c)"], []),
    ("field-without-separate-or-end", "<w:p><w:r><w:fldChar w:fldCharType='begin'/></w:r><w:r><w:instrText>"
     " PAGE </w:instrText></w:r>" + run_text("Kept after") + "</w:p>" + P("Next paragraph kept"),
     ["Next paragraph kept"], []),
    ("hidden-field-without-end", "<w:p>" + _field(" PAGE ", "7", end=False) + "</w:p>" + P("Still here"),
     ["Still here"], []),
    ("symbols-and-hyphens", "<w:p><w:r><w:sym w:font='Wingdings' w:char='F0FC'/><w:t xml:space='preserve'>"
     "co\u00adoperate</w:t><w:noBreakHyphen/><w:t>style</w:t><w:tab/><w:t>tabbed</w:t></w:r></w:p>",
     ["cooperate-style tabbed"], ["\u00ad"]),
    ("breaks", f"<w:p>{run_text('Line one')}<w:r><w:cr/></w:r>{run_text('Line two')}<w:r><w:br w:type='page'/></w:r>"
     f"{run_text('After the break')}</w:p>", ["Line one", "Line two After the break"], []),
    ("right-to-left-containers", f"<w:p><w:dir w:val='rtl'>{run_text(_RTL)}</w:dir><w:bdo w:val='ltr'>"
     f"{run_text(' and back')}</w:bdo></w:p>", [f"{_RTL} and back"], []),
    ("right-to-left-and-emoji", f"<w:p><w:pPr><w:bidi/></w:pPr><w:r><w:rPr><w:rtl/></w:rPr><w:t>{_RTL}</w:t></w:r>"
     + run_text(f" Be kind {_EMOJI}") + "</w:p>", [_RTL, f"Be kind {_EMOJI}"], []),
    ("equation", f"<w:p>{run_text('Ratio is ')}<m:oMath><m:r><m:t>1:8</m:t></m:r></m:oMath>{run_text(' adults')}"
     "</w:p>", ["Ratio is 1:8 adults"], []),
    ("text-box-in-a-cell", _table(_cell("Steps") + f"<w:tc><w:tcPr/><w:p><w:r><mc:AlternateContent><mc:Choice "
                                                   f"Requires='wps'>{_SHAPE}</mc:Choice><mc:Fallback>{_VML_BOX}"
                                                   "</mc:Fallback></mc:AlternateContent></w:r></w:p></w:tc>"),
     ["Steps", "Call the office first"], ["Call the office first Call the office first"]),
    ("deep-numbering", P("Very deep item", "<w:numPr><w:ilvl w:val='200'/><w:numId w:val='1'/></w:numPr>"),
     ["Very deep item"], []),
    ("numbering-not-defined", P("Orphan numbered", "<w:numPr><w:ilvl w:val='0'/><w:numId w:val='4242'/></w:numPr>"),
     ["Orphan numbered"], []),
    ("style-not-defined", P("Styled by nothing", "<w:pStyle w:val='NoSuchStyle'/>"), ["Styled by nothing"], []),
]


@pytest.mark.parametrize(("body", "kept", "absent"), [case[1:] for case in KEPT_CASES],
                         ids=[case[0] for case in KEPT_CASES])
def test_the_words_are_kept(project: Path, tmp_path: Path, body: str, kept: list[str], absent: list[str]) -> None:
    comments = ('<w:comments xmlns:w="http://schemas.openxmlformats.org/wordprocessingml/2006/main"><w:comment '
                'w:id="0" w:author="B"><w:p><w:r><w:t>Secret remark</w:t></w:r></w:p></w:comment></w:comments>')
    path = wf.write_body_xml(
        tmp_path / "odd.docx", P("An odd policy", "<w:pStyle w:val='Title'/>") + body,
        parts={"word/comments.xml": comments.encode()},
        relationships=wf.relationship("rIdC", "comments", "comments.xml"),
        content_types='<Override PartName="/word/comments.xml" ContentType="application/vnd.openxmlformats-'
                      'officedocument.wordprocessingml.comments+xml"/>')
    imported(project, path)
    found = words(path)
    for expected in kept:
        assert expected in found, found
    for unexpected in absent:
        assert unexpected not in found, found


# Pictures: what cannot be published is reported (an 'unsupported-picture' item), never a crash

_GRAPHIC = "http://schemas.openxmlformats.org/drawingml/2006/"


def _drawing(graphic_data: str, uri: str = _GRAPHIC + "picture", alt: str = "A plan of the site") -> str:
    return (f'<w:p><w:r><w:drawing><wp:inline><wp:extent cx="9525" cy="9525"/><wp:docPr id="1" name="P" '
            f'descr="{alt}"/><a:graphic><a:graphicData uri="{uri}">{graphic_data}</a:graphicData></a:graphic>'
            "</wp:inline></w:drawing></w:r></w:p>")


def _picture(blip: str) -> str:
    return _drawing(f'<pic:pic><pic:nvPicPr><pic:cNvPr id="0" name="p"/><pic:cNvPicPr/></pic:nvPicPr>'
                    f"<pic:blipFill>{blip}</pic:blipFill><pic:spPr/></pic:pic>")


def _embedded(extension: str, content_type: str, data: bytes) -> dict[str, Any]:
    return {"parts": {f"word/media/image1.{extension}": data},
            "relationships": wf.relationship("rIdP", "image", f"media/image1.{extension}"),
            "content_types": f'<Default Extension="{extension}" ContentType="{content_type}"/>'}


PICTURE_CASES = [
    ("linked-picture", _picture('<a:blip r:link="rIdL"/>'),
     {"relationships": wf.relationship("rIdL", "image", "https://example.org/plan.png", external=True)},
     "picture linked from outside the file"),
    ("emf-picture", _picture('<a:blip r:embed="rIdP"/>'), _embedded("emf", "image/x-emf", b"\x01\x00\x00\x00" * 30),
     "image/x-emf"),
    ("wmf-picture", _picture('<a:blip r:embed="rIdP"/>'), _embedded("wmf", "image/x-wmf", b"\xd7\xcd\xc6\x9a" * 9),
     "image/x-wmf"),
    ("gif-picture", _picture('<a:blip r:embed="rIdP"/>'), _embedded("gif", "image/gif", b"GIF89a" + bytes(20)),
     "image/gif"),
    ("tiff-picture", _picture('<a:blip r:embed="rIdP"/>'), _embedded("tiff", "image/tiff", b"II*\x00" + bytes(20)),
     "image/tiff"),
    ("broken-embed", _picture('<a:blip r:embed="rIdNowhere"/>'), {}, "missing from the Word file"),
    ("chart", _drawing('<c:chart r:id="rIdNone"/>', _GRAPHIC + "chart"), {}, "chart"),
    ("smartart", _drawing('<dgm:relIds r:dm="rId91" r:lo="rId92" r:qs="rId93" r:cs="rId94"/>',
                          _GRAPHIC + "diagram"), {}, "SmartArt diagram"),
]


@pytest.mark.parametrize(("body", "package", "kind"), [case[1:] for case in PICTURE_CASES],
                         ids=[case[0] for case in PICTURE_CASES])
def test_a_picture_that_cannot_be_published_is_reported(project: Path, tmp_path: Path, body: str,
                                                         package: dict[str, Any], kind: str) -> None:
    path = wf.write_body_xml(tmp_path / "pictures.docx", P("Site plan", "<w:pStyle w:val='Title'/>")
                             + P("The plan is below.") + body + P("Words after the picture."), **package)
    report = imported(project, path)
    items = [item for item in report["files"][0]["items"] if item["kind"] == "unsupported-picture"]
    assert len(items) == 1 and kind in items[0]["what"], report["files"][0]["items"]
    assert items[0]["paragraph"] == 3
    assert "Words after the picture." in words(path)


# Size: a huge paragraph and a long document finish (the time is printed, never asserted)


def _timed_import(project: Path, path: Path, label: str) -> dict[str, Any]:
    started = time.perf_counter()
    report = imported(project, path)
    print(f"{label}: {time.perf_counter() - started:.2f} s")
    return report


def test_a_paragraph_of_100000_characters(project: Path, tmp_path: Path) -> None:
    long_text = " ".join(f"word{n % 97}" for n in range(16_000))[:100_000]
    path = wf.write_body_xml(tmp_path / "long.docx", P("Long policy", "<w:pStyle w:val='Title'/>") + P(long_text))
    _timed_import(project, path, "100,000-character paragraph")
    assert long_text[:5000] in words(path)


def test_a_document_of_5000_paragraphs(project: Path, tmp_path: Path) -> None:
    body = [P("Long policy", "<w:pStyle w:val='Title'/>")]
    for n in range(5000):
        body.append(P(f"Section {n}", "<w:pStyle w:val='Heading1'/>") if n % 50 == 0 else
                    P(f"Paragraph {n} says what staff do on day {n % 7}."))
    path = wf.write_body_xml(tmp_path / "many.docx", "".join(body))
    _timed_import(project, path, "5,000 paragraphs")
    assert "Paragraph 4999 says" in words(path)


def test_content_controls_nested_200_deep(project: Path, tmp_path: Path) -> None:
    body = "<w:sdt><w:sdtContent>" * 200 + P("Deep inside") + "</w:sdtContent></w:sdt>" * 200
    path = wf.write_body_xml(tmp_path / "deep.docx", P("Deep policy", "<w:pStyle w:val='Title'/>") + body)
    result = run(project, "import", str(path), "--trust", "oakfield-learning-trust", "--school", "hillcrest-primary",
                 "--id", "x", "--dry-run")
    assert "Traceback" not in result.stderr and result.returncode in (0, 2), result.stderr
    assert result.returncode == 2 or "Deep inside" in words(path)


# Styles, numbering, notes, headers and footers: broken or missing parts

_W = 'xmlns:w="http://schemas.openxmlformats.org/wordprocessingml/2006/main"'


def _styles(*styles: str) -> bytes:
    return f"<w:styles {_W}>{''.join(styles)}</w:styles>".encode()


def _style(style_id: str, based_on: str, extra: str = "") -> str:
    return (f'<w:style w:type="paragraph" w:styleId="{style_id}"><w:name w:val="{style_id}"/>'
            f'<w:basedOn w:val="{based_on}"/>{extra}</w:style>')


def test_styles_whose_based_on_chain_loops(project: Path, tmp_path: Path) -> None:
    styles = _styles(_style("A", "B"), _style("B", "A", "<w:rPr><w:b/></w:rPr>"), _style("C", "C"))
    body = P("Looping styles", "<w:pStyle w:val='A'/>") + P("Text in a looping style.", "<w:pStyle w:val='C'/>")
    path = wf.write_body_xml(tmp_path / "loop.docx", body, parts={"word/styles.xml": styles})
    imported(project, path)
    assert "Text in a looping style." in words(path)


@pytest.mark.parametrize("missing", [("word/styles.xml",), ("word/numbering.xml",),
                                     ("word/styles.xml", "word/numbering.xml")])
def test_no_styles_or_numbering_part(project: Path, tmp_path: Path, missing: tuple[str, ...]) -> None:
    listed = P("A listed thing", "<w:numPr><w:ilvl w:val='0'/><w:numId w:val='1'/></w:numPr>")
    body = P("Plain policy", "<w:pStyle w:val='Title'/>") + listed
    path = wf.write_body_xml(tmp_path / "bare.docx", body, drop=missing)
    imported(project, path)
    assert "A listed thing" in words(path)


def test_footnote_references_without_a_footnotes_part(project: Path, tmp_path: Path) -> None:
    body = (P("Notes policy", "<w:pStyle w:val='Title'/>")
            + f"<w:p>{run_text('A claim.')}<w:r><w:footnoteReference w:id='1'/></w:r></w:p>")
    path = wf.write_body_xml(tmp_path / "notes.docx", body)
    imported(project, path)
    assert "A claim." in words(path)
    assert read_word_file(path).footnotes == {"1": MISSING_NOTE}


def test_endnotes_are_kept(project: Path, tmp_path: Path) -> None:
    notes = (f'<w:endnotes {_W}><w:endnote w:id="1"><w:p><w:r><w:t>The end note words</w:t></w:r></w:p>'
             "</w:endnote></w:endnotes>")
    body = (P("Notes policy", "<w:pStyle w:val='Title'/>")
            + f"<w:p>{run_text('A claim.')}<w:r><w:endnoteReference w:id='1'/></w:r></w:p>")
    path = wf.write_body_xml(
        tmp_path / "endnotes.docx", body, parts={"word/endnotes.xml": notes.encode()},
        relationships=wf.relationship("rIdE", "endnotes", "endnotes.xml"),
        content_types='<Override PartName="/word/endnotes.xml" ContentType="application/vnd.openxmlformats-'
                      'officedocument.wordprocessingml.endnotes+xml"/>')
    imported(project, path)
    assert "The end note words" in words(path)


def test_a_header_whose_part_is_missing(project: Path, tmp_path: Path) -> None:
    body = P("Header policy", "<w:pStyle w:val='Title'/>") + P("Body words.")
    path = wf.write_body_xml(tmp_path / "header.docx", body,
                             relationships=wf.relationship("rIdH", "header", "header9.xml"))
    assert "a part it lists is missing" in refused(project, path)


# Hostile or unusual packages


def _document_with_doctype(doctype: str, text: str) -> bytes:
    return (f'<?xml version="1.0" encoding="UTF-8"?>\n{doctype}\n<w:document {_W}><w:body><w:p><w:r><w:t>'
            f"Before {text} after</w:t></w:r></w:p></w:body></w:document>").encode()


def test_a_document_part_that_is_not_xml_is_refused(project: Path, tmp_path: Path) -> None:
    path = wf.write_body_xml(tmp_path / "broken.docx", "", document_xml=b"PK this is not XML <<<")
    assert "cannot be read" in refused(project, path)


def test_an_entity_bomb_is_neutralised_or_refused(project: Path, tmp_path: Path) -> None:
    entities = ['<!ENTITY lol0 "lollollollollollollollollollol">'] + [
        f'<!ENTITY lol{n} "{f"&lol{n - 1};" * 10}">' for n in range(1, 10)]
    doctype = f"<!DOCTYPE w:document [{''.join(entities)}]>"
    path = wf.write_body_xml(tmp_path / "bomb.docx", "", document_xml=_document_with_doctype(doctype, "&lol9;"))
    assert "declares a DOCTYPE" in refused(project, path)


def test_an_external_entity_never_reads_a_local_file(project: Path, tmp_path: Path) -> None:
    secret = tmp_path / "secret.txt"
    secret.write_text("TOPSECRETVALUE", encoding="utf-8")
    doctype = f'<!DOCTYPE w:document [<!ENTITY xxe SYSTEM "file://{secret}">]>'
    path = wf.write_body_xml(tmp_path / "xxe.docx", "", document_xml=_document_with_doctype(doctype, "&xxe;"))
    message = refused(project, path)
    assert "declares a DOCTYPE" in message and "TOPSECRETVALUE" not in message
    for part in ("word/styles.xml", "word/_rels/document.xml.rels"):  # any part, not only the body
        members = wf._members(wf.write_body_xml(tmp_path / "xxe2.docx", P("Policy")))
        members[part] = members[part].replace(b"?>", f"?>{doctype}".encode(), 1)
        assert "declares a DOCTYPE" in refused(project, wf.write_members(tmp_path / "xxe2.docx", members))


def test_a_damaged_part_is_refused(project: Path, tmp_path: Path) -> None:
    path = wf.write_body_xml(tmp_path / "damaged.docx", P("Damaged policy") + P("More words. " * 2000))
    data = bytearray(path.read_bytes())
    with zipfile.ZipFile(path) as archive:
        body = archive.getinfo("word/document.xml")
    start = body.header_offset + 30 + len(body.filename.encode()) + len(body.extra)
    for offset in range(start + 40, start + body.compress_size - 40, 7):
        data[offset] ^= 0x5A
    path.write_bytes(bytes(data))
    assert "damaged" in refused(project, path)


def _with_members(path: Path, extra: dict[str, bytes]) -> Path:
    with zipfile.ZipFile(path) as archive:
        members = {name: archive.read(name) for name in archive.namelist()}
    return wf.write_members(path, {**members, **extra})


def test_a_package_of_thousands_of_members(project: Path, tmp_path: Path) -> None:
    body = P("Crowded policy", "<w:pStyle w:val='Title'/>") + P("Still readable.")
    crowded = _with_members(wf.write_body_xml(tmp_path / "crowded.docx", body),
                            {f"customXml/extra{n}.xml": b"<x/>" for n in range(3000)})
    imported(project, crowded)
    too_many = _with_members(wf.write_body_xml(tmp_path / "too-many.docx", body),
                             {f"customXml/extra{n}.xml": b"<x/>" for n in range(6000)})
    assert "parts" in refused(project, too_many)


def test_a_member_path_that_climbs_out_is_never_extracted(project: Path, tmp_path: Path) -> None:
    body = P("Climbing policy", "<w:pStyle w:val='Title'/>") + P("Stay inside.")
    (tmp_path / "deep" / "er").mkdir(parents=True)
    path = _with_members(wf.write_body_xml(tmp_path / "deep" / "er" / "climb.docx", body),
                         {"../../escaped.txt": b"out", "word/../../../escaped2.txt": b"out"})
    imported(project, path)
    assert not list(tmp_path.rglob("escaped*")) and not list(project.rglob("escaped*"))
    assert "Stay inside." in words(path)


def test_an_upper_case_name_is_a_docx(project: Path, tmp_path: Path) -> None:
    path = wf.write_body_xml(tmp_path / "SHOUTING.DOCX", P("Loud policy", "<w:pStyle w:val='Title'/>") + P("Calm."))
    imported(project, path)


def test_a_macro_enabled_file_is_refused(project: Path, tmp_path: Path) -> None:
    body = P("Macro policy", "<w:pStyle w:val='Title'/>") + P("Words.")
    named = wf.write_body_xml(tmp_path / "macros.docm", body)
    assert "macros" in refused(project, named)
    macro_type = "application/vnd.ms-word.document.macroEnabled.main+xml"
    renamed = wf.write_body_xml(tmp_path / "renamed.docx", body, parts={"word/vbaProject.bin": b"\x00" * 64})
    with zipfile.ZipFile(renamed) as archive:
        members = {name: archive.read(name) for name in archive.namelist()}
    members["[Content_Types].xml"] = members["[Content_Types].xml"].replace(
        b"application/vnd.openxmlformats-officedocument.wordprocessingml.document.main+xml", macro_type.encode())
    wf.write_members(renamed, members)
    assert "with macros (.docm) named .docx" in refused(project, renamed)


@pytest.mark.parametrize("body", ["", P("   ") + "<w:p/>"], ids=["no-paragraphs", "blank-paragraphs"])
def test_a_file_with_nothing_in_it_is_refused(project: Path, tmp_path: Path, body: str) -> None:
    assert "has no text" in refused(project, wf.write_body_xml(tmp_path / "empty.docx", body))


def test_a_file_that_is_only_a_table(project: Path, tmp_path: Path) -> None:
    path = wf.write_body_xml(tmp_path / "table.docx", _table(_cell("Role") + _cell("Name"), _cell("Head") + _cell("B")))
    report = imported(project, path)
    assert "title-needed" in item_kinds(report) and "Role Name Head B" in words(path)


def test_an_embedded_alt_chunk_is_set_aside_with_its_place(project: Path, tmp_path: Path) -> None:
    body = P("Chunk policy", "<w:pStyle w:val='Title'/>") + "<w:altChunk r:id='rIdA'/>" + P("After the chunk.")
    path = wf.write_body_xml(tmp_path / "chunk.docx", body)
    imported(project, path)
    removed = read_word_file(path).removed
    assert [(what, place.paragraph) for what, place in removed if "altChunk" in what] == [
        ("embedded document (altChunk), not imported", 2)]


def test_typed_template_and_markdown_syntax_stays_text(project: Path, tmp_path: Path) -> None:
    typed = ["Write {{ school.name }} and {% if x %} and {# note #} here {: .big}", "!!! warning", "Term",
             ": definition", "&amp;lt;b&amp;gt; stays &amp;amp; as typed"]
    body = P("Typed syntax policy", "<w:pStyle w:val='Title'/>") + "".join(P(text) for text in typed)
    path = wf.write_body_xml(tmp_path / "typed.docx", body)
    report = imported(project, path)
    assert report["files"][0]["fidelity"] == 100.0
    found = words(path)
    assert "{{" not in found and "{%" not in found and "{#" not in found and "{:" not in found
    assert "&#123;{ school.name }}" in found and "&#33;!! warning" in found and "&#58; definition" in found
    assert "&amp;lt;b&amp;gt; stays &amp;amp; as typed" in found
