"""`policypress pack`: one PDF for a governors' meeting, never published on the site.

For one school and meeting date it lists the policies that need a decision and why (review
overdue or due before the next meeting, changed since the last approval, never approved), each
with a one-line summary of what changed and the page it starts on. For each policy: what
changed since the approved text, grouped by the section it falls in, each change put down in
governors' words to where it came from; the full draft text, marked DRAFT on every page and
over every flowchart; then a page recording the decision. A policy whose text has content
problems (those `approve` refuses to record) is marked not ready for approval, with the
problems in plain words, and its decision page offers no "approved".
"""

from __future__ import annotations

import datetime as dt
import re
from dataclasses import dataclass
from pathlib import Path

from markupsafe import Markup

from policypress.checks.content import check_content
from policypress.checks.findings import Finding
from policypress.compose import wording as words
from policypress.compose.load import load_project
from policypress.compose.provenance import Word, plain_words, policy_words, words_from_json
from policypress.compose.render import RenderedPolicy, RenderedSchool, render_project
from policypress.core.errors import UsageError
from policypress.core.files import write_atomically
from policypress.governors.approve import Refused, next_version
from policypress.governors.draft_mark import CHART_MARK_SVG, PAGE_MARK_SVG
from policypress.governors.readiness import problems
from policypress.governors.redline import Change, by_section, compare, summary
from policypress.governors.sections import Heading, word_headings
from policypress.outputs.diagrams import draw_schools
from policypress.outputs.figures import Drawing, print_figure, with_figures
from policypress.outputs.pdf import (
    data_uri,
    policy_body,
    print_css,
    print_environment,
    svg_data_uri,
    weasyprint_pdf,
)
from policypress.outputs.pictures import picture_uris, with_picture_uris
from policypress.source.approval_records import ORIGINS
from policypress.source.project import Project, latest_snapshot
from policypress.source.reader import UnreadableFile, read_source
from policypress.source.school_schema import Approval

NEXT_MEETING_DAYS = 91  # governing bodies usually meet termly
IDS = re.compile(r'\b(id|href)="(#?)([^"]+)"')


@dataclass(frozen=True)
class Decision:
    """One policy put to the meeting: why, what changed since governors last approved it, and whether it is ready."""

    policy: RenderedPolicy
    reasons: tuple[str, ...]
    baseline: Approval | None
    """The approval whose text the redline compares with (None: no approved text was kept)."""
    changes: tuple[Change, ...]
    problems: tuple[str, ...] = ()
    """Content problems, in plain words, that stop it being approved as it stands."""
    version: str = ""
    """The version it would be approved as ('' when the last one is not a number)."""

    @property
    def ready(self) -> bool:
        """It can be approved as it stands."""
        return not self.problems

    @property
    def sections(self) -> list[tuple[Heading, list[Change]]]:
        """The changes grouped by the section of the policy they fall in, in reading order."""
        return by_section(self.changes)

    @property
    def summary(self) -> str:
        """What changed, in one line for the cover."""
        if self.baseline is None:
            if self.policy.approved is None:
                return "New: all of its text is new"
            return f"Not shown: the text approved as version {self.policy.approved.version} was not kept"
        if not self.changes:
            return f"No changes since version {self.baseline.version}"
        return summary(self.changes)


@dataclass(frozen=True)
class PackRequest:
    """Which pack to make and where."""

    root: Path
    out: Path
    school: str
    meeting: dt.date
    next_meeting: dt.date | None = None


def make_pack(request: PackRequest) -> Path:
    """Write build/governors/<school>/<meeting>-governors-pack.pdf; return its path."""
    project = load_project(request.root)
    if request.school not in project.schools:
        raise UsageError(f"unknown school {request.school} — known schools: {', '.join(sorted(project.schools))}")
    school = render_project(project, [request.school])[0]
    next_meeting = request.next_meeting or request.meeting + dt.timedelta(days=NEXT_MEETING_DAYS)
    decisions = [d for d in (decide(project, school, p, request.meeting, next_meeting) for p in school.policies)
                 if d.reasons]
    findings = check_content(project, request.meeting) if decisions else []
    decisions = [with_readiness(project, school, d, findings) for d in decisions]
    drawings = draw_schools([school], request.out / ".cache" / "svg").get(request.school, {})
    html = pack_html(request.root / "templates", school, decisions, (request.meeting, next_meeting), drawings)
    name = f"{request.meeting.isoformat()}-governors-pack.pdf"
    folder = request.out / "governors" / request.school
    write_atomically(folder, {name: weasyprint_pdf(html, request.root)})
    return folder / name


