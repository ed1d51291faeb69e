"""`policypress check content`: what the words of the source get wrong, found without the internet.

Reads every policy file and every trust, school, local authority and flowchart file line by
line (the registry itself is not read as text: it names old editions on purpose) and reports:

- old-edition: an edition cited as text that is not the registry's current one ("KCSIE 2023",
  "Working Together to Safeguard Children 2018", "Use of reasonable force"), found however it is
  written (checks/citations.py); a year that two editions share, or an entry the registry is not
  sure of, gives a warning (it does not fail the check);
- old-term: words the current guidance no longer uses (content/terms.yml, checks/old_terms.py);
  a line ending with {## intended ##} quotes old words on purpose and gives neither finding;
- hand-written-link: the address of a registry entry (current or superseded) written out where
  {{ ref("id") }} would keep it current;
- outside-image: a picture loaded from another website (the build refuses these too);
- no-alt-text: a picture without a text alternative;
- unverified-entry: a registry entry not verified for more than max_unverified_days;
- placeholder-link: a link that goes nowhere (`[text](#)`, `[text]()`, `href="javascript:void(0)"`),
  in policy text, overlays or flowcharts; `approve` refuses it, and the build warns about it.

Every finding but a warning is a problem to fix: the command exits 1 when there is any.
"""

from __future__ import annotations

import datetime as dt
import re
from collections.abc import Iterator
from pathlib import Path
from urllib.parse import urlsplit

from policypress.checks.citation_text import URL, normal_url
from policypress.checks.citations import Citation, CitationFinder, edition_verdict
from policypress.checks.findings import CheckResult, Finding, Place
from policypress.checks.internal_links import NO_IMAGES, Link, find_links
from policypress.checks.old_terms import INTENDED, OldTerms
from policypress.compose.load import load_project
from policypress.compose.pictures import LOCAL
from policypress.compose.render import render_project
from policypress.core.dates import build_today, long_date
from policypress.source.content_schema import StatutoryEntry
from policypress.source.project import Project
from policypress.source.reader import read_source


def load_checked(root: Path) -> Project:
    """Load the project and render every school, as a build would: wrong input (an undefined
    placeholder, a missing fact) raises SourceErrors, exit 2. Internal links are left to the
    build, so that an image from another website is reported here as a finding, with the rest."""
    project = load_project(root)
    render_project(project)
    return project


def check_content(project: Project, today: dt.date) -> list[Finding]:
    """Every finding in the source, in file and line order."""
    finder = CitationFinder(project.registry.model)
    terms = OldTerms(project.terms.model if project.terms else None, project.registry.model)
    findings = []
    for path, lineno, text in source_lines(project):
        findings += _line_findings(path, lineno, text, finder)
        if not INTENDED.search(text):
            findings += terms.findings(path, lineno, text)
    return sorted(set(findings + unverified_entries(project, today)))


def source_lines(project: Project) -> Iterator[tuple[str, int, str]]:
    """(path, line number, text) of every line whose words may be published; YAML comments are not."""
    for path in source_files(project):
        for lineno, text in enumerate(read_source(project.root, project.root / path, path).splitlines(), 1):
            if not (path.endswith(".yml") and text.lstrip().startswith("#")):
                yield path, lineno, text


def placeholder_links(project: Project) -> list[Finding]:
    """Every link that goes nowhere, at its line: what the build warns about."""
    return sorted({Finding.at(path, lineno, "placeholder-link", what, fix)
                   for path, lineno, text in source_lines(project) for what, fix in _placeholders(text)})


def _placeholders(text: str) -> list[tuple[str, str]]:
    """(what, fix) for each link in the line whose address is empty, '#' or javascript:."""
    found = []
    for link in (link for link in find_links(text) if not link.image):
        href = link.href.strip()
        if href in ("", "#") or href.lower().startswith("javascript:"):
            shown = f"'{href}'" if href else "an empty address"
            found.append((f"the link '{link.text.strip() or href}' goes nowhere: its address is {shown}",
                          f"replace {shown} with the real address, or remove the link"))
    return found


def source_files(project: Project) -> list[str]:
    """The files whose words reach a site or PDF, as paths relative to the project."""
    paths = [p.meta.path for p in project.all_models()]
    paths += [s.path for s in project.flowcharts.values()]
    paths += [s.path for s in project.authorities.values()]
    paths += [s.path for s in project.trusts.values()]
    paths += [s.source.path for s in project.schools.values()]
    return sorted(set(paths))


def _line_findings(path: str, lineno: int, text: str, finder: CitationFinder) -> list[Finding]:
    found = [] if INTENDED.search(text) else old_editions(path, lineno, text, finder)
    for url in URL.findall(text):
        known = finder.addresses.get(normal_url(url.rstrip(".,;:")))
        if known:
            entry_id, old_edition = known
            found.append(Finding.at(path, lineno, "hand-written-link",
                                    *_hand_written(entry_id, finder.entries[entry_id], old_edition or None)))
    found += [Finding.at(path, lineno, "placeholder-link", what, fix) for what, fix in _placeholders(text)]
    for link in (link for link in find_links(text) if link.image):
        found += [Finding.at(path, lineno, kind, what, fix) for kind, what, fix in _image_problems(link)]
    return found


