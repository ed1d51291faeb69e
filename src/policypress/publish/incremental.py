"""Which schools' sites must be built again: a fingerprint of everything a site is made from.

A school's site (its pages, PDFs, flowcharts, pictures, logo) is a pure function of:

- the tools: policypress's own code and templates, MkDocs, Material, Markdown, WeasyPrint and
  Graphviz (their versions), and the site engine in use;
- the project's look: mkdocs.yml and every file under templates/;
- the day (what is overdue; the sitemap's date), whether PDFs are made, the publishing requirements;
- the school as rendered: its facts, trust, local authority, contacts, logo and pictures (their
  bytes), and every policy it shows as rendered for it (text, approvals, references, flowcharts,
  collections), and the drawings of its flowcharts.

The digest of those is kept, with a digest of the names, sizes and times of the files in the
school's built folder, in build/.cache/sites.json. A school whose inputs and built folder are both
as recorded is not built again; anything else (a new school, a changed fact, a deleted or edited
file in its site, a new policypress) is. A model policy reaches only the schools that show it,
because only their rendered policies change.

Before any of that, a build whose whole source (every file the reader may read: content/,
schools/, approvals/, templates/, mkdocs.yml), tools, day and options are as the last build
recorded, and whose site and reports are untouched since, has nothing to do: it is answered from
the record without reading or rendering anything (`unchanged_build`), which is what keeps a
no-change rebuild of a large trust to a second or two.
"""

from __future__ import annotations

import datetime as dt
import functools
import json
import stat
from dataclasses import dataclass, field
from importlib.metadata import PackageNotFoundError, version
from pathlib import Path
from typing import Any

import policypress
from policypress.compose.render import RenderedSchool
from policypress.core.files import write_file
from policypress.core.fingerprint import digest, file_digest, files_digest, stat_digest
from policypress.outputs.diagrams import dot_version
from policypress.outputs.figures import Drawing
from policypress.site_engine.mkdocs_driver import site_engine
from policypress.source.project import Project

STATE_FORMAT = "policypress-sites-2"  # bump when what a fingerprint covers changes
MAX_SOURCE_BYTES = 50_000_000  # past this, no shortcut: the reader refuses the file with its own message
SOURCE_PARTS = ("content", "schools", "approvals", "templates", "mkdocs.yml")  # all the project reader reads
TOOLS = ("mkdocs", "mkdocs-material", "markdown", "pymdown-extensions", "jinja2", "weasyprint", "pydyf",
         "properdocs", "pillow")
CODE_SUFFIXES = (".py", ".j2", ".html", ".css", ".js", ".svg", ".yml", ".json", ".md")
NOT_BUILD_CODE = ("example", "starter")  # project templates for `init`, not what a build runs


@dataclass(frozen=True)
class SiteInputs:
    """What every school's site shares: the digest of the tools, the project's look and the day."""

    digest: str


def shared_inputs(project: Project, today: dt.date, pdf: bool) -> SiteInputs:
    """The inputs every site depends on (see the module's docstring)."""
    requirements = project.requirements.model if project.requirements else None
    look = [file_digest(project.root / "mkdocs.yml") if (project.root / "mkdocs.yml").is_file() else None,
            files_digest(project.root / "templates")]
    return SiteInputs(digest(STATE_FORMAT, _tool_versions(), _code_digest(), site_engine(), look,
                             today, pdf, requirements))


def school_inputs(shared: SiteInputs, school: RenderedSchool, drawings: dict[str, Drawing] | None) -> str:
    """The digest of everything one school's site is made from."""
    return digest(shared.digest, school, drawings or {})


def whole_build_key(root: Path, today: dt.date, options: list[object]) -> str:
    """The digest of every source file, the tools, the day and the build's options (see the docstring);
    "" (no shortcut: the build reads everything) when a source entry is odd: a link, a pipe, too big."""
    try:
        parts = [_source_digest(root, part) for part in SOURCE_PARTS]
    except (OSError, _NoShortcut):
        return ""
    return digest(STATE_FORMAT, parts, _tool_versions(), _code_digest(), site_engine(), today, options)


