"""`policypress approve`: record one approval, with the policy's text as approved, as a new file.

The file (`approvals/<school>/<policy>/<date>-v<version>.md`, see source/approval_records.py) is
written only when the whole project is sound, the request is allowed, and the policy's own files
have no content findings; every reason for refusing is given at once.
"""

from __future__ import annotations

import datetime as dt
import re
from dataclasses import dataclass, replace
from pathlib import Path

from policypress.checks.content import check_content, load_checked
from policypress.checks.findings import Finding
from policypress.compose.governance import refusal, unknown_body
from policypress.compose.provenance import policy_words, words_json
from policypress.compose.render import RenderedPolicy, render_project
from policypress.compose.wording import date_words
from policypress.core.dates import MonthOnly
from policypress.core.errors import UsageError
from policypress.core.files import write_atomically
from policypress.source.approval_records import FOLDER, ORIGINS, VERSION, file_name, snapshot_text
from policypress.source.project import Project
from policypress.source.school_schema import Approval, Trust
from policypress.source.yaml_lines import LineMap

# Recording an approval ---------------------------------------------------------------------------


class Refused(UsageError):
    """The approval cannot be recorded as asked; nothing was written (exit 2)."""


@dataclass(frozen=True)
class ApprovalRequest:
    """What `policypress approve` was asked to record."""

    root: Path
    school_id: str
    policy_id: str
    by: str
    date: dt.date
    version: str | None = None
    minute: str | None = None
    signed_by: tuple[str, ...] = ()


@dataclass(frozen=True)
class Recorded:
    """What `approve` wrote: the record, the file (relative to the project) and the policy after it."""

    approval: Approval
    path: str
    title: str  # the policy's, as the school publishes it
    school: str  # the school's name
    by: str  # the body's name as printed, with delegation
    next_review: dt.date


def approve(request: ApprovalRequest, today: dt.date) -> Recorded:
    """Check the whole project and the request, then write one new approval file atomically."""
    project = load_checked(request.root)
    _require_policy(project, request)
    policy = next(p for p in render_project(project, [request.school_id])[0].policies if p.id == request.policy_id)
    version = request.version or next_version(policy)
    trust = project.trusts[project.schools[request.school_id].trust].model
    reasons = _request_problems(request, policy, trust, version, today)
    findings = policy_findings(project, request.school_id, policy, check_content(project, today))
    if reasons or findings:
        raise Refused(_refusal(project, request, policy, reasons, findings))
    approval = Approval(date=request.date, by=request.by, version=version, minute=request.minute or None,
                        signed_by=list(request.signed_by))
    path = _write(project, request, approval, policy.markdown)
    latest = max([*policy.approvals, approval], key=lambda a: a.date)
    school = project.schools[request.school_id].source.model.name
    return Recorded(approval, path, policy.meta.title, school, policy.by_words(approval.by),
                    replace(policy, approvals=(*policy.approvals, latest)).next_review or latest.date)


def _require_policy(project: Project, request: ApprovalRequest) -> None:
    school = project.schools.get(request.school_id)
    if school is None:
        raise Refused(f"there is no school '{request.school_id}' — use one of: {', '.join(sorted(project.schools))}")
    if request.policy_id not in school.source.model.policies:
        known = ", ".join(sorted(school.source.model.policies))
        raise Refused(f"{school.source.model.name} does not publish a policy '{request.policy_id}' — use one of its "
                      f"policies ({known}), or add the policy to {school.source.path} first")


def next_version(policy: RenderedPolicy) -> str:
    """The next major version after the latest approval's: 6.0 → 7.0, 3.1 → 4.0; 1.0 for the first."""
    latest = policy.approved
    if latest is None:
        return "1.0"
    match = re.match(r"^(\d+)(?:\.\d+)*$", latest.version)
    if match is None:
        raise Refused(f"the latest version of this policy is '{latest.version}', which is not a number, so the next "
                      "one cannot be worked out — give it with --version, e.g. --version 2.0")
    return f"{int(match.group(1)) + 1}.0"


