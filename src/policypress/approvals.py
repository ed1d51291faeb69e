"""Approvals recorded as data: `approvals/<school>/<policy>/<date>-v<version>.md`.

Each file records one approval (front matter: date, by, version, minute) and, as its body, the
policy's rendered Markdown exactly as the body approved it. Files are only ever added, never
rewritten, so the folder is the history. `policypress approve` writes them; `load` reads them
(every problem as `path:line: what — fix`) and `render` merges them with the approvals written
in the school and trust files, so next review dates, the site and the PDFs see them at once.
"""

from __future__ import annotations

import datetime as dt
import json
import re
from collections.abc import Iterator
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from policypress.contentcheck import Finding, check_content, load_checked
from policypress.dates import add_months
from policypress.errors import Problem, UsageError
from policypress.load import Project, SchoolSource, Source
from policypress.model import Approval, Approver, review_cycle_months
from policypress.output import write_atomically
from policypress.provenance import policy_words, words_json
from policypress.render import RenderedPolicy, render_project
from policypress.validation import validate
from policypress.words import approver_words, date_words
from policypress.yamlsrc import LineMap, YamlProblem, load_yaml

FOLDER = "approvals"
ORIGINS = ".origins.json"  # the provenance sidecar written beside a snapshot (not an approval)
VERSION = r"[0-9A-Za-z][0-9A-Za-z.-]*"
FILE_NAME = re.compile(rf"^(\d{{4}}-\d{{2}}-\d{{2}})-v({VERSION})\.md$")
EXAMPLE_NAME = "2026-09-21-v7.0.md"


@dataclass(frozen=True)
class Snapshot:
    """One approval file: the record, the policy's Markdown as approved, and where it is."""

    approval: Approval
    markdown: str
    path: str  # relative to the project folder
    lines: LineMap  # the line of each front-matter key


Records = dict[tuple[str, str], tuple[Snapshot, ...]]  # (school id, policy id) -> oldest first


def latest_snapshot(project: Project, school_id: str, policy_id: str) -> Snapshot | None:
    """The newest approval file of this school's policy, if it has any."""
    found = project.approvals.get((school_id, policy_id), ())
    return found[-1] if found else None


def snapshot_text(approval: Approval, markdown: str) -> str:
    """An approval file: the record as YAML front matter, then the approved Markdown unchanged."""
    keys = [f"date: {approval.date.isoformat()}", f"by: {approval.by}", f"version: {json.dumps(approval.version)}"]
    if approval.minute:
        keys.append(f"minute: {json.dumps(approval.minute, ensure_ascii=False)}")
    return "---\n" + "\n".join(keys) + "\n---\n" + markdown


def file_name(approval: Approval) -> str:
    return f"{approval.date.isoformat()}-v{approval.version}.md"


# Reading the folder -----------------------------------------------------------------------------


def read_approvals(project: Project) -> tuple[Records, list[Problem]]:
    """Every approval file of the project, checked; a folder that is not there means none yet."""
    top = project.root / FOLDER
    records: Records = {}
    problems: list[Problem] = []
    for school_dir, policy_dir in _policy_folders(project, top, problems):
        school = project.schools[school_dir.name]
        found = [_read_file(project.root, path, problems) for path in _approval_files(project, policy_dir, problems)]
        snapshots = sorted((s for s in found if s), key=lambda s: (s.approval.date, s.path))
        problems += _reused_versions(project, school, policy_dir.name, snapshots)
        records[(school_dir.name, policy_dir.name)] = tuple(snapshots)
    return records, problems


def _rel(project: Project, path: Path) -> str:
    return path.relative_to(project.root).as_posix()


def _visible(folder: Path) -> list[Path]:
    """What a folder holds, without hidden files (a half-written `.…partial` is one)."""
    return sorted(p for p in folder.iterdir() if not p.name.startswith("."))


def _policy_folders(project: Project, top: Path, problems: list[Problem]) -> Iterator[tuple[Path, Path]]:
    """approvals/<school>/<policy>/ folders whose school and policy exist; the others are problems."""
    if not top.is_dir():
        return
    for school_dir in _visible(top):
        if not _is_school_folder(project, school_dir, problems):
            continue
        for policy_dir in _visible(school_dir):
            if _is_policy_folder(project, policy_dir, problems):
                yield school_dir, policy_dir


def _not_in_folder(project: Project, path: Path) -> Problem:
    return Problem(_rel(project, path), 1, "this file is not in a policy's folder",
                   f"move it to approvals/<school>/<policy>/ and name it after the approval's date and version, "
                   f"e.g. {EXAMPLE_NAME}")


def _is_school_folder(project: Project, folder: Path, problems: list[Problem]) -> bool:
    if not folder.is_dir():
        problems.append(_not_in_folder(project, folder))
        return False
    if folder.name in project.schools:
        return True
    if not any((project.root / "schools").glob(f"*/{folder.name}.yml")):  # else its own problems are reported
        known = ", ".join(sorted(project.schools)) or "none yet"
        problems.append(Problem(_rel(project, folder), 1, f"there is no school '{folder.name}' for these approvals",
                                f"rename the folder to the school's id, one of: {known}"))
    return False


