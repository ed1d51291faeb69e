"""Approvals recorded as data: `approvals/<school>/<policy>/<date>-v<version>.md`.

Each file records one approval (front matter: date, by, version, minute) and, as its body, the
policy's rendered Markdown exactly as the body approved it. Files are only ever added, never
rewritten, so the folder is the history. `policypress approve` (governors/approve.py) writes them;
this module reads them (every problem as `path:line: what — fix`) and `render` merges them with the approvals written
in the school and trust files, so next review dates, the site and the PDFs see them at once.
"""

from __future__ import annotations

import json
import re
from collections.abc import Iterator
from pathlib import Path
from typing import Any

from policypress.core.dates import MonthOnly
from policypress.core.errors import Problem
from policypress.source.project import Project, Records, SchoolSource, Snapshot, Source
from policypress.source.reader import UnreadableFile, read_source
from policypress.source.school_schema import Approval
from policypress.source.validation import validate
from policypress.source.yaml_lines import LineMap, YamlProblem, load_yaml

FOLDER = "approvals"
ORIGINS = ".origins.json"  # the provenance sidecar written beside a snapshot (not an approval)
VERSION = r"[0-9A-Za-z][0-9A-Za-z.-]*"
FILE_NAME = re.compile(rf"^(\d{{4}}-\d{{2}}-\d{{2}})-v({VERSION})\.md$")
EXAMPLE_NAME = "2026-09-21-v7.0.md"


def snapshot_text(approval: Approval, markdown: str) -> str:
    """An approval file: the record as YAML front matter, then the approved Markdown unchanged."""
    keys = [f"date: {approval.date.isoformat()}", f"by: {approval.by}", f"version: {json.dumps(approval.version)}"]
    if approval.minute:
        keys.append(f"minute: {json.dumps(approval.minute, ensure_ascii=False)}")
    if approval.signed_by:
        keys.append(f"signed_by: {json.dumps(approval.signed_by, ensure_ascii=False)}")
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
    try:
        text = read_source(root, path, rel)  # the one reader: a link out of the project is refused
    except UnreadableFile as exc:
        problems.append(exc.problem)
        return None
    head, sep, body = text.partition("\n---\n")
    if not text.startswith("---\n") or not sep:
        problems.append(Problem(rel, 1, "the approval has no front matter",
                                "start the file with '---', then date, by, version and minute, then '---' and the "
                                "approved text"))
        return None
    try:
        data, lines = load_yaml(head.removeprefix("---\n"), rel, 2, problems)
    except YamlProblem as exc:
        problems += exc.problems
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
    if match is None:  # _approval_files keeps only names that match
        return []
    if isinstance(approval.date, MonthOnly):  # only a hand-written, historical approval may lack its day
        return [Problem(rel, lines.get(("date",), 2), f"the date {approval.date.isoformat()} has no day",
                        f"an approval file records a decision: write the meeting's date, {match.group(1)}")]
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

