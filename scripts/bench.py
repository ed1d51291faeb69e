"""scripts/bench: a many-school trust built cold, unchanged, after one school's change and after one
model policy's change; our PDF renderer against raw WeasyPrint; the peer stack (MkDocs + Material +
mkdocs-macros + mkdocs-to-pdf) on the same trust; shards; the link check; Word import.
`--scale`: generated trusts of 10, 30 and 100 schools × 30 policies.

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
from bench_peer import pdf_pages, peer_bench

import policypress.publish.build as pbuild
from policypress.core.progress import Progress
from policypress.outputs.pdf import PdfJob, render_pdfs, weasyprint_pdf
from policypress.publish.build import BuildRequest, BuildResult, build

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
    """Keeps the PDF jobs of the build's PDF step (wrapping the render_pdfs that publish.build calls)."""

    def __init__(self) -> None:
        self.jobs: list[PdfJob] = []
        real_render = render_pdfs

        def keep_jobs(jobs, *args, **kwargs):  # type: ignore[no-untyped-def]
            if jobs:
                self.jobs = list(jobs)
            return real_render(jobs, *args, **kwargs)

        pbuild.render_pdfs = keep_jobs  # type: ignore[attr-defined]


class StageTimes(Progress):
    """The seconds each stage of a build took (the build's own progress reports)."""

    def __init__(self) -> None:
        self.started: dict[str, float] = {}
        self.seconds: dict[str, float] = {}

    def start(self, stage: str, total: int) -> None:
        self.started[stage] = time.perf_counter()

    def finish(self, stage: str, words: str) -> None:
        if stage in self.started:
            self.seconds[stage] = time.perf_counter() - self.started.pop(stage)


def timed_build(root: Path, out: Path, jobs: int, pdf: bool = True) -> tuple[float, BuildResult, StageTimes]:
    stages = StageTimes()
    start = time.perf_counter()
    result = build(BuildRequest(root, out, jobs=jobs, pdf=pdf, progress=stages))
    return time.perf_counter() - start, result, stages


def count_pages(site: Path) -> tuple[int, int]:
    pdfs = sorted(site.rglob("*.pdf"))
    pages = 0
    for pdf in pdfs:
        info = subprocess.run(["pdfinfo", str(pdf)], check=True, capture_output=True, text=True).stdout
        pages += int(re.search(r"^Pages:\s+(\d+)", info, re.M).group(1))  # type: ignore[union-attr]
    return len(pdfs), pages


def raw_weasyprint(html: str, base_url: Path) -> bytes:
    """WeasyPrint as its documentation shows it, with our options: a new document, fonts and all."""
    import weasyprint

    fetcher = weasyprint.URLFetcher(allowed_protocols=["data"])
    data: bytes = weasyprint.HTML(string=html, base_url=str(base_url), url_fetcher=fetcher).write_pdf(
        pdf_variant="pdf/ua-1", pdf_identifier=False)
    return data


