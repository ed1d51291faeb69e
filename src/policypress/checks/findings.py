"""What every check reports: findings, each at one or more places, and the result of a run.

A finding says what kind of problem it is, where (the file and line a person would edit, and the
school and policy where that applies), what is wrong, and what to do. `check content` finds one
per line, `check reviews` one per policy that needs attention, and `check links` one per web
address, with every place that uses it.
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from dataclasses import dataclass, field

from rich.console import RenderableType


@dataclass(frozen=True, order=True)
class Place:
    """Where something is written: a file and line, and the school and policy it is part of."""

    path: str
    """The file, relative to the project folder."""
    line: int
    """The line in that file, counted from 1."""
    school: str | None = None
    """The school whose site or PDF publishes it (None: a file of no one school, e.g. a policy)."""
    policy: str | None = None
    """The policy it is part of (None: not part of one policy)."""

    def __str__(self) -> str:
        return f"{self.path}:{self.line}"


@dataclass(frozen=True, order=True)
class Finding:
    """One thing to fix: where it is, what kind of problem, what is wrong, and how to fix it.

    Findings sort by place, then kind, so a report reads in file and line order.
    """

    places: tuple[Place, ...]
    """Every place the problem is written; the first is where to start."""
    kind: str
    """The kind of problem, e.g. 'old-edition', 'broken' or 'overdue' (the `kind` of the JSON)."""
    what: str
    """What is wrong, in words."""
    fix: str
    """What to do about it."""
    subject: str = ""
    """What the finding is about when that is more than a line, e.g. a link's web address."""
    statutory: bool = False
    """It concerns statutory guidance or a statutory policy."""
    fails: bool = True
    """It fails the check (exit 1); a warning when False."""
    new_url: str = ""
    """For a link that moved or was replaced: the address to use instead."""

    @classmethod
    def at(cls, path: str, line: int, kind: str, what: str, fix: str) -> Finding:
        """A finding at one line of one file, that fails the check."""
        return cls((Place(path, line),), kind, what, fix)

    @property
    def place(self) -> Place:
        """The first place, where to start."""
        return self.places[0]

    @property
    def path(self) -> str:
        """The file of the first place."""
        return self.place.path

    @property
    def line(self) -> int:
        """The line of the first place."""
        return self.place.line

    @property
    def schools(self) -> list[str]:
        """Every school affected, in id order."""
        return sorted({p.school for p in self.places if p.school})

    def __str__(self) -> str:
        return f"{self.place}: {self.what} — {self.fix}"


@dataclass(frozen=True)
class CheckResult:
    """What one run of a check found, ready for the terminal, JSON and the exit code."""

    findings: Sequence[Finding]
    """Everything found, in the order the report lists it."""
    summary: str
    """One sentence of totals, printed after the findings."""
    document: Mapping[str, object]
    """The JSON document (--json), in the shape the README documents for this check."""
    fails: bool
    """The check fails: the command exits 1."""
    shown: Sequence[RenderableType | str] = field(default_factory=list)
    """What the terminal shows above the summary: a str is one line as it is, anything else is laid out by Rich."""
    notes: Sequence[str] = field(default_factory=list)
    """Lines after the summary, e.g. where reports were written."""
