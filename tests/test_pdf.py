"""Policy PDFs: text, metadata, tags, drafts, cache, golden print HTML and a look at a page.

The print HTML of one example policy is kept in tests/golden-pdf/<school>/<policy>.html; a change
to the print template, stylesheet or content shows up there as a diff to review. Refresh with
`UPDATE_GOLDEN=1 .venv/bin/python -m pytest tests/test_pdf.py` (or `scripts/update-golden`).
"""

from __future__ import annotations

import base64
import datetime as dt
import io
import itertools
import logging
import os
import re
import subprocess
from collections.abc import Callable
from pathlib import Path

import pikepdf
import pypdf
import pytest
from PIL import Image

from conftest import POLICY, REPO, SCHOOL, TRUST
from policypress.compose.load import load_project
from policypress.compose.render import RenderedPolicy, RenderedSchool, render_project
from policypress.outputs import pdf

GOLDEN = REPO / "tests" / "golden-pdf"
SCHOOL_ID, SAFEGUARDING = "hillcrest-primary", "child-protection"


def online_url(school: RenderedSchool, policy: RenderedPolicy) -> str:
    return f"{school.school.website}/policies/{policy.id}.html"


def find(schools: list[RenderedSchool], school_id: str, policy_id: str) -> tuple[RenderedSchool, RenderedPolicy]:
    school = next(s for s in schools if s.school.id == school_id)
    return school, next(p for p in school.policies if p.id == policy_id)


def html_for(school: RenderedSchool, policy: RenderedPolicy, root: Path = REPO, draft: bool | None = None) -> str:
    env = pdf.print_environment(root / "templates", today=dt.date(2026, 11, 22))  # overdue or not stays fixed
    return pdf.print_html(env, school, policy, online_url(school, policy),
                          policy.approved is None if draft is None else draft)


def page_texts(data: bytes) -> list[str]:
    """The text of each page, as pdftotext (poppler) reads it."""
    done = subprocess.run(["pdftotext", "-layout", "-", "-"], input=data, capture_output=True, check=True)
    return done.stdout.decode("utf-8").split("\f")[:-1]


@pytest.fixture(scope="module")
def example() -> list[RenderedSchool]:
    return render_project(load_project(REPO))


@pytest.fixture(scope="module")
def safeguarding(example: list[RenderedSchool], tmp_path_factory: pytest.TempPathFactory) -> bytes:
    """Hillcrest's safeguarding PDF; WeasyPrint must not warn about anything in our template."""
    school, policy = find(example, SCHOOL_ID, SAFEGUARDING)
    records: list[logging.LogRecord] = []
    handler = logging.Handler(logging.WARNING)
    handler.emit = records.append  # type: ignore[method-assign,assignment]
    logging.getLogger("weasyprint").addHandler(handler)
    try:
        data = pdf.render_pdf(html_for(school, policy), REPO, tmp_path_factory.mktemp("cache"))
    finally:
        logging.getLogger("weasyprint").removeHandler(handler)
    assert [r.getMessage() for r in records] == []
    return data


def test_safeguarding_pdf_names_the_school_and_its_dsl(example: list[RenderedSchool], safeguarding: bytes) -> None:
    school, _ = find(example, SCHOOL_ID, SAFEGUARDING)
    dsl = school.contacts["dsl"]
    text = "\n".join(page_texts(safeguarding))
    assert school.school.name in text
    assert dsl.name in text
    assert dsl.phone and dsl.phone in text
    assert "Page 1 of" in text


def test_every_page_has_header_and_footer(example: list[RenderedSchool], safeguarding: bytes) -> None:
    """Each page says where the current version is (the school's policies site, short enough for one
    line); the cover gives the policy's own address, whole."""
    school, policy = find(example, SCHOOL_ID, SAFEGUARDING)
    pages = page_texts(safeguarding)
    site = school.school.website.removeprefix("https://")
    for number, text in enumerate(pages, start=1):
        assert f"Page {number} of {len(pages)}" in text
        assert f"Current version online at {site}" in text
        if number > 1:  # the cover has no running header
            assert school.school.name in text and policy.meta.title in text
    assert re.search(rf"online at\s+{re.escape(online_url(school, policy))}\s+and all our policies are at\s+{site}",
                     pages[0])


