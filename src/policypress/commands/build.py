"""`policypress build`: every school's site and PDFs."""

from __future__ import annotations

import json
from contextlib import nullcontext
from pathlib import Path
from typing import TYPE_CHECKING, Any

import click
from rich.console import Console

from policypress.commands.options import root_option, shard
from policypress.core.progress import Progress

if TYPE_CHECKING:
    from policypress.publish.build import BuildResult


@click.command("build")
@click.option("--school", "schools", multiple=True, metavar="ID", help="Build only this school (repeatable).")
@click.option("--jobs", type=click.IntRange(1, 64), default=2, show_default=True,
              help="Schools built in parallel.")
@click.option("--shard", callback=shard, metavar="K/N", help="Build the K-th of N shares of the schools.")
@click.option("--out", type=click.Path(file_okay=False, path_type=Path), default=None,
              help="Output folder [default: ROOT/build].")
@click.option("--no-pdf", is_flag=True, help="Skip the PDFs (a quicker preview of the sites).")
@click.option("--quiet", "-q", is_flag=True, help="No progress and no summary: only warnings and errors.")
@click.option("--json", "as_json", is_flag=True, help="Print the summary as JSON on standard output.")
@root_option
@click.pass_obj
def build_command(root: Path, schools: tuple[str, ...], jobs: int, shard: tuple[int, int] | None,
                  out: Path | None, no_pdf: bool, quiet: bool, as_json: bool) -> None:
    """Validate the source and build every school's site and PDFs into build/site.

    A school whose site is already up to date is not built again. On a terminal, bars show the
    flowcharts, PDFs and sites as they are made; in a log, one line per stage.
    """
    from policypress.commands.progress import BarProgress, PlainProgress, on_terminal
    from policypress.publish.build import BuildRequest, build

    progress: Progress = Progress() if quiet else PlainProgress()
    bars = BarProgress(Console(stderr=True)) if not quiet and on_terminal() else None
    with bars or nullcontext():
        result = build(BuildRequest(root, (out or root / "build").resolve(), schools, shard, jobs, not no_pdf,
                                    bars or progress))
    if as_json:
        click.echo(json.dumps(summary(result), indent=2))
    elif not quiet:
        click.echo(summary_line(result))
    for warning in result.warnings:
        click.echo(f"warning: {warning}", err=True)
    if result.warnings:
        click.echo(f"{len(result.warnings)} warning(s): the site was built; policypress check content lists them too",
                   err=True)


def summary_line(result: BuildResult) -> str:
    """`built 1 school site, 99 unchanged; PDFs: 7 rendered, 0 from the cache, 0 shared; 0 warnings; 12.3 s`."""
    pdfs = result.pdfs
    made = (f"PDFs: {pdfs.rendered} rendered, {pdfs.cached} from the cache, {pdfs.shared} shared"
            if pdfs else "PDFs: none needed")
    return (f"built {len(result.built)} school site(s), {len(result.unchanged)} unchanged, into {result.site}; "
            f"{made}; {len(result.warnings)} warning(s); {result.seconds:.1f} s")


def summary(result: BuildResult) -> dict[str, Any]:
    """The build's summary for scripts (`--json`)."""
    pdfs = result.pdfs
    return {
        "site": str(result.site),
        "schools": {"built": list(result.built), "unchanged": list(result.unchanged)},
        "pdfs": {"written": pdfs.written, "rendered": pdfs.rendered, "cached": pdfs.cached, "shared": pdfs.shared}
        if pdfs else {"written": 0, "rendered": 0, "cached": 0, "shared": 0},
        "flowcharts": result.flowcharts,
        "warnings": list(result.warnings),
        "seconds": round(result.seconds, 2),
    }
