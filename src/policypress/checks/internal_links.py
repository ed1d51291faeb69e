"""Check the links and #anchors written in policy text against each school's own site, offline.

Runs on every build after rendering and before anything is written, so a broken link fails the
build with the line where it is written (the policy file, or the trust's or school's overlay)
and the previous site stays as it was. MkDocs would also catch it, but only naming the built page.

What is checked, in the policy text of every public policy of every school being built:
- a link to another page of the site (`behaviour.md`, `../contacts.md`) must reach a page that
  this school publishes; links are relative to the policy page, which is in `policies/`;
- a `#section` must be a heading id on the target page: its `{#id}`, or the id the table of
  contents makes from the heading's words (found by rendering the page as MkDocs would);
- an image must be a file of the site: a picture from another website would make every visit
  known to that website, which the site promises never to do. The school's own pictures
  (compose/pictures.py) are files of its site, in its images/ folder.
Links and images written as HTML (`<a href="#aims">`, `<a href="behaviour.html#rewards">`,
`<img src>`) are checked the same way; MkDocs publishes their addresses as written, so an HTML
link names a page by its `.html` address (a `.md` one is refused with the address to write).
Addresses on other websites (and `mailto:`, `tel:`) are left to `policypress check links`.
"""

from __future__ import annotations

import difflib
import html
import posixpath
import re
from dataclasses import dataclass
from html.parser import HTMLParser
from urllib.parse import unquote, urlsplit

import markdown

from policypress.compose.overlays import compose_text
from policypress.compose.render import RenderedPolicy, RenderedSchool
from policypress.compose.sanitise import ATTR, CODE, MD_LINK, MD_REF_DEF, TAG, without_escaped_link_syntax
from policypress.core.errors import Problem, SourceErrors
from policypress.outputs.pages import logo_name, school_pages, site_environment
from policypress.outputs.pictures import published_pictures
from policypress.site_engine.dialect import heading_extensions
from policypress.source.project import Project
from policypress.source.sections import Line

# The site's Markdown extensions that shape headings and their ids (site_engine/dialect.py).
EXTENSIONS = heading_extensions()
SCHEME = re.compile(r"^[a-zA-Z][a-zA-Z0-9+.-]*:")
NO_IMAGES = ("put the picture in content/images/ (or the trust's or school's images/ folder), declare its alt "
             "text in that folder's images.yml and show it with ![](images/<file>) or {{ picture(\"<name>\") }}")


@dataclass(frozen=True)
class Link:
    """A link or image in policy text: its address, its words (an image: its alt text), its kind."""

    href: str
    text: str
    image: bool
    raw_html: bool = False  # written as <a href> or <img src>: MkDocs leaves the address as it is


class _Ids(HTMLParser):
    """Collects the id of every element in rendered HTML."""

    def __init__(self) -> None:
        super().__init__(convert_charrefs=True)
        self.ids: set[str] = set()

    def handle_starttag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        self.ids.update(value for name, value in attrs if name == "id" and value)


def page_ids(markdown_text: str) -> frozenset[str]:
    """The ids a page's headings (and elements) get when the site renders it."""
    scan = _Ids()
    scan.feed(markdown.markdown(_without_front_matter(markdown_text), extensions=EXTENSIONS))
    scan.close()
    return frozenset(scan.ids)


def find_links(markdown_text: str) -> list[Link]:
    """Every Markdown and HTML link and image in the text, outside code, in order.

    Read with the sanitiser's own patterns (not by rendering, which is slow): the sanitiser has
    already decided what the text may contain, so these patterns see what will be published.
    """
    text = without_escaped_link_syntax(CODE.sub(lambda m: " " * len(m.group(0)), markdown_text))
    found = [(m.start(), Link(m.group(3), m.group(2), m.group(1) == "!")) for m in MD_LINK.finditer(text)]
    found += [(m.start(), Link(m.group(2), "", False)) for m in MD_REF_DEF.finditer(text)]
    for tag in TAG.finditer(text):
        name = (tag.group("name") or "").lower()
        attrs = {a.group(1).lower(): (a.group(2) or "").strip("\"'") for a in ATTR.finditer(tag.group("attrs") or "")}
        wanted = {"a": "href", "img": "src"}.get(name)
        if wanted and wanted in attrs and not tag.group("close"):
            found.append((tag.start(), Link(html.unescape(attrs[wanted]), attrs.get("alt", ""), name == "img", True)))
    return [link for _, link in sorted(found, key=lambda item: item[0])]