def test_metadata_and_language(example: list[RenderedSchool], safeguarding: bytes) -> None:
    school, policy = find(example, SCHOOL_ID, SAFEGUARDING)
    with pikepdf.open(io.BytesIO(safeguarding)) as doc:
        info = doc.docinfo
        assert str(info["/Title"]) == f"{policy.meta.title} – {school.school.name}"
        assert str(info["/Author"]) == school.school.name
        assert str(info["/Subject"]) == policy.meta.summary
        assert str(doc.Root.Lang) == "en-GB"
        assert doc.Root.ViewerPreferences.DisplayDocTitle
        assert 'pdfuaid:part="1"' in str(doc.open_metadata())


def _headings(element: pikepdf.Object, found: list[int]) -> None:
    tag = str(element.get("/S", ""))
    if re.fullmatch(r"/H[1-6]", tag):
        found.append(int(tag[2]))
    kids = element.get("/K")
    for kid in (kids if isinstance(kids, pikepdf.Array) else [kids] if kids is not None else []):
        if isinstance(kid, pikepdf.Dictionary) and kid.get("/Type") != "/MCR":
            _headings(kid, found)


def test_tagged_with_clean_heading_order(safeguarding: bytes) -> None:
    with pikepdf.open(io.BytesIO(safeguarding)) as doc:
        assert "/StructTreeRoot" in doc.Root
        assert bool(doc.Root.MarkInfo.Marked) is True
        levels: list[int] = []
        _headings(doc.Root.StructTreeRoot, levels)
    assert levels[0] == 1 and levels.count(1) == 1
    assert all(b <= a + 1 for a, b in itertools.pairwise(levels)), levels


def test_bookmarks_follow_headings(example: list[RenderedSchool], safeguarding: bytes) -> None:
    _, policy = find(example, SCHOOL_ID, SAFEGUARDING)
    with pikepdf.open(io.BytesIO(safeguarding)) as doc, doc.open_outline() as outline:
        [top] = outline.root
        assert top.title == policy.meta.title
        titles = [item.title for item in top.children]
    assert titles[:2] == ["Document control", "Contents"]
    assert "Key contacts" in titles and titles[-1] == "Statutory references"


def test_contents_page_numbers_point_at_the_headings(safeguarding: bytes) -> None:
    pages = page_texts(safeguarding)
    entries = [m.groups() for text in pages[1:3]
               for m in re.finditer(r"^\s*(\S.*?)\s?\.{5,}\s*(\d+)$", text, re.M)]
    assert len(entries) > 10
    for title, number in entries:
        assert title in pages[int(number) - 1], f"'{title}' is not on page {number}"


def test_statutory_references_print_their_full_urls(example: list[RenderedSchool], safeguarding: bytes) -> None:
    _, policy = find(example, SCHOOL_ID, SAFEGUARDING)
    squashed = "".join("".join(page_texts(safeguarding)).split())
    assert policy.references
    for _, entry in policy.references:
        assert entry.url in squashed


def test_long_tables_repeat_their_header_row(make_project: Callable[..., Path], tmp_path: Path) -> None:
    rows = "\n".join(f"| Person {n} | 01632 960{n:03d} |" for n in range(90))
    root = make_project({"content/policies/safeguarding.md": _policy_with(
        f"## Contacts {{#contacts}}\n\n| Who | Telephone |\n|---|---|\n{rows}\n")})
    school, policy = find(render_project(load_project(root)), "alpha", "safeguarding")
    pages = page_texts(pdf.render_pdf(html_for(school, policy, root), root, tmp_path / "cache"))
    with_rows = [text for text in pages if re.search(r"Person \d+", text)]
    assert len(with_rows) >= 2
    assert all(re.search(r"Who\s+Telephone", text) for text in with_rows)


