"""Print-quality, tagged (PDF/UA-1) PDFs of policies: the one module that drives WeasyPrint.

The PDF is made from our own print template and stylesheet (templates/pdf/), never from the
site's HTML. `print_html` gives one self-contained HTML document (CSS and images inlined), so
that the HTML plus the tool versions are the PDF's whole input: `render_pdf` caches by their
hash, and `render_pdfs` renders each distinct document once, in parallel processes.
"""

from __future__ import annotations

import base64
import datetime as dt
import hashlib
import logging
import mimetypes
import multiprocessing
import os
import re
import shutil
import xml.etree.ElementTree as ET
from collections.abc import Callable, Mapping
from concurrent.futures import ProcessPoolExecutor
from dataclasses import dataclass
from functools import partial
from importlib.metadata import version
from pathlib import Path
from typing import Any
from urllib.parse import quote

import jinja2
import markdown
from markdown.extensions import Extension
from markdown.treeprocessors import Treeprocessor
from markupsafe import Markup

from policypress.compose import wording as words
from policypress.compose.render import RenderedPolicy, RenderedSchool
from policypress.compose.review_dates import is_overdue, next_review_words, overdue_words
from policypress.core.dates import build_today
from policypress.core.errors import BuildFailed
from policypress.core.files import write_file
from policypress.outputs.figures import Drawing, print_figure, with_figures
from policypress.outputs.pages import owner_line
from policypress.outputs.pictures import picture_uris, with_picture_uris
from policypress.site_engine.dialect import print_markdown

CACHE_FORMAT = "policypress-pdf-1"  # bump when render options change
MAX_CACHED_IMAGES = 200
_SHARED: dict[int, tuple[Any, dict[str, Any]]] = {}  # process id: (font configuration, image cache)
# Where a printed address may break: after @ and / (not inside //), and before a dot. The breaks
# are characters, not elements: WeasyPrint gives each element inside a link an annotation of its
# own, outside the link's tag (PDF/UA). Neither character is drawn or extracted as text.
ADDRESS_BREAK = re.compile(r"(?<=[@/])(?!/)|(?=\.)")
MAY_BREAK, NO_BREAK = "\u200b", "\u2060"  # zero-width space; word joiner (after a hyphen)
WATERMARK_SVG = (
    '<svg xmlns="http://www.w3.org/2000/svg" width="210mm" height="297mm" viewBox="0 0 210 297">'
    '<text x="105" y="148.5" text-anchor="middle" dominant-baseline="middle" font-family="DejaVu Sans"'
    ' font-weight="bold" font-size="44" fill="#d4351c" fill-opacity="0.14"'
    ' transform="rotate(-50 105 148.5)">DRAFT</text></svg>'
)


def print_environment(templates: Path, today: dt.date | None = None) -> jinja2.Environment:
    """Our own (trusted) print templates in templates/pdf; an undefined name is an error.

    today decides whether a review is overdue (dates.build_today by default).
    """
    env = jinja2.Environment(loader=jinja2.FileSystemLoader(templates / "pdf"),
                             undefined=jinja2.StrictUndefined, autoescape=True,
                             trim_blocks=True, lstrip_blocks=True)
    today = today or build_today()
    env.filters.update(long_date=words.date_words, cycle_words=words.cycle_words,
                       approver=words.approver_words, owner_line=owner_line, address=address_html,
                       sentence_start=words.sentence_start, body_title=words.body_title,
                       approver_line=approver_line, approved_on=partial(approved_on, today=today),
                       overdue=partial(is_overdue, today=today),
                       next_review_words=partial(next_review_words, today=today))
    return env


def approver_line(policy: RenderedPolicy) -> str:
    """Who approved the current version, or who is due to approve a draft."""
    latest = policy.approved
    if latest is None:
        return f"{words.sentence_start(policy.by_words(policy.approver))} (not yet approved)"
    return words.sentence_start(policy.by_words(latest.by))


def approved_on(policy: RenderedPolicy, today: dt.date) -> str:
    """'Approved by the full governing body on 21 September 2026' for the cover, saying so if the review is overdue."""
    latest = policy.approved
    if latest is None:
        return "Not yet approved"
    approved = f"Approved by {policy.by_words(latest.by)} {words.on_date(latest.date)}"
    if not is_overdue(policy, today):
        return approved
    overdue = overdue_words(policy)
    return f"{approved}. {overdue[0].upper()}{overdue[1:]}."


def breakable(address: str) -> str:
    """An address that a line may break only at @ . /: never at a hyphen, as it otherwise would."""
    pieces = [piece.replace("-", "-" + NO_BREAK) for piece in ADDRESS_BREAK.split(address) if piece]
    return MAY_BREAK.join(pieces)


def address_html(address: str) -> Markup:
    """breakable(address) as (escaped) HTML, for the templates."""
    return Markup.escape(breakable(address))


def site_of(online_url: str) -> str:
    """The school's policies site, from a policy's address (<site>/policies/<id>.html)."""
    return online_url.rsplit("/policies/", 1)[0] if "/policies/" in online_url else online_url


