"""Citations of the registry's documents, found however they are written.

A line is first made plain (compose-free: HTML tags, Markdown emphasis and link markup, footnote
marks and curly quotes are set aside, keeping each character's place in the line), then every
name of every entry (title, the title before its colon, aliases, older titles) is looked for in
it, with what shows the words are a citation and not an ordinary sentence, and the edition that
follows or comes before the name: a year, a month and year, "the 2018 edition", with quotes,
brackets, the publisher ("DfE", "Department for Education") or punctuation in between.

`edition_verdict` then says whether the cited edition is the current one, an older one, or (a
year only, when the registry knows two editions of that year) cannot be told.
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from functools import cached_property

from policypress.source.content_schema import Registry, StatutoryEntry

MONTHS = ("january", "february", "march", "april", "may", "june", "july", "august", "september", "october",
          "november", "december")
_MONTH = "|".join(MONTHS) + "|sept|jan|feb|mar|apr|jun|jul|aug|sep|oct|nov|dec"
YEAR = r"(?:19|20)\d{2}(?!\d)"
PUBLISHERS = (r"DfE|DfES|DCSF|Department\s+for\s+Education|Department\s+for\s+Education\s+and\s+Skills|Home\s+Office|"
              r"HM\s+Government|HMG|Department\s+of\s+Health(?:\s+and\s+Social\s+Care)?|Ofsted|UKCIS")
# What may stand between a name and its edition: quotes, brackets, punctuation, the publisher,
# "statutory guidance", "updated", "the … edition" — at most a few of them.
_GAP_WORD = (rf"(?:{PUBLISHERS}|statutory|non-statutory|guidance|advice|document|published|updated|revised|"
             r"issued|dated|edition|version|in|from|the|of|by|as|at)\b")
_GAP = rf"(?:[\s,.;:()\[\]\"'-]|{_GAP_WORD}|\(\s*[A-Z]{{2,8}}\s*\)){{0,12}}?"
EDITION_AFTER = re.compile(
    rf"{_GAP}(?:(?P<day>\d{{1,2}})(?:st|nd|rd|th)?\s+)?(?:(?P<month>{_MONTH})\.?\s+)?(?P<year>{YEAR})", re.IGNORECASE)
EDITION_BEFORE = re.compile(
    rf"(?:(?P<month>{_MONTH})\s+)?(?P<year>{YEAR})\s*(?:edition|version|update|revision)?\s*(?:of\s+)?(?:the\s+)?"
    r"(?:DfE'?s?\s+)?[\"']?\s*$", re.IGNORECASE)
# Words after a name that show it is cited as a document when no edition is given.
DOCUMENT_AFTER = re.compile(r"\s*[\"']?\s*(?:\(\s*[A-Z]{2,8}\s*\))?\s*(?:[,:]\s*)?(?:statutory\s+)?(?:guidance|advice|"
                            rf"code\b|document|\(|{PUBLISHERS})", re.IGNORECASE)
DOCUMENT_BEFORE = re.compile(rf"(?:{PUBLISHERS})(?:'s)?\s*(?:statutory\s+)?(?:guidance|advice)?\s*[:,-]?\s*[\"']?\s*$"
                             r"|(?:statutory\s+guidance|guidance|advice|document|see|read|follow|in\s+line\s+with|"
                             r"set\s+out\s+in|according\s+to|under)[\s:,-]*[\"']?\s*$", re.IGNORECASE)
SMALL_WORDS = {"a", "an", "and", "as", "at", "by", "for", "from", "in", "into", "of", "on", "or", "the", "to", "with",
               "including", "between", "about", "0", "25", "years", "under", "how"}


@dataclass(frozen=True)
class Name:
    """One way of naming an entry: its title, an alias, or the title of an older edition."""

    entry_id: str
    text: str
    old_title: bool = False  # the title of a superseded edition, e.g. "Use of reasonable force"
    alias: bool = False


@dataclass(frozen=True)
class Citation:
    """One citation found in a line: which entry, where, and the edition it names (None: none given)."""

    entry_id: str
    start: int
    end: int
    quote: str
    year: int | None = None
    month: int | None = None
    old_title: bool = False

    @property
    def edition(self) -> str | None:
        """The edition as cited: '2018' or 'September 2022'."""
        if self.year is None:
            return None
        return f"{MONTHS[self.month - 1].capitalize()} {self.year}" if self.month else str(self.year)


# --- making a line plain, keeping each character's place -------------------------------------------------

_MARKUP = re.compile(r"<[^<>\n]{0,200}>|\]\([^()\s]{0,500}\)|\[(?:bookmark|footnote|footnoteRef|endnote)[^\]]{0,80}\]"
                     r"|\*\*|__|(?<!\w)[*_](?=\w)|(?<=\w)[*_](?!\w)|`|\\(?=[\[\]()*_])")
_SAME = str.maketrans({"\u201c": '"', "\u201d": '"', "\u2018": "'", "\u2019": "'", "\u00a0": " ",
                       "\u2013": "-", "\u2014": "-", "\u2011": "-"})


def plain(text: str) -> tuple[str, list[int]]:
    """The line without markup (a link's address included) and, for each character left, its place in text."""
    kept: list[int] = []
    last = 0
    for found in _MARKUP.finditer(text):
        kept += range(last, found.start())
        last = found.end()
        if found.group(0).startswith("<") or found.group(0).startswith("]("):
            kept.append(-1)  # a tag or a link's address reads as a space
    kept += range(last, len(text))
    chars = "".join(" " if i < 0 else text[i] for i in kept).translate(_SAME)
    text_places = [i if i >= 0 else (kept[n - 1] + 1 if n else 0) for n, i in enumerate(kept)]
    chars = chars.replace("[", " ").replace("]", " ")
    return chars, text_places


# --- the finder --------------------------------------------------------------------------------------------

def _words_pattern(name: str) -> str:
    """Any spacing or hyphen between a name's words; '&' for 'and'; an optional 'the' before it."""
    words = re.split(r"[\s-]+", name.strip())
    parts = [r"(?:and|&)" if w.lower() == "and" else re.escape(w).replace(r"\:", r"\s*[:\-,]?") for w in words]
    return r"(?<![\w-])" + r"[\s-]+".join(parts) + r"(?![\w])"


def _key(text: str) -> str:
    """A name as compared: lower case, one space between words, '&' as 'and', no colon."""
    return re.sub(r"[\s-]+", " ", text.lower().replace("&", "and").replace(":", " ").replace(",", " ")).strip()


def entry_names(entry_id: str, entry: StatutoryEntry) -> list[Name]:
    """Every name of an entry: its title, the part before a colon (when long enough), aliases, older titles."""
    names = [Name(entry_id, entry.title)]
    before_colon = entry.title.split(":")[0].strip()
    if before_colon != entry.title and len(before_colon.split()) >= 2:
        names.append(Name(entry_id, before_colon))
    names += [Name(entry_id, alias, alias=True) for alias in entry.aliases]
    names += [Name(entry_id, old.title, old_title=True) for old in entry.supersedes if old.title]
    return names


class CitationFinder:
    """Finds the citations of a registry's entries in lines of text."""

    def __init__(self, registry: Registry) -> None:
        self.entries = registry.entries
        self.names: dict[str, Name] = {}
        for entry_id, entry in sorted(registry.entries.items()):
            for name in entry_names(entry_id, entry):
                self.names.setdefault(_key(name.text), name)

    @cached_property
    def pattern(self) -> re.Pattern[str]:
        ordered = sorted({n.text for n in self.names.values()}, key=lambda t: (-len(t), t))
        return re.compile("|".join(_words_pattern(t) for t in ordered) or r"(?!x)x", re.IGNORECASE)

    def find(self, text: str) -> list[Citation]:
        """Every citation in one line of text, in order; overlapping names keep the longest."""
        line, places = plain(text)
        found = []
        for match in self.pattern.finditer(line):
            name = self.names.get(_key(match.group(0)))
            if name is not None:
                citation = self._citation(line, places, text, match, name)
                if citation is not None:
                    found.append(citation)
        return _longest_first(found + self._plural_acts(line, places, text, found))

    def _citation(self, line: str, places: list[int], text: str, match: re.Match[str], name: Name) -> Citation | None:
        entry = self.entries[name.entry_id]
        start, end = match.span()
        year = month = None
        dated = entry.kind != "legislation" or not re.search(YEAR, name.text)
        after = EDITION_AFTER.match(line, end) if dated else None
        before = EDITION_BEFORE.search(line[max(0, start - 40):start]) if dated else None
        if after and not self._another_name_between(line, end, _edition_start(after)):
            year, month, end = int(after.group("year")), _month(after.group("month")), after.end()
        elif before:
            year, month = int(before.group("year")), _month(before.group("month"))
            start = start - len(line[max(0, start - 40):start]) + before.start()
        if year is None and not _cited_as_document(line, match, name):
            return None
        stop = places[end - 1] + 1
        if text[places[start]:stop].count("(") > text[places[start]:stop].count(")") and text[stop:stop + 1] == ")":
            stop += 1  # "(KCSIE 2023)": the bracket the edition stands in is closed
        return Citation(name.entry_id, places[start], stop, text[places[start]:stop], year, month, name.old_title)

    def _another_name_between(self, line: str, end: int, year_at: int) -> bool:
        """The year belongs to a later name ('KCSIE and the Children Act 1989'), not this one."""
        between = re.sub(r"\(\s*[A-Z]{2,8}\s*\)", "", line[end:year_at])
        return bool(re.search(r"[A-Za-z]{4,}", re.sub(_GAP_WORD, "", between, flags=re.IGNORECASE)))

    def _plural_acts(self, line: str, places: list[int], text: str, found: list[Citation]) -> list[Citation]:
        """'the Children Acts 1989 and 2004': one citation of each Act the registry has."""
        extra = []
        for match in re.finditer(rf"([A-Z][\w ]{{2,60}}?) Acts\s+({YEAR})((?:\s*(?:,|and|&)\s*{YEAR})+)", line):
            for year in [match.group(2), *re.findall(YEAR, match.group(3))]:
                name = self.names.get(_key(f"{match.group(1).strip()} Act {year}"))
                if name:
                    start, end = places[match.start()], places[match.end() - 1] + 1
                    extra.append(Citation(name.entry_id, start, end, text[start:end]))
        return [c for c in extra if not any(f.entry_id == c.entry_id and f.start <= c.start < f.end for f in found)]


def _longest_first(found: list[Citation]) -> list[Citation]:
    """Where citations overlap ('Keeping Children Safe in Education (KCSIE) 2024'), the longest is kept."""
    kept: list[Citation] = []
    for citation in sorted(found, key=lambda c: (-(c.end - c.start), c.start)):
        if not any(c.start < citation.end and citation.start < c.end for c in kept):
            kept.append(citation)
    return sorted(kept, key=lambda c: c.start)


def _edition_start(match: re.Match[str]) -> int:
    return next(match.start(g) for g in ("day", "month", "year") if match.group(g))


def _month(word: str | None) -> int | None:
    if not word:
        return None
    return next(i for i, m in enumerate(MONTHS, 1) if m.startswith(word.lower()[:3]))


def _cited_as_document(line: str, match: re.Match[str], name: Name) -> bool:
    """Whether a name with no edition is cited as a document, not used as ordinary words."""
    words = match.group(0)
    if re.fullmatch(r"[A-Z0-9&\s-]{2,}", words) and not name.old_title:
        return True  # an acronym: KCSIE, SVSH
    before, after = line[:match.start()], line[match.end():]
    if before.rstrip().endswith(('"', "'")) or DOCUMENT_AFTER.match(after) or DOCUMENT_BEFORE.search(before):
        return True
    if name.old_title:
        return _title_case(words)
    return _title_case(words) or len(words.split()) >= 5 or (not name.alias and len(words.split()) >= 4)


def _title_case(words: str) -> bool:
    """Most of the significant words start with a capital: 'Keeping Children Safe in Education'."""
    significant = [w for w in re.split(r"[\s-]+", words) if w.lower() not in SMALL_WORDS and w[:1].isalpha()]
    capitals = sum(w[0].isupper() for w in significant)
    return len(significant) >= 2 and capitals >= max(2, len(significant) - 1)


# --- which edition ------------------------------------------------------------------------------------------

Verdict = tuple[str, str]  # ("current" | "old" | "newer" | "unclear" | "undated", the older edition's words)


def _edition_date(edition: str) -> tuple[int, int | None] | None:
    year = re.search(YEAR, edition)
    if year is None:
        return None
    month = re.search(rf"\b({_MONTH})\b", edition, re.IGNORECASE)
    return int(year.group(0)), _month(month.group(1)) if month else None


def edition_verdict(citation: Citation, entry: StatutoryEntry) -> Verdict:
    """Whether the cited edition is the current one ('current'), older ('old', with the older edition),
    newer than the registry knows ('newer'), or a year of two editions ('unclear', with the older one)."""
    if citation.old_title:
        return "old", next((o.edition for o in entry.supersedes if o.title), "")
    current = _edition_date(entry.edition)
    if citation.year is None or current is None:
        return "undated", ""
    now = {current[0], entry.in_force.year} if entry.in_force else {current[0]}
    older = [(o.edition, d) for o in entry.supersedes if (d := _edition_date(o.edition)) and d[0] == citation.year]
    if citation.month:
        older = [(e, d) for e, d in older if d[1] in (None, citation.month)]
        current_match = (citation.year in now and current[1] in (None, citation.month)) or (
            entry.in_force is not None and (entry.in_force.year, entry.in_force.month) == (citation.year,
                                                                                           citation.month))
    else:
        current_match = citation.year in now
    if current_match and older:
        return "unclear", older[0][0]
    if current_match:
        return "current", ""
    if older:
        return "old", older[0][0]
    return ("newer", "") if citation.year > max(now) else ("old", str(citation.year))
