"""What policy text may use for one school: its facts, by the names compose/fact_types.py declares.

Flowcharts are resolved here too, once per school, because their labels and conditions are
rendered with the same facts.
"""

from __future__ import annotations

import difflib
import re
from typing import Any

from jinja2.sandbox import SandboxedEnvironment

from policypress.compose.collections import Layout, collection, directory
from policypress.compose.fact_types import FactType, fact_types
from policypress.compose.flowchart_views import FlowBox, FlowView, resolve
from policypress.compose.pictures import SchoolPictures
from policypress.compose.template_problems import FactMissing, template_problem
from policypress.compose.wording import Markdown, markdown_text, markdown_url
from policypress.core.errors import Problem
from policypress.source.collection_schema import Collection, Entry
from policypress.source.content_schema import Flowchart, PolicyMeta, StatutoryEntry
from policypress.source.flowchart_shape import shape_problems
from policypress.source.project import Project, SchoolSource, Source
from policypress.source.school_schema import Contact
from policypress.source.sections import Line

# flowchart() leaves this token in the text; after sanitising it becomes flowchart_views.MARK.
FLOW_TOKEN = "\ue000flowchart:{id}\ue000"  # noqa: S105 — a text marker, not a password
FLOW_TOKEN_FOUND = re.compile("\n*\ue000flowchart:([a-z0-9-]+)\ue000\n*")  # a figure is a block of its own
MARKDOWN_LINK = re.compile(r"\[([^\]]*)\]\([^)]*\)")


class FlowchartBroken(Exception):
    """A flowchart cannot be drawn for this school; the problems name lines of its file."""

    def __init__(self, problems: list[Problem]) -> None:
        super().__init__(f"{len(problems)} problem(s)")
        self.problems = problems


class Facts:
    """One school's facts: school, trust, local_authority, contact(), ref(), flowchart()."""

    def __init__(self, project: Project, school: SchoolSource, env: SandboxedEnvironment) -> None:
        self.project = project
        self.env = env
        self.school = school.source.model
        self.trust = project.trusts[school.trust].model
        self.authority = project.authorities[self.school.local_authority].model
        self.meta: PolicyMeta | None = None  # the policy being rendered
        self.cited: dict[str, StatutoryEntry] = {}
        self.views: dict[str, FlowView] = {}  # this school's flowcharts, resolved once
        self.shown: dict[str, FlowView] = {}  # those the policy being rendered shows
        self.pictures = SchoolPictures([], set(), school.trust, school.source.model.id)  # render_project's
        self.listed: dict[str, tuple[Collection, list[Entry]]] = {}  # the collections it shows (compose/collections.py)
        self.used: set[str] = set()  # the contact roles it names (the contacts page lists the LA's it uses)

    def contacts(self) -> dict[str, Contact]:
        """Every contact role this school can name: its own, then the trust's, then the LA's."""
        return {**self.authority.contacts, **self.trust.contacts, **self.school.contacts}

    def contact(self, role: str) -> Contact:
        found = self.contacts().get(role)
        if found is None:
            close = difflib.get_close_matches(role, list(self.contacts()), n=1)
            hint = f"did you mean contact('{close[0]}')? Otherwise " if close else ""
            raise FactMissing(f"contact('{role}') is not defined for {self.school.name}",
                              f"{hint}add a '{role}' contact to the school, trust or local "
                              "authority file")
        self.used.add(role)
        return found

    def ref(self, ref_id: str) -> str:
        entry = self.project.registry.model.entries.get(ref_id)
        if entry is None:
            known = ", ".join(self.project.registry.model.entries) or "none yet"
            raise FactMissing(f"ref('{ref_id}') is not in content/statutory.yml",
                              f"add the entry to the registry, or use one of: {known}")
        self.cited.setdefault(ref_id, entry)
        # Our own Markdown around the registry's words, which are text like every fact.
        return Markdown(f"[{markdown_text(entry.title)} ({markdown_text(entry.edition)})]({markdown_url(entry.url)})")

    def flowchart(self, chart_id: str) -> str:
        source = self.project.flowcharts.get(chart_id)
        if source is None and (self.project.root / "content" / "flowcharts" / f"{chart_id}.yml").exists():
            raise FlowchartBroken([])  # the file's own problems are reported, at their lines
        if source is None:
            known = ", ".join(sorted(self.project.flowcharts)) or "none yet"
            raise FactMissing(f"flowchart('{chart_id}') is not in content/flowcharts",
                              f"add content/flowcharts/{chart_id}.yml, or use one of: {known}")
        if chart_id not in self.views:
            self.views[chart_id] = _flow_view(chart_id, source, self)
        self.shown[chart_id] = self.views[chart_id]
        self.used.update(node.contact for node in source.model.nodes.values() if node.contact)
        return FLOW_TOKEN.format(id=chart_id)

    def directory(self, collection_id: str, layout: Layout | None = None) -> Markdown:
        """A collection's entries as cards or a table (compose/collections.py)."""
        return directory(self, collection_id, layout)

    def collection(self, collection_id: str) -> list[dict[str, Any]]:
        """A collection's entries for a {% for %} loop (compose/collections.py)."""
        return collection(self, collection_id)

    def picture(self, name: str) -> str:
        """{{ picture("name") }}: one of the school's own pictures, as a figure (compose/pictures.py)."""
        return self.pictures.helper(name)

    def value(self, fact: FactType) -> Any:
        """What the template name of this fact type stands for (provenance wraps it)."""
        return fact.value(self)

    def facts(self) -> dict[str, Any]:
        """What flowchart labels and conditions may use."""
        return {fact.name: self.value(fact) for fact in fact_types() if fact.in_flowcharts}

    def context(self, meta: PolicyMeta) -> dict[str, Any]:
        """Every name the policy's text may use."""
        self.meta = meta
        return {fact.name: self.value(fact) for fact in fact_types()}