def unverified_entries(project: Project, today: dt.date) -> list[Finding]:
    """Registry entries whose `verified:` date is more than max_unverified_days before today."""
    registry = project.registry
    limit = registry.model.max_unverified_days
    found = []
    for entry_id, entry in registry.model.entries.items():
        if (today - entry.verified).days > limit:
            line = registry.lines.get(("entries", entry_id, "verified"), 1)
            found.append(Finding.at(
                registry.path, line, "unverified-entry",
                f"the entry '{entry_id}' was last verified on {long_date(entry.verified)}, more than {limit} "
                "days ago", f"check its title, edition and address against {entry.url}, then set verified: "
                "to the date you checked"))
    return found


def old_editions(path: str, lineno: int, text: str, finder: CitationFinder) -> list[Finding]:
    """A finding for each citation of an edition that is not current (a warning when it cannot be told)."""
    found = []
    for citation in finder.find(text):
        if URL.match(citation.quote):
            continue  # an address: a hand-written-link finding says what to do
        entry = finder.entries[citation.entry_id]
        verdict, older = edition_verdict(citation, entry)
        if verdict in ("old", "newer", "unclear"):
            what, fix = _old_edition(citation, entry, verdict, older)
            sure = verdict != "unclear" and not entry.unsure and not _unsure_edition(citation, entry)
            what = _unsure(what, entry, citation)
            found.append(Finding((Place(path, lineno),), "old-edition", what, fix, fails=sure))
    return found


def _unsure_edition(citation: Citation, entry: StatutoryEntry) -> str | None:
    """What is unsure about the older edition cited by its own title, if anything."""
    return next((o.unsure for o in entry.supersedes if citation.old_title and o.edition == citation.old_title
                 and o.unsure), None)


def _unsure(what: str, entry: StatutoryEntry, citation: Citation) -> str:
    doubt = entry.unsure or _unsure_edition(citation, entry)
    return f"{what} (not certain: {doubt})" if doubt else what


def _old_edition(citation: Citation, entry: StatutoryEntry, verdict: str, older: str) -> tuple[str, str]:
    current = f"the current edition is {entry.edition}" + (
        f", in force from {long_date(entry.in_force)}" if entry.in_force else "")
    fix = f'write {{{{ ref("{citation.entry_id}") }}}} instead: it always names and links the current edition'
    quote = citation.quote.strip()
    if citation.old_title:
        return f"\"{quote}\" names guidance that has been replaced by \"{entry.title}\"; {current}", fix
    if verdict == "unclear":
        return (f"\"{quote}\" may cite the {older} edition of \"{entry.title}\" or the current one: {current}, "
                f"and the year alone cannot tell them apart", f"name the month as well, or {fix}")
    if verdict == "newer":
        fix += "; if that edition is now in force, update content/statutory.yml first"
    return f"\"{quote}\" cites the {citation.year} edition of \"{entry.title}\"; {current}", fix


def _hand_written(entry_id: str, entry: StatutoryEntry, old_edition: str | None) -> tuple[str, str]:
    ref = f'write {{{{ ref("{entry_id}") }}}} instead'
    if old_edition:
        return (f"this address is the {old_edition} edition of \"{entry.title}\", replaced by the {entry.edition} "
                "edition", f"{ref}: it links the current edition")
    return (f"the address of \"{entry.title}\" is written out by hand",
            f"{ref}, so the link follows the registry when a new edition comes out")


def _image_problems(link: Link) -> list[tuple[str, str, str]]:
    found = []
    host = urlsplit(link.href).netloc
    if host or re.match(r"^[a-zA-Z][a-zA-Z0-9+.-]*:", link.href):
        found.append(("outside-image", f"the image '{link.href}' is loaded from another website "
                      f"({host or 'unknown'}), and the site must not make any request to other websites",
                      f"use a picture of the school's own instead: {NO_IMAGES}"))
    if not link.text.strip() and not LOCAL.match(link.href):  # a picture of its own: alt text in images.yml
        found.append(("no-alt-text", f"the image '{link.href}' has no text alternative",
                      "say in words what it shows, e.g. ![What the picture shows](…), for people who cannot see it"))
    return found


def run(root: Path, today: dt.date | None = None) -> CheckResult:
    """`policypress check content`: every finding fails the check."""
    day = today or build_today()
    findings = check_content(load_checked(root), day)
    warnings = sum(not f.fails for f in findings)
    summary = (f"{len(findings)} finding(s) in the content on {day.isoformat()}" + (
        f", {warnings} of them warning(s) that are not certain." if warnings else ".") if findings
        else f"No findings in the content on {day.isoformat()}.")
    return CheckResult(findings, summary, findings_document(findings, day), any(f.fails for f in findings),
                       shown=[str(f) for f in findings])


def findings_document(findings: list[Finding], today: dt.date) -> dict[str, object]:
    """The findings for CI: {"today", "count", "findings": [{path, line, kind, what, fix}]}."""
    rows = [{"path": f.path, "line": f.line, "kind": f.kind, "fails": f.fails, "what": f.what, "fix": f.fix}
            for f in findings]
    return {"today": today.isoformat(), "count": len(findings), "findings": rows}
