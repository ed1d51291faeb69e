"""Gather every link each school's policies publish, with where it was written.

A link's place is the school, the policy, and the file and line a person would edit: the model
policy, the trust's or the school's overlay, or, for a link written with ref("id"), the line of
the ref() call (or the policy's `references:` line when only the front matter cites it).
Links are read from the rendered text before it is sanitised, so links the sanitiser removes
from the site (javascript:, file:, empty ones) are still reported to whoever wrote them.
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from typing import Any

from jinja2.sandbox import SandboxedEnvironment

from policypress.checks.findings import Place
from policypress.compose.facts import Facts
from policypress.compose.overlays import compose_text
from policypress.compose.pictures import load_pictures
from policypress.compose.render import RenderedPolicy, RenderedSchool, render_project
from policypress.compose.sandbox import make_environment
from policypress.compose.sanitise import CODE, MD_LINK, MD_REF_DEF, without_escaped_link_syntax
from policypress.outputs.contacts_page import page_contacts
from policypress.source.project import Project, SchoolSource, Source
from policypress.source.sections import Line
from policypress.source.yaml_lines import Loc

AUTOLINK = re.compile(r"<([a-zA-Z][a-zA-Z0-9+.-]*:[^\s<>]*)>")
HTML_URL = re.compile(r"""\b(?:href|src)\s*=\s*(?:"([^"]*)"|'([^']*)'|([^\s"'>]+))""", re.IGNORECASE)
BLOCK_TAG = re.compile(r"\{%.*?%\}")
SCHEME = re.compile(r"^([a-zA-Z][a-zA-Z0-9+.-]*):")
NOT_CHECKED = ("mailto", "tel", "sms", "data")  # not web pages: nothing to fetch


@dataclass(frozen=True)
class LinkUse:
    """One web address used by one school's policy, and where it is written (a Link is what the text says)."""

    url: str
    """The address as written (after rendering), e.g. https://www.gov.uk/… or '#'."""
    place: Place
    """The file and line to edit, with the school and policy that publish it."""
    statutory_policy: bool
    """The policy is a statutory one."""
    public: bool
    """The policy is for the public (it reaches the site once approved)."""

    def sort_key(self) -> tuple[str, str, str, str, int, bool, bool]:
        """By address, then school, policy, file and line."""
        place = self.place
        return (self.url, place.school or "", place.policy or "", place.path, place.line, self.statutory_policy,
                self.public)


def gather_links(project: Project, school_ids: list[str] | None = None) -> list[LinkUse]:
    """Every link of every chosen school (all by default), sorted; raises SourceErrors on bad input."""
    env = make_environment()
    found: set[LinkUse] = set()
    pictures = load_pictures(project)  # picture("name") renders here as in the build
    for rendered in render_project(project, school_ids):
        source = project.schools[rendered.school.id]
        facts = Facts(project, source, env)
        facts.pictures = pictures.for_school(source.source.model.id, source.trust)
        for policy in rendered.policies:
            found.update(_policy_links(project, source, policy, facts))
        found.update(contacts_page_links(project, source, rendered))
        found.update(elsewhere_links(source))
    return sorted(found, key=LinkUse.sort_key)


def elsewhere_links(source: SchoolSource) -> list[LinkUse]:
    """The documents the school publishes on its own website (published_elsewhere:), each at its url line."""
    school = source.source
    return [LinkUse(doc.url, Place(school.path, school.lines.get(("published_elsewhere", req_id, "url"), 1),
                                   school.model.id, None), True, True)
            for req_id, doc in school.model.published_elsewhere.items()]


def contacts_page_links(project: Project, source: SchoolSource, rendered: RenderedSchool) -> list[LinkUse]:
    """The contacts page's links (each contact's website, the school's, the procedures), at their lines."""
    files: dict[str, Source[Any]] = {"school": source.source, "trust": project.trusts[source.trust],
                                      "local_authority": project.authorities[rendered.authority.id]}
    found: list[tuple[str | None, Source[Any], Loc]] = [(c.website, files[level], ("contacts", role, "website"))
             for level, role, c in page_contacts(rendered) if c.website]
    found += [(rendered.school.website, files["school"], ("website",)),
              (rendered.authority.procedures_url, files["local_authority"], ("procedures_url",))]
    school_id = rendered.school.id
    return [LinkUse(url, Place(file.path, file.lines.get(key, 1), school_id, None), False, True)
            for url, file, key in found if url]


