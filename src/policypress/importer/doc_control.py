"""Front matter and approvals from a Word file's document-control table, change log and sign-off lines.

Schools write document control in many shapes: a table of label | value pairs ("Author | Head of
Inclusion | Approved By | Trust Board"), a change log with a header row ("Review date | Version
number | … | Date ratified"), or lines at the top ("Next Review Date: September 2025",
"Approved by the trust board, 25 February 2025"). The blocks used are set aside (they become front
matter and approvals, not policy text), each recorded with its place.
"""

from __future__ import annotations

import datetime as dt
import re
from dataclasses import dataclass, field

from policypress.core.dates import MonthOnly
from policypress.importer.document import Block, Item

LABELS: dict[str, tuple[str, ...]] = {
    "author": ("author", "written by", "drafted by", "policy lead", "lead member of staff"),
    "owner": ("owner", "policy owner", "responsible", "lead"),
    "approver": ("approved by", "approver", "ratified by", "committee responsible", "governors' committee responsible",
                 "governor committee", "approval"),
    "version": ("version", "version number", "issue"),
    "approved": ("date approved", "approved on", "date ratified", "ratified", "approval date", "date agreed",
                 "agreed", "adopted"),
    "reviewed": ("last reviewed", "date reviewed", "reviewed", "review date", "date of review", "issue date"),
    "next_review": ("next review", "next review date", "date of next review", "review due", "to be reviewed"),
    "cycle": ("review cycle", "review frequency", "frequency of review", "review period"),
}
APPROVERS = (
    (r"trust\s+board|board\s+of\s+trustees|trustees|directors", "trust_board"),
    (r"local\s+govern\w*\s+(?:body|board|committee)|\bLGB\b|\bLGC\b|local\s+academy\s+(?:board|council)",
     "local_governing_committee"),
    (r"full\s+govern\w*\s+(?:body|board)|\bFGB\b|governing\s+(?:body|board)|^governors$", "full_governing_body"),
    (r"committee", "governing_body_committee"),
    (r"head\s*teacher|head\s+of\s+school|principal", "headteacher"),
    (r"governor", "individual_governor"),
)
CYCLES = ((r"annual|yearly|every\s+(?:1|one)\s+year|12\s+months", "annually"),
          (r"(?:2|two)\s+year|biennial", "every_2_years"), (r"(?:3|three)\s+year", "every_3_years"),
          (r"(?:4|four)\s+year", "every_4_years"), (r"termly", "4 months"),
          (r"6\s+months|twice\s+a\s+year", "6 months"))
MONTH_WORD = r"(?:jan|feb|mar|apr|may|jun|jul|aug|sep|oct|nov|dec)"
MONTHS = ("january", "february", "march", "april", "may", "june", "july", "august", "september", "october",
          "november", "december")
SIGN_OFF = re.compile(r"^(?:this\s+policy\s+(?:was|has\s+been)\s+)?(?:approved|ratified|adopted|agreed)\s+by\s+"
                      r"(?:the\s+)?(?P<body>[^,.;0-9]{3,60}?)(?:\s+on)?[,\s]+(?P<date>[^.;]{4,30}?)\.?$", re.IGNORECASE)
LINE = re.compile(r"^\*{0,2}(?P<label>[A-Za-z' ]{3,40}?)\*{0,2}\s*:\s*\*{0,2}(?P<value>.{1,80}?)\*{0,2}$")


@dataclass
class DocControl:
    """What the document control says, as our front matter and approvals, and what it used."""

    fields: dict[str, str] = field(default_factory=dict)
    """Raw values by label kind (author, owner, approver, version, approved, reviewed, next_review, cycle)."""
    approvals: list[dict[str, str]] = field(default_factory=list)
    """Imported approvals: {date, by, version, minute} (minute says where it came from)."""
    used: list[Block] = field(default_factory=list)
    """The blocks that were document control, set aside from the body."""
    items: list[Item] = field(default_factory=list)

    @property
    def approver(self) -> str | None:
        return approver_id(self.fields.get("approver", ""))

    @property
    def review_cycle(self) -> str | None:
        text = self.fields.get("cycle", "").lower()
        return next((cycle for pattern, cycle in CYCLES if re.search(pattern, text)), None)


def label_kind(text: str) -> str | None:
    """The kind of a document-control label ('Approved By' → 'approver'), or None."""
    words = re.sub(r"[^a-z' ]", " ", text.lower()).strip()
    words = re.sub(r"\s+", " ", words)
    for kind, labels in LABELS.items():
        if words in labels:
            return kind
    return None


def approver_id(text: str) -> str | None:
    """'Trust Board' → trust_board, 'Full Governing Body' → full_governing_body; None when unknown."""
    return next((body for pattern, body in APPROVERS if re.search(pattern, text.strip(), re.IGNORECASE)), None)


