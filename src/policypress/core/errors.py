"""The one error hierarchy. Only cli.py turns these into messages and exit codes."""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass


class PolicyPressError(Exception):
    """Base of every error policypress raises on purpose."""

    exit_code = 1


@dataclass(frozen=True, order=True)
class Problem:
    """One problem in the source: where it is, what is wrong and how to fix it."""

    path: str
    line: int
    what: str
    fix: str

    def __str__(self) -> str:
        return f"{self.path}:{self.line}: {self.what} — {self.fix}"


class SourceErrors(PolicyPressError):
    """The source is wrong; every problem found in the run is listed."""

    exit_code = 2

    def __init__(self, problems: Iterable[Problem]) -> None:
        self.problems = sorted(set(problems))
        super().__init__("\n".join(str(p) for p in self.problems))


class UsageError(PolicyPressError):
    """The command line asked for something that cannot be done (unknown school, bad option)."""

    exit_code = 2


class BuildFailed(PolicyPressError):
    """A tool we drive (MkDocs) failed on input we produced."""

    exit_code = 1


class CheckCouldNotRun(PolicyPressError):
    """A check could not be carried out at all (its engine failed, or nothing it needed could be
    reached): exit 3, so that it is never mistaken for findings (1) or bad input (2)."""

    exit_code = 3


class ProblemCollector:
    """Gathers problems across a whole run so that all of them are reported at once."""

    def __init__(self) -> None:
        self.problems: list[Problem] = []

    def add(self, path: str, line: int, what: str, fix: str) -> None:
        self.problems.append(Problem(path, line, what, fix))

    def extend(self, problems: Iterable[Problem]) -> None:
        self.problems.extend(problems)

    def raise_if_any(self) -> None:
        if self.problems:
            raise SourceErrors(self.problems)
