"""`policypress check publishing`: is everything each school must publish online published, and current?

For every school, by its kind, phase, nursery and sixth form, each requirement of
`content/publishing.yml` that applies (compose/publishing.py works out where each is met) and:

- missing: no published policy meets it and no document elsewhere is declared;
- draft-only: a policy meets it, but it has never been approved, so it is not published;
- overdue: what meets it is older than the requirement's update interval;
- unreachable: the document the school publishes elsewhere cannot be opened (fetched as
  `check links` fetches: same settings, same cache); when the check cannot tell, it says
  unverified and why, never unreachable.

The check fails (exit 1) when a "must" is not met; a "should", and any requirement the
reference is not sure of, is reported as a warning (--strict: those fail too).
"""

from __future__ import annotations

import datetime as dt
from pathlib import Path

from policypress.checks.findings import CheckResult, Finding, Place
from policypress.checks.links.judge import CACHE, static_problem
from policypress.checks.links.settings import load_settings, with_options
from policypress.checks.links.verdicts import Checked, LinkCache, check_urls
from policypress.compose.load import load_project
from policypress.compose.publishing import Standing, standings
from policypress.compose.render import RenderedSchool, render_project
from policypress.compose.wording import date_words
from policypress.core.dates import build_today
from policypress.core.errors import Problem, SourceErrors, UsageError
from policypress.source.project import Project, SchoolSource

UNREACHABLE = ("broken", "not_public", "withdrawn", "certificate")
KIND_WORDS = {"maintained": "maintained school", "academy": "academy", "free_school": "free school"}

Verdicts = dict[str, Checked]


def run(root: Path, /, today: dt.date | None = None, schools: tuple[str, ...] = (), offline: bool = False,
        strict: bool = False, refresh: bool = False, config_file: Path | None = None,
        **options: object) -> CheckResult:
    """Check every chosen school's publishing; options are check links' network settings (map, timeout …)."""
    day = today or build_today()
    project = _project_with_requirements(root)
    rendered = render_project(project, _chosen(project, schools))
    per_school = [(school, standings(project.requirements.model if project.requirements else None, school, day))
                  for school in rendered]
    verdicts, network = ({}, "") if offline else _fetch(root, per_school, refresh, config_file, options)
    findings = [f for school, found in per_school for f in _findings(project, school, found, verdicts, strict)]
    notes = _notes(per_school, verdicts, offline, network)
    return CheckResult(findings, _summary(per_school, findings, day), _document(per_school, findings, verdicts, day),
                       any(f.fails for f in findings), shown=_shown(per_school, findings), notes=notes)


def _project_with_requirements(root: Path) -> Project:
    project = load_project(root)
    if project.requirements is None:
        raise SourceErrors([Problem("content/publishing.yml", 1, "the project has no publishing requirements, so "
                                    "there is nothing to check against",
                                    "copy content/publishing.yml from `policypress init --example DIR`, then give "
                                    "each school its kind (maintained, academy or free_school)")])
    return project


def _chosen(project: Project, schools: tuple[str, ...]) -> list[str] | None:
    unknown = [s for s in schools if s not in project.schools]
    if unknown:
        raise UsageError(f"no school called {', '.join(unknown)} — use one of: {', '.join(sorted(project.schools))}")
    return list(schools) or None


def _fetch(root: Path, per_school: list[tuple[RenderedSchool, list[Standing]]], refresh: bool,
           config_file: Path | None, options: dict[str, object]) -> tuple[Verdicts, str]:
    """Each document published elsewhere fetched once, as `check links` does (its settings and cache)."""
    urls = sorted({s.document.url for _, found in per_school for s in found if s.document})
    if not urls:
        return {}, ""
    settings = with_options(load_settings(root, config_file), False, **options)
    known = {url: Checked("broken" if problem[0] == "broken" else "not_public", problem[1], keep=False)
             for url in urls if (problem := static_problem(url, settings))}  # private, intranet: never fetched
    web = [url for url in urls if url not in known]
    verdicts, stats = check_urls(web, settings, LinkCache(root / CACHE, settings.ttl_days, dt.datetime.now(dt.UTC)),
                                 refresh) if web else ({}, None)
    return {**verdicts, **known}, stats.network if stats else ""


def _findings(project: Project, school: RenderedSchool, found: list[Standing], verdicts: Verdicts,
              strict: bool) -> list[Finding]:
    source = project.schools[school.school.id]
    results = []
    for standing in found:
        for kind, line, what, fix in _problems(source, school, standing, verdicts):
            certain = standing.level == "must" and not standing.requirement.unsure and kind != "unverified"
            fails = certain or (strict and kind != "unverified")
            results.append(Finding((Place(source.source.path, line, school.school.id, _policy_id(standing)),),
                                   kind, _sure(what, standing), fix, subject=f"{school.school.id}:{standing.id}",
                                   statutory=standing.level == "must", fails=fails))
    return results


def _policy_id(standing: Standing) -> str | None:
    return standing.policy.id if standing.policy else None


def _sure(what: str, standing: Standing) -> str:
    unsure = standing.requirement.unsure
    return f"{what} (not certain: {unsure})" if unsure else what


