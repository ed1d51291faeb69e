"""Checks across files: every id one file names must exist in another, overlays must fit.

Approvals are checked wherever they are written (a school file, trust.yml, an approvals/ file):
none may be dated after today (the build's: SOURCE_DATE_EPOCH's date, else the real date), and
each must be by the body the policy's front matter names as its approver, as `approve` demands;
a trust-wide approval in trust.yml may also be by the trust board, which stands above every
school's governors (it is what trust.yml's approvals are for).
A logo must be a PNG or JPEG file, or an SVG with nothing in it that runs or loads (logos.py).
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Collection, Iterator
from pathlib import Path

from policypress.compose.governance import body_words, governance_problems, refusal, unknown_body
from policypress.compose.logos import LOGO_KINDS, logo_content_problems
from policypress.compose.overlays import compose_meta, compose_text, duplicate_problem
from policypress.compose.publishing_checks import publishing_problems
from policypress.compose.scope_checks import school_policy_problem, trust_policy_problem
from policypress.compose.wording import date_words
from policypress.core.dates import MonthOnly, build_today
from policypress.core.errors import Problem
from policypress.source.flowchart_shape import shape_problems
from policypress.source.project import PolicySource, Project, SchoolSource, Source
from policypress.source.reader import UnreadableFile, read_source_bytes
from policypress.source.review_cycles import cycle_problems
from policypress.source.school_schema import Approval, School, Trust
from policypress.source.sections import duplicate_ids, sections
from policypress.source.yaml_lines import LineMap


def check_project(project: Project, broken: Collection[str] = (), today: dt.date | None = None) -> list[Problem]:
    """Every cross-file problem in the project; files in broken were found but could not be read.

    today: the day no approval may be after (by default the build's, core.dates.build_today)."""
    project_broken = _Broken(broken)
    problems = _policy_problems(project, project_broken)
    problems += cycle_problems(project)
    for trust_id, trust in project.trusts.items():
        for policy_id in trust.model.policies:
            problems += trust_policy_problem(project, trust_id, policy_id, project_broken.policy)
        problems += _locked_problems(project, trust_id)
        problems += logo_problems(project, trust_id, trust)
    for chart in project.flowcharts.values():
        problems += shape_problems(chart)
    for school in project.schools.values():
        problems += _school_problems(project, school, project_broken)
        problems += logo_problems(project, school.trust, school.source)
    problems += approval_problems(project, today or build_today())
    problems += governance_problems(project)
    problems += publishing_problems(project)
    return problems


def logo_file(project: Project, trust_id: str, logo: str) -> Path:
    """Where a branding logo is: relative to the trust's folder."""
    return (project.root / "schools" / trust_id / logo).resolve()


def logo_problems(project: Project, trust_id: str, source: Source[Trust] | Source[School]) -> list[Problem]:
    """A logo must be a PNG, JPEG or safe SVG file inside the source tree."""
    branding = source.model.branding
    if branding.logo is None:
        return []
    path = logo_file(project, trust_id, branding.logo)
    line = source.lines.get(("branding", "logo"), 1)
    if not path.is_relative_to(project.root):
        return [Problem(source.path, line, f"the logo '{branding.logo}' is outside the source tree",
                        f"copy the file into schools/{trust_id}/ and give its name")]
    if not path.is_file():
        return [Problem(source.path, line, f"there is no logo file '{branding.logo}'",
                        f"check the name; it is relative to schools/{trust_id}/")]
    if path.suffix.lower() not in LOGO_KINDS:
        return [Problem(source.path, line, f"the logo '{branding.logo}' is not a PNG, JPEG or SVG file",
                        "save the logo as .png, .jpg or .svg")]
    rel = path.relative_to(project.root).as_posix()
    try:
        data = read_source_bytes(project.root, path, rel)
    except UnreadableFile as exc:
        return [exc.problem]
    return logo_content_problems(path, data, rel, (source.path, line))


# Approvals written by hand ------------------------------------------------------------------------


def approval_problems(project: Project, today: dt.date) -> list[Problem]:
    """Approvals dated after today, or by another body than the policy's approver, wherever written."""
    problems = []
    for approval, path, lines, loc, policy_id, school in _written_approvals(project):
        policy = (project.find_model(school, policy_id) if school
                  else _trust_model_of(project, path, policy_id))
        if _first_day(approval.date) > today:
            problems.append(Problem(path, lines.get((*loc, "date"), lines.get(loc, 1)),
                                    f"the approval date {date_words(approval.date)} is in the future (today is "
                                    f"{date_words(today)})", "write the date of the meeting that made the "
                                    "decision: an approval is recorded on or after that day"))
        if policy is None:
            continue  # an unknown policy id is reported where it is named
        trust = project.trusts.get(school.trust) if school else next(
            (t for t in project.trusts.values() if t.path == path), None)
        meta = compose_meta(policy, trust.model, school.source.model) if school and trust else policy.meta.model
        unknown = unknown_body(trust.model, approval.by) if trust else None
        refused = refusal(trust.model, meta, policy_id, approval.by, school is None) if trust and not unknown else None
        if unknown:
            what, _, fix = unknown.partition(" — ")
            problems.append(Problem(path, lines.get((*loc, "by"), lines.get(loc, 1)), what, fix))
        if refused:
            what, body = refused
            allowed = body_words(trust.model, body) if trust else body
            problems.append(Problem(path, lines.get((*loc, "by"), lines.get(loc, 1)), what,
                                    f"write by: {body} if {allowed} made the decision; if not, the policy "
                                    f"is not approved yet: remove this approval until {allowed} approves it"))
    return problems


def _first_day(day: dt.date) -> dt.date:
    """A month-only date is in the past once its month has begun."""
    return day.replace(day=1) if isinstance(day, MonthOnly) else day


def _trust_model_of(project: Project, trust_path: str, policy_id: str) -> PolicySource | None:
    trust_id = next((tid for tid, trust in project.trusts.items() if trust.path == trust_path), "")
    return project.trust_model(trust_id, policy_id)


TRUST_BOARD = "trust_board"
WrittenApproval = tuple[Approval, str, LineMap, tuple[str | int, ...], str, SchoolSource | None]


def _written_approvals(project: Project) -> Iterator[WrittenApproval]:
    """Every approval with its file, line map, place in the file, policy id and school (None: trust-wide)."""
    for trust in project.trusts.values():
        for policy_id, trust_policy in trust.model.policies.items():
            for i, approval in enumerate(trust_policy.approvals):
                yield approval, trust.path, trust.lines, ("policies", policy_id, "approvals", i), policy_id, None
    for school in project.schools.values():
        source = school.source
        for policy_id, school_policy in source.model.policies.items():
            for i, approval in enumerate(school_policy.approvals):
                yield approval, source.path, source.lines, ("policies", policy_id, "approvals", i), policy_id, school
    for (school_id, policy_id), snapshots in project.approvals.items():
        for snapshot in snapshots:
            yield snapshot.approval, snapshot.path, snapshot.lines, (), policy_id, project.schools.get(school_id)


class _Broken:
    """Files that exist but could not be read: what they define must not be called missing."""

    def __init__(self, paths: Collection[str]) -> None:
        self.paths = set(paths)

    def policy(self, policy_id: str) -> bool:
        """A model of this id, in any scope, could not be read."""
        return any(path.endswith(f"policies/{policy_id}.md") for path in self.paths)

    def authority(self, la_id: str) -> bool:
        return f"schools/local-authorities/{la_id}.yml" in self.paths

    @property
    def registry(self) -> bool:
        return "content/statutory.yml" in self.paths


def _policy_problems(project: Project, broken: _Broken) -> list[Problem]:
    problems = []
    known = project.registry.model.entries
    for policy in project.all_models():
        for line, first in duplicate_ids(policy.body):
            problems.append(duplicate_problem(line, first))
        for i, ref in enumerate(policy.meta.model.references):
            if ref not in known and not broken.registry:
                problems.append(Problem(policy.meta.path, policy.meta.lines.get(("references", i), 1),
                                        f"'{ref}' is not in content/statutory.yml",
                                        "add it to the registry or correct the id"))
    return problems


def _locked_problems(project: Project, trust_id: str) -> list[Problem]:
    trust = project.trusts[trust_id]
    problems = []
    for policy_id, trust_policy in trust.model.policies.items():
        policy = project.trust_model(trust_id, policy_id)
        if policy is None:
            continue
        known = sections(policy.body)
        for i, locked in enumerate(trust_policy.locked):
            if locked not in known:
                line = trust.lines.get(("policies", policy_id, "locked", i), 1)
                problems.append(Problem(trust.path, line, f"policy '{policy_id}' has no section '{locked}' to lock",
                                        f"use one of its section ids: {', '.join(known)}"))
    return problems


def _school_problems(project: Project, school: SchoolSource, broken: _Broken) -> list[Problem]:
    source = school.source
    problems = []
    la = source.model.local_authority
    if la not in project.authorities and not broken.authority(la):
        known = ", ".join(project.authorities) or "none"
        problems.append(Problem(source.path, source.lines.get(("local_authority",), 1),
                                f"there is no local authority '{la}'",
                                f"add schools/local-authorities/{la}.yml or use one of: {known}"))
    if source.model.id in project.trusts:  # build/reports/<id>-reviews.ics would hold both feeds
        problems.append(Problem(source.path, source.lines.get(("id",), 1),
                                f"school id '{source.model.id}' is also a trust's id",
                                "give the school an id of its own (and rename its file to match)"))
    trust = project.trusts.get(school.trust)
    for policy_id in source.model.policies:
        problems += school_policy_problem(project, school, policy_id, broken.policy)
        model = project.find_model(school, policy_id)
        if model and trust:
            problems += compose_text(model, trust, source)[1]
    return problems