def link_targets(markdown: str) -> list[str]:
    """Every link destination in Markdown (inline, reference, autolink, raw HTML), in order,
    leaving out code and links inside the page (relative paths and #anchors)."""
    text = without_escaped_link_syntax(CODE.sub(lambda m: " " * len(m.group(0)), markdown))
    found: list[tuple[int, str]] = []
    found += [(m.start(), m.group(3)) for m in MD_LINK.finditer(text)]
    found += [(m.start(), m.group(2)) for m in MD_REF_DEF.finditer(text)]
    found += [(m.start(), m.group(1)) for m in AUTOLINK.finditer(text)]
    found += [(m.start(), next(g for g in m.groups() if g is not None)) for m in HTML_URL.finditer(text)]
    return [url.strip() for _, url in sorted(found) if _external(url.strip())]


def _external(url: str) -> bool:
    """Worth reporting: an address elsewhere, or a placeholder (#, empty); not a page of the site."""
    if url in ("", "#"):
        return True
    scheme = SCHEME.match(url)
    return scheme is not None and scheme.group(1).lower() not in NOT_CHECKED


def _policy_links(project: Project, source: SchoolSource, policy: RenderedPolicy, facts: Facts) -> list[LinkUse]:
    model = project.find_model(source, policy.id)
    if model is None:  # cannot be: the policy was rendered from it
        return []
    lines, _ = compose_text(model, project.trusts[source.trust], source.source)
    env = facts.env
    context = facts.context(policy.meta)
    text = env.from_string("\n".join(line.text for line in lines)).render(context)
    where = _located(lines, env, context)
    fallback = Line("", lines[0].path if lines else model.meta.path, lines[0].lineno if lines else 1)
    in_entries = entry_links(policy)  # a collection's web address: at its entry's line, shown or not
    made = [_use(url, in_entries.get(url) or _next_line(where.get(url, []), fallback), source, policy)
            for url in link_targets(text)]
    made += [_use(url, line, source, policy) for url, line in in_entries.items()]
    written = {link.url for link in made}
    for index, (_ref_id, entry) in enumerate(policy.references):
        if entry.url not in written:  # cited only in the front matter: listed under the policy's references
            line = model.meta.lines.get(("references", index), model.meta.lines.get(("references",), 1))
            made.append(_use(entry.url, Line("", model.meta.path, line), source, policy))
    return made


def entry_links(policy: RenderedPolicy) -> dict[str, Line]:
    """Every web address of the collection entries the policy shows, at the line of its field."""
    found: dict[str, Line] = {}
    for collection, entries in policy.collections:
        urls = [spec.name for spec in collection.declaration.fields if spec.type == "url"]
        for entry in entries:
            for name in (n for n in urls if entry.values.get(n)):
                found.setdefault(entry.values[name], Line("", entry.path, entry.field_lines[name]))
    return found


def _located(lines: list[Line], env: SandboxedEnvironment, context: dict[str, Any]) -> dict[str, list[Line]]:
    """For each address, the source lines that write it, in order (each line rendered on its own)."""
    where: dict[str, list[Line]] = {}
    for line in lines:
        for url in link_targets(_render_line(line.text, env, context)):
            where.setdefault(url, []).append(line)
    return where


def _next_line(found: list[Line], fallback: Line) -> Line:
    """The next line that writes this address; the last one again when it is written more often."""
    if not found:
        return fallback
    return found.pop(0) if len(found) > 1 else found[0]


def _render_line(text: str, env: SandboxedEnvironment, context: dict[str, Any]) -> str:
    """One line's text as rendered; an {% if %} opened on another line is set aside."""
    if "{" not in text:
        return text
    for candidate in (text, BLOCK_TAG.sub("", text)):
        try:
            return env.from_string(candidate).render(context)
        except Exception:  # noqa: BLE001, S112 — a line alone may not render; try without block tags
            continue
    return text


def _use(url: str, line: Line, source: SchoolSource, policy: RenderedPolicy) -> LinkUse:
    place = Place(line.path, line.lineno, source.source.model.id, policy.id)
    return LinkUse(url, place, policy.meta.statutory, "public" in policy.meta.audience)