def parse_date(text: str) -> dt.date | None:
    """25/02/2025, 11.9.23, 2025-02-25, 25 February 2025, 25th Feb 2025 → a date; 'February 2025' → MonthOnly."""
    text = text.strip().lower()
    found = re.search(r"\b(\d{1,2})[/.-](\d{1,2})[/.-](\d{2,4})\b", text)
    if found:
        day, month, year = (int(g) for g in found.groups())
        return _date(2000 + year if year < 100 else year, month, day)
    found = re.search(r"\b(\d{4})-(\d{2})-(\d{2})\b", text)
    if found:
        return _date(int(found.group(1)), int(found.group(2)), int(found.group(3)))
    found = re.search(rf"(?:\b(\d{{1,2}})(?:st|nd|rd|th)?\s+)?\b({MONTH_WORD})[a-z]*\.?\s+(\d{{4}})\b", text)
    if found:
        month = next(i for i, m in enumerate(MONTHS, 1) if m.startswith(found.group(2)))
        if found.group(1):
            return _date(int(found.group(3)), month, int(found.group(1)))
        return MonthOnly.of(int(found.group(3)), month)
    return None


def _date(year: int, month: int, day: int) -> dt.date | None:
    try:
        return dt.date(year, month, day)
    except ValueError:
        return None


def read_doc_control(blocks: list[Block], source: str) -> DocControl:
    """Document control from the tables and lines near the top, and sign-off lines anywhere."""
    found = DocControl()
    for index, block in enumerate(blocks):
        if _is_control(block, index, found, source):
            found.used.append(block)
    _approval_from_fields(found, source)
    return found


def _is_control(block: Block, index: int, found: DocControl, source: str) -> bool:
    if block.kind == "table":
        return _pairs_table(block, found) or _log_table(block, found)
    if block.kind != "paragraph":
        return False
    return (index < 40 and _label_line(block, found)) or _sign_off(block, found, source)


def _set(found: DocControl, kind: str, value: str) -> None:
    """The first value of each kind, except that a full date replaces one known only to its month."""
    old = found.fields.get(kind)
    if old is None or (isinstance(parse_date(old), MonthOnly) and not isinstance(parse_date(value), MonthOnly)
                       and parse_date(value) is not None):
        found.fields[kind] = value


def _plain(cell: str) -> str:
    return re.sub(r"[*_]|<br>|\\", " ", cell).strip()


def _pairs_table(block: Block, found: DocControl) -> bool:
    """Rows of label | value (| label | value …): at least two known labels."""
    pairs = [(kind, _plain(row[i + 1])) for row in block.rows for i in range(len(row) - 1)
             if (kind := label_kind(_plain(row[i]))) and _plain(row[i + 1]) and not label_kind(_plain(row[i + 1]))]
    if len(pairs) < 2:
        return False
    for kind, value in pairs:
        _set(found, kind, value)
    return True


def _log_table(block: Block, found: DocControl) -> bool:
    """A change log: a header row of labels, a row per version; the newest row's values are taken."""
    if len(block.rows) < 2:
        return False
    kinds = [label_kind(_plain(cell)) for cell in block.rows[0]]
    if sum(k is not None for k in kinds) < 2 or ("version" not in kinds and "approved" not in kinds):
        return False
    rows = [{k: _plain(cell) for k, cell in zip(kinds, row, strict=False) if k and _plain(cell)}
            for row in block.rows[1:]]
    dated = [r for r in rows if parse_date(r.get("approved", r.get("reviewed", "")))]
    newest = max(dated, key=lambda r: parse_date(r.get("approved", r.get("reviewed", ""))) or dt.date.min,
                 default=rows[-1] if rows else {})
    for kind, value in newest.items():
        _set(found, kind, value)
    return True


def _label_line(block: Block, found: DocControl) -> bool:
    match = LINE.match(_plain(block.text).replace("  ", " "))
    kind = label_kind(match.group("label")) if match else None
    if match is None or kind is None:
        return False
    _set(found, kind, match.group("value").strip())
    return True


def _sign_off(block: Block, found: DocControl, source: str) -> bool:
    match = SIGN_OFF.match(_plain(block.text))
    day = parse_date(match.group("date")) if match else None
    body = approver_id(match.group("body")) if match else None
    if match is None or day is None or body is None:
        return False
    found.approvals.append({"date": day.isoformat(), "by": body, "version": found.fields.get("version", "1.0"),
                            "minute": f"imported from {source}: \"{_plain(block.text)}\""})
    return True


def _approval_from_fields(found: DocControl, source: str) -> None:
    """The document control's own approval: its approver with its approval (or last reviewed) date."""
    label = "approved" if "approved" in found.fields else "reviewed"
    day = parse_date(found.fields.get(label, ""))
    body = found.approver
    if day is not None and body is None and found.used and not found.approvals:
        found.items.append(Item("approval-needs-body", f"the document control gives a date ({found.fields[label]}) "
                                "but not who approved the policy, so no approval was recorded", found.used[0].place,
                                "record the approval with policypress approve --school … --by BODY --date …, or add "
                                "it under the school's policies: entry"))
    if day is None or body is None or any(a["date"] == day.isoformat() for a in found.approvals):
        return
    said = ", ".join(f"{k}: {v}" for k, v in found.fields.items() if k in ("approver", label, "version"))
    found.approvals.append({"date": day.isoformat(), "by": body, "version": _version(found.fields.get("version")),
                            "minute": f"imported from {source} (document control: {said})"})


def _version(text: str | None) -> str:
    number = re.search(r"\d+(?:\.\d+)?", text or "")
    return number.group(0) if number else "1.0"

