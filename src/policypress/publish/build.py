"""`policypress build`: load and render everything, then write every school's site at once."""

from __future__ import annotations

import datetime as dt
import shutil
import time
from dataclasses import dataclass, field
from functools import partial
from pathlib import Path
from typing import Any

from policypress.checks.content import placeholder_links
from policypress.checks.internal_links import check_internal_links
from policypress.checks.review_reports import write_review_reports
from policypress.checks.reviews import DEFAULT_WITHIN
from policypress.compose.load import load_project
from policypress.compose.render import RenderedSchool, render_project
from policypress.core.dates import build_today, source_date_epoch
from policypress.core.errors import UsageError
from policypress.core.files import link_tree, replace_parts, replace_tree, same_text, staging, write_files
from policypress.core.progress import Progress
from policypress.outputs.diagrams import draw_schools
from policypress.outputs.figures import Drawing
from policypress.outputs.pages import logo_name, navigation, school_pages, site_environment
from policypress.outputs.pdf import PdfJob, PdfStats, print_environment, print_html, render_pdfs
from policypress.outputs.pictures import write_pictures
from policypress.outputs.site_chrome import chrome_files, school_chrome, trust_not_found
from policypress.publish.incremental import SiteState, school_inputs, shared_inputs, whole_build_key
from policypress.publish.shards import school_work, shard_schools
from policypress.site_engine.mkdocs_driver import SiteJob, build_sites, write_config
from policypress.source.project import Project

SchoolDrawings = dict[str, dict[str, Drawing]]  # school id → flowchart id → drawing
STATE_FILE = "sites.json"  # in build/.cache: what the last build recorded of each school's site


@dataclass(frozen=True)
class BuildRequest:
    """What to build and where."""

    root: Path
    out: Path
    schools: tuple[str, ...] = ()
    shard: tuple[int, int] | None = None
    jobs: int = 2
    pdf: bool = True
    progress: Progress = field(default_factory=Progress, compare=False)


@dataclass(frozen=True)
class BuildResult:
    """What a build wrote."""

    site: Path
    schools: tuple[str, ...]
    warnings: tuple[str, ...] = ()  # published anyway, but to fix: placeholder links, at their lines
    built: tuple[str, ...] = ()
    """The schools whose sites were built again; the others' were kept as they were, byte for byte."""
    pdfs: PdfStats | None = None
    flowcharts: int = 0
    seconds: float = 0.0

    @property
    def unchanged(self) -> tuple[str, ...]:
        """The chosen schools whose sites were already up to date."""
        return tuple(sid for sid in self.schools if sid not in self.built)


def build(request: BuildRequest) -> BuildResult:
    """Validate and render everything, then build the chosen schools' sites into out/site.

    A school whose site is already up to date (publish/incremental.py) is not built again.
    """
    started = time.perf_counter()
    state = SiteState.read(request.out / ".cache" / STATE_FILE)
    key = whole_build_key(request.root, build_today(), [request.pdf, sorted(request.schools), request.shard])
    recorded = state.unchanged_build(key, request.out)
    if recorded is not None:
        return _as_recorded(request, recorded, started)
    project = load_project(request.root)
    choose_schools(project, request.schools, None)  # an unknown school is named before anything is rendered
    rendered = render_project(project)  # every school: the trust index lists them all
    chosen = choose_schools(project, request.schools, request.shard, rendered)
    today = build_today()  # not the newest source date: a review falls due with no change to the source
    chosen_schools = [s for s in rendered if s.school.id in chosen]
    check_internal_links(project, chosen_schools, request.pdf)  # before anything is written
    drawings = _draw(chosen_schools, request.out / ".cache" / "svg", request.progress)  # may find input errors
    plan = _plan(project, request, rendered, chosen_schools, drawings, state)
    pdfs = _write_plan(project, request, plan, drawings, source_date_epoch(today)) if plan.writes else None
    if not plan.writes:
        request.progress.finish("sites", f"all {len(chosen)} up to date, nothing written")
    write_review_reports(request.out / "reports", request.root / "templates", rendered, today, DEFAULT_WITHIN,
                         project.requirements.model if project.requirements else None)
    result = BuildResult(request.out / "site", tuple(chosen), tuple(map(str, placeholder_links(project))),
                         tuple(s.school.id for s in plan.stale), pdfs, sum(map(len, drawings.values())),
                         time.perf_counter() - started)
    state.record_whole(key, request.out, {"schools": list(result.schools), "warnings": list(result.warnings),
                                          "flowcharts": result.flowcharts})
    state.save()
    return result


def _as_recorded(request: BuildRequest, recorded: dict[str, Any], started: float) -> BuildResult:
    """A build with nothing to do: what the last one said, with nothing read, rendered or written."""
    schools = tuple(str(s) for s in recorded.get("schools", ()))
    request.progress.finish("sites", f"all {len(schools)} up to date: nothing in the source changed")
    return BuildResult(request.out / "site", schools, tuple(str(w) for w in recorded.get("warnings", ())), (),
                       None, int(recorded.get("flowcharts", 0)), time.perf_counter() - started)


@dataclass
class _Plan:
    """What a build will write: the schools to build again, and the trust's own pages."""

    stale: list[RenderedSchool]
    kept: list[str]
    pages: dict[str, str]
    changed_pages: list[str]
    removed: list[str]
    inputs: dict[str, str]
    state: SiteState
    whole: bool

    @property
    def writes(self) -> bool:
        return bool(self.stale or self.changed_pages or self.removed)


