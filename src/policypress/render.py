"""Render every school's policies: overlays, Jinja2 (sandboxed, strict), sanitised HTML.

Everything is rendered and checked before anything is written; problems are collected
across all schools and policies so that one run reports them all.
"""

from __future__ import annotations

import datetime as dt
import difflib
import re
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

import jinja2
from jinja2.sandbox import SandboxedEnvironment
from pydantic import BaseModel

from policypress.compose import compose_meta, compose_text
from policypress.crosscheck import logo_file
from policypress.dates import add_months, long_date
from policypress.errors import Problem, ProblemCollector
from policypress.flowcharts import MARK, FlowBox, FlowView, resolve, shape_problems
from policypress.load import PolicySource, Project, SchoolSource, Source
from policypress.model import (
    Address,
    Approval,
    Contact,
    Flowchart,
    LocalAuthority,
    PolicyMeta,
    School,
    StatutoryEntry,
    Trust,
    review_cycle_months,
)
from policypress.sanitize import sanitise
from policypress.sections import Line
from policypress.template_problems import EMPTY, WHOLE, FactMissing, template_problem
from policypress.words import phone_link

# Markdown heading ids are written `{#id}`, which is Jinja's comment syntax: move comments aside.
COMMENT_START, COMMENT_END = "{##", "##}"
# flowchart() leaves this token in the text; after sanitising it becomes flowcharts.MARK.
FLOW_TOKEN = "\ue000flowchart:{id}\ue000"
FLOW_TOKEN_FOUND = re.compile("\n*\ue000flowchart:([a-z0-9-]+)\ue000\n*")  # a figure is a block of its own
MARKDOWN_LINK = re.compile(r"\[([^\]]*)\]\([^)]*\)")


class FlowchartBroken(Exception):
    """A flowchart cannot be drawn for this school; the problems name lines of its file."""

    def __init__(self, problems: list[Problem]) -> None:
        super().__init__(f"{len(problems)} problem(s)")
        self.problems = problems


@dataclass(frozen=True)
class RenderedPolicy:
    """One policy as one school publishes it."""

    id: str
    meta: PolicyMeta
    markdown: str
    approvals: tuple[Approval, ...]
    references: tuple[tuple[str, StatutoryEntry], ...]
    owner: Contact | None
    flowcharts: tuple[FlowView, ...] = ()

    @property
    def approved(self) -> Approval | None:
        """The latest approval, if there is one."""
        return self.approvals[-1] if self.approvals else None

    @property
    def next_review(self) -> dt.date | None:
        """Latest approval date plus the review cycle."""
        latest = self.approved
        return add_months(latest.date, review_cycle_months(self.meta.review_cycle)) if latest else None

    @property
    def public(self) -> bool:
        """Published on the site: approved, and meant for the public."""
        return self.approved is not None and "public" in self.meta.audience


@dataclass(frozen=True)
class RenderedSchool:
    """Everything about one school that its site and PDFs need."""

    school: School
    trust: Trust
    authority: LocalAuthority
    policies: tuple[RenderedPolicy, ...]
    contacts: dict[str, Contact] = field(default_factory=dict)
    logo: Path | None = None

    @property
    def public_policies(self) -> list[RenderedPolicy]:
        return [p for p in self.policies if p.public]


class Facts:
    """What a policy template may use for one school: school, trust, local_authority, contact, ref."""

    def __init__(self, project: Project, school: SchoolSource, env: SandboxedEnvironment) -> None:
        self.project = project
        self.env = env
        self.school = school.source.model
        self.trust = project.trusts[school.trust].model
        self.authority = project.authorities[self.school.local_authority].model
        self.cited: dict[str, StatutoryEntry] = {}
        self.views: dict[str, FlowView] = {}  # this school's flowcharts, resolved once
        self.shown: dict[str, FlowView] = {}  # those the policy being rendered shows

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
        return found

    def ref(self, ref_id: str) -> str:
        entry = self.project.registry.model.entries.get(ref_id)
        if entry is None:
            known = ", ".join(self.project.registry.model.entries) or "none yet"
            raise FactMissing(f"ref('{ref_id}') is not in content/statutory.yml",
                              f"add the entry to the registry, or use one of: {known}")
        self.cited.setdefault(ref_id, entry)
        return f"[{entry.title} ({entry.edition})]({entry.url})"

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
        return FLOW_TOKEN.format(id=chart_id)

    def facts(self) -> dict[str, Any]:
        """What flowchart labels and conditions may use."""
        return {"school": self.school, "trust": self.trust, "local_authority": self.authority,
                "contact": self.contact}

    def context(self, meta: PolicyMeta) -> dict[str, Any]:
        return {**self.facts(), "policy": meta, "ref": self.ref, "flowchart": self.flowchart}


def make_environment() -> SandboxedEnvironment:
    """The sandbox policy text runs in: no file access, and an undefined name is an error."""
    return SandboxedEnvironment(undefined=jinja2.StrictUndefined, autoescape=False,
                                keep_trailing_newline=True, finalize=printable,
                                loader=jinja2.FunctionLoader(lambda _name: None),  # no file is readable
                                comment_start_string=COMMENT_START, comment_end_string=COMMENT_END)


