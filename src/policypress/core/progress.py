"""How a long build tells how far it has got: stages with a count of steps each.

The build calls these; the command decides what they show (commands/progress.py: Rich bars on a
terminal, one plain line per stage in a log, nothing with --quiet). The base class shows nothing,
so library callers and tests need not care.
"""

from __future__ import annotations


class Progress:
    """A build's progress, shown nowhere (the commands give ones that show it)."""

    def start(self, stage: str, total: int) -> None:
        """A stage begins, with this many steps (e.g. "PDFs", 240)."""

    def advance(self, stage: str, steps: int = 1) -> None:
        """Steps of a stage are done."""

    def finish(self, stage: str, words: str) -> None:
        """A stage is over; words say what it did ("240 rendered, 12 from the cache")."""