def _without_front_matter(text: str) -> str:
    """MkDocs reads the `---` block at the top of a page as its settings, not as text."""
    if text.startswith("---\n"):
        end = text.find("\n---\n", 4)
        return text[end + 5:] if end >= 0 else text
    return text


def check_internal_links(project: Project, schools: list[RenderedSchool], pdf: bool) -> None:
    """Raise SourceErrors listing every broken internal link or image in the schools' policy text."""
    problems = internal_link_problems(project, schools, pdf)
    if problems:
        raise SourceErrors(problems)


def internal_link_problems(project: Project, schools: list[RenderedSchool], pdf: bool) -> list[Problem]:
    """Every broken internal link, missing #anchor and outside image, with where it is written."""
    env = site_environment(project.root / "templates")
    problems: list[Problem] = []
    for school in schools:
        site = _Site(school, school_pages(env, school, requirements=project.requirements.model
                                          if project.requirements else None), pdf)
        for policy in school.public_policies:
            lines = _source_lines(project, school, policy.id)
            for link in find_links(policy.markdown):
                problem = _link_problem(site, policy, link)
                if problem:
                    where = written_at(lines, link, policy.id)
                    problems.append(Problem(where.path, where.lineno, *problem))
    return problems


class _Site:
    """One school's site as its links see it: the pages' text, and every file it will have."""

    def __init__(self, school: RenderedSchool, texts: dict[str, str], pdf: bool) -> None:
        self.school, self.pdf = school, pdf
        self.texts = {path: text for path, text in texts.items() if path.endswith(".md")}
        files = set(texts) | ({f"pdf/{p.id}.pdf" for p in school.public_policies} if pdf else set())
        logo = logo_name(school)
        self.files = (files | {logo} if logo else files) | {f"images/{name}" for name in published_pictures(school)}
        self._ids: dict[str, frozenset[str]] = {}

    def ids(self, page: str) -> frozenset[str]:
        """The ids of a page, rendered only when a link needs them (rendering is the slow part)."""
        if page not in self._ids:
            self._ids[page] = page_ids(self.texts[page])
        return self._ids[page]

    def title(self, page: str) -> str:
        found = re.search(r"^# (.+)$", _without_front_matter(self.texts[page]), re.MULTILINE)
        return found.group(1).strip() if found else page


def _source_lines(project: Project, school: RenderedSchool, policy_id: str) -> list[Line]:
    """The policy's text as written, after overlays: each line knows its file and line number."""
    source = project.schools[school.school.id]
    model = project.find_model(source, policy_id)
    lines, _ = compose_text(model, project.trusts[source.trust], source.source) if model else ([], [])
    return lines


def written_at(lines: list[Line], link: Link, policy_id: str) -> Line:
    """The source line a rendered link comes from: placeholders are rendered by then, so the
    line is found by the address as written, else by the link's words."""
    needles = [f"]({link.href}", f'"{link.href}"', link.href, link.text]
    for needle in (n for n in needles if n):
        found = next((line for line in lines if needle in line.text), None)
        if found:
            return found
    return lines[0] if lines else Line("", f"content/policies/{policy_id}.md", 1)


