"""`policypress build`: load and render everything, then write every school's site at once."""

from __future__ import annotations

import datetime as dt
import shutil
from dataclasses import dataclass
from pathlib import Path

from policypress.checks.content import placeholder_links
from policypress.checks.internal_links import check_internal_links
from policypress.checks.review_reports import write_review_reports
from policypress.checks.reviews import DEFAULT_WITHIN
from policypress.compose.load import load_project
from policypress.compose.render import RenderedSchool, render_project
from policypress.core.dates import build_today, source_date_epoch
from policypress.core.errors import UsageError
from policypress.core.files import replace_parts, replace_tree, staging, write_files
from policypress.outputs.diagrams import draw_schools
from policypress.outputs.figures import Drawing
from policypress.outputs.pages import logo_name, navigation, school_pages, site_environment
from policypress.outputs.pdf import PdfJob, print_environment, print_html, render_pdfs
from policypress.outputs.pictures import write_pictures
from policypress.outputs.site_chrome import chrome_files, school_chrome, trust_not_found
from policypress.site_engine.mkdocs_driver import SiteJob, build_sites, write_config
from policypress.source.project import Project

SchoolDrawings = dict[str, dict[str, Drawing]]  # school id → flowchart id → drawing


@dataclass(frozen=True)
class BuildRequest:
    """What to build and where."""

    root: Path
    out: Path
    schools: tuple[str, ...] = ()
    shard: tuple[int, int] | None = None
    jobs: int = 2
    pdf: bool = True


@dataclass(frozen=True)
class BuildResult:
    """What a build wrote."""

    site: Path
    schools: tuple[str, ...]
    warnings: tuple[str, ...] = ()  # published anyway, but to fix: placeholder links, at their lines


def build(request: BuildRequest) -> BuildResult:
    """Validate and render everything, then build the chosen schools' sites into out/site."""
    project = load_project(request.root)
    chosen = choose_schools(project, request.schools, request.shard)
    rendered = render_project(project)  # every school: the trust index lists them all
    today = build_today()  # not the newest source date: a review falls due with no change to the source
    epoch = source_date_epoch(today)
    chosen_schools = [s for s in rendered if s.school.id in chosen]
    check_internal_links(project, chosen_schools, request.pdf)  # before anything is written
    drawings = draw_schools(chosen_schools, request.out / ".cache" / "svg")  # may still find input errors
    with staging(request.out) as tmp:
        new_site = tmp / "site"
        sizes = _write_pdfs(request, tmp, chosen_schools, drawings) if request.pdf else {}
        _build_school_sites(project, tmp, chosen_schools, (sizes, drawings), request.jobs, epoch)
        write_files(new_site, {"index.html": trust_index(request.root, rendered),
                               "404.html": trust_not_found(site_environment(request.root / "templates"), rendered)})
        if request.schools or request.shard:
            replace_parts(new_site, request.out / "site", [*chosen, "index.html", "404.html"])
        else:
            replace_tree(new_site, request.out / "site")
    write_review_reports(request.out / "reports", request.root / "templates", rendered, today, DEFAULT_WITHIN,
                         project.requirements.model if project.requirements else None)
    return BuildResult(request.out / "site", tuple(chosen), tuple(map(str, placeholder_links(project))))


def choose_schools(project: Project, wanted: tuple[str, ...], shard: tuple[int, int] | None) -> list[str]:
    """The school ids to build: those named (all by default), then this shard's share."""
    unknown = [s for s in wanted if s not in project.schools]
    if unknown:
        raise UsageError(f"unknown school {', '.join(unknown)} — known schools: {', '.join(sorted(project.schools))}")
    ids = sorted(wanted or project.schools)
    if shard:
        index, count = shard
        ids = [sid for n, sid in enumerate(ids) if n % count == index - 1]
    return ids


def latest_source_date(project: Project) -> dt.date:
    """The newest date written in the source: the build date when SOURCE_DATE_EPOCH is unset."""
    dates = [e.verified for e in project.registry.model.entries.values()]
    for trust in project.trusts.values():
        dates += [a.date for tp in trust.model.policies.values() for a in tp.approvals]
    for school in project.schools.values():
        dates += [a.date for sp in school.source.model.policies.values() for a in sp.approvals]
    dates += [snapshot.approval.date for found in project.approvals.values() for snapshot in found]
    return max(dates, default=dt.date(2026, 1, 1))


def online_url(school: RenderedSchool, page: str) -> str:
    """The address of a page of the school's published site (printed on paper copies)."""
    base = school.trust.site_url or school.school.website.rstrip("/") + "/policies/"
    return f"{base.rstrip('/')}/{school.school.id}/{page}"


def _write_pdfs(request: BuildRequest, tmp: Path, schools: list[RenderedSchool],
                drawings: SchoolDrawings) -> dict[str, dict[str, int]]:
    """Render every public policy's PDF into the docs folders; return sizes by school and policy."""
    env = print_environment(request.root / "templates")
    jobs = []
    for school in schools:
        for policy in school.public_policies:
            html = print_html(env, school, policy, online_url(school, f"policies/{policy.id}.html"), draft=False,
                              drawings=drawings.get(school.school.id))
            target = tmp / "docs" / school.school.id / "pdf" / f"{policy.id}.pdf"
            jobs.append(PdfJob(html, target, request.root))
    render_pdfs(jobs, request.out / ".cache" / "pdf", request.jobs)
    sizes: dict[str, dict[str, int]] = {}
    for job in jobs:
        sizes.setdefault(job.target.parent.parent.name, {})[job.target.stem] = job.target.stat().st_size
    return sizes


def _build_school_sites(project: Project, tmp: Path, schools: list[RenderedSchool],
                        made: tuple[dict[str, dict[str, int]], SchoolDrawings], jobs: int, epoch: int) -> None:
    """Write each school's pages (made: PDF sizes and flowchart drawings, by school), then run MkDocs."""
    pdf_sizes, drawings = made
    root, requirements = project.root, project.requirements.model if project.requirements else None
    env = site_environment(root / "templates")
    configs = []
    for school in schools:
        sid = school.school.id
        write_files(tmp / "docs" / sid, school_pages(env, school, pdf_sizes.get(sid, {}), drawings.get(sid),
                                                     requirements))
        write_files(tmp / "docs" / sid, chrome_files(school))
        logo = logo_name(school)
        if school.logo and logo:
            shutil.copyfile(school.logo, tmp / "docs" / sid / logo)
        write_pictures(tmp / "docs" / sid, school)
        job = SiteJob(sid, school.school.name, tmp / "docs" / sid, tmp / "site" / sid,
                      navigation(school, requirements is not None), logo, school_chrome(school))
        config = tmp / "config" / f"{sid}.yml"
        config.parent.mkdir(parents=True, exist_ok=True)
        write_config(job, root / "mkdocs.yml", config)
        configs.append(config)
    build_sites(configs, jobs, epoch)


def trust_index(root: Path, schools: list[RenderedSchool]) -> str:
    """build/site/index.html: every trust and a link to each of its schools' sites."""
    by_trust: dict[str, list[RenderedSchool]] = {}
    for school in schools:
        by_trust.setdefault(school.trust.id, []).append(school)
    trusts = [{"trust": group[0].trust, "schools": sorted(group, key=lambda s: s.school.name)}
              for _, group in sorted(by_trust.items())]
    env = site_environment(root / "templates")
    return env.get_template("trust-index.html.j2").render(trusts=trusts)