def print_css(env: jinja2.Environment) -> str:
    """The print stylesheet, inlined into each document so that the HTML is the PDF's whole input."""
    if env.loader is None:
        raise TypeError("the print environment has no template loader")
    css, _, _ = env.loader.get_source(env, "print.css")
    return css


def print_html(env: jinja2.Environment, school: RenderedSchool, policy: RenderedPolicy,
               online_url: str, draft: bool, drawings: Mapping[str, Drawing] | None = None) -> str:
    """The complete print document for one policy of one school; the same input gives the same text.

    online_url is the policy's page, <site>/policies/<id>.html: the cover prints it, and every
    page's footer prints the site (short enough for one line).
    """
    refs = [entry for _, entry in policy.references]
    figures = {chart_id: print_figure(d, svg_data_uri(d.svg)) for chart_id, d in (drawings or {}).items()}
    text = with_picture_uris(with_figures(policy.markdown, figures), picture_uris(school))  # the same pictures, inside
    body, toc = policy_body(text, [entry.url for entry in refs])
    site = site_of(online_url)
    # Markup: the body is our HTML of sanitised policy text (compose/sanitise.py); the CSS is our stylesheet.
    return env.get_template("policy.html.j2").render(
        school=school.school, trust=school.trust, p=policy, body=Markup(body), toc=toc, refs=refs,  # noqa: S704
        online_url=online_url, site_url=site, site_address=site.split("://")[-1].rstrip("/"),
        draft=draft, css=Markup(print_css(env)),  # noqa: S704
        colour=school.colour,
        logo=data_uri(school.logo) if school.logo else None, watermark=svg_data_uri(WATERMARK_SVG),
    )


class _PrintLinks(Treeprocessor):
    """Marks links for print: statutory ones get their reference number, other web links print their URL.

    A link whose words are its address (an email, a web address) breaks only at @ . / (address_html).
    """

    def __init__(self, md: markdown.Markdown, ref_urls: list[str]) -> None:
        super().__init__(md)
        self.numbers = {url: n for n, url in reversed(list(enumerate(ref_urls, start=1)))}

    def run(self, root: ET.Element) -> None:
        for link in list(root.iter("a")):  # changes links while walking
            href = link.get("href", "")
            words = "".join(link.itertext())
            _with_breaks_as_text(link, href, words)
            if href in self.numbers:
                _add_class(link, "ref")
                link.set("data-ref", str(self.numbers[href]))
            elif href.startswith(("http://", "https://")) and words != href:
                _add_class(link, "external")
                link.set("data-address", breakable(href))  # printed after the words (print.css)


def _with_breaks_as_text(link: ET.Element, href: str, words: str) -> None:
    """A link's words as text alone (a <wbr> inside a link would be a link annotation of its own)."""
    if href in (words, "mailto:" + words):
        text = breakable(words)
    elif len(link) and all(child.tag == "wbr" for child in link):
        text = MAY_BREAK.join([link.text or "", *(child.tail or "" for child in link)])
    else:
        return
    for child in list(link):
        link.remove(child)
    link.text = text


def _add_class(element: ET.Element, name: str) -> None:
    element.set("class", f"{element.get('class', '')} {name}".strip())


class _PrintLinksExtension(Extension):
    def __init__(self, ref_urls: list[str]) -> None:
        super().__init__()
        self.ref_urls = ref_urls

    def extendMarkdown(self, md: markdown.Markdown) -> None:  # Markdown's API names it
        # Last, after the dialect's contact links (priority -1) have made their tel: and mailto: links.
        md.treeprocessors.register(_PrintLinks(md, self.ref_urls), "print_links", -10)


def policy_body(text: str, ref_urls: list[str]) -> tuple[str, list[dict[str, Any]]]:
    """The policy's Markdown as HTML, and its h2/h3 headings (level, id, name) for the contents."""
    md = print_markdown([_PrintLinksExtension(ref_urls)])  # the site's dialect, so the PDF reads like the page
    body = md.convert(text)
    toc: list[dict[str, Any]] = []
    _flatten_toc(getattr(md, "toc_tokens", []), toc)
    return body, toc


def _flatten_toc(tokens: list[dict[str, Any]], into: list[dict[str, Any]]) -> None:
    for token in tokens:
        if token["level"] <= 3:
            into.append({"level": token["level"], "id": token["id"], "name": Markup(token["name"])})  # noqa: S704 — the toc's own HTML
        _flatten_toc(token["children"], into)


def data_uri(path: Path) -> str:
    """A file as a data: URI, so that the HTML carries every image it shows."""
    kind = mimetypes.guess_type(path.name)[0] or "application/octet-stream"
    return f"data:{kind};base64,{base64.b64encode(path.read_bytes()).decode('ascii')}"


def svg_data_uri(svg: str) -> str:
    return "data:image/svg+xml," + quote(svg, safe="")


