"""scripts/bench: time cold, parallel and warm builds of a many-school trust, and PDF rendering.

Every figure comes from one run on one machine; compare the ratios, not the seconds.
"""

from __future__ import annotations

import argparse
import re
import shutil
import subprocess
import tempfile
import time
from pathlib import Path
from typing import cast

from bench_import import import_bench

import policypress.publish.build as pbuild
from policypress.outputs.pdf import PdfJob, PdfStats, render_pdfs
from policypress.publish.build import BuildRequest, build

TRUST = "oakfield-learning-trust"
TEMPLATE = "hillcrest-primary.yml"


def make_trust(src: Path, dest: Path, count: int) -> None:
    """Copy the example project and clone one school `count` times into its trust."""
    for name in ("content", "templates", "schools", "approvals"):
        shutil.copytree(src / name, dest / name)
    shutil.copyfile(src / "mkdocs.yml", dest / "mkdocs.yml")
    text = (src / "schools" / TRUST / TEMPLATE).read_text(encoding="utf-8")
    for n in range(1, count + 1):
        sid = f"bench-school-{n:02d}"
        clone = re.sub(r"^id: .*$", f"id: {sid}", text, count=1, flags=re.M)

        def numbered(m: re.Match[str], n: int = n) -> str:
            return f"name: {m.group(1)} {n:02d}"

        clone = re.sub(r"^name: (.*)$", numbered, clone, count=1, flags=re.M)
        clone = re.sub(r'^urn: .*$', f'urn: "98{n:04d}"', clone, count=1, flags=re.M)
        (dest / "schools" / TRUST / f"{sid}.yml").write_text(clone, encoding="utf-8")


class Probe:
    """Wraps the build's PDF step to time it and keep its jobs and PdfStats."""

    def __init__(self) -> None:
        self.seconds = 0.0
        self.jobs: list[PdfJob] = []
        self.stats: PdfStats | None = None
        real_write, real_render = pbuild._write_pdfs, render_pdfs  # the one publish.build calls

        def write_pdfs(*args, **kwargs):  # type: ignore[no-untyped-def]
            start = time.perf_counter()
            try:
                return real_write(*args, **kwargs)
            finally:
                self.seconds = time.perf_counter() - start

        def timed_render_pdfs(jobs, *args, **kwargs):  # type: ignore[no-untyped-def]
            self.jobs = list(jobs)
            self.stats = real_render(jobs, *args, **kwargs)
            return self.stats

        pbuild._write_pdfs = write_pdfs
        pbuild.render_pdfs = timed_render_pdfs  # type: ignore[attr-defined]


def timed_build(probe: Probe, root: Path, out: Path, jobs: int, pdf: bool = True) -> float:
    probe.seconds, probe.stats = 0.0, None
    start = time.perf_counter()
    build(BuildRequest(root, out, jobs=jobs, pdf=pdf))
    return time.perf_counter() - start


def count_pages(site: Path) -> tuple[int, int]:
    pdfs = sorted(site.rglob("*.pdf"))
    pages = 0
    for pdf in pdfs:
        info = subprocess.run(["pdfinfo", str(pdf)], check=True, capture_output=True, text=True).stdout
        pages += int(re.search(r"^Pages:\s+(\d+)", info, re.M).group(1))  # type: ignore[union-attr]
    return len(pdfs), pages


def raw_weasyprint(jobs: list[PdfJob]) -> float:
    import weasyprint

    start = time.perf_counter()
    for job in jobs:
        weasyprint.HTML(string=job.html, base_url=str(job.base_url)).write_pdf(pdf_variant="pdf/ua-1")
    return time.perf_counter() - start


