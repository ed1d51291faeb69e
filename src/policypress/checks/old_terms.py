"""Words the current guidance no longer uses (content/terms.yml), found in the text people publish.

Each old wording is matched whole, in any case, with spaces and hyphens between its words
interchangeable ("peer on peer abuse", "peer-on-peer abuse"). A line that mentions an old term
on purpose (a quotation, or "what older guidance called …") is marked with a template comment,
`{## intended ##}` or `{## intended: why ##}` (policy text's comments are `{## … ##}`), which the
build removes: such a line gives no old-term or old-edition finding.
"""

from __future__ import annotations

import re

from policypress.checks.findings import Finding, Place
from policypress.compose.wording import date_words
from policypress.core.dates import MonthOnly
from policypress.source.content_schema import Registry
from policypress.source.publishing_schema import OldTerm, Terms

INTENDED = re.compile(r"\{##-?\s*intended\b.{0,200}?-?##\}", re.IGNORECASE)


def _wording_pattern(words: str) -> str:
    parts = [re.escape(w) for w in re.split(r"[\s-]+", words.strip())]
    return r"(?<![\w-])" + r"[\s-]+".join(parts) + r"(?![\w-])"


class OldTerms:
    """The terms file compiled: one pattern per term."""

    def __init__(self, terms: Terms | None, registry: Registry) -> None:
        self.registry = registry
        self.terms = [(term_id, term, re.compile("|".join(_wording_pattern(w) for w in
                                                          sorted(term.words, key=len, reverse=True)), re.IGNORECASE))
                      for term_id, term in sorted((terms.terms if terms else {}).items())]

    def findings(self, path: str, lineno: int, text: str) -> list[Finding]:
        """An old-term finding for each old wording in the line (one per term and line)."""
        found = []
        for _, term, pattern in self.terms:
            match = pattern.search(text)
            if match:
                what, fix = self._words(match.group(0), term)
                found.append(Finding((Place(path, lineno),), "old-term", what, fix, fails=term.unsure is None))
        return found

    def _words(self, used: str, term: OldTerm) -> tuple[str, str]:
        entry = self.registry.entries.get(term.changed_by)
        source = f"\"{entry.title}\"" if entry else term.changed_by
        since = f"{term.since:%B %Y}" if isinstance(term.since, MonthOnly) else date_words(term.since)
        what = f"\"{used}\" is no longer used: {source} says \"{term.use}\" instead, since {since}"
        if term.unsure:
            what += f" (not certain: {term.unsure})"
        return what, (f"write \"{term.use}\"; if the old words are quoted on purpose, end the line with "
                      "{## intended ##}")
