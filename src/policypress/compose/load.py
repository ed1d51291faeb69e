"""Load the project: read and validate every file, check across files, and render every school
that can be rendered, so that one run reports every problem before anything is written.

mkdocs.yml is checked here too (site_engine/config_check.py), so a build, check, approve or pack
with a wrong mkdocs.yml stops before writing anything, with its problems beside the others."""

from __future__ import annotations

import datetime as dt
from pathlib import Path

from policypress.compose.cross_checks import check_project
from policypress.compose.render import render_project
from policypress.core.errors import Problem, ProblemCollector, SourceErrors
from policypress.site_engine.config_check import CONFIG, config_problems
from policypress.source.project import Project, SchoolSource
from policypress.source.read import read_project
from policypress.source.reader import UnreadableFile, read_source


def load_project(root: Path, today: dt.date | None = None) -> Project:
    """Load, validate and cross-check everything, mkdocs.yml too; raise SourceErrors listing every problem.

    today: no approval may be dated after it (by default the build's: SOURCE_DATE_EPOCH, else the real date).
    """
    problems = ProblemCollector()
    project = read_project(root, problems)
    broken = {problem.path for problem in problems.problems}
    problems.extend(_site_config_problems(project.root))
    problems.extend(check_project(project, broken, today))
    if problems.problems:
        problems.extend(_render_problems(project, broken))
    problems.raise_if_any()
    return project


def _site_config_problems(root: Path) -> list[Problem]:
    """mkdocs.yml, read like every other file of the project, checked by the site adapter."""
    path = root / CONFIG
    if not path.exists() and not path.is_symlink():
        return config_problems(None)
    try:
        return config_problems(read_source(root, path, CONFIG))
    except UnreadableFile as exc:
        return [exc.problem]


def _render_problems(project: Project, broken: set[str]) -> list[Problem]:
    """The source is already wrong: render the schools that can be, so one run reports all."""
    if "content/statutory.yml" in broken:
        return []
    sound = [sid for sid, school in sorted(project.schools.items()) if _renderable(project, school)]
    if not sound:
        return []
    try:
        render_project(project, sound)
    except SourceErrors as exc:
        return list(exc.problems)
    return []


def _renderable(project: Project, school: SchoolSource) -> bool:
    model = school.source.model
    return (school.trust in project.trusts and model.local_authority in project.authorities
            and all(project.find_model(school, policy_id) for policy_id in model.policies))
