"""Render every school's policies: overlays, Jinja2 (sandboxed, strict), sanitised HTML.

Everything is rendered and checked before anything is written; problems are collected
across all schools and policies so that one run reports them all.
"""

from __future__ import annotations

import datetime as dt
import signal
import threading
import weakref
from collections.abc import Iterator
from contextlib import contextmanager
from dataclasses import dataclass, field, replace
from pathlib import Path
from typing import Any

from jinja2 import Template
from jinja2.sandbox import SandboxedEnvironment

from policypress.compose.cross_checks import logo_file
from policypress.compose.fact_types import fact_types
from policypress.compose.facts import FLOW_TOKEN_FOUND, Facts, FlowchartBroken
from policypress.compose.flowchart_views import MARK, FlowView
from policypress.compose.governance import FIXED, body_words, usual_approver
from policypress.compose.overlays import compose_meta, compose_text
from policypress.compose.pictures import Picture, PictureCatalogue, load_pictures, place_pictures
from policypress.compose.sandbox import make_environment
from policypress.compose.sanitise import sanitise
from policypress.compose.template_problems import template_problem
from policypress.compose.wording import approver_words
from policypress.core.dates import review_after
from policypress.core.errors import Problem, ProblemCollector
from policypress.source.collection_schema import Collection, Entry
from policypress.source.content_schema import PolicyMeta, StatutoryEntry
from policypress.source.project import PolicySource, Project, SchoolSource, Source
from policypress.source.schema_types import review_cycle_months
from policypress.source.school_schema import DEFAULT_COLOUR, Approval, Contact, LocalAuthority, School, Trust

RENDER_SECONDS = 10  # one policy of one school; real ones take milliseconds
_COMPILED: weakref.WeakKeyDictionary[SandboxedEnvironment, dict[str, Template]] = weakref.WeakKeyDictionary()


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
    collections: tuple[tuple[Collection, tuple[Entry, ...]], ...] = ()
    """The collections the policy shows (directory() or collection()), with this school's entries."""
    contacts_used: tuple[str, ...] = ()
    """The contact roles the policy names (contact('role'), its flowcharts' boxes), sorted."""
    body_names: dict[str, str] = field(default_factory=dict)
    """How the trust's scheme of delegation names each approving body (compose/governance.py)."""
    approver: str = ""
    """The body that usually approves the policy here (its front matter's, or the trust's scheme's)."""
    people: tuple[tuple[str, str], ...] = ()
    """Author and reviewer, as shown in document control: ('Author', 'Ms A Example, Trust head of inclusion')."""

    def by_words(self, body: str) -> str:
        """'the local governing committee on behalf of the board of trustees', or the fixed words."""
        return self.body_names.get(body) or approver_words(body)

    @property
    def approved(self) -> Approval | None:
        """The latest approval, if there is one."""
        return self.approvals[-1] if self.approvals else None

    @property
    def next_review(self) -> dt.date | None:
        """Latest approval date plus the review cycle (from a month-only approval: the month's last day's)."""
        latest = self.approved
        return review_after(latest.date, review_cycle_months(self.meta.review_cycle)) if latest else None

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
    pictures: dict[str, Picture] = field(default_factory=dict)
    """The pictures its policies show, by file name (compose/pictures.py)."""

    @property
    def public_policies(self) -> list[RenderedPolicy]:
        return [p for p in self.policies if p.public]

    @property
    def colour(self) -> str:
        """The school's colour: its own, else its trust's, else policypress's."""
        return self.school.branding.primary_colour or self.trust.branding.primary_colour or DEFAULT_COLOUR


def render_project(project: Project, school_ids: list[str] | None = None) -> list[RenderedSchool]:
    """Render the chosen schools (all by default); raise SourceErrors listing every problem."""
    problems = ProblemCollector()
    env = make_environment()
    ids = school_ids or sorted(project.schools)
    pictures = load_pictures(project)
    problems.extend(pictures.problems)
    rendered = [_render_school(project, project.schools[sid], env, problems, pictures) for sid in ids]
    problems.raise_if_any()
    return rendered


def _render_school(project: Project, school: SchoolSource, env: SandboxedEnvironment,
                   problems: ProblemCollector, pictures: PictureCatalogue | None = None) -> RenderedSchool:
    facts = Facts(project, school, env)
    if pictures:
        facts.pictures = pictures.for_school(school.source.model.id, school.trust)
    policies = []
    for policy_id in school.source.model.policies:
        policy = project.find_model(school, policy_id)
        if policy is None:  # reported by the cross-file checks
            continue
        found = _render_policy(project, policy, school, facts, env)
        if isinstance(found, RenderedPolicy):
            policies.append(found)
        else:
            problems.extend(found)
    policies.sort(key=lambda p: (p.meta.category, p.meta.title))
    logo_name = facts.school.branding.logo or facts.trust.branding.logo
    logo = logo_file(project, school.trust, logo_name) if logo_name else None
    return RenderedSchool(facts.school, facts.trust, facts.authority, tuple(policies), facts.contacts(), logo,
                          pictures=facts.pictures.used)