def _request_problems(request: ApprovalRequest, policy: RenderedPolicy, trust: Trust, version: str,
                      today: dt.date) -> list[str]:
    """What is wrong with the request itself, each as 'what — fix'."""
    found = []
    if request.date > today:
        found.append(f"the date {date_words(request.date)} is in the future (today is {date_words(today)}) — "
                     "record an approval on or after the day of the meeting that made it")
    if isinstance(request.date, MonthOnly):
        found.append(f"the date {date_words(request.date)} has no day — a decision is recorded with the day of "
                     "its meeting: give --date YYYY-MM-DD")
    unknown = unknown_body(trust, request.by)
    refused = None if unknown else refusal(trust, policy.meta, policy.id, request.by)
    if unknown:
        found.append(unknown)
    if refused:
        what, body = refused
        found.append(f"{what} — record the decision of {policy.by_words(body)} with --by {body}")
    if not re.fullmatch(VERSION, version):
        found.append(f"the version '{version}' cannot be part of a file name — write it with letters, digits, dots "
                     "and hyphens only, e.g. 7.0")
    earlier = next((a for a in policy.approvals if a.version == version), None)
    if earlier:
        found.append(f"version {version} is already recorded (approved by {policy.by_words(earlier.by)} on "
                     f"{date_words(earlier.date)}) — give this approval a new version with --version; "
                     "a recorded approval is never changed")
    return found


def _refusal(project: Project, request: ApprovalRequest, policy: RenderedPolicy, reasons: list[str],
             findings: list[Finding]) -> str:
    school = project.schools[request.school_id].source.model.name
    lines = [f"the approval of the \"{policy.meta.title}\" for {school} was not recorded:"]
    lines += [f"  {reason}" for reason in reasons]
    if findings:
        lines.append(f"  the text has {len(findings)} content problem(s), listed below — fix them (policypress check "
                     "content lists them too), then run policypress approve again")
        lines += [f"    {finding}" for finding in findings]
    return "\n".join(lines)


def policy_findings(project: Project, school_id: str, policy: RenderedPolicy,
                    findings: list[Finding]) -> list[Finding]:
    """Content findings in the files this school's policy is made of; other policies' overlays do not count,
    nor warnings (a finding the registry or terms file is not sure of)."""
    school = project.schools[school_id]
    trust = project.trusts[school.trust]
    model = project.find_model(school_id, policy.id)
    own = {model.meta.path if model else "", project.authorities[school.source.model.local_authority].path}
    own |= {project.flowcharts[view.id].path for view in policy.flowcharts if view.id in project.flowcharts}
    shared = {school.source.path: school.source.lines, trust.path: trust.lines}
    registry = project.registry
    cited = {registry.lines.get(("entries", ref_id, "verified")) for ref_id, _entry in policy.references}
    return [f for f in findings if f.fails and (
        f.path in own or (f.path in shared and _policy_at(shared[f.path], f.line) in (None, policy.id))
        or (f.path == registry.path and f.line in cited))]


def _policy_at(lines: LineMap, line: int) -> str | None:
    """The policy whose entry under `policies:` holds this line of a trust or school file, if any."""
    if ("policies",) not in lines:
        return None
    starts = sorted((number, str(loc[1])) for loc, number in lines.items() if len(loc) == 2 and loc[0] == "policies")
    after = [number for loc, number in lines.items() if len(loc) == 1 and number > lines[("policies",)]]
    if after and line >= min(after):
        return None
    owners = [policy_id for start, policy_id in starts if start <= line]
    return owners[-1] if owners else None


def _write(project: Project, request: ApprovalRequest, approval: Approval, markdown: str) -> str:
    folder = project.root / FOLDER / request.school_id / request.policy_id
    name = file_name(approval)
    where = (folder / name).relative_to(project.root).as_posix()
    if (folder / name).exists():  # never rewrite history, even if the folder changed since loading
        raise Refused(f"{where} already exists — give this approval a new version with "
                      "--version")
    origins = words_json(policy_words(project, request.school_id, request.policy_id))  # for the pack's redline
    write_atomically(folder, {name.removesuffix(".md") + ORIGINS: origins.encode("utf-8"),
                              name: snapshot_text(approval, markdown).encode("utf-8")})
    return where
