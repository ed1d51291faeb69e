"""`policypress pack`: one PDF for a governors' meeting, never published on the site.

For one school and meeting date it lists the policies that need a decision and why (review
overdue or due before the next meeting, changed since the last approval, never approved).
For each it gives a redline of what changed since the approved text, each change put down to
where it came from, then the full draft text, then a page to sign.
"""

from __future__ import annotations

import datetime as dt
import re
from dataclasses import dataclass
from pathlib import Path

from markupsafe import Markup

from policypress.compose import wording as words
from policypress.compose.load import load_project
from policypress.compose.provenance import Word, plain_words, policy_words, words_from_json
from policypress.compose.render import RenderedPolicy, RenderedSchool, render_project
from policypress.core.errors import UsageError
from policypress.core.files import write_atomically
from policypress.governors.redline import Change, compare
from policypress.outputs.diagrams import draw_schools
from policypress.outputs.figures import Drawing, print_figure, with_figures
from policypress.outputs.pdf import (
    WATERMARK_SVG,
    policy_body,
    print_css,
    print_environment,
    svg_data_uri,
    weasyprint_pdf,
)
from policypress.source.approval_records import ORIGINS
from policypress.source.project import Project, latest_snapshot
from policypress.source.reader import UnreadableFile, read_source
from policypress.source.school_schema import Approval

NEXT_MEETING_DAYS = 91  # governing bodies usually meet termly
IDS = re.compile(r'\b(id|href)="(#?)([^"]+)"')


@dataclass(frozen=True)
class Decision:
    """One policy put to the meeting: why, and what changed since governors last approved it."""

    policy: RenderedPolicy
    reasons: tuple[str, ...]
    baseline: Approval | None
    """The approval whose text the redline compares with (None: no approved text was kept)."""
    changes: tuple[Change, ...]


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
    changes = tuple(compare(approved_words(project.root, project.root / snapshot.path, snapshot.markdown),
                            policy_words(project, school.school.id, policy.id), project, school.school.id))
    if changes:
        reasons.append(f"Changed since version {snapshot.approval.version} was approved on "
                       f"{words.date_words(snapshot.approval.date)}")
    return Decision(policy, tuple(reasons), snapshot.approval, changes)


def _review_reasons(policy: RenderedPolicy, meeting: dt.date, next_meeting: dt.date) -> list[str]:
    due = policy.next_review
    if policy.approved is None or due is None:
        return ["Never approved"]
    if due < meeting:
        return [f"Review overdue: it was due by {words.date_words(due)}"]
    if due <= next_meeting:
        return [f"Review due by {words.date_words(due)}, before the next meeting"]
    return []


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
    bodies = [Markup(_full_text(d.policy, n, figures)) for n, d in enumerate(decisions, start=1)]  # noqa: S704
    branding = school.school.branding or school.trust.branding
    return env.get_template("pack.html.j2").render(
        school=school.school, trust=school.trust, contacts=school.contacts, decisions=decisions, bodies=bodies,
        meeting=meetings[0], next_meeting=meetings[1], css=Markup(print_css(env)),  # noqa: S704 — our stylesheet
        colour=branding.primary_colour, watermark=svg_data_uri(WATERMARK_SVG))


def _full_text(policy: RenderedPolicy, number: int, figures: dict[str, str]) -> str:
    """The policy's text as HTML, its ids made unique within the pack (policies share heading ids)."""
    body, _ = policy_body(with_figures(policy.markdown, figures), [e.url for _, e in policy.references])
    return IDS.sub(lambda m: f'{m.group(1)}="{m.group(2)}p{number}-{m.group(3)}"'
                   if m.group(1) == "id" or m.group(2) else m.group(0), body)