def printable(value: Any) -> Any:
    """What a {{ placeholder }} prints: a contact or address as words; nothing empty or raw."""
    if value is None:
        raise FactMissing(EMPTY, "add the missing detail to the school, trust or local authority "
                          "file, or put the sentence inside {% if … %}")
    if isinstance(value, Contact):
        phone = f", {phone_link(value.phone)}" if value.phone else ""
        return f"{value.name} ({value.title}{phone})"
    if isinstance(value, Address):
        return ", ".join([*value.lines, value.town, value.postcode])
    if isinstance(value, dt.date):
        return long_date(value)
    if isinstance(value, BaseModel | dict | list | tuple):
        raise FactMissing(WHOLE, "print one part of it, e.g. {{ school.name }} or "
                          "{{ contact('dsl').phone }}, or join a list: {{ school.values | join(', ') }}")
    return value


def render_project(project: Project, school_ids: list[str] | None = None) -> list[RenderedSchool]:
    """Render the chosen schools (all by default); raise SourceErrors listing every problem."""
    problems = ProblemCollector()
    env = make_environment()
    ids = school_ids or sorted(project.schools)
    rendered = [_render_school(project, project.schools[sid], env, problems) for sid in ids]
    problems.raise_if_any()
    return rendered


def _render_school(project: Project, school: SchoolSource, env: SandboxedEnvironment,
                   problems: ProblemCollector) -> RenderedSchool:
    facts = Facts(project, school, env)
    policies = []
    for policy_id in school.source.model.policies:
        policy = project.policies[policy_id]
        found = _render_policy(project, policy, school, facts, env)
        if isinstance(found, RenderedPolicy):
            policies.append(found)
        else:
            problems.extend(found)
    policies.sort(key=lambda p: (p.meta.category, p.meta.title))
    branding = facts.school.branding or facts.trust.branding
    logo = logo_file(project, school.trust, branding.logo) if branding.logo else None
    return RenderedSchool(facts.school, facts.trust, facts.authority, tuple(policies), facts.contacts(), logo)


def _render_policy(project: Project, policy: PolicySource, school: SchoolSource, facts: Facts,
                   env: SandboxedEnvironment) -> RenderedPolicy | list[Problem]:
    trust = project.trusts[school.trust]
    lines, problems = compose_text(policy, trust, school.source)
    meta = compose_meta(policy, trust.model, school.source.model)
    problems += _missing_requirements(meta, facts, school.source, policy.id)
    if problems:
        return problems
    facts.cited, facts.shown = {}, {}
    try:
        text = env.from_string("\n".join(line.text for line in lines)).render(facts.context(meta))
    except FlowchartBroken as exc:
        return exc.problems
    except Exception as exc:  # noqa: BLE001 — policy authors get a line number, never a traceback
        return [template_problem(exc, lines, facts.school.name)]
    text = FLOW_TOKEN_FOUND.sub(lambda m: "\n\n" + MARK.format(id=m.group(1)) + "\n\n", sanitise(text))
    for ref_id in meta.references:  # an unknown id is reported, with its line, by crosscheck
        if ref_id in project.registry.model.entries:
            facts.ref(ref_id)
    owner = facts.contacts().get(meta.owner)
    return RenderedPolicy(policy.id, meta, text, _approvals(policy.id, trust.model, school.source.model, project),
                          tuple(facts.cited.items()), owner, tuple(facts.shown.values()))


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
    except Exception as exc:  # noqa: BLE001 — reported at the condition's line
        raise FlowchartBroken([template_problem(exc, [line], facts.school.name)]) from exc


def _flow_box(node_id: str, source: Source[Flowchart], facts: Facts) -> FlowBox:
    node = source.model.nodes[node_id]
    line = Line(node.label, source.path, source.lines.get(("nodes", node_id, "label"), 1))
    try:
        label = MARKDOWN_LINK.sub(r"\1", facts.env.from_string(node.label).render(facts.facts()))
        contact = facts.contact(node.contact) if node.contact else None
    except Exception as exc:  # noqa: BLE001 — reported at the label's line
        if isinstance(exc, FactMissing) and node.contact and exc.what.startswith(f"contact('{node.contact}')"):
            line = Line(node.contact, source.path, source.lines.get(("nodes", node_id, "contact"), 1))
        raise FlowchartBroken([template_problem(exc, [line], facts.school.name)]) from exc
    return FlowBox(node_id, node.kind, " ".join(label.split()), contact)


def _approvals(policy_id: str, trust: Trust, school: School, project: Project) -> tuple[Approval, ...]:
    """School approvals, the trust board's trust-wide ones and the approvals folder's, oldest first."""
    found = list(school.policies[policy_id].approvals)
    if policy_id in trust.policies:
        found += trust.policies[policy_id].approvals
    found += [snapshot.approval for snapshot in project.approvals.get((school.id, policy_id), ())]
    return tuple(sorted(found, key=lambda a: a.date))


def _missing_requirements(meta: PolicyMeta, facts: Facts, school: Source[School], policy_id: str) -> list[Problem]:
    line = school.lines.get(("policies", policy_id), 1)
    problems = []
    for need in meta.requires:
        if not _has_fact(need, facts):
            problems.append(Problem(school.path, line,
                                    f"policy '{policy_id}' needs {need}, which {facts.school.name} does not have",
                                    _requirement_fix(need)))
    return problems


def _has_fact(need: str, facts: Facts) -> bool:
    head, *rest = need.split(".")
    if head == "contacts":
        return rest[0] in facts.contacts()
    value: Any = {"school": facts.school, "trust": facts.trust, "local_authority": facts.authority}.get(head)
    for part in rest:
        value = value.get(part) if isinstance(value, dict) else getattr(value, part, None)
    return value not in (None, "", [], {})


def _requirement_fix(need: str) -> str:
    head, *rest = need.split(".")
    if head == "contacts":
        return f"add a '{rest[0]}' contact to the school file (or to the trust or local authority)"
    return f"add '{'.'.join(rest)}' to the {head.replace('_', ' ')} file"
