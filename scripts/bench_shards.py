"""Split efficiency of `policypress build --shard K/N`, as a CI matrix would run it, on one machine.

A full build and the N shard builds run one after another (each its own process and output folder,
with PDFs, nothing cached), on one SOURCE_DATE_EPOCH; then the shards are merged and compared with
the full build byte for byte. Split efficiency = full ÷ (N × slowest shard): 1.0 when N machines
would finish N times sooner; given by wall time and by CPU time (the build and its workers), which
others using the machine disturb much less.

    .venv/bin/python scripts/bench_shards.py --root /work/main --schools 12 --repeat 2
"""

from __future__ import annotations

import argparse
import hashlib
import os
import resource
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


def shard_bench(src: Path, tmp: Path, jobs: int, repeat: int = 1) -> list[tuple[str, str]]:
    """Time a full build and the SHARDS shard builds of the project at src; rows for the bench's table.

    Each build runs `repeat` times, the rounds interleaved (full, shard 1 … shard N, full, …), and
    its fastest run counts: on a machine others share, the least disturbed one. Its CPU time (the
    build and its workers) counts too: what the build costs whatever else the machine is doing.
    """
    project = load_project(src)
    rendered = render_project(project)
    work = {s.school.id: school_work(s) for s in rendered}
    split = all_shards(work, SHARDS)
    by_option = shard_option_matches(project, rendered, split)
    runs: list[list[tuple[float, float]]] = [[] for _ in range(SHARDS + 1)]  # full, then each shard
    for round_ in range(1, repeat + 1):
        runs[0].append(timed_build(src, tmp / f"full-{round_}", jobs, []))
        print(f"bench: shards: full build of {len(work)} schools, --jobs {jobs}: {runs[0][-1][0]:.1f} s", flush=True)
        for k, ids in enumerate(split, 1):
            # Until build --shard uses shards.shard_schools, the same split is built with --school.
            args = ["--shard", f"{k}/{SHARDS}"] if by_option else [a for sid in ids for a in ("--school", sid)]
            runs[k].append(timed_build(src, tmp / f"shard-{k}-{round_}", jobs, args))
            print(f"bench: shards: shard {k}/{SHARDS} ({len(ids)} schools): {runs[k][-1][0]:.1f} s", flush=True)
    merge_start = time.perf_counter()
    merge_shards([tmp / f"shard-{k}-{repeat}" for k in range(1, SHARDS + 1)], tmp / "merged")
    merge_time = time.perf_counter() - merge_start
    same = output_digest(tmp / "merged") == output_digest(tmp / f"full-{repeat}")
    wall = [min(w for w, _ in found) for found in runs]
    cpu = [min(c for _, c in found) for found in runs]
    loads = [sum(work[s] for s in ids) for ids in split]
    by_count = [sum(work[s] for s in sorted(work)[k::SHARDS]) for k in range(SHARDS)]
    each = zip(split, loads, wall[1:], cpu[1:], strict=True)
    return [
        ("shards: schools / shards / runs of each build", f"{len(work)} / {SHARDS} / {repeat} (fastest counts)"),
        ("shards: how --shard was given", "--shard K/N" if by_option else "--school (shard_schools' split)"),
        (f"shards: full build, --jobs {jobs}: time / CPU", f"{wall[0]:.1f} s / {cpu[0]:.1f} s"),
        ("shards: each shard: schools, work, time / CPU",
         "; ".join(f"{len(ids)}, {load / 1000:.0f}k, {w:.1f} s / {c:.1f} s" for ids, load, w, c in each)),
        ("shards: sum of the shards / full: time, CPU", f"{sum(wall[1:]) / wall[0]:.2f}, {sum(cpu[1:]) / cpu[0]:.2f}"),
        (f"shards: split efficiency, full / ({SHARDS} × slowest shard): time",
         f"{wall[0] / (SHARDS * max(wall[1:])):.2f}"),
        (f"shards: split efficiency, full / ({SHARDS} × slowest shard): CPU",
         f"{cpu[0] / (SHARDS * max(cpu[1:])):.2f}"),
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


def timed_build(src: Path, out: Path, jobs: int, args: list[str]) -> tuple[float, float]:
    """Seconds and CPU seconds (with its workers) of one `policypress build` in its own process, as each CI
    job runs it, with PDFs."""
    command = [sys.executable, "-m", "policypress", "--root", str(src), "build", "--out", str(out),
               "--jobs", str(jobs), *args]
    before = resource.getrusage(resource.RUSAGE_CHILDREN)
    start = time.perf_counter()
    subprocess.run(command, check=True, env={**os.environ, "SOURCE_DATE_EPOCH": EPOCH},
                   stdout=subprocess.DEVNULL)
    wall = time.perf_counter() - start
    after = resource.getrusage(resource.RUSAGE_CHILDREN)
    return wall, (after.ru_utime - before.ru_utime) + (after.ru_stime - before.ru_stime)


def output_digest(out: Path) -> Mapping[str, str]:
    """sha256 of every published file (site/ and reports/), by path."""
    return {p.relative_to(out).as_posix(): hashlib.sha256(p.read_bytes()).hexdigest()
            for part in ("site", "reports") for p in sorted((out / part).rglob("*")) if p.is_file()}


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--root", type=Path, required=True, help="the policypress repository (its example)")
    parser.add_argument("--schools", type=int, default=10, help="cloned schools added to the example's")
    parser.add_argument("--jobs", type=int, default=2, help="--jobs of every build")
    parser.add_argument("--repeat", type=int, default=1, help="runs of each build, interleaved; the fastest counts")
    args = parser.parse_args()
    with tempfile.TemporaryDirectory(prefix="policypress-bench-shards-") as name:
        tmp = Path(name)
        make_trust(args.root, tmp / "src", args.schools)
        print_rows(shard_bench(tmp / "src", tmp, args.jobs, args.repeat))


if __name__ == "__main__":
    main()