def _problems(source: SchoolSource, school: RenderedSchool, standing: Standing,
              verdicts: Verdicts) -> list[tuple[str, int, str, str]]:
    """(kind, line, what, fix) for what is wrong with one requirement at one school."""
    name, what = school.school.name, standing.requirement.what
    asked = "must" if standing.level == "must" else "should"
    lines = source.source.lines
    found = []
    if standing.status == "missing":
        found.append(("missing", lines.get(("policies",), 1),
                      f"{name} {asked} publish its {_lower(what)} online, and nothing published meets it",
                      f"add `meets: [{standing.id}]` to the policy that covers it (and list that policy here), or "
                      f"declare the document under published_elsewhere: {standing.id}: {{url: …, updated: …}}"))
    elif standing.status == "draft-only" and standing.policy:
        policy = standing.policy
        found.append(("draft-only", lines.get(("policies", policy.id), 1),
                      f"{name} {asked} publish its {_lower(what)} online; '{policy.meta.title}' meets it but has "
                      "never been approved, so it is not published",
                      f"approve it (policypress approve --school {school.school.id} --policy {policy.id} --by … "
                      "--date …), and it is published on the next build"))
    elif standing.status == "overdue":
        found.append(_overdue(source, school, standing))
    if standing.document:
        found += _reachability(source, standing, verdicts)
    return found


def _overdue(source: SchoolSource, school: RenderedSchool, standing: Standing) -> tuple[str, int, str, str]:
    lines, what = source.source.lines, _lower(standing.requirement.what)
    cycle = (standing.requirement.update_every or "").replace("_", " ")
    when = f"was last brought up to date on {date_words(standing.updated)} and was due again by " \
           f"{date_words(standing.due)} ({cycle})"
    if standing.policy:
        policy = standing.policy
        return ("overdue", lines.get(("policies", policy.id, "approvals"), lines.get(("policies", policy.id), 1)),
                f"{school.school.name}'s {what} ('{policy.meta.title}') {when}",
                "review the policy and record its approval (policypress approve), then build again")
    return ("overdue", lines.get(("published_elsewhere", standing.id, "updated"), 1),
            f"{school.school.name}'s {what} on its own website {when}",
            "bring the document up to date on the school's website, then set updated: to that date")


def _reachability(source: SchoolSource, standing: Standing, verdicts: Verdicts) -> list[tuple[str, int, str, str]]:
    document = standing.document
    checked = verdicts.get(document.url) if document else None
    if document is None or checked is None:
        return []
    line = source.source.lines.get(("published_elsewhere", standing.id, "url"), 1)
    what = _lower(standing.requirement.what)
    if checked.outcome in UNREACHABLE:
        return [("unreachable", line, f"the {what} published elsewhere cannot be opened: {document.url} "
                 f"answered {checked.status}", "correct the address under published_elsewhere (open it in a "
                 "browser to check), or publish the document again at that address")]
    if checked.outcome == "unverified":
        return [("unverified", line, f"whether the {what} at {document.url} can be opened is unverified: "
                 f"{checked.status}", "nothing to fix unless it stays unverified; open it in a browser to check")]
    return []


def _lower(what: str) -> str:
    return what[:1].lower() + what[1:] if what[1:2].islower() else what


def _summary(per_school: list[tuple[RenderedSchool, list[Standing]]], findings: list[Finding], day: dt.date) -> str:
    complete = [s.school.name for s, found in per_school if all(x.met for x in found)]
    failing = sum(f.fails for f in findings)
    met = (f" {', '.join(complete)} {'meets' if len(complete) == 1 else 'meet'} every requirement." if complete
           else "")
    return (f"{len(per_school)} school(s) checked on {day.isoformat()}: {failing} finding(s) about a \"must\" that "
            f"fail, {len(findings) - failing} warning(s).{met}")


def _shown(per_school: list[tuple[RenderedSchool, list[Standing]]], findings: list[Finding]) -> list[str]:
    shown = []
    for school, found in per_school:
        met = sum(s.met and s.status != "overdue" for s in found)
        kind = KIND_WORDS.get(school.school.kind or "", "kind not given")
        shown.append(f"{school.school.name} ({kind}, {school.school.phase}): {met} of {len(found)} requirements met")
        shown += [f"  {f}" for f in findings if f.place.school == school.school.id]
    return shown


def _notes(per_school: list[tuple[RenderedSchool, list[Standing]]], verdicts: Verdicts, offline: bool,
           network: str) -> list[str]:
    documents = sum(bool(s.document) for _, found in per_school for s in found)
    if offline and documents:
        return [f"--offline: the {documents} document(s) published elsewhere were not fetched (check links fetches "
                "them too)."]
    return [f"Network: {network}; those documents are unverified, not unreachable."] if network else []


def _document(per_school: list[tuple[RenderedSchool, list[Standing]]], findings: list[Finding], verdicts: Verdicts,
              day: dt.date) -> dict[str, object]:
    """{"today", "schools": [{id, name, kind, phase, requirements: [...]}], "findings": [...]}."""
    schools = [{"id": s.school.id, "name": s.school.name, "kind": s.school.kind, "phase": s.school.phase,
                "requirements": [_requirement_json(x, verdicts) for x in found]} for s, found in per_school]
    rows = [{"school": f.place.school, "path": f.path, "line": f.line, "kind": f.kind, "requirement":
             f.subject.split(":", 1)[1], "fails": f.fails, "what": f.what, "fix": f.fix} for f in findings]
    return {"today": day.isoformat(), "schools": schools, "count": len(findings),
            "failing": sum(f.fails for f in findings), "findings": rows}


def _requirement_json(standing: Standing, verdicts: Verdicts) -> dict[str, object]:
    document = standing.document
    checked = verdicts.get(document.url) if document else None
    return {"id": standing.id, "what": standing.requirement.what, "level": standing.level, "status": standing.status,
            "policy": standing.policy.id if standing.policy else None, "url": document.url if document else None,
            "reached": checked.outcome if checked else None,
            "updated": standing.updated.isoformat() if standing.updated else None,
            "due": standing.due.isoformat() if standing.due else None, "unsure": standing.requirement.unsure}