def _plan(project: Project, request: BuildRequest, rendered: list[RenderedSchool],
          chosen: list[RenderedSchool], drawings: SchoolDrawings, state: SiteState) -> _Plan:
    """Compare each chosen school's inputs with what the last build recorded of its site."""
    site = request.out / "site"
    shared = shared_inputs(project, build_today(), request.pdf)
    inputs = {s.school.id: school_inputs(shared, s, drawings.get(s.school.id)) for s in chosen}
    stale = [s for s in chosen if not state.is_current(s.school.id, inputs[s.school.id], site / s.school.id)]
    kept = sorted(set(inputs) - {s.school.id for s in stale})
    pages = {"index.html": trust_index(request.root, rendered),
             "404.html": trust_not_found(site_environment(request.root / "templates"), rendered)}
    whole = not (request.schools or request.shard)
    known = {*inputs, *pages}
    removed = sorted(p.name for p in site.iterdir() if p.name not in known) if whole and site.is_dir() else []
    return _Plan(stale, kept, pages, [n for n, text in pages.items() if not same_text(site / n, text)],
                 removed, inputs, state, whole)


def _write_plan(project: Project, request: BuildRequest, plan: _Plan, drawings: SchoolDrawings,
                epoch: int) -> PdfStats | None:
    """Build the stale schools in a staging folder, then swap them in: the whole site in one step
    (the kept schools' files linked in, unchanged), or only the chosen parts for --school/--shard."""
    site = request.out / "site"
    with staging(request.out) as tmp:
        sizes, pdfs = _write_pdfs(request, tmp, plan.stale, drawings) if request.pdf else ({}, None)
        _build_school_sites(project, tmp, plan.stale, (sizes, drawings), request, epoch)
        write_files(tmp / "site", plan.pages)
        if plan.whole:
            for sid in plan.kept:
                link_tree(site / sid, tmp / "site" / sid)
            replace_tree(tmp / "site", site)
        else:
            replace_parts(tmp / "site", site, [*(s.school.id for s in plan.stale), *plan.pages])
    for school in plan.stale:
        plan.state.record(school.school.id, plan.inputs[school.school.id], site / school.school.id)
    plan.state.forget_missing(site)
    return pdfs


def _draw(schools: list[RenderedSchool], cache_dir: Path, progress: Progress) -> SchoolDrawings:
    total = sum(len({v.id for p in s.policies for v in p.flowcharts}) for s in schools)
    progress.start("flowcharts", total)
    drawings = draw_schools(schools, cache_dir, partial(progress.advance, "flowcharts"))
    progress.finish("flowcharts", f"{total} drawn or taken from the cache")
    return drawings


def choose_schools(project: Project, wanted: tuple[str, ...], shard: tuple[int, int] | None,
                   rendered: list[RenderedSchool] | None = None) -> list[str]:
    """The school ids to build: those named (all by default), then this shard's share.

    Shards are balanced by work (publish/shards.py), estimated from the rendered schools
    (rendered here when not given).
    """
    unknown = [s for s in wanted if s not in project.schools]
    if unknown:
        raise UsageError(f"unknown school {', '.join(unknown)} — known schools: {', '.join(sorted(project.schools))}")
    ids = sorted(wanted or project.schools)
    if shard:
        schools = rendered if rendered is not None else render_project(project, ids)
        ids = shard_schools({s.school.id: school_work(s) for s in schools if s.school.id in ids}, *shard)
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
                drawings: SchoolDrawings) -> tuple[dict[str, dict[str, int]], PdfStats]:
    """Render every public policy's PDF into the docs folders; return sizes by school and policy."""
    env = print_environment(request.root / "templates")
    jobs = []
    for school in schools:
        for policy in school.public_policies:
            html = print_html(env, school, policy, online_url(school, f"policies/{policy.id}.html"), draft=False,
                              drawings=drawings.get(school.school.id))
            target = tmp / "docs" / school.school.id / "pdf" / f"{policy.id}.pdf"
            jobs.append(PdfJob(html, target, request.root))
    request.progress.start("PDFs", len(jobs))
    stats = render_pdfs(jobs, request.out / ".cache" / "pdf", request.jobs, partial(request.progress.advance, "PDFs"))
    request.progress.finish("PDFs", f"{stats.written} written: {stats.rendered} rendered, {stats.cached} from the "
                            f"cache, {stats.shared} the same as another school's")
    sizes: dict[str, dict[str, int]] = {}
    for job in jobs:
        sizes.setdefault(job.target.parent.parent.name, {})[job.target.stem] = job.target.stat().st_size
    return sizes, stats


def _build_school_sites(project: Project, tmp: Path, schools: list[RenderedSchool],
                        made: tuple[dict[str, dict[str, int]], SchoolDrawings], request: BuildRequest,
                        epoch: int) -> None:
    """Write each school's pages (made: PDF sizes and flowchart drawings, by school), then run MkDocs."""
    pdf_sizes, drawings = made
    root, requirements = project.root, project.requirements.model if project.requirements else None
    env = site_environment(root / "templates")
    configs = []
    # The biggest sites first, so that the workers finish together (sorted() keeps the order of equals).
    for school in sorted(schools, key=lambda s: -len(s.policies)):
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
    request.progress.start("sites", len(configs))
    build_sites(configs, request.jobs, epoch, done=partial(request.progress.advance, "sites"))
    request.progress.finish("sites", f"{len(configs)} built")


def trust_index(root: Path, schools: list[RenderedSchool]) -> str:
    """build/site/index.html: every trust and a link to each of its schools' sites."""
    by_trust: dict[str, list[RenderedSchool]] = {}
    for school in schools:
        by_trust.setdefault(school.trust.id, []).append(school)
    trusts = [{"trust": group[0].trust, "schools": sorted(group, key=lambda s: s.school.name)}
              for _, group in sorted(by_trust.items())]
    env = site_environment(root / "templates")
    return env.get_template("trust-index.html.j2").render(trusts=trusts)
