"""`policypress import` on the constructs real trusts' Word files contain: tracked changes, comments, content
controls, text boxes, odd tables, links, fields and pictures, special characters, huge or deep documents,
broken styles and parts, hostile packages. No input gives a traceback or a hang: what can be imported is
imported (its words kept, or the construct reported as an item); bad input is exit 2 with `file:1: what — fix`.

Each file is python-docx's template with a body of raw WordprocessingML (word_fixtures.write_body_xml)."""

from __future__ import annotations

import json
from pathlib import Path
from typing import Any

import pytest

import word_fixtures as wf
from policypress.importer.docx_reader import read_word_file
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
    ("link-without-text", f"<w:p>{run_text('Nothing ')}<w:hyperlink r:id='rId999'/><w:hyperlink w:anchor='x'>"
     "<w:r><w:t></w:t></w:r></w:hyperlink>" + run_text("lost") + "</w:p>", ["Nothing lost"], []),
    ("hyperlink-field-smart-quotes", "<w:p>" + _field(" HYPERLINK \u201chttps://example.org/a\u201d ", "Smart link")
     + "</w:p>", ["[Smart link](https://example.org/a)"], ["\u201c"]),
    ("hyperlink-field-unquoted", "<w:p>" + _field(" HYPERLINK https://example.org/b \\o 'tip' ", "Bare link")
     + "</w:p>", ["[Bare link](https://example.org/b)"], []),
    ("hyperlink-field-unterminated", "<w:p>" + _field(' HYPERLINK "https://example.org/c ', "Open quote")
     + "</w:p>", ["Open quote"], []),
    ("field-without-separate-or-end", "<w:p><w:r><w:fldChar w:fldCharType='begin'/></w:r><w:r><w:instrText>"
     " PAGE </w:instrText></w:r>" + run_text("Kept after") + "</w:p>" + P("Next paragraph kept"),
     ["Next paragraph kept"], []),
    ("hidden-field-without-end", "<w:p>" + _field(" PAGE ", "7", end=False) + "</w:p>" + P("Still here"),
     ["Still here"], []),
    ("symbols-and-hyphens", "<w:p><w:r><w:sym w:font='Wingdings' w:char='F0FC'/><w:t xml:space='preserve'>"
     "co\u00adoperate</w:t><w:noBreakHyphen/><w:t>style</w:t><w:tab/><w:t>tabbed</w:t></w:r></w:p>",
     ["cooperate-style tabbed"], ["\u00ad"]),
    ("breaks", f"<w:p>{run_text('Line one')}<w:r><w:cr/></w:r>{run_text('Line two')}<w:r><w:br w:type='page'/></w:r>"
     f"{run_text('After the break')}</w:p>", ["Line one", "Line two", "After the break"], []),
    ("right-to-left-and-emoji", f"<w:p><w:pPr><w:bidi/></w:pPr><w:r><w:rPr><w:rtl/></w:rPr><w:t>{_RTL}</w:t></w:r>"
     + run_text(f" Be kind {_EMOJI}") + "</w:p>", [_RTL, f"Be kind {_EMOJI}"], []),
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