def _is_policy_folder(project: Project, folder: Path, problems: list[Problem]) -> bool:
    if not folder.is_dir():
        problems.append(_not_in_folder(project, folder))
        return False
    school = project.schools[folder.parent.name].source
    if folder.name in school.model.policies:
        return True
    known = ", ".join(sorted(school.model.policies)) or "none yet"
    problems.append(Problem(_rel(project, folder), 1,
                            f"{school.model.name} does not publish a policy '{folder.name}'",
                            f"rename the folder to one of its policies ({known}), or add the policy to {school.path}"))
    return False


def _approval_files(project: Project, folder: Path, problems: list[Problem]) -> list[Path]:
    found = []
    for path in _visible(folder):
        if path.name.endswith(ORIGINS):
            continue
        if path.is_file() and FILE_NAME.match(path.name):
            found.append(path)
        else:
            problems.append(Problem(_rel(project, path), 1,
                                    f"'{path.name}' is not named as an approval: its date and version",
                                    f"name it YYYY-MM-DD-vVERSION.md, e.g. {EXAMPLE_NAME}, or move it out of "
                                    "approvals/"))
    return found


def _read_file(root: Path, path: Path, problems: list[Problem]) -> Snapshot | None:
    rel = path.relative_to(root).as_posix()
    text = path.read_text(encoding="utf-8")
    head, sep, body = text.partition("\n---\n")
    if not text.startswith("---\n") or not sep:
        problems.append(Problem(rel, 1, "the approval has no front matter",
                                "start the file with '---', then date, by, version and minute, then '---' and the "
                                "approved text"))
        return None
    try:
        data, lines = load_yaml(head.removeprefix("---\n"), rel, 2)
    except YamlProblem as exc:
        problems.append(exc.problem)
        return None
    if not isinstance(data, dict):
        problems.append(Problem(rel, 2, "the front matter should hold keys and values",
                                "write date, by, version and minute, one per line"))
        return None
    approval, found = validate(Approval, data, lines, rel)
    problems += found
    if approval is None:
        return None
    problems += _name_problems(path.name, approval, rel, lines)
    return Snapshot(approval, body, rel, lines)


def _name_problems(name: str, approval: Approval, rel: str, lines: LineMap) -> list[Problem]:
    """The file name repeats the date and version, so a listing of the folder reads as the history."""
    match = FILE_NAME.match(name)
    assert match
    found = []
    if match.group(1) != approval.date.isoformat():
        found.append(Problem(rel, lines.get(("date",), 2),
                             f"the date {approval.date.isoformat()} does not match the file name, which says "
                             f"{match.group(1)}", f"make them agree: rename the file to {file_name(approval)}, "
                             "or correct the date"))
    if match.group(2) != approval.version:
        found.append(Problem(rel, lines.get(("version",), 2),
                             f"the version '{approval.version}' does not match the file name, which says "
                             f"'{match.group(2)}'", f"make them agree: rename the file to {file_name(approval)}, "
                             "or correct the version"))
    return found


def _reused_versions(project: Project, school: SchoolSource, policy_id: str,
                     snapshots: list[Snapshot]) -> list[Problem]:
    """A version is approved once: each file's version must be new to the school and trust files too."""
    seen = _written_versions(project, school, policy_id)
    problems = []
    for snapshot in snapshots:
        version = snapshot.approval.version
        if version in seen:
            problems.append(Problem(snapshot.path, snapshot.lines.get(("version",), 2),
                                    f"version {version} of '{policy_id}' is already recorded in {seen[version]}",
                                    "give each approval its own version: record this one with the next version "
                                    "number, or remove the duplicate record"))
        seen.setdefault(version, snapshot.path)
    return problems


def _written_versions(project: Project, school: SchoolSource, policy_id: str) -> dict[str, str]:
    """Versions recorded in the school's and the trust's files for this policy, with their path:line."""
    found: dict[str, str] = {}
    trust = project.trusts.get(school.trust)
    trust_policy = trust.model.policies.get(policy_id) if trust else None
    own = school.source.model.policies[policy_id].approvals
    places: list[tuple[Source[Any], list[Approval]]] = [(school.source, own)]
    if trust and trust_policy:
        places.append((trust, trust_policy.approvals))
    for source, approvals in places:
        for i, approval in enumerate(approvals):
            line = source.lines.get(("policies", policy_id, "approvals", i), 1)
            found.setdefault(approval.version, f"{source.path}:{line}")
    return found


# Recording an approval ---------------------------------------------------------------------------


class Refused(UsageError):
    """The approval cannot be recorded as asked; nothing was written (exit 2)."""


@dataclass(frozen=True)
class ApprovalRequest:
    """What `policypress approve` was asked to record."""

    root: Path
    school_id: str
    policy_id: str
    by: Approver
    date: dt.date
    version: str | None = None
    minute: str | None = None