def _policy_with(section: str) -> str:
    return POLICY.replace("## Training {#training}", section + "\n## Training {#training}")


def test_draft_has_a_watermark_on_every_page(make_project: Callable[..., Path], tmp_path: Path) -> None:
    unapproved = SCHOOL.replace("approvals:\n      - {date: 2026-09-10, by: full_governing_body, version: \"2.0\"}",
                                "approvals: []")
    long_text = "## More {#more}\n\n" + "\n\n".join(f"Paragraph {n} of a long draft." for n in range(80))
    root = make_project({"schools/test-trust/alpha.yml": unapproved,
                         "content/policies/safeguarding.md": _policy_with(long_text)})
    school, policy = find(render_project(load_project(root)), "alpha", "safeguarding")
    assert policy.approved is None
    html = html_for(school, policy, root)
    reader = pypdf.PdfReader(io.BytesIO(pdf.render_pdf(html, root, tmp_path / "cache")))
    assert len(reader.pages) >= 3
    # Each page says DRAFT twice: the watermark, and the cover's status line or the running header.
    assert all(page.extract_text().count("DRAFT") >= 2 for page in reader.pages)


def test_approved_policy_has_no_watermark(safeguarding: bytes) -> None:
    reader = pypdf.PdfReader(io.BytesIO(safeguarding))
    assert not any("DRAFT" in page.extract_text() for page in reader.pages)


LOGO = """<svg xmlns="http://www.w3.org/2000/svg" width="120" height="60" viewBox="0 0 120 60">
<rect width="120" height="60" rx="8" fill="#ffffff"/><circle cx="30" cy="30" r="18" fill="#1d4f3a"/>
<text x="56" y="38" font-family="DejaVu Sans" font-size="20" fill="#1d4f3a">Alpha</text></svg>"""


def test_logo_is_inlined_with_a_text_alternative(make_project: Callable[..., Path], tmp_path: Path) -> None:
    trust = TRUST.replace("policies:", "branding:\n  logo: alpha-logo.svg\npolicies:")
    root = make_project({"schools/test-trust/trust.yml": trust, "schools/test-trust/alpha-logo.svg": LOGO})
    school, policy = find(render_project(load_project(root)), "alpha", "safeguarding")
    html = html_for(school, policy, root)
    assert '<img class="logo" src="data:image/svg+xml;base64,' in html
    with pikepdf.open(io.BytesIO(pdf.render_pdf(html, root, tmp_path))) as doc:
        figures = [obj for obj in doc.objects
                   if isinstance(obj, pikepdf.Dictionary) and obj.get("/S") == "/Figure"]
        assert [str(f.Alt) for f in figures] == ["Alpha Primary School logo"]


@pytest.fixture
def small(make_project: Callable[..., Path]) -> tuple[Path, str]:
    """The minimal project's print HTML (quick to render)."""
    root = make_project()
    school, policy = find(render_project(load_project(root)), "alpha", "safeguarding")
    return root, html_for(school, policy, root)


def test_same_html_gives_the_same_bytes(small: tuple[Path, str], tmp_path: Path) -> None:
    root, html = small
    assert pdf.weasyprint_pdf(html, root) == pdf.weasyprint_pdf(html, tmp_path)


def test_unchanged_input_is_not_rendered_again(small: tuple[Path, str], tmp_path: Path,
                                               monkeypatch: pytest.MonkeyPatch) -> None:
    root, html = small
    calls: list[str] = []
    real = pdf.weasyprint_pdf

    def counted(h: str, b: Path) -> bytes:
        calls.append(h)
        return real(h, b)

    monkeypatch.setattr(pdf, "weasyprint_pdf", counted)
    first = pdf.render_pdf(html, root, tmp_path)
    [cached] = tmp_path.glob("*.pdf")
    mtime = cached.stat().st_mtime_ns
    assert pdf.render_pdf(html, root, tmp_path) == first
    assert len(calls) == 1 and cached.stat().st_mtime_ns == mtime
    pdf.render_pdf(html.replace("Alpha Primary School", "Alpha Primary Academy"), root, tmp_path)
    assert len(calls) == 2


