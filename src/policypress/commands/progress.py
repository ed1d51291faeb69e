"""What a build shows while it runs: Rich bars on a terminal, one plain line per stage in a log.

A CI log is no terminal: bars there would be hundreds of redrawn lines, so each stage gets one
line when it is over (what it did and how long it took). Both go to standard error, so standard
output stays for the summary (`--json`).
"""

from __future__ import annotations

import time
from typing import TextIO

import click
from rich.console import Console
from rich.progress import BarColumn, MofNCompleteColumn, TaskID, TextColumn, TimeElapsedColumn
from rich.progress import Progress as Bars

from policypress.core.progress import Progress


class PlainProgress(Progress):
    """One line per stage when it is over: `PDFs: 240 written: 12 rendered, … (41.2 s)`."""

    def __init__(self, stream: TextIO | None = None) -> None:
        self.stream = stream
        self.started: dict[str, float] = {}

    def start(self, stage: str, total: int) -> None:
        self.started[stage] = time.perf_counter()

    def finish(self, stage: str, words: str) -> None:
        began = self.started.pop(stage, None)
        took = f" ({time.perf_counter() - began:.1f} s)" if began is not None else ""
        click.echo(f"{stage}: {words}{took}", err=True, file=self.stream)


class BarProgress(Progress):
    """A Rich bar per stage while it runs, left on the screen with its words when it is over."""

    def __init__(self, console: Console) -> None:
        self.bars = Bars(TextColumn("{task.description:<11}"), BarColumn(), MofNCompleteColumn(),
                         TimeElapsedColumn(), TextColumn("{task.fields[words]}"), console=console, transient=False)
        self.tasks: dict[str, TaskID] = {}

    def __enter__(self) -> BarProgress:
        self.bars.start()
        return self

    def __exit__(self, *_exc: object) -> None:
        self.bars.stop()

    def start(self, stage: str, total: int) -> None:
        self.tasks[stage] = self.bars.add_task(stage, total=max(total, 0), words="")

    def advance(self, stage: str, steps: int = 1) -> None:
        if stage in self.tasks:
            self.bars.advance(self.tasks[stage], steps)

    def finish(self, stage: str, words: str) -> None:
        task = self.tasks.pop(stage, None)
        if task is None:  # a stage with nothing to do still says so
            task = self.bars.add_task(stage, total=0, words="")
        self.bars.update(task, completed=self.bars.tasks[task].total, words=words)


def on_terminal() -> bool:
    """True when standard error is a terminal (and not a CI log, where bars would be noise)."""
    return Console(stderr=True).is_terminal