def _link_problem(site: _Site, policy: RenderedPolicy, link: Link) -> tuple[str, str] | None:
    """(what, fix) when a link or image does not work on this school's site."""
    parts = urlsplit(link.href)
    if link.image and (SCHEME.match(link.href) or link.href.startswith("//")):
        return _outside_image(link.href, parts.netloc)
    if SCHEME.match(link.href) or link.href.startswith("//") or not link.href.strip("#"):
        return None  # other websites and placeholders are for `policypress check links`
    page = f"policies/{policy.id}.md"
    target = posixpath.normpath(posixpath.join(posixpath.dirname(page), unquote(parts.path))) \
        if parts.path else page
    if link.image:  # HTML or Markdown, the address is kept as written: relative to the page's folder
        return None if target in site.files else (
            f"the image '{link.href}' is not a file of the site", f"to show a picture of the school's own: {NO_IMAGES}")
    if link.raw_html and parts.path:  # published as written: a page is named by its .html address
        if target.endswith(".md") and target in site.texts:
            return (f"the HTML link '{link.href}' is published as written, and the site has no '.md' pages",
                    f"write '{_relative(target[:-3] + '.html')}', or use a Markdown link: [words]({link.href})")
        target = target[:-5] + ".md" if target.endswith(".html") else target
    if target not in site.files:
        return _missing_target(site, link.href, target)
    if parts.fragment and target in site.texts:
        return _missing_anchor(site, target, link.href, unquote(parts.fragment))
    return None


def _outside_image(href: str, host: str) -> tuple[str, str]:
    return (f"the image '{href}' is loaded from another website ({host or 'unknown'}), and the site "
            "must not make any request to other websites", f"use a picture of the school's own instead: {NO_IMAGES}")


def _missing_target(site: _Site, href: str, target: str) -> tuple[str, str]:
    """Why a link's target is not on the site, and the link that would work."""
    school = site.school.school.name
    if target.endswith(".html") and target[:-5] + ".md" in site.texts:
        return (f"the link '{href}' names the built page",
                f"write '{_relative(target[:-5] + '.md')}': the site turns it into the page's address")
    if not site.pdf and re.fullmatch(r"pdf/[^/]+\.pdf", target):
        return (f"the link '{href}' goes to a PDF, and this build makes no PDFs (--no-pdf)",
                "build without --no-pdf, or link to the policy's page instead")
    same_name = sorted(p for p in site.files if posixpath.basename(p) == posixpath.basename(target))
    policy_id = target.removeprefix("policies/").removesuffix(".md")
    if not same_name and target.startswith("policies/") and policy_id in site.school.school.policies:
        return (f"the link '{href}' goes to the policy '{policy_id}', which is not on the site of {school} "
                "(it is not approved yet, or not public)",
                "approve and publish that policy first, or remove the link")
    if not same_name and re.fullmatch(r"policies/[^/]+\.md", target):
        return (f"the link '{href}' goes to the policy '{policy_id}', which {school} does not publish",
                "remove the link, or write it in an overlay of only the schools that publish that policy")
    what = f"the link '{href}' goes to '{target}', which is not a page of the site of {school}"
    if same_name:
        return what, (f"did you mean '{_relative(same_name[0])}'? Links are written from the policy page, "
                      "which is in the policies/ folder")
    close = difflib.get_close_matches(target, sorted(site.texts), n=1)
    hint = f"did you mean '{_relative(close[0])}'? Otherwise link" if close else "link"
    return what, f"{hint} to a page of the site: ../index.md, ../contacts.md, ../accessibility.md or a policy's id.md"


def _relative(target: str) -> str:
    """How a policy page (in policies/) writes a link to target."""
    return posixpath.relpath(target, "policies")


def _missing_anchor(site: _Site, page: str, href: str, fragment: str) -> tuple[str, str] | None:
    ids = site.ids(page)
    if fragment in ids:
        return None
    close = difflib.get_close_matches(fragment, sorted(ids), n=1)
    hint = f"did you mean '#{close[0]}'? " if close else ""
    return (f"the link '{href}' goes to a section '{fragment}' that the page '{site.title(page)}' does not have",
            f"{hint}Its sections are: {', '.join(sorted(ids))}")