def link_bench(src: Path, tmp: Path, count: int) -> list[tuple[str, str]]:
    """`check links` on the example and on a trust with `count` clones, against the fake GOV.UK:
    requests made against unique addresses, then again within the TTL (from the cache)."""
    import json
    import sys
    from urllib.parse import urlsplit

    from policypress.checks.links.gather import gather_links
    from policypress.checks.links.judge import LinkRequest, check_links
    from policypress.checks.links.settings import load_settings
    from policypress.compose.load import load_project

    sys.path.insert(0, str(src / "tests"))
    from fake_govuk import FakeGovUk  # the test suite's stand-in for GOV.UK (no internet needed)

    rows = []
    for clones in sorted({0, count}):
        root = tmp / f"links-{clones}"
        make_trust(src, root, clones)
        links = gather_links(load_project(root))
        hosts = {cast(str, urlsplit(link.url).hostname) for link in links if link.url.startswith("http")}
        with FakeGovUk() as govuk:
            mapping = {f"https://{h}/": f"{govuk.base}/" if h == "www.gov.uk" else f"{govuk.base}/{h}/"
                       for h in sorted(hosts)}
            (root / "checks.yml").write_text(json.dumps({"links": {
                "map": mapping, "allow_private": ["127.0.0.1"], "requests_per_second": 20}}), encoding="utf-8")
            request = LinkRequest(root, load_settings(root))
            first = check_links(request)
            pages, api = sum(govuk.pages_requested().values()), sum(govuk.requests.values())
            fast = measured_pace(govuk.times)
            govuk.reset()
            check_links(request)
            again = sum(govuk.requests.values())
        schools = len(load_project(root).schools)
        print(f"bench: links, {schools} schools: {pages} page requests for {first.stats.unique} unique "
              f"addresses ({len(links)} links); second run {again} requests", flush=True)
        rows += [(f"links, {schools} schools: links / unique addresses", f"{len(links)} / {first.stats.unique}"),
                 (f"links, {schools} schools: page requests / unique addresses", f"{pages} / {first.stats.unique}"
                  f" (+ {api - pages} content API lookups)"),
                 (f"links, {schools} schools: requests on a second run within the TTL", f"{again}"),
                 (f"links, {schools} schools: pace to one host, set to 20 requests/s", fast)]
    rows.append(("links: pace to one host, the default 1 request/s (8 addresses)", default_pace(tmp)))
    return rows


def measured_pace(times: dict[str, list[float]]) -> str:
    """Requests per second to one host, from when the server saw each request, and the smallest gap."""
    import itertools

    starts = sorted(t for found in times.values() for t in found)
    if len(starts) < 2:
        return "too few requests to measure"
    rate = (len(starts) - 1) / (starts[-1] - starts[0])
    gap = min(b - a for a, b in itertools.pairwise(starts))
    return f"{rate:.2f} requests/s (smallest gap {gap:.3f} s)"


def default_pace(tmp: Path) -> str:
    """check_urls on 8 addresses of one host with the default requests_per_second, measured at the server."""
    import datetime as dt

    from fake_govuk import FakeGovUk
    from policypress.checks.links.settings import LinkSettings
    from policypress.checks.links.verdicts import LinkCache, check_urls

    with FakeGovUk() as govuk:
        settings = LinkSettings(allow_private=["127.0.0.1"])
        cache = LinkCache(tmp / "pace.json", 0, dt.datetime.now(dt.UTC))
        check_urls([f"{govuk.base}/pace/{n}" for n in range(8)], settings, cache)
        return measured_pace(govuk.times)


