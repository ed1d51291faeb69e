"""Render every school's policies: overlays, Jinja2 (sandboxed, strict), sanitised HTML.

Everything is rendered and checked before anything is written; problems are collected
across all schools and policies so that one run reports them all.
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass, field
from pathlib import Path
from types import TracebackType
from typing import Any

import jinja2
from jinja2.sandbox import SandboxedEnvironment

from policypress.compose import compose_meta, compose_text
from policypress.crosscheck import logo_file
from policypress.dates import add_months
from policypress.errors import Problem, ProblemCollector
from policypress.load import PolicySource, Project, SchoolSource, Source
from policypress.model import (
    Approval,
    Contact,
    LocalAuthority,
    PolicyMeta,
    School,
    StatutoryEntry,
    Trust,
    review_cycle_months,
)
from policypress.sanitize import sanitise
from policypress.sections import Line

# Markdown heading ids are written `{#id}`, which is Jinja's comment syntax: move comments aside.
COMMENT_START, COMMENT_END = "{##", "##}"
TEMPLATE_NAME = "<template>"  # the file name Jinja gives templates made from strings


class FactMissing(Exception):
    """A template asked for a fact (contact, reference) the school does not have."""

    def __init__(self, what: str, fix: str) -> None:
        super().__init__(what)
        self.what, self.fix = what, fix


@dataclass(frozen=True)
class RenderedPolicy:
    """One policy as one school publishes it."""

    id: str
    meta: PolicyMeta
    markdown: str
    approvals: tuple[Approval, ...]
    references: tuple[tuple[str, StatutoryEntry], ...]
    owner: Contact | None

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

    def __init__(self, project: Project, school: SchoolSource) -> None:
        self.project = project
        self.school = school.source.model
        self.trust = project.trusts[school.trust].model
        self.authority = project.authorities[self.school.local_authority].model
        self.cited: dict[str, StatutoryEntry] = {}

    def contacts(self) -> dict[str, Contact]:
        """Every contact role this school can name: its own, then the trust's, then the LA's."""
        return {**self.authority.contacts, **self.trust.contacts, **self.school.contacts}

    def contact(self, role: str) -> Contact:
        found = self.contacts().get(role)
        if found is None:
            raise FactMissing(f"contact('{role}') is not defined for {self.school.name}",
                              f"add a '{role}' contact to the school, trust or local authority file")
        return found

    def ref(self, ref_id: str) -> str:
        entry = self.project.registry.model.entries.get(ref_id)
        if entry is None:
            raise FactMissing(f"ref('{ref_id}') is not in content/statutory.yml",
                              "add the entry to the registry or correct the id")
        self.cited.setdefault(ref_id, entry)
        return f"[{entry.title} ({entry.edition})]({entry.url})"

    def context(self, meta: PolicyMeta) -> dict[str, Any]:
        return {"school": self.school, "trust": self.trust, "local_authority": self.authority,
                "policy": meta, "contact": self.contact, "ref": self.ref}


def make_environment() -> SandboxedEnvironment:
    """The sandbox policy text runs in: no file access, and an undefined name is an error."""
    return SandboxedEnvironment(undefined=jinja2.StrictUndefined, autoescape=False,
                                keep_trailing_newline=True,
                                comment_start_string=COMMENT_START, comment_end_string=COMMENT_END)


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
    facts = Facts(project, school)
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
    facts.cited = {}
    try:
        text = env.from_string("\n".join(line.text for line in lines)).render(facts.context(meta))
    except (jinja2.TemplateError, FactMissing) as exc:
        return [_template_problem(exc, lines)]
    for ref_id in meta.references:
        facts.ref(ref_id)
    owner = facts.contacts().get(meta.owner)
    return RenderedPolicy(policy.id, meta, sanitise(text), _approvals(policy.id, trust.model, school.source.model),
                          tuple(facts.cited.items()), owner)


def _approvals(policy_id: str, trust: Trust, school: School) -> tuple[Approval, ...]:
    """School approvals and the trust board's trust-wide ones, oldest first."""
    found = list(school.policies[policy_id].approvals)
    if policy_id in trust.policies:
        found += trust.policies[policy_id].approvals
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


def _template_problem(exc: Exception, lines: list[Line]) -> Problem:
    lineno = getattr(exc, "lineno", None) or _template_line(exc.__traceback__) or 1
    origin = lines[min(lineno, len(lines)) - 1] if lines else Line("", "content/policies", 1)
    if isinstance(exc, FactMissing):
        return Problem(origin.path, origin.lineno, exc.what, exc.fix)
    if isinstance(exc, jinja2.UndefinedError):
        return Problem(origin.path, origin.lineno, f"placeholder uses something undefined: {exc.message}",
                       "check the spelling; facts are school.*, trust.*, local_authority.*, contact('role'), ref('id')")
    return Problem(origin.path, origin.lineno, f"template error: {exc}",
                   "check the {{ }} and {% %} on this line are complete and closed")


def _template_line(tb: TracebackType | None) -> int | None:
    """The policy line an error happened on, from Jinja's rewritten traceback."""
    found = None
    while tb is not None:
        if tb.tb_frame.f_code.co_filename == TEMPLATE_NAME:
            found = tb.tb_lineno
        tb = tb.tb_next
    return found