def cache_key(html: str) -> str:
    """sha256 of everything that makes the PDF: the HTML (with its CSS and images) and the tool versions."""
    digest = hashlib.sha256()
    for part in (CACHE_FORMAT, version("weasyprint"), version("pydyf"), html):
        digest.update(part.encode("utf-8") + b"\0")
    return digest.hexdigest()


def render_pdf(html: str, base_url: Path, cache_dir: Path) -> bytes:
    """The tagged PDF of a print document, from the cache when the same input was rendered before."""
    cached = cache_dir / f"{cache_key(html)}.pdf"
    if cached.exists():
        return cached.read_bytes()
    data = weasyprint_pdf(html, base_url)
    write_file(cached, data)  # atomic: a parallel worker never reads half a file
    return data


def weasyprint_pdf(html: str, base_url: Path) -> bytes:
    """Run WeasyPrint: PDF/UA-1 (tagged; title, author, subject and language from the HTML).

    Only data: URLs are fetched, so the HTML is the whole input and nothing is requested from
    the network or read from disk. The output has no creation time of its own (dates come from
    the approval in the HTML) and no random identifier, so the same HTML gives the same bytes.
    """
    import weasyprint

    fonts, images = _shared_by_this_process()
    fetcher = weasyprint.URLFetcher(allowed_protocols=["data"])
    document = weasyprint.HTML(string=html, base_url=str(base_url), url_fetcher=fetcher)
    data: bytes = document.write_pdf(pdf_variant="pdf/ua-1", pdf_identifier=False, font_config=fonts, cache=images)
    return data


def _shared_by_this_process() -> tuple[Any, dict[str, Any]]:
    """What WeasyPrint can share between the documents one process renders, made once per process.

    The font configuration: with a new one per document (WeasyPrint's default) Pango loads and
    measures every font again; sharing it makes each document about a fifth cheaper (scripts/bench).
    The image cache: each logo and flowchart is parsed once (keyed by its data: URL, so by its
    bytes). Neither changes a byte of the PDF. Made in the process that renders, never inherited
    through fork (Pango's state is not shared between processes).
    """
    from weasyprint.text.fonts import FontConfiguration

    pid = os.getpid()
    if pid not in _SHARED:
        _SHARED.clear()
        _SHARED[pid] = (FontConfiguration(), {})
    fonts, images = _SHARED[pid]
    if len(images) > MAX_CACHED_IMAGES:  # a long run of many schools' logos: memory stays bounded
        images.clear()
    return fonts, images


@dataclass(frozen=True)
class PdfJob:
    """One PDF to write: its print HTML and where it goes."""

    html: str
    target: Path
    base_url: Path


@dataclass(frozen=True)
class PdfStats:
    """What render_pdfs did: PDFs written, documents rendered by WeasyPrint, and cache hits."""

    written: int
    rendered: int
    cached: int
    shared: int = 0
    """PDFs that are the same document as another one written (the same HTML): rendered once for all."""


Done = Callable[[int], None]  # told how many more PDFs are written


def render_pdfs(jobs: list[PdfJob], cache_dir: Path, workers: int = 2, done: Done | None = None) -> PdfStats:
    """Write every job's PDF; each distinct HTML is rendered once, `workers` processes at a time."""
    keys = [cache_key(job.html) for job in jobs]
    distinct = {key: job for key, job in zip(keys, jobs, strict=True)}
    missing = [job for key, job in distinct.items() if not (cache_dir / f"{key}.pdf").exists()]
    # Longest first: the workers end together, not with one long document left on a single core.
    missing.sort(key=lambda job: -len(job.html))
    tell = done or (lambda _n: None)
    tell(len(jobs) - len(missing))  # from the cache, or the same document as another
    _render_missing(missing, cache_dir, workers, tell)
    for key, job in zip(keys, jobs, strict=True):
        job.target.parent.mkdir(parents=True, exist_ok=True)
        shutil.copyfile(cache_dir / f"{key}.pdf", job.target)
    return PdfStats(written=len(jobs), rendered=len(missing), cached=len(distinct) - len(missing),
                    shared=len(jobs) - len(distinct))


def _render_missing(jobs: list[PdfJob], cache_dir: Path, workers: int, done: Done) -> None:
    if workers <= 1 or len(jobs) <= 1:
        for job in jobs:
            _render_job(job, cache_dir)
            done(1)
        return
    import weasyprint  # noqa: F401 — imported once here, so forked workers do not each pay ~0.6 s

    context = multiprocessing.get_context("fork")
    with ProcessPoolExecutor(max_workers=min(workers, len(jobs)), mp_context=context) as pool:
        for _ in pool.map(_render_job, jobs, [cache_dir] * len(jobs)):
            done(1)


def _render_job(job: PdfJob, cache_dir: Path) -> None:
    logging.getLogger("fontTools").setLevel(logging.WARNING)  # subsetting chatter
    try:
        render_pdf(job.html, job.base_url, cache_dir)
    except Exception as exc:  # WeasyPrint can fail in many ways; say which PDF it was
        raise BuildFailed(f"{job.target}: WeasyPrint could not render the PDF: {exc}") from exc
