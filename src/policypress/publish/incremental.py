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
"""

from __future__ import annotations

import datetime as dt
import json
from dataclasses import dataclass, field
from importlib.metadata import PackageNotFoundError, version
from pathlib import Path

import policypress
from policypress.compose.render import RenderedSchool
from policypress.core.files import write_file
from policypress.core.fingerprint import digest, file_digest, files_digest, stat_digest
from policypress.outputs.diagrams import dot_version
from policypress.outputs.figures import Drawing
from policypress.site_engine.mkdocs_driver import site_engine
from policypress.source.project import Project

STATE_FORMAT = "policypress-sites-1"  # bump when what a fingerprint covers changes
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


def _tool_versions() -> dict[str, str]:
    found = {"graphviz": ".".join(map(str, dot_version()))}
    for name in TOOLS:
        try:
            found[name] = version(name)
        except PackageNotFoundError:
            found[name] = "not installed"
    return found


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
        return cls(path, {k: v for k, v in schools.items() if isinstance(v, dict)})

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
        data = {"format": STATE_FORMAT, "schools": dict(sorted(self.schools.items()))}
        write_file(self.path, json.dumps(data, indent=1, sort_keys=True) + "\n")