class _NoShortcut(Exception):
    """A source entry the shortcut does not judge: a link, a pipe or device, a file too big to be a
    policypress file. The build then reads everything, and the reader says what it makes of it."""


def _source_digest(root: Path, part: str) -> list[list[str]]:
    """Each file under root/part (or the file itself): its path and its bytes' digest. Nothing is
    followed or waited on: a link or anything but a plain file or folder means no shortcut."""
    found = []
    top = root / part
    for path in sorted([top] if top.is_file() or top.is_symlink() else top.rglob("*")):
        info = path.lstat()
        if stat.S_ISDIR(info.st_mode):
            continue
        if not stat.S_ISREG(info.st_mode) or info.st_size > MAX_SOURCE_BYTES:
            raise _NoShortcut(path)
        found.append([path.relative_to(root).as_posix(), file_digest(path)])
    return found


@functools.cache  # asked by both fingerprints of a build; the installed tools do not change while it runs
def _tool_versions() -> dict[str, str]:
    found = {"graphviz": ".".join(map(str, dot_version()))}
    for name in TOOLS:
        try:
            found[name] = version(name)
        except PackageNotFoundError:
            found[name] = "not installed"
    return found


@functools.cache
def _code_digest() -> str:
    """policypress's own code and templates: a change to either may change every page."""
    package = Path(policypress.__file__).parent
    entries = sorted(package.iterdir())
    folders = [files_digest(p, CODE_SUFFIXES) for p in entries if p.is_dir() and p.name not in NOT_BUILD_CODE]
    return digest(folders, [file_digest(p) for p in entries if p.is_file() and p.suffix in CODE_SUFFIXES])


@dataclass
class SiteState:
    """What the last build recorded of each school's site: its inputs' digest and its folder's."""

    path: Path
    schools: dict[str, dict[str, str]] = field(default_factory=dict)
    whole: dict[str, Any] = field(default_factory=dict)
    """The last build as a whole: its key (whole_build_key), its site's and reports' file digests,
    what it said (the schools, flowcharts, warnings)."""

    @classmethod
    def read(cls, path: Path) -> SiteState:
        """The recorded state; an unreadable or foreign file is no state (everything is built)."""
        try:
            data = json.loads(path.read_text(encoding="utf-8"))
        except (OSError, ValueError):
            return cls(path)
        schools = data.get("schools") if isinstance(data, dict) and data.get("format") == STATE_FORMAT else None
        if not isinstance(schools, dict):
            return cls(path)
        whole = data.get("whole")
        return cls(path, {k: v for k, v in schools.items() if isinstance(v, dict)},
                   whole if isinstance(whole, dict) else {})

    def unchanged_build(self, key: str, out: Path) -> dict[str, Any] | None:
        """What the last build recorded, if this one has nothing to do: the same key, and its site and
        reports exactly as it left them (names, sizes, times); else None."""
        recorded = self.whole
        if not key or recorded.get("key") != key:
            return None
        if recorded.get("site") != stat_digest(out / "site") or recorded.get("reports") != stat_digest(out / "reports"):
            return None
        return recorded

    def record_whole(self, key: str, out: Path, said: dict[str, Any]) -> None:
        self.whole = {"key": key, "site": stat_digest(out / "site"), "reports": stat_digest(out / "reports"), **said}

    def is_current(self, school_id: str, inputs: str, site: Path) -> bool:
        """True when the school's inputs and its built folder are both as the last build left them."""
        recorded = self.schools.get(school_id, {})
        return recorded.get("inputs") == inputs and recorded.get("output") == stat_digest(site)

    def record(self, school_id: str, inputs: str, site: Path) -> None:
        output = stat_digest(site)
        if output is None:
            self.schools.pop(school_id, None)
        else:
            self.schools[school_id] = {"inputs": inputs, "output": output}

    def forget_missing(self, site: Path) -> None:
        """Drop schools whose folder is gone (a school removed from the project)."""
        self.schools = {sid: v for sid, v in self.schools.items() if (site / sid).is_dir()}

    def save(self) -> None:
        data = {"format": STATE_FORMAT, "schools": dict(sorted(self.schools.items())), "whole": self.whole}
        write_file(self.path, json.dumps(data, indent=1, sort_keys=True) + "\n")