def decide(project: Project, school: RenderedSchool, policy: RenderedPolicy, meeting: dt.date,
           next_meeting: dt.date) -> Decision:
    """Whether the policy needs a decision at this meeting, and why."""
    reasons = _review_reasons(policy, meeting, next_meeting)
    snapshot = latest_snapshot(project, school.school.id, policy.id)
    if snapshot is None:
        return Decision(policy, tuple(reasons), None, ())
    approved = approved_words(project.root, project.root / snapshot.path, snapshot.markdown)
    changes = tuple(compare(approved, policy_words(project, school.school.id, policy.id), project,
                            school.school.id, _headings(policy)))
    if changes:
        reasons.append(f"Changed since version {snapshot.approval.version} was approved on "
                       f"{words.date_words(snapshot.approval.date)}")
    return Decision(policy, tuple(reasons), snapshot.approval, changes)


def with_readiness(project: Project, school: RenderedSchool, decision: Decision, findings: list[Finding]) -> Decision:
    """The decision with its content problems (approve's own check) and the version it would be approved as."""
    try:
        version = next_version(decision.policy)
    except Refused:  # the last version is not a number: the meeting gives one
        version = ""
    found = problems(project, school.school.id, decision.policy, findings)
    return Decision(decision.policy, decision.reasons, decision.baseline, decision.changes, found, version)


def _review_reasons(policy: RenderedPolicy, meeting: dt.date, next_meeting: dt.date) -> list[str]:
    due = policy.next_review
    if policy.approved is None or due is None:
        return ["Never approved"]
    if due < meeting:
        return [f"Review overdue: it was due by {words.date_words(due)}"]
    if due <= next_meeting:
        return [f"Review due by {words.date_words(due)}, before the next meeting"]
    return []


def _headings(policy: RenderedPolicy) -> list[Heading]:
    """The section heading of each word of the policy, each linked to its place in the pack's full text."""
    _, toc = policy_body(policy.markdown, [])
    return word_headings(policy.markdown, [h["id"] for h in toc], f"#{_prefix(policy)}{{}}",
                         Heading("", f"#{_prefix(policy)}text"))


def _prefix(policy: RenderedPolicy) -> str:
    """What the pack puts before each id of a policy's text: policies share heading ids."""
    return f"{policy.id}--"


def approved_words(root: Path, snapshot: Path, text: str) -> list[Word]:
    """The approved text's words, with the origins recorded beside it when it was approved.

    The origins file is read like every project file; one that cannot be read or understood
    (moved, edited by hand) only loses the origins: the redline then says they are not known."""
    origins = snapshot.with_name(snapshot.stem + ORIGINS)
    if origins.exists() or origins.is_symlink():
        try:
            return words_from_json(read_source(root, origins))
        except (UnreadableFile, ValueError, KeyError, TypeError):
            pass
    return [Word(word, "") for word in plain_words(text)]


def pack_html(templates: Path, school: RenderedSchool, decisions: list[Decision],
              meetings: tuple[dt.date, dt.date], drawings: dict[str, Drawing]) -> str:
    """The whole pack as one print document."""
    env = print_environment(templates)
    figures = {chart_id: print_figure(d, svg_data_uri(d.svg)) for chart_id, d in drawings.items()}
    # Markup: our own HTML of sanitised policy text (compose/sanitise.py), not raw input.
    pictures = picture_uris(school)  # inside the document, as in the PDFs
    bodies = [Markup(_full_text(d.policy, figures, pictures)) for d in decisions]  # noqa: S704
    return env.get_template("pack.html.j2").render(
        school=school.school, trust=school.trust, contacts=school.contacts, decisions=decisions, bodies=bodies,
        meeting=meetings[0], next_meeting=meetings[1], css=Markup(print_css(env)),  # noqa: S704 — our stylesheet
        colour=school.colour, logo=data_uri(school.logo) if school.logo else None,
        watermark=svg_data_uri(PAGE_MARK_SVG), stamp=svg_data_uri(CHART_MARK_SVG))


def _full_text(policy: RenderedPolicy, figures: dict[str, str], pictures: dict[str, str]) -> str:
    """The policy's text as HTML, its ids made unique within the pack (policies share heading ids)."""
    text = with_picture_uris(with_figures(policy.markdown, figures), pictures)
    body, _ = policy_body(text, [e.url for _, e in policy.references])
    return IDS.sub(lambda m: f'{m.group(1)}="{m.group(2)}{_prefix(policy)}{m.group(3)}"'
                   if m.group(1) == "id" or m.group(2) else m.group(0), body)
