"""Split efficiency of `policypress build --shard K/N`, as a CI matrix would run it, on one machine.

A full build and the N shard builds run one after another (each its own process and output folder,
with PDFs, nothing cached), on one SOURCE_DATE_EPOCH; then the shards are merged and compared with
the full build byte for byte. Split efficiency = full ÷ (N × slowest shard): 1.0 when N machines
would finish N times sooner.

    .venv/bin/python scripts/bench_shards.py --root /work/main --schools 10
"""

from __future__ import annotations

import argparse
import hashlib
import os
import subprocess
import sys
import tempfile
import time
from collections.abc import Mapping
from pathlib import Path
from typing import Any

sys.path.insert(0, str(Path(__file__).resolve().parent))

from bench import make_trust, print_rows

from policypress.compose.load import load_project
from policypress.compose.render import RenderedSchool, render_project
from policypress.publish.merge import merge_shards
from policypress.publish.shards import all_shards, school_work
from policypress.source.project import Project

EPOCH = "1795392000"  # 22 November 2026, midnight UTC: every build of the run on the same day, as in CI
SHARDS = 4


def shard_bench(src: Path, tmp: Path, jobs: int) -> list[tuple[str, str]]:
    """Time a full build and the SHARDS shard builds of the project at src; rows for the bench's table."""
    project = load_project(src)
    rendered = render_project(project)
    work = {s.school.id: school_work(s) for s in rendered}
    split = all_shards(work, SHARDS)
    by_option = shard_option_matches(project, rendered, split)
    full = timed_build(src, tmp / "full", jobs, [])
    print(f"bench: shards: full build of {len(work)} schools, --jobs {jobs}: {full:.1f} s", flush=True)
    times = []
    for k, ids in enumerate(split, 1):
        # Until build --shard uses shards.shard_schools, the same split is built with --school.
        args = ["--shard", f"{k}/{SHARDS}"] if by_option else [a for sid in ids for a in ("--school", sid)]
        times.append(timed_build(src, tmp / f"shard-{k}", jobs, args))
        print(f"bench: shards: shard {k}/{SHARDS} ({len(ids)} schools): {times[-1]:.1f} s", flush=True)
    merge_start = time.perf_counter()
    merge_shards([tmp / f"shard-{k}" for k in range(1, SHARDS + 1)], tmp / "merged")
    merge_time = time.perf_counter() - merge_start
    same = output_digest(tmp / "merged") == output_digest(tmp / "full")
    loads = [sum(work[s] for s in ids) for ids in split]
    by_count = [sum(work[s] for s in sorted(work)[k::SHARDS]) for k in range(SHARDS)]
    return [
        ("shards: schools / shards", f"{len(work)} / {SHARDS}"),
        ("shards: how --shard was given", "--shard K/N" if by_option else "--school (shard_schools' split)"),
        (f"shards: full build, --jobs {jobs}", f"{full:.1f} s"),
        ("shards: each shard (schools, work, time)",
         "; ".join(f"{len(ids)}, {load / 1000:.0f}k, {t:.1f} s" for ids, load, t in zip(split, loads, times,
                                                                                           strict=True))),
        ("shards: sum of the shards / full", f"{sum(times) / full:.2f}"),
        (f"shards: split efficiency, full / ({SHARDS} × slowest shard)", f"{full / (SHARDS * max(times)):.2f}"),
        ("shards: heaviest shard's work / mean, by work", f"{max(loads) * SHARDS / sum(loads):.3f}"),
        ("shards: the same, split by count (round robin)", f"{max(by_count) * SHARDS / sum(by_count):.3f}"),
        ("shards: policypress merge", f"{merge_time:.1f} s"),
        ("shards: merge of the shards == full build, byte for byte", "yes" if same else "NO"),
    ]


def shard_option_matches(project: Project, rendered: list[RenderedSchool], split: list[list[str]]) -> bool:
    """Whether `build --shard K/N` already chooses shards.shard_schools' split (once the build is wired to it)."""
    import policypress.publish.build as pbuild

    choose: Any = pbuild.choose_schools
    for extra in ((rendered,), ()):  # choose_schools(project, wanted, shard, rendered) once wired, else without
        try:
            chosen = [list(choose(project, (), (k, len(split)), *extra)) for k in range(1, len(split) + 1)]
        except TypeError:
            continue
        return chosen == split
    return False  # its signature changed again: build with --school, which is the same split for certain


def timed_build(src: Path, out: Path, jobs: int, args: list[str]) -> float:
    """Seconds for one `policypress build` in its own process (as each CI job runs it), with PDFs."""
    command = [sys.executable, "-m", "policypress", "--root", str(src), "build", "--out", str(out),
               "--jobs", str(jobs), *args]
    start = time.perf_counter()
    subprocess.run(command, check=True, env={**os.environ, "SOURCE_DATE_EPOCH": EPOCH},
                   stdout=subprocess.DEVNULL)
    return time.perf_counter() - start


def output_digest(out: Path) -> Mapping[str, str]:
    """sha256 of every published file (site/ and reports/), by path."""
    return {p.relative_to(out).as_posix(): hashlib.sha256(p.read_bytes()).hexdigest()
            for part in ("site", "reports") for p in sorted((out / part).rglob("*")) if p.is_file()}


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--root", type=Path, required=True, help="the policypress repository (its example)")
    parser.add_argument("--schools", type=int, default=10, help="cloned schools added to the example's")
    parser.add_argument("--jobs", type=int, default=2, help="--jobs of every build")
    args = parser.parse_args()
    with tempfile.TemporaryDirectory(prefix="policypress-bench-shards-") as name:
        tmp = Path(name)
        make_trust(args.root, tmp / "src", args.schools)
        print_rows(shard_bench(tmp / "src", tmp, args.jobs))


if __name__ == "__main__":
    main()