def test_identical_pdfs_are_rendered_once_in_parallel(small: tuple[Path, str], tmp_path: Path) -> None:
    root, html = small
    other = html.replace("Alpha Primary School", "Beta Primary School")
    out, cache = tmp_path / "out", tmp_path / "cache"
    jobs = [pdf.PdfJob(html, out / "a.pdf", root), pdf.PdfJob(html, out / "b.pdf", root),
            pdf.PdfJob(other, out / "c.pdf", root)]
    assert pdf.render_pdfs(jobs, cache, workers=2) == pdf.PdfStats(written=3, rendered=2, cached=0, shared=1)
    assert (out / "a.pdf").read_bytes() == (out / "b.pdf").read_bytes() != (out / "c.pdf").read_bytes()
    assert "Beta Primary School" in "".join(page_texts((out / "c.pdf").read_bytes()))
    assert pdf.render_pdfs(jobs, cache, workers=2) == pdf.PdfStats(written=3, rendered=0, cached=2, shared=1)


def test_nothing_is_fetched_from_the_network(small: tuple[Path, str], caplog: pytest.LogCaptureFixture) -> None:
    root, html = small
    html = html.replace("</main>", '<img src="https://example.org/tracker.png" alt=""></main>')
    with caplog.at_level(logging.WARNING, logger="weasyprint"):
        pdf.weasyprint_pdf(html, root)
    assert "disallowed protocol" in caplog.text


def test_print_html_matches_golden(example: list[RenderedSchool]) -> None:
    school, policy = find(example, SCHOOL_ID, SAFEGUARDING)
    html = html_for(school, policy)
    golden = GOLDEN / SCHOOL_ID / f"{SAFEGUARDING}.html"
    if os.environ.get("UPDATE_GOLDEN") == "1":
        golden.parent.mkdir(parents=True, exist_ok=True)
        golden.write_text(html, encoding="utf-8")
    assert html == golden.read_text(encoding="utf-8"), f"print HTML differs from {golden.relative_to(REPO)}"