def _render_policy(project: Project, policy: PolicySource, school: SchoolSource, facts: Facts,
                   env: SandboxedEnvironment) -> RenderedPolicy | list[Problem]:
    trust = project.trusts[school.trust]
    lines, problems = compose_text(policy, trust, school.source)
    meta = compose_meta(policy, trust.model, school.source.model)
    problems += _missing_requirements(meta, facts, school.source, policy.id)
    if problems:
        return problems
    facts.cited, facts.shown, facts.listed, facts.used = {}, {}, {}, set()
    try:
        with render_deadline(RENDER_SECONDS):
            text = compiled(env, "\n".join(line.text for line in lines)).render(facts.context(meta))
    except FlowchartBroken as exc:
        return exc.problems
    except RenderTooSlow as exc:
        where = template_problem(exc, lines, facts.school.name)
        return [replace(where, what=f"this policy takes more than {RENDER_SECONDS} seconds to render (this line "
                        "was running then: a loop inside a loop?)",
                        fix="make its {% for %} loops shorter, or write the text out")]
    except Exception as exc:  # noqa: BLE001 — policy authors get a line number, never a traceback
        return [template_problem(exc, lines, facts.school.name)]
    text = FLOW_TOKEN_FOUND.sub(lambda m: "\n\n" + MARK.format(id=m.group(1)) + "\n\n", sanitise(text))
    text, misplaced = place_pictures(text, facts.pictures, lines)
    if misplaced:
        return misplaced
    for ref_id in meta.references:  # an unknown id is reported, with its line, by crosscheck
        if ref_id in project.registry.model.entries:
            facts.ref(ref_id)
    owner = facts.contacts().get(meta.owner)
    return RenderedPolicy(policy.id, meta, text, _approvals(policy.id, trust.model, school.source.model, project),
                          tuple(facts.cited.items()), owner, tuple(facts.shown.values()),
                          tuple((found, tuple(entries)) for found, entries in facts.listed.values()),
                          tuple(sorted(facts.used)),
                          **_governance(trust.model, meta, policy.id, facts))


def compiled(env: SandboxedEnvironment, source: str) -> Template:
    """The policy text compiled once per environment: schools showing the same model share it.

    Compiling is most of the cost of rendering (a template renders in a fraction of its compile
    time), and a trust's schools mostly show the same text. Templates keep no state between renders.
    """
    cache = _COMPILED.setdefault(env, {})
    if source not in cache:
        cache[source] = env.from_string(source)
    return cache[source]


class RenderTooSlow(Exception):
    """Rendering one policy took longer than its deadline."""


@contextmanager
def render_deadline(seconds: int) -> Iterator[None]:
    """Raise RenderTooSlow inside the render when it takes longer than seconds (main thread only:
    signals reach no other; elsewhere the sandbox's bounds on ranges and sizes still hold)."""
    if threading.current_thread() is not threading.main_thread():
        yield
        return

    def expire(_signum: int, _frame: object) -> None:
        raise RenderTooSlow(f"more than {seconds} s")

    previous = signal.signal(signal.SIGALRM, expire)
    signal.setitimer(signal.ITIMER_REAL, seconds)
    try:
        yield
    finally:
        signal.setitimer(signal.ITIMER_REAL, 0)
        signal.signal(signal.SIGALRM, previous)


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
    records = (fact for fact in fact_types() if fact.name == head and fact.describe and not fact.lookup)
    value: Any = next((facts.value(fact) for fact in records), None)
    for part in rest:
        value = value.get(part) if isinstance(value, dict) else getattr(value, part, None)
    return value not in (None, "", [], {})


def _requirement_fix(need: str) -> str:
    head, *rest = need.split(".")
    if head == "contacts":
        return f"add a '{rest[0]}' contact to the school file (or to the trust or local authority)"
    return f"add '{'.'.join(rest)}' to the {head.replace('_', ' ')} file"


def _governance(trust: Trust, meta: PolicyMeta, policy_id: str, facts: Facts) -> dict[str, Any]:
    """Who approves the policy here, how each body is named, and its author and reviewer."""
    bodies = set(FIXED) | set(trust.governance.bodies if trust.governance else ())
    people = tuple((label, _person(value, facts)) for label, value in (("Author", meta.author),
                                                                     ("Reviewer", meta.reviewer)) if value)
    return {"body_names": {b: body_words(trust, b) for b in sorted(bodies)},
            "approver": usual_approver(trust, meta, policy_id), "people": people}


def _person(value: str, facts: Facts) -> str:
    """A contact role as 'name, title'; anything else is a name, shown as written."""
    contact = facts.contacts().get(value)
    return f"{contact.name}, {contact.title}" if contact else value