@dataclass(frozen=True)
class Recorded:
    """What `approve` wrote: the record, the file (relative to the project) and the policy after it."""

    approval: Approval
    path: str
    title: str  # the policy's, as the school publishes it
    school: str  # the school's name
    next_review: dt.date


def approve(request: ApprovalRequest, today: dt.date) -> Recorded:
    """Check the whole project and the request, then write one new approval file atomically."""
    project = load_checked(request.root)
    _require_policy(project, request)
    policy = next(p for p in render_project(project, [request.school_id])[0].policies if p.id == request.policy_id)
    version = request.version or _next_version(policy)
    reasons = _request_problems(request, policy, version, today)
    findings = _policy_findings(project, request.school_id, policy, check_content(project, today))
    if reasons or findings:
        raise Refused(_refusal(project, request, policy, reasons, findings))
    approval = Approval(date=request.date, by=request.by, version=version, minute=request.minute or None)
    path = _write(project, request, approval, policy.markdown)
    latest = max([*policy.approvals, approval], key=lambda a: a.date)
    school = project.schools[request.school_id].source.model.name
    return Recorded(approval, path, policy.meta.title, school, _review_after(policy, latest))


def _require_policy(project: Project, request: ApprovalRequest) -> None:
    school = project.schools.get(request.school_id)
    if school is None:
        raise Refused(f"there is no school '{request.school_id}' — use one of: {', '.join(sorted(project.schools))}")
    if request.policy_id not in school.source.model.policies:
        known = ", ".join(sorted(school.source.model.policies))
        raise Refused(f"{school.source.model.name} does not publish a policy '{request.policy_id}' — use one of its "
                      f"policies ({known}), or add the policy to {school.source.path} first")


def _next_version(policy: RenderedPolicy) -> str:
    """The next major version after the latest approval's: 6.0 → 7.0, 3.1 → 4.0; 1.0 for the first."""
    latest = policy.approved
    if latest is None:
        return "1.0"
    match = re.match(r"^(\d+)(?:\.\d+)*$", latest.version)
    if match is None:
        raise Refused(f"the latest version of this policy is '{latest.version}', which is not a number, so the next "
                      "one cannot be worked out — give it with --version, e.g. --version 2.0")
    return f"{int(match.group(1)) + 1}.0"


def _request_problems(request: ApprovalRequest, policy: RenderedPolicy, version: str,
                      today: dt.date) -> list[str]:
    """What is wrong with the request itself, each as 'what — fix'."""
    found = []
    if request.date > today:
        found.append(f"the date {date_words(request.date)} is in the future (today is {date_words(today)}) — "
                     "record an approval on or after the day of the meeting that made it")
    if request.by != policy.meta.approver:
        allowed = approver_words(policy.meta.approver)
        found.append(f"{approver_words(request.by)} may not approve the \"{policy.meta.title}\": its front "
                     f"matter says it is approved by {allowed} (approver: {policy.meta.approver}) — record the "
                     f"decision of {allowed} with --by {policy.meta.approver}")
    if not re.fullmatch(VERSION, version):
        found.append(f"the version '{version}' cannot be part of a file name — write it with letters, digits, dots "
                     "and hyphens only, e.g. 7.0")
    earlier = next((a for a in policy.approvals if a.version == version), None)
    if earlier:
        found.append(f"version {version} is already recorded (approved by {approver_words(earlier.by)} on "
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


def _policy_findings(project: Project, school_id: str, policy: RenderedPolicy,
                     findings: list[Finding]) -> list[Finding]:
    """Content findings in the files this school's policy is made of; other policies' overlays do not count."""
    school = project.schools[school_id]
    trust = project.trusts[school.trust]
    own = {project.policies[policy.id].meta.path, project.authorities[school.source.model.local_authority].path}
    own |= {project.flowcharts[view.id].path for view in policy.flowcharts if view.id in project.flowcharts}
    shared = {school.source.path: school.source.lines, trust.path: trust.lines}
    registry = project.registry
    cited = {registry.lines.get(("entries", ref_id, "verified")) for ref_id, _entry in policy.references}
    return [f for f in findings if f.path in own
            or (f.path in shared and _policy_at(shared[f.path], f.line) in (None, policy.id))
            or (f.path == registry.path and f.line in cited)]


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
    if (folder / name).exists():  # never rewrite history, even if the folder changed since loading
        raise Refused(f"{_rel(project, folder / name)} already exists — give this approval a new version with "
                      "--version")
    origins = words_json(policy_words(project, request.school_id, request.policy_id))  # for the pack's redline
    write_atomically(folder, {name.removesuffix(".md") + ORIGINS: origins.encode("utf-8"),
                              name: snapshot_text(approval, markdown).encode("utf-8")})
    return _rel(project, folder / name)


def _review_after(policy: RenderedPolicy, latest: Approval) -> dt.date:
    return add_months(latest.date, review_cycle_months(policy.meta.review_cycle))