def _flow_view(chart_id: str, source: Source[Flowchart], facts: Facts) -> FlowView:
    """The flowchart with this school's labels and only the boxes whose condition holds."""
    if shape_problems(source):
        raise FlowchartBroken([])  # already reported, at their lines, by the project check
    kept, boxes, problems = set(), {}, []
    for node_id, node in source.model.nodes.items():
        try:
            if node.when is None or _holds(node.when, facts, source, node_id):
                kept.add(node_id)
            boxes[node_id] = _flow_box(node_id, source, facts)
        except FlowchartBroken as exc:
            problems += exc.problems
    if problems:
        raise FlowchartBroken(problems)
    return resolve(chart_id, source.model, kept, boxes)


def _holds(condition: str, facts: Facts, source: Source[Flowchart], node_id: str) -> bool:
    line = Line(condition, source.path, source.lines.get(("nodes", node_id, "when"), 1))
    try:
        return bool(facts.env.compile_expression(condition, undefined_to_none=False)(**facts.facts()))
    except Exception as exc:  # reported at the condition's line
        raise FlowchartBroken([template_problem(exc, [line], facts.school.name)]) from exc


def _flow_box(node_id: str, source: Source[Flowchart], facts: Facts) -> FlowBox:
    node = source.model.nodes[node_id]
    line = Line(node.label, source.path, source.lines.get(("nodes", node_id, "label"), 1))
    try:
        label = MARKDOWN_LINK.sub(r"\1", facts.env.from_string(node.label).render(facts.facts()))
        contact = facts.contact(node.contact) if node.contact else None
    except Exception as exc:  # reported at the label's line
        if isinstance(exc, FactMissing) and node.contact and exc.what.startswith(f"contact('{node.contact}')"):
            line = Line(node.contact, source.path, source.lines.get(("nodes", node_id, "contact"), 1))
        raise FlowchartBroken([template_problem(exc, [line], facts.school.name)]) from exc
    return FlowBox(node_id, node.kind, " ".join(label.split()), contact)