def print_rows(rows: list[tuple[str, str]]) -> None:
    width = max(len(k) for k, _ in rows)
    print()
    print(f"| {'measure':<{width}} | value |")
    print(f"|{'-' * (width + 2)}|-------|")
    for key, value in rows:
        print(f"| {key:<{width}} | {value} |")


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument("--root", type=Path, required=True)
    parser.add_argument("--schools", type=int, default=10)
    parser.add_argument("--jobs", type=int, default=2, help="workers for the parallel build (b)")
    parser.add_argument("--links-only", action="store_true", help="only the link-check section")
    parser.add_argument("--import-only", action="store_true", help="only the Word import section")
    args = parser.parse_args()
    if args.import_only:
        with tempfile.TemporaryDirectory(prefix="policypress-bench-") as tmpname:
            print_rows(import_bench(args.root, Path(tmpname)))
        return
    if args.links_only:
        with tempfile.TemporaryDirectory(prefix="policypress-bench-") as tmpname:
            print_rows(link_bench(args.root, Path(tmpname), args.schools))
        return

    import mkdocs.commands.build  # noqa: F401 — imported for its cost, paid before any timing
    import weasyprint  # noqa: F401 — the same

    probe = Probe()
    with tempfile.TemporaryDirectory(prefix="policypress-bench-") as tmpname:
        tmp = Path(tmpname)
        src = tmp / "src"
        make_trust(args.root, src, args.schools)
        print(f"bench: {args.schools} cloned schools in {src}", flush=True)

        t_a = timed_build(probe, src, tmp / "a", jobs=1)
        pdf_a, stats_a, pdf_jobs = probe.seconds, probe.stats, probe.jobs
        print(f"bench: (a) cold --jobs 1: {t_a:.1f} s", flush=True)
        t_nopdf = timed_build(probe, src, tmp / "nopdf", jobs=1, pdf=False)
        print(f"bench: cold --jobs 1 --no-pdf: {t_nopdf:.1f} s", flush=True)
        t_b = timed_build(probe, src, tmp / "b", jobs=args.jobs)
        stats_b = probe.stats
        print(f"bench: (b) cold --jobs {args.jobs}: {t_b:.1f} s", flush=True)
        t_c = timed_build(probe, src, tmp / "b", jobs=args.jobs)
        stats_c = probe.stats
        print(f"bench: (c) unchanged rebuild --jobs {args.jobs}: {t_c:.1f} s", flush=True)
        t_raw = raw_weasyprint(pdf_jobs)
        print(f"bench: raw WeasyPrint, {len(pdf_jobs)} documents: {t_raw:.1f} s", flush=True)

        n_pdfs, pages = count_pages(tmp / "a" / "site")
        schools = len([p for p in (tmp / "a" / "site").iterdir() if p.is_dir()])
        policies = len({job.target.stem for job in pdf_jobs})
        link_rows = link_bench(args.root, tmp, args.schools)
        import_rows = import_bench(args.root, tmp / "import")

    rows = [
        ("schools (built)", f"{schools}"),
        ("public policies", f"{policies}"),
        ("PDFs / PDF pages", f"{n_pdfs} / {pages}"),
        ("PDFs written / rendered (a)", f"{stats_a.written} / {stats_a.rendered}" if stats_a else "?"),
        ("(a) cold build, --jobs 1", f"{t_a:.1f} s"),
        ("    of which PDF step (measured)", f"{pdf_a:.1f} s"),
        ("    cold --no-pdf, --jobs 1", f"{t_nopdf:.1f} s (a - no-pdf = {t_a - t_nopdf:.1f} s)"),
        (f"(b) cold build, --jobs {args.jobs}", f"{t_b:.1f} s"),
        (f"(c) unchanged rebuild, --jobs {args.jobs}", f"{t_c:.1f} s"
         + (f" (PDFs rendered {stats_c.rendered}, cached {stats_c.cached})" if stats_c else "")),
        ("raw WeasyPrint, same HTML, sequential", f"{t_raw:.1f} s"),
        ("PDF pages per second (a)", f"{pages / pdf_a:.1f}"),
        ("overhead: PDF step (a) / raw WeasyPrint", f"{pdf_a / t_raw:.2f}"),
        (f"speed-up --jobs {args.jobs}: a / b", f"{t_a / t_b:.2f}"),
        ("unchanged rebuild: c / b", f"{t_c / t_b:.2f}"),
    ]
    if stats_b:
        rows.insert(4, ("PDFs written / rendered (b)", f"{stats_b.written} / {stats_b.rendered}"))
    print_rows(rows + link_rows + import_rows)


if __name__ == "__main__":
    main()
