"""Whether a policy can be approved as it stands, and if not, why, in governors' words.

The check is `approve`'s own (governors/approve.py: the content problems in the files the
policy is made of), so the pack never asks governors to approve a text that `approve` would
then refuse to record. The problems are said as a governor reads them: whose text and what is
wrong, never a file, a line, a placeholder or a command.
"""

from __future__ import annotations

from policypress.checks.findings import Finding
from policypress.compose.render import RenderedPolicy
from policypress.compose.wording import date_words
from policypress.governors.approve import policy_findings
from policypress.governors.redline import text_source
from policypress.source.project import Project

PLAIN = {
    "no-alt-text": "a picture has no description in words for people who cannot see it",
    "outside-image": "a picture is loaded from another website, which the school's website must never do",
    "hand-written-link": "a web address of statutory guidance is typed in by hand, so it will not follow a new "
                         "edition",
}


def problems(project: Project, school_id: str, policy: RenderedPolicy, findings: list[Finding]) -> tuple[str, ...]:
    """What must be put right before this school's policy can be approved (none: it is ready)."""
    return tuple(dict.fromkeys(problem_words(project, f) for f in policy_findings(project, school_id, policy,
                                                                                   findings)))


def problem_words(project: Project, finding: Finding) -> str:
    """One content problem as a sentence for governors: whose text, and what is wrong with it."""
    if finding.kind == "unverified-entry":
        return _unverified(project, finding)
    what = PLAIN.get(finding.kind, finding.what)
    return f"In {text_source(finding.path)}, {what}."


def _unverified(project: Project, finding: Finding) -> str:
    registry = project.registry
    entry_id = next((key[1] for key, line in registry.lines.items()
                     if len(key) == 3 and key[2] == "verified" and line == finding.line), "")
    entry = registry.model.entries.get(str(entry_id))
    if entry is None:
        return "The details of a piece of statutory guidance have not been checked for too long."
    return (f"The details of \"{entry.title}\" (which edition is current, and where it is published) were last "
            f"checked on {date_words(entry.verified)}, more than {registry.model.max_unverified_days} days ago.")