def test_cover_page_looks_like_a_cover(example: list[RenderedSchool], safeguarding: bytes, tmp_path: Path) -> None:
    """Rasterise the cover with pdftoppm: A4 proportions, the school's colour band at the top, ink below."""
    school, _ = find(example, SCHOOL_ID, SAFEGUARDING)
    (tmp_path / "doc.pdf").write_bytes(safeguarding)
    subprocess.run(["pdftoppm", "-png", "-r", "40", "-f", "1", "-l", "1", "-singlefile",
                    tmp_path / "doc.pdf", tmp_path / "cover"], check=True)
    with Image.open(tmp_path / "cover.png") as image:
        page = image.convert("RGB")
    width, height = page.size
    assert abs(height / width - 297 / 210) < 0.01
    colour = school.colour
    expected = tuple(int(colour[i:i + 2], 16) for i in (1, 3, 5))
    band = page.getpixel((width // 2, int(height * 0.1)))
    assert isinstance(band, tuple) and all(abs(a - b) < 8 for a, b in zip(band, expected, strict=False))
    body = page.crop((0, int(height * 0.2), width, height))
    assert sum(body.convert("L").histogram()[:200]) > 500  # dark pixels: the title and text


def cover_image(data: bytes, tmp_path: Path) -> Image.Image:
    """The cover, rasterised at 40 dpi."""
    (tmp_path / "doc.pdf").write_bytes(data)
    subprocess.run(["pdftoppm", "-png", "-r", "40", "-f", "1", "-l", "1", "-singlefile",
                    tmp_path / "doc.pdf", tmp_path / "cover"], check=True)
    with Image.open(tmp_path / "cover.png") as image:
        return image.convert("RGB")


def rgb(colour: str) -> tuple[int, ...]:
    return tuple(int(colour[i:i + 2], 16) for i in (1, 3, 5))


def near(pixel: object, colour: tuple[int, ...]) -> bool:
    return isinstance(pixel, tuple) and all(abs(a - b) < 10 for a, b in zip(pixel, colour, strict=False))


def test_an_overdue_review_is_a_warning_on_the_cover(example: list[RenderedSchool], safeguarding: bytes,
                                                     tmp_path: Path) -> None:
    """Brookside's child protection review was due by 15 September 2026: the cover says so in a framed
    warning with its label in words; Hillcrest's, approved in time, has none."""
    late_school, late = find(example, "brookside-infant", SAFEGUARDING)
    cover = " ".join(page_texts(pdf.render_pdf(html_for(late_school, late), REPO, tmp_path / "cache"))[0].split())
    assert ("⚠ Review overdue Approved by the full governing body on 15 September 2025. Its review was due by "
            "15 September 2026 and has not happened yet, so some details may be out of date.") in cover
    assert "Next review 15 September 2026 (overdue: not reviewed yet)" in cover
    assert "Review overdue" not in page_texts(safeguarding)[0]
    school, policy = find(example, SCHOOL_ID, SAFEGUARDING)
    assert '<div class="cover-warning"' not in html_for(school, policy)
    assert '<div class="cover-warning" role="note">' in html_for(late_school, late)


def project_with_logos(make_project: Callable[..., Path], school_branding: str) -> Path:
    trust = TRUST.replace("policies:", "branding:\n  primary_colour: \"#1d4f3a\"\n  logo: trust-logo.svg\npolicies:")
    return make_project({"schools/test-trust/trust.yml": trust, "schools/test-trust/trust-logo.svg": LOGO,
                         "schools/test-trust/alpha-logo.svg": SCHOOL_LOGO,
                         "schools/test-trust/alpha.yml": SCHOOL.replace("policies:", school_branding + "policies:")})


# Drawn with a viewBox only (no width or height): the cover gives it its height.
SCHOOL_LOGO = """<svg xmlns="http://www.w3.org/2000/svg" viewBox="0 0 100 100">
<rect width="100" height="100" fill="#ffffff"/><circle cx="50" cy="50" r="40" fill="#0b5f73"/></svg>"""


def test_a_schools_own_logo_and_colour_come_before_its_trusts(make_project: Callable[..., Path],
                                                              tmp_path: Path) -> None:
    root = project_with_logos(make_project, 'branding:\n  primary_colour: "#7a2e0e"\n  logo: alpha-logo.svg\n')
    school, policy = find(render_project(load_project(root)), "alpha", "safeguarding")
    html = html_for(school, policy, root)
    assert html.count('<img class="logo"') == 1 and base64.b64encode(SCHOOL_LOGO.encode()).decode() in html
    data = pdf.render_pdf(html, root, tmp_path / "cache")
    page = cover_image(data, tmp_path)
    width, height = page.size
    assert near(page.getpixel((width // 4, int(height * 0.1))), rgb("#7a2e0e"))  # the school's band
    logo = [page.getpixel((x, y)) for x in range(width // 2, width) for y in range(int(height * 0.2))]
    assert sum(near(p, rgb("#0b5f73")) for p in logo) > 20  # its logo's circle, drawn at a visible size
    with pikepdf.open(io.BytesIO(data)) as doc:
        figures = [obj for obj in doc.objects if isinstance(obj, pikepdf.Dictionary) and obj.get("/S") == "/Figure"]
        assert [str(f.Alt) for f in figures] == ["Alpha Primary School logo"]


def test_a_school_without_a_logo_has_just_its_name(make_project: Callable[..., Path], tmp_path: Path) -> None:
    root = make_project()
    school, policy = find(render_project(load_project(root)), "alpha", "safeguarding")
    assert school.logo is None
    html = html_for(school, policy, root)
    assert "<img" not in html and 'class="cover-band"' in html
    data = pdf.render_pdf(html, root, tmp_path / "cache")
    page = cover_image(data, tmp_path)
    width, height = page.size
    band = [page.getpixel((x, int(height * 0.1))) for x in range(int(width * 0.55), int(width * 0.85))]
    assert all(near(p, rgb(school.colour)) for p in band)  # no picture, no icon: the colour alone
    assert "Alpha Primary School" in page_texts(data)[0]
    with pikepdf.open(io.BytesIO(data)) as doc:
        assert not [obj for obj in doc.objects if isinstance(obj, pikepdf.Dictionary) and obj.get("/S") == "/Figure"]


CONTACT_TEXT = ("## Contacts {#contacts}\n\n" + " ".join(
    f"Ring {'Dana ' * (n % 4)}on [01632 960002](tel:01632960002) or write to "
    f"[first-name.last-name@alpha-school.example.org](mailto:first-name.last-name@alpha-school.example.org)."
    for n in range(12)) + "\n\nSee [the council's procedures](https://procedures.northshire.example.org/child-protection).\n")


@pytest.fixture
def contacts_pdf(make_project: Callable[..., Path], tmp_path: Path) -> bytes:
    """A policy whose text is full of phone numbers and email addresses, at every place on a line."""
    root = make_project({"content/policies/safeguarding.md": _policy_with(CONTACT_TEXT)})
    school, policy = find(render_project(load_project(root)), "alpha", "safeguarding")
    return pdf.render_pdf(html_for(school, policy, root), root, tmp_path / "cache")


def link_targets(data: bytes) -> list[str]:
    with pikepdf.open(io.BytesIO(data)) as doc:
        return [str(annot.A.URI) for page in doc.pages for annot in page.get("/Annots", [])
                if annot.get("/Subtype") == "/Link" and "/A" in annot and "/URI" in annot.A]


def test_phone_numbers_and_emails_are_links_in_the_pdf(contacts_pdf: bytes) -> None:
    targets = link_targets(contacts_pdf)
    assert targets.count("tel:01632960002") >= 12
    assert targets.count("mailto:first-name.last-name@alpha-school.example.org") >= 12
    text = "".join(page_texts(contacts_pdf))
    assert "(tel:" not in text and "(mailto:" not in text  # no address printed after them, as for web links
    squashed = "".join(text.split())
    assert "procedures(https://procedures.northshire.example.org/child-protection)" in squashed


def test_numbers_never_break_and_addresses_break_only_at_at_dot_slash(contacts_pdf: bytes) -> None:
    text = "\n".join(" ".join(line.split()) for line in "".join(page_texts(contacts_pdf)).splitlines())
    assert text.count("01632 960002") >= 12  # each number whole on its line
    address = "first-name.last-name@alpha-school.example.org"
    printed = [m.group() for m in re.finditer("\n?".join(map(re.escape, address)), text)]  # broken or not
    assert len(printed) >= 12
    assert [p for p in printed if "\n" in p], "no address reached the end of a line: the test shows nothing"
    for piece in printed:
        head, _, tail = piece.partition("\n")
        assert not tail or head.endswith("@") or tail.startswith("."), piece


def link_annotation_tags(data: bytes) -> list[str]:
    """For each link annotation, the structure element that holds it (PDF/UA: a Link, each one)."""
    holders: dict[tuple[int, int], str] = {}

    def walk(node: object, tag: str) -> None:
        if not isinstance(node, pikepdf.Dictionary):
            return
        if node.get("/Type") == "/OBJR":
            holders[node.Obj.objgen] = tag
            return
        kids = node.get("/K")
        for kid in (list(kids) if isinstance(kids, pikepdf.Array) else [kids] if kids is not None else []):
            walk(kid, str(node.get("/S", tag)))

    with pikepdf.open(io.BytesIO(data)) as doc:
        walk(doc.Root.StructTreeRoot, "")
        return [holders.get(annot.objgen, "none") for page in doc.pages for annot in page.get("/Annots", [])
                if annot.get("/Subtype") == "/Link"]


def test_every_link_annotation_is_tagged_as_a_link(contacts_pdf: bytes, safeguarding: bytes) -> None:
    for data in (contacts_pdf, safeguarding):
        tags = link_annotation_tags(data)
        assert len(tags) > 12 and set(tags) == {"/Link"}