def pdf_versus_raw(jobs: list[PdfJob], count: int) -> tuple[float, float, int, bool]:
    """Our renderer (outputs/pdf.weasyprint_pdf: fonts and images shared) and raw WeasyPrint on the same
    documents, interleaved one by one so that the machine's noise falls on both; seconds each, and
    whether every pair of PDFs is byte for byte the same."""
    chosen = jobs[:: max(1, len(jobs) // count)][:count]
    ours = raw = 0.0
    same = True
    weasyprint_pdf(chosen[0].html, chosen[0].base_url)  # both pay their imports before the timing
    raw_weasyprint(chosen[0].html, chosen[0].base_url)
    for job in chosen:
        start = time.perf_counter()
        theirs = raw_weasyprint(job.html, job.base_url)
        middle = time.perf_counter()
        mine = weasyprint_pdf(job.html, job.base_url)
        raw, ours = raw + middle - start, ours + time.perf_counter() - middle
        same = same and theirs == mine
    return ours, raw, len(chosen), same


def change_dsl(path: Path, name: str = "Jordan Peerless") -> None:
    """A school's DSL gets a new name (on its home page, contacts page and every policy naming the DSL)."""
    text = path.read_text(encoding="utf-8")
    changed = re.sub(r"(\n  dsl:\n    name: )(.*)\n", rf"\g<1>{name}\n", text, count=1)
    if changed == text:
        raise SystemExit(f"{path}: no DSL name to change")
    path.write_text(changed, encoding="utf-8")


def change_model(root: Path, policy: str = "behaviour") -> None:
    """One sentence added to a model policy that every school shows."""
    path = root / "content" / "policies" / f"{policy}.md"
    path.write_text(path.read_text(encoding="utf-8") + "\nA sentence added for the benchmark.\n", encoding="utf-8")


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
    parser.add_argument("--schools", type=int, default=16, help="clones of Hillcrest added to the example's 4")
    parser.add_argument("--jobs", type=int, default=2, help="processes for builds (policypress and the peer)")
    parser.add_argument("--documents", type=int, default=24, help="PDFs rendered both ways, interleaved")
    parser.add_argument("--shard-schools", type=int, default=36,
                        help="clones in the trust built whole and as 4 shards (a trust big enough to shard)")
    parser.add_argument("--links-only", action="store_true", help="only the link-check section")
    parser.add_argument("--import-only", action="store_true", help="only the Word import section")
    parser.add_argument("--scale", action="store_true", help="only the 10/30/100 schools × 30 policies section")
    parser.add_argument("--sizes", default="10,30,100", help="with --scale: the trust sizes, in schools")
    args = parser.parse_args()
    from bench_scale import scale_bench  # both import make_trust and print_rows from here
    from bench_shards import shard_bench

    with tempfile.TemporaryDirectory(prefix="policypress-bench-") as tmpname:
        tmp = Path(tmpname)
        if args.import_only:
            print_rows(import_bench(args.root, tmp))
        elif args.links_only:
            print_rows(link_bench(args.root, tmp, args.schools))
        elif args.scale:
            print_rows(scale_bench(args.root, tmp, tuple(int(n) for n in args.sizes.split(","))))
        else:
            rows = build_bench(args, tmp)
            make_trust(args.root, tmp / "shard-src", args.shard_schools)
            print_rows(rows + shard_bench(tmp / "shard-src", tmp / "shards", args.jobs)
                       + link_bench(args.root, tmp, args.schools) + import_bench(args.root, tmp / "import"))


def build_bench(args: argparse.Namespace, tmp: Path) -> list[tuple[str, str]]:
    """policypress cold, unchanged, one-school and one-model builds; its PDF renderer against raw
    WeasyPrint; and the peer stack's cold, unchanged and one-change builds of the same trust."""
    import mkdocs.commands.build  # noqa: F401 — imported for its cost, paid before any timing
    import weasyprint  # noqa: F401 — the same

    probe = Probe()
    src, work = tmp / "src", tmp / "work"
    make_trust(args.root, src, args.schools)
    shutil.copytree(src, work)  # changed by the one-school and one-model builds; src stays for the peer and shards
    schools = args.schools + 4
    print(f"bench: {schools} schools in {src}", flush=True)
    cold, _, stages = timed_build(work, tmp / "out", args.jobs)
    pdf_jobs = probe.jobs
    print(f"bench: cold --jobs {args.jobs}: {cold:.1f} s", flush=True)
    unchanged, second, _ = timed_build(work, tmp / "out", args.jobs)
    change_dsl(work / "schools" / TRUST / "bench-school-01.yml")
    one, third, _ = timed_build(work, tmp / "out", args.jobs)
    change_model(work)
    model, fourth, _ = timed_build(work, tmp / "out", args.jobs)
    print(f"bench: unchanged {unchanged:.1f} s, one school {one:.1f} s, one model {model:.1f} s", flush=True)
    cold_site, _, _ = timed_build(work, tmp / "nopdf", args.jobs, pdf=False)
    unchanged_site, _, _ = timed_build(work, tmp / "nopdf", args.jobs, pdf=False)
    ours, raw, documents, same = pdf_versus_raw(pdf_jobs, args.documents)
    print(f"bench: {documents} PDFs: ours {ours:.1f} s, raw WeasyPrint {raw:.1f} s", flush=True)
    n_pdfs, pages = count_pages(tmp / "out" / "site")
    peer = peer_bench(src, tmp / "peer", args.jobs)
    peer_pdfs, peer_pages = pdf_pages(sorted((tmp / "peer").glob("*/mkdocs.yml")))
    print(f"bench: peer cold {peer['cold']:.1f} s, unchanged {peer['unchanged']:.1f} s, "
          f"one change {peer['one_change']:.1f} s", flush=True)
    pdf_step = stages.seconds.get("PDFs", 0.0)
    return [
        ("schools / public policies per school", f"{schools} / {len(pdf_jobs) // schools}"),
        ("PDFs / PDF pages (policypress: one tagged PDF per policy)", f"{n_pdfs} / {pages}"),
        ("peer PDFs / pages (one untagged PDF per school)", f"{peer_pdfs} / {peer_pages}"),
        (f"policypress cold, --jobs {args.jobs}", f"{cold:.1f} s (PDF step {pdf_step:.1f} s, "
         f"sites {stages.seconds.get('sites', 0.0):.1f} s)"),
        ("policypress unchanged", f"{unchanged:.2f} s ({len(second.built)} schools built)"),
        ("policypress one school's DSL changed", f"{one:.1f} s ({', '.join(third.built)} built; "
         f"{third.pdfs.rendered if third.pdfs else 0} PDFs rendered)"),
        ("policypress one model policy changed (shown by every school)",
         f"{model:.1f} s ({len(fourth.built)} schools built; {fourth.pdfs.rendered if fourth.pdfs else 0} PDFs "
         f"rendered)"),
        ("policypress --no-pdf: cold / unchanged", f"{cold_site:.1f} s / {unchanged_site:.2f} s"),
        ("unchanged / cold (goal ≤ 0.03)", f"{unchanged / cold:.3f}"),
        (f"one school / cold (goal ≤ 1/{schools} + 0.03 = {1 / schools + 0.03:.3f})", f"{one / cold:.3f}"),
        ("--no-pdf: unchanged / cold", f"{unchanged_site / cold_site:.3f}"),
        (f"PDF renderer, {documents} documents interleaved: ours / raw WeasyPrint (goal ≤ 0.8)",
         f"{ours / raw:.2f} ({ours:.1f} s / {raw:.1f} s; the same bytes: {'yes' if same else 'NO'})"),
        ("PDF pages per second, cold build", f"{pages / pdf_step:.1f}" if pdf_step else "?"),
        (f"peer (MkDocs + Material + macros + to-pdf), --jobs {args.jobs}: cold / unchanged / one change",
         f"{peer['cold']:.1f} s / {peer['unchanged']:.1f} s / {peer['one_change']:.1f} s"),
        ("policypress cold / peer cold (goal ≤ 0.8)", f"{cold / peer['cold']:.2f}"),
        ("policypress unchanged / peer cold (goal ≤ 0.03)", f"{unchanged / peer['cold']:.3f}"),
        ("policypress unchanged / peer unchanged", f"{unchanged / peer['unchanged']:.3f}"),
        ("policypress one change / peer one change", f"{one / peer['one_change']:.2f}"),
    ]


if __name__ == "__main__":
    main()
