"""`policypress merge`: the outputs of `build --shard K/N` jobs as one output, equal to a full build.

Each shard's OUT folder holds its schools' sites, plus what every shard writes whole: the trust
index, the 404 page and the trust-wide reports. Those must be the same bytes in every shard; if
they are not, the shards were built from different sources or on different dates, and the merge
would publish a mixture, so it refuses. Everything is checked before anything is written; the
result is staged and swapped in, so a refused or failed merge leaves the previous output as it was.
"""

from __future__ import annotations

import os
import shutil
from collections.abc import Sequence
from dataclasses import dataclass
from html.parser import HTMLParser
from pathlib import Path
from urllib.parse import urlsplit

from policypress.core.errors import UsageError
from policypress.core.files import link_tree, replace_tree, staging
from policypress.core.fingerprint import file_digest

Digest = dict[str, str]  # relative path → sha256 of the file's bytes
SAME_SOURCE = ("rebuild every shard from one commit with one SOURCE_DATE_EPOCH (e.g. the commit's time, "
               "git log -1 --format=%ct), then merge again")


@dataclass(frozen=True)
class MergeResult:
    """What a merge wrote."""

    site: Path
    schools: tuple[str, ...]
    shards: int


def merge_shards(shards: Sequence[Path], out: Path) -> MergeResult:
    """Check that the shards fit together, then write their union into out/site and out/reports."""
    for shard in shards:
        links = [p for part in ("site", "reports") for p in sorted((shard / part).rglob("*")) if p.is_symlink()]
        if links:
            raise UsageError(f"{links[0]}: a link inside a shard's output — a build writes none; build the shard "
                             "again into an empty folder (the merge reads nothing outside the shards)")
        if not (shard / "site" / "index.html").is_file():
            raise UsageError(f"{shard}: not the output of a build — it has no site/index.html; pass the --out "
                             "folders of `policypress build --shard K/N`, one per shard")
    problems = _shared_problems(shards)
    listed = listed_schools((shards[0] / "site" / "index.html").read_text(encoding="utf-8"))
    if not listed:
        raise UsageError(f"{shards[0]}/site/index.html links to no school — the merge finds the trust's schools "
                         "from the trust index's links (ID/index.html): keep them in "
                         "templates/site/trust-index.html.j2")
    sources, school_problems = _school_sources(shards, listed)
    problems += school_problems
    missing = sorted(set(listed) - set(sources))
    if missing:
        problems.append(f"{', '.join(missing)}: listed in the trust index but in no shard — a shard's output is "
                        f"missing: pass every shard's folder (K = 1 to N of --shard K/N); {len(shards)} given")
    if problems:
        raise UsageError("the shards do not fit together; nothing was written:\n" + "\n".join(problems))
    with staging(out) as tmp:
        first = shards[0]
        for name in _top_files(first / "site"):
            _link_or_copy(first / "site" / name, tmp / "site" / name)
        for sid, shard in sorted(sources.items()):
            link_tree(shard / "site" / sid, tmp / "site" / sid)
        link_tree(first / "reports", tmp / "reports")
        replace_tree(tmp / "site", out / "site")
        replace_tree(tmp / "reports", out / "reports")
    return MergeResult(out / "site", tuple(sorted(sources)), len(shards))


def listed_schools(index_html: str) -> list[str]:
    """The school folders the trust index links to (`<a href="ID/index.html">`), in its order."""
    parser = _IndexLinks()
    parser.feed(index_html)
    return parser.schools


def _shared_problems(shards: Sequence[Path]) -> list[str]:
    """What every shard writes whole and differs between them: site/*.html at the top, and reports/."""
    first, problems = shards[0], []
    expected = {f"site/{name}": file_digest(first / "site" / name) for name in _top_files(first / "site")}
    expected |= {f"reports/{rel}": sha for rel, sha in tree_digest(first / "reports").items()}
    for shard in shards[1:]:
        found = {f"site/{name}": file_digest(shard / "site" / name) for name in _top_files(shard / "site")}
        found |= {f"reports/{rel}": sha for rel, sha in tree_digest(shard / "reports").items()}
        difference = first_difference(expected, found)
        if difference:
            problems.append(f"{shard}/{difference} is not the same as in {first} — the shards were built from "
                            f"different sources or on different dates: {SAME_SOURCE}")
    return problems


def _school_sources(shards: Sequence[Path], listed: list[str]) -> tuple[dict[str, Path], list[str]]:
    """The shard each school's site is taken from; problems: a school differing between shards, or unlisted."""
    sources: dict[str, Path] = {}
    digests: dict[str, Digest] = {}
    problems = []
    for shard in shards:
        for folder in sorted(p for p in (shard / "site").iterdir() if p.is_dir()):
            sid = folder.name
            if sid not in listed:
                problems.append(f"{folder}: not a school in the trust index — left from an earlier build, or the "
                                f"shards come from different sources; build each shard into an empty folder")
                continue
            digest = tree_digest(folder)
            if sid not in sources:
                sources[sid], digests[sid] = shard, digest
                continue
            difference = first_difference(digests[sid], digest)
            if difference:
                problems.append(f"{folder}/{difference} is not the same as in {sources[sid]}/site/{sid} — a school "
                                f"built by two shards must be identical: {SAME_SOURCE}")
    return sources, problems


def first_difference(expected: Digest, found: Digest) -> str:
    """The first file (by name) missing from one side or with different bytes; '' when the two are the same."""
    for rel in sorted(expected.keys() | found.keys()):
        if expected.get(rel) != found.get(rel):
            what = "missing" if rel not in found else "extra" if rel not in expected else "different"
            return f"{rel} ({what})"
    return ""


def tree_digest(folder: Path) -> Digest:
    """sha256 of every file under folder, by relative path (an absent folder has none)."""
    if not folder.is_dir():
        return {}
    return {p.relative_to(folder).as_posix(): file_digest(p) for p in sorted(folder.rglob("*")) if p.is_file()}


def _top_files(site: Path) -> list[str]:
    return sorted(p.name for p in site.iterdir() if p.is_file())


def _link_or_copy(source: Path, target: Path) -> None:
    """A hard link (no bytes copied; the build replaces files by renaming, never in place), else a copy."""
    target.parent.mkdir(parents=True, exist_ok=True)
    try:
        os.link(source, target, follow_symlinks=True)
    except OSError:  # another file system, or links not allowed: the same bytes by copying
        shutil.copy2(source, target)


class _IndexLinks(HTMLParser):
    """Collects the school folders the trust index links to."""

    def __init__(self) -> None:
        super().__init__()
        self.schools: list[str] = []

    def handle_starttag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        """A link into a folder of the site (ID/index.html, ID/, /ID/…, ./ID/…): ID is a school."""
        address = urlsplit(dict(attrs).get("href") or "")
        folder, inside, _ = address.path.removeprefix("./").lstrip("/").partition("/")
        if (tag == "a" and inside and folder not in ("", ".", "..") and not address.scheme and not address.netloc
                and folder not in self.schools):
            self.schools.append(folder)
