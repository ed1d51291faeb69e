"""The words of citations: a line made plain, the names an entry is cited by, and the signs that
words are a citation rather than an ordinary sentence (checks/citations.py uses them).

A line is made plain by setting aside HTML tags, Markdown emphasis and link markup, footnote and
bookmark marks and curly quotes, keeping each character's place in the line, so that a citation
is reported with the words exactly as written.
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from urllib.parse import urlsplit

from policypress.source.content_schema import StatutoryEntry

MONTHS = ("january", "february", "march", "april", "may", "june", "july", "august", "september", "october",
          "november", "december")
MONTH = "|".join(MONTHS) + "|sept|jan|feb|mar|apr|jun|jul|aug|sep|oct|nov|dec"
YEAR = r"(?:19|20)\d{2}(?!\d)"
PUBLISHERS = (r"DfE|DfES|DCSF|Department\s+for\s+Education(?:\s+and\s+Skills)?|Home\s+Office|HM\s+Government|HMG|"
              r"Department\s+of\s+Health(?:\s+and\s+Social\s+Care)?|Ofsted|UKCIS|GOV\.?UK")
# What may stand between a name and its edition: quotes, brackets, punctuation, the publisher,
# "statutory guidance", "updated", "the … edition" — at most a few of them.
GAP_WORD = (rf"(?:{PUBLISHERS}|statutory|non-statutory|guidance|advice|document|published|updated|revised|"
            r"issued|dated|edition|version|in|from|the|of|by|as|at)\b")
_GAP = rf"(?:[\s,.;:()\[\]\"'-]|{GAP_WORD}|\(\s*[A-Z]{{2,8}}\s*\)){{0,12}}?"
EDITION_AFTER = re.compile(
    rf"{_GAP}(?:(?P<day>\d{{1,2}})(?:st|nd|rd|th)?\s+)?(?:(?P<month>{MONTH})\.?\s+)?(?P<year>{YEAR})", re.IGNORECASE)
# "KCSIE 23", "KCSIE '23": a two-digit year straight after the name.
SHORT_YEAR = re.compile(r"\s*'?(?P<short>1[0-9]|2[0-9])(?!\d|[.,:/-]\d|\s*(?:%|per\b|pupils|days|hours|years))")
EDITION_BEFORE = re.compile(
    rf"(?:(?P<month>{MONTH})\s+)?(?P<year>{YEAR})\s*(?:edition|version|update|revision)?\s*(?:of\s+)?(?:the\s+)?"
    r"(?:DfE'?s?\s+)?[\"']?\s*$", re.IGNORECASE)
# Words after a name that show it is cited as a document when no edition is given.
DOCUMENT_AFTER = re.compile(r"\s*[\"']?\s*(?:\(\s*[A-Z]{2,8}\s*\))?\s*(?:[,:-]\s*)?(?:(?:statutory\s+)?(?:guidance|"
                            rf"advice)|code\b|document|\(|{PUBLISHERS}|referenced|referred\s+to|sets\s+out|states|"
                            r"says)", re.IGNORECASE)
DOCUMENT_BEFORE = re.compile(rf"(?:{PUBLISHERS})(?:'s)?\s*(?:statutory\s+)?(?:guidance|advice)?\s*[:,-]?\s*[\"']?\s*$"
                             r"|(?:statutory\s+guidance|guidance|advice|document|see|read|follow|in\s+line\s+with|"
                             r"set\s+out\s+in|according\s+to|under)[\s:,-]*[\"']?\s*$"
                             r"|(?:guidance|advice)(?:\s+[\w']+){0,4}\s+on\s*$"
                             r"|(?:available|found|published)\s+(?:at|in|from|on)\s*:?\s*$", re.IGNORECASE)
HEADING_START = re.compile(r"[\s\d.#>]*")  # "7. ", "1.10.0 ": a numbered heading (a bullet is a list of sources)
SHORT_NAME = 6  # words: a name shorter than this may be a subject ("Alternative Provision"), not a document
SMALL_WORDS = {"a", "an", "and", "as", "at", "by", "for", "from", "in", "into", "of", "on", "or", "the", "to", "with",
               "including", "between", "about", "0", "25", "years", "under", "how"}
URL = re.compile(r"https?://[^\s<>\"'()\[\]]+")


@dataclass(frozen=True)
class Name:
    """One way of naming an entry: its title, an alias, or the title of an older edition."""

    entry_id: str
    text: str
    old_title: str = ""  # for the title of a superseded edition ("Use of reasonable force"): that edition
    alias: bool = False
    yearless: bool = False  # an Act's title without its year ("Human Rights Act")


# --- making a line plain, keeping each character's place -------------------------------------------------

# Set aside: an acronym's spelled-out words, "SMSC (spiritual, moral, social and cultural education)"; tags;
# a link's address; footnote and bookmark marks; emphasis; backticks and escapes.
_MARKUP = re.compile(r"(?<=[A-Z] )\([a-z][^()\n]{3,80}\)\s?|<[^<>\n]{0,200}>|\]\([^()\s]{0,500}\)"
                     r"|\[(?:bookmark|footnote|footnoteRef|endnote)[^\]]{0,80}\]"
                     r"|\*\*|__|(?<!\w)[*_](?=\w)|(?<=\w)[*_](?!\w)|`|\\(?=[\[\]()*_])")
_SAME = str.maketrans({"\u201c": '"', "\u201d": '"', "\u2018": "'", "\u2019": "'", "\u00a0": " ",
                       "\u2013": "-", "\u2014": "-", "\u2011": "-", "[": " ", "]": " "})


def plain(text: str) -> tuple[str, list[int]]:
    """The line without markup (a link's address included) and, for each character left, its place in text."""
    kept: list[int] = []
    last = 0
    for found in _MARKUP.finditer(text):
        kept += range(last, found.start())
        last = found.end()
        if found.group(0).startswith(("<", "](")):
            kept.append(-1)  # a tag or a link's address reads as a space
    kept += range(last, len(text))
    chars = "".join(" " if i < 0 else text[i] for i in kept).translate(_SAME)
    return chars, [i if i >= 0 else (kept[n - 1] + 1 if n else 0) for n, i in enumerate(kept)]


# --- the names of an entry ---------------------------------------------------------------------------------

# Words people shorten when citing: "gov guidance", "Dept for Education", "&".
ABBREVIATED = {"and": r"(?:and|&)", "government": r"gov(?:ernment|t)?\.?", "department": r"dep(?:artmen)?t\.?"}
_LONG_FORM = {"&": "and", "gov": "government", "govt": "government", "dept": "department"}


def words_of(name: str) -> list[str]:
    return [w for w in re.split(r"[\s,:;-]+", name.strip()) if w]


def words_pattern(name: str) -> str:
    """A name as a pattern: any spaces, hyphens or punctuation between its words (none next to a bracket or
    before a year), '&' for 'and', and 'The' at the start optional."""
    words = words_of(name)
    lead = ""
    if len(words) > 2 and words[0].lower() == "the":
        lead, words = r"(?:the\s+)?", words[1:]
    parts = [ABBREVIATED.get(w.lower(), re.escape(w)) for w in words]
    body = parts[0]
    for word, part in zip(words[1:], parts[1:], strict=True):
        glued = word[:1] in "(" or re.fullmatch(r"\d{4}", word) or body.endswith(r"\)")
        body += (r"[\s,:;-]*" if glued else r"[\s,:;-]+") + part
    return r"(?<![\w-])" + lead + body + r"(?![\w])"


def name_key(text: str) -> str:
    """A name as compared: lower case, one space between words, '&' as 'and', no punctuation, no 'the' first."""
    spaced = re.sub(r"(?<=[A-Za-z])(?=(?:19|20)\d{2}\b)", " ", text.replace("(", " (").replace(")", ") "))
    words = [_LONG_FORM.get(w.lower().rstrip("."), w.lower()) for w in words_of(spaced)]
    return " ".join(words[1:] if len(words) > 2 and words[0] == "the" else words)


def entry_names(entry_id: str, entry: StatutoryEntry, unique_acts: set[str]) -> list[Name]:
    """Every name of an entry: title, aliases, older titles, each also before its colon when that part is long
    enough; 'section N of the X' for a section of an Act; an Act without its year when no other Act shares it."""
    names = [Name(entry_id, entry.title)] + [Name(entry_id, alias, alias=True) for alias in entry.aliases]
    names += [Name(entry_id, old.title, old_title=old.edition) for old in entry.supersedes if old.title]
    names += [Name(entry_id, part, n.old_title) for n in list(names) if (part := _before_colon(n.text))]
    section = re.fullmatch(r"(.+), section (\w+)", entry.title)
    if section:
        act, number = section.groups()
        names += [Name(entry_id, f"{form} of the {act}") for form in (f"section {number}", f"s{number}",
                                                                      f"s.{number}", f"s. {number}")]
    act_only = re.fullmatch(r"(.+ Act) \d{4}", entry.title)
    if act_only and act_only.group(1) in unique_acts:
        names.append(Name(entry_id, act_only.group(1), alias=True, yearless=True))
    return names


def _before_colon(title: str) -> str:
    part = title.split(":")[0].strip()
    words = words_of(part)
    significant = words[1:] if words and words[0].lower() == "the" else words
    return part if part != title and len(significant) >= 3 else ""


def yearless_acts(entries: dict[str, StatutoryEntry]) -> set[str]:
    """Acts' names without the year that only one Act in the registry has ('Human Rights Act', not 'Children Act')."""
    found: dict[str, int] = {}
    for entry in entries.values():
        act = re.fullmatch(r"(.+ Act) \d{4}", entry.title)
        if act and entry.kind == "legislation":
            found[act.group(1)] = found.get(act.group(1), 0) + 1
    return {name for name, count in found.items() if count == 1}


# --- is it a citation? -------------------------------------------------------------------------------------

def signposted(line: str, start: int, end: int) -> bool:
    """Quotes, or words such as 'DfE guidance' or '(advice …)' around it, show it is a document's name."""
    before, after = line[max(0, start - 80):start], line[end:end + 80]
    return before.rstrip().endswith(('"', "'")) or bool(DOCUMENT_AFTER.match(after) or DOCUMENT_BEFORE.search(before))


def cited_as_document(line: str, start: int, end: int, name: Name, legislation: bool) -> bool:
    """Whether a name with no edition is cited as a document, not used as ordinary words or as a heading."""
    words, before, after = line[start:end], line[max(0, start - 80):start], line[end:end + 80]
    if signposted(line, start, end):
        return True
    short = len(words_of(words)) < SHORT_NAME
    if short and not legislation and HEADING_START.fullmatch(before) and re.fullmatch(r"[\s.:]*", after):
        return False  # a line that is only the name: a heading about the subject
    if re.fullmatch(r"[A-Z0-9&\s-]{2,}", words) and not name.old_title:
        return True  # an acronym: KCSIE, SVSH
    if len(words_of(words)) < 3:  # "Alternative Provision" is a subject; "RSE Guidance", "Channel Guidance" are not
        return title_case(words) and (legislation or bool(re.search(r"\b[A-Z]{2,}\b|(?i:guidance|advice|code)$",
                                                                       words)))
    return title_case(words) or not short


def title_case(words: str) -> bool:
    """Most of the significant words start with a capital: 'Keeping Children Safe in Education'."""
    significant = [w for w in re.split(r"[\s-]+", words) if w.lower() not in SMALL_WORDS and w[:1].isalpha()]
    capitals = sum(w[0].isupper() for w in significant)
    return len(significant) >= 2 and capitals >= max(2, len(significant) - 1)


def month_number(word: str | None) -> int | None:
    if not word:
        return None
    return next(i for i, m in enumerate(MONTHS, 1) if m.startswith(word.lower()[:3]))


def edition_date(edition: str) -> tuple[int, int | None] | None:
    """(year, month or None) of an edition written as '2024' or 'September 2022'; None for 'revised text'."""
    year = re.search(YEAR, edition)
    if year is None:
        return None
    month = re.search(rf"\b({MONTH})\b", edition, re.IGNORECASE)
    return int(year.group(0)), month_number(month.group(1)) if month else None


def normal_url(url: str) -> str:
    """An address as compared with the registry: https, no www., no trailing slash, no #part."""
    parts = urlsplit(url.strip())
    host = parts.netloc.lower().removeprefix("www.")
    return f"{host}{parts.path.rstrip('/')}" + (f"?{parts.query}" if parts.query else "")
