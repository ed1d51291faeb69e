"""Citations of the registry's documents, found however they are written.

Every name of every entry (checks/citation_text.py: title, aliases, older titles, the part
before a colon, "section N of the X", an Act without its year) is looked for in each line made
plain, with the signs that the words are a citation and not an ordinary sentence, and the
edition that follows or comes before the name: a year ("KCSIE 2023", "KCSIE 23"), a month and
year, "the 2018 edition", with quotes, brackets, the publisher ("DfE", "Department for
Education") or punctuation in between. A long title written slightly differently ("… between
children at schools and colleges") is found by fuzzy matching (rapidfuzz), and a registry
entry's own address counts as a citation of it.

`edition_verdict` then says whether the cited edition is the current one, an older one, or (a
year only, when the registry knows two editions of that year) cannot be told.
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from functools import cached_property
from itertools import accumulate

from rapidfuzz import fuzz

from policypress.checks.citation_text import (
    EDITION_AFTER,
    EDITION_BEFORE,
    GAP_WORD,
    MONTHS,
    SHORT_YEAR,
    SMALL_WORDS,
    URL,
    YEAR,
    Name,
    cited_as_document,
    edition_date,
    entry_names,
    month_number,
    name_key,
    normal_url,
    plain,
    signposted,
    title_case,
    words_of,
    words_pattern,
    yearless_acts,
)
from policypress.source.content_schema import Registry, StatutoryEntry

FUZZY_WORDS = 6  # only names this long are matched fuzzily: short ones would match ordinary sentences
FUZZY_SCORE = 88.0


@dataclass(frozen=True)
class Citation:
    """One citation found in a line: which entry, where, and the edition it names (None: none given)."""

    entry_id: str
    start: int
    end: int
    quote: str
    year: int | None = None
    month: int | None = None
    old_title: str = ""
    """The superseded edition whose own title (or address) was cited, e.g. 'July 2013'; '' otherwise."""

    @property
    def edition(self) -> str | None:
        """The edition as cited: '2018' or 'September 2022' (an older title's: that edition)."""
        if self.year is None:
            return self.old_title or None
        return f"{MONTHS[self.month - 1].capitalize()} {self.year}" if self.month else str(self.year)


class CitationFinder:
    """Finds the citations of a registry's entries in lines of text."""

    def __init__(self, registry: Registry) -> None:
        self.entries = registry.entries
        self.names: dict[str, Name] = {}
        acts = yearless_acts(registry.entries)
        for entry_id, entry in sorted(registry.entries.items()):
            for name in entry_names(entry_id, entry, acts):
                self.names.setdefault(name_key(name.text), name)
        self.long_names = [(n, set(words_of(n.text.lower()))) for n in self.names.values()
                           if len(words_of(n.text)) >= FUZZY_WORDS]
        self.short_names = [(n, set(words_of(n.text.lower()))) for n in self.names.values()
                             if 3 <= len(words_of(n.text)) < FUZZY_WORDS]
        # Every registry address: its entry, and the older edition it is of ('' for the current one).
        self.addresses = {normal_url(entry.url): (entry_id, "") for entry_id, entry in sorted(registry.entries.items())}
        for entry_id, entry in sorted(registry.entries.items()):
            for old in entry.supersedes:
                self.addresses.setdefault(normal_url(old.url), (entry_id, old.edition))

    @cached_property
    def pattern(self) -> re.Pattern[str]:
        ordered = sorted({n.text for n in self.names.values()}, key=lambda t: (-len(t), t))
        return re.compile("|".join(words_pattern(t) for t in ordered) or r"(?!x)x", re.IGNORECASE)

    def find(self, text: str) -> list[Citation]:
        """Every citation in one line of text, in order; where two overlap, the longer is kept."""
        line, places = plain(text)
        found = [c for m in self.pattern.finditer(line) if (name := self.names.get(name_key(m.group(0))))
                 and (c := self._citation(line, places, text, m.span(), name))]
        found += self._fuzzy(line, places, text, found)
        found += self._reordered(line, places, text, found)
        found += self._plural_acts(line, places, text, found)
        return _longest_first(found + self._addresses(text))

    def _citation(self, line: str, places: list[int], text: str, span: tuple[int, int],
                  name: Name) -> Citation | None:
        entry = self.entries[name.entry_id]
        start, end = span
        if name.yearless and (re.match(r"\s*(?:19|20)\d{2}", line[end:]) or re.search(r"(?:19|20)\d{2}\s*$",
                                                                                      line[max(0, start - 10):start])):
            return None  # "Data Protection Act 1998" is another Act than the 2018 one
        year = month = None
        if entry.kind != "legislation":  # an Act's year is part of its name, not an edition
            year, month, start, end = self._edition(line, start, end)
        if year is None and not name.old_title and not cited_as_document(line, start, end, name,
                                                                         entry.kind == "legislation"):
            return None
        if year is None and name.old_title and not cited_as_document(line, start, end, name, False):
            return None
        stop = places[end - 1] + 1
        if text[places[start]:stop].count("(") > text[places[start]:stop].count(")") and text[stop:stop + 1] == ")":
            stop += 1  # "(KCSIE 2023)": the bracket the edition stands in is closed
        return Citation(name.entry_id, places[start], stop, text[places[start]:stop], year, month, name.old_title)

    def _edition(self, line: str, start: int, end: int) -> tuple[int | None, int | None, int, int]:
        """(year, month, start, end) of the citation with its edition, when one is written next to the name."""
        short = SHORT_YEAR.match(line, end)
        if short:
            return 2000 + int(short.group("short")), None, start, short.end()
        after = EDITION_AFTER.match(line, end)
        if after and not _another_name_between(line, end, _edition_start(after)):
            return int(after.group("year")), month_number(after.group("month")), start, after.end()
        before = EDITION_BEFORE.search(line[max(0, start - 40):start])
        if before:
            return (int(before.group("year")), month_number(before.group("month")),
                    start - len(line[max(0, start - 40):start]) + before.start(), end)
        return None, None, start, end

    def _fuzzy(self, line: str, places: list[int], text: str, found: list[Citation]) -> list[Citation]:
        """Long titles written slightly differently: 'between children at schools and colleges'."""
        lower, words = line.lower(), set(words_of(line.lower()))
        extra = []
        for name, name_words in self.long_names:
            if len(name_words & words) < 0.7 * len(name_words) or any(c.entry_id == name.entry_id for c in found):
                continue
            aligned = fuzz.partial_ratio_alignment(name.text.lower(), lower, score_cutoff=FUZZY_SCORE)
            if aligned is None:
                continue
            start, end = _whole_words(line, aligned.dest_start, aligned.dest_end)
            exact = any(places[start] < c.end and c.start < places[end - 1] + 1 for c in found)
            if exact or not (title_case(line[start:end]) or signposted(line, start, end)):
                continue  # words another citation names exactly, or ordinary words that look alike
            citation = self._citation(line, places, text, (start, end), name)
            if citation:
                extra.append(citation)
        return extra

    def _reordered(self, line: str, places: list[int], text: str, found: list[Citation]) -> list[Citation]:
        """A short title with its words swapped ('Screening, Searching and Confiscation') or one small word added
        ('children missing in education'), shown to be a title by capitals or by the words around it."""
        tokens = [(m.group(0).lower().replace("&", "and"), m.start(), m.end()) for m in re.finditer(r"[\w'&]+", line)]
        present = {t[0] for t in tokens}
        extra: list[Citation] = []
        for name, name_words in self.short_names:
            if not name_words <= present or any(c.entry_id == name.entry_id for c in found + extra):
                continue
            window = _window(tokens, sorted(words_of(name.text.lower())))
            if window and not any(places[window[0]] < c.end and c.start < places[window[1] - 1] + 1 for c in found):
                start, end = window
                if title_case(line[start:end]) or signposted(line, start, end):
                    extra += [c for c in [self._citation(line, places, text, window, name)] if c]
        return extra

    def _plural_acts(self, line: str, places: list[int], text: str, found: list[Citation]) -> list[Citation]:
        """'the Children Acts 1989 and 2004': one citation of each Act the registry has."""
        extra = []
        for match in re.finditer(rf"\bActs\s+({YEAR})((?:\s*(?:,|and|&)\s*{YEAR})+)", line):
            stem = words_of(line[max(0, match.start() - 80):match.start()])[-6:]
            for year in [match.group(1), *re.findall(YEAR, match.group(2))]:
                names = [n for i in range(len(stem)) if (n := self.names.get(name_key(f"{' '.join(stem[i:])} Act "
                                                                                       f"{year}")))]
                if names:
                    first = line.rfind(stem[-len(words_of(names[0].text)) + 1], 0, match.start())
                    start, end = places[max(first, 0)], places[match.end() - 1] + 1
                    extra.append(Citation(names[0].entry_id, start, end, text[start:end]))
        return [c for c in extra if not any(f.entry_id == c.entry_id and f.start <= c.start < f.end for f in found)]

    def _addresses(self, text: str) -> list[Citation]:
        """A registry entry's own address (or an older edition's) written in the line."""
        found = []
        for match in URL.finditer(text):
            known = self.addresses.get(normal_url(match.group(0).rstrip(".,;:")))
            if known:
                found.append(Citation(known[0], match.start(), match.end(), match.group(0), old_title=known[1]))
        return found


def _window(tokens: list[tuple[str, int, int]], wanted: list[str]) -> tuple[int, int] | None:
    """The span of the first run of tokens holding exactly the wanted words (any order), or them and one small
    word more inside the run. Only runs whose tokens are (nearly) all wanted are compared, so a long line
    costs one pass per name."""
    size, wanted_set = len(wanted), set(wanted)
    inside = list(accumulate((t[0] in wanted_set for t in tokens), initial=0))
    for i in range(len(tokens) - size + 1):
        if inside[i + size] - inside[i] == size and sorted(t[0] for t in tokens[i:i + size]) == wanted:
            return tokens[i][1], tokens[i + size - 1][2]
        if i + size < len(tokens) and inside[i + size + 1] - inside[i] == size and _one_small_more(
                tokens[i:i + size + 1], wanted_set, wanted):
            return tokens[i][1], tokens[i + size][2]
    return None


def _one_small_more(run: list[tuple[str, int, int]], wanted_set: set[str], wanted: list[str]) -> bool:
    extra = [t[0] for t in run if t[0] not in wanted_set]
    inner_small = len(extra) == 1 and extra[0] in SMALL_WORDS and run[0][0] != extra[0] and run[-1][0] != extra[0]
    return inner_small and sorted(t[0] for t in run if t[0] in wanted_set) == wanted


def _whole_words(line: str, start: int, end: int) -> tuple[int, int]:
    while start > 0 and line[start - 1].isalnum():
        start -= 1
    while end < len(line) and line[end].isalnum():
        end += 1
    return start, end


def _another_name_between(line: str, end: int, year_at: int) -> bool:
    """The year belongs to a later name ('KCSIE and the Children Act 1989'), not this one."""
    between = re.sub(r"\(\s*[A-Z]{2,8}\s*\)", "", line[end:year_at])
    return bool(re.search(r"[A-Za-z]{4,}", re.sub(GAP_WORD, "", between, flags=re.IGNORECASE)))


def _edition_start(match: re.Match[str]) -> int:
    return next(match.start(g) for g in ("day", "month", "year") if match.group(g))


def _longest_first(found: list[Citation]) -> list[Citation]:
    """Where citations of different spans overlap ('Keeping Children Safe in Education (KCSIE) 2024'), the
    longest is kept; one span may cite two entries ('the Children Acts 1989 and 2004')."""
    kept: list[Citation] = []
    for citation in sorted(found, key=lambda c: (-(c.end - c.start), c.start, c.entry_id)):
        if not any(c.start < citation.end and citation.start < c.end and (c.start, c.end) != (citation.start,
                                                                                              citation.end)
                   for c in kept):
            kept.append(citation)
    return sorted(set(kept), key=lambda c: (c.start, c.entry_id))


# --- which edition ------------------------------------------------------------------------------------------

Verdict = tuple[str, str]  # ("current" | "old" | "newer" | "unclear" | "undated", the older edition's words)


def edition_verdict(citation: Citation, entry: StatutoryEntry) -> Verdict:
    """Whether the cited edition is the current one ('current'), older ('old', with the older edition),
    newer than the registry knows ('newer'), or a year of two editions ('unclear', with the older one)."""
    if citation.old_title:
        return "old", citation.old_title
    current = edition_date(entry.edition)
    if citation.year is None or current is None:
        return "undated", ""
    now = {current[0], entry.in_force.year} if entry.in_force else {current[0]}
    older = [(o.edition, d) for o in entry.supersedes if (d := edition_date(o.edition)) and d[0] == citation.year]
    current_match = citation.year in now
    if citation.month:
        older = [(e, d) for e, d in older if d[1] in (None, citation.month)]
        in_force = (entry.in_force.year, entry.in_force.month) if entry.in_force else None
        current_match = (current_match and current[1] in (None, citation.month)) or in_force == (citation.year,
                                                                                                 citation.month)
    if current_match:
        return ("unclear", older[0][0]) if older else ("current", "")
    if older:
        return "old", older[0][0]
    return ("newer", "") if citation.year > max(now) else ("old", str(citation.year))
