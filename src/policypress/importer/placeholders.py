"""A line of a Word file with the school's known values as placeholders, and Items for a person listing the
people, telephone numbers and email addresses the files do not know, each with a suggested contact
entry. Unknown values stay in the text, so the import is faithful: a person decides whether they
become contacts. (importer/facts.py knows the values.)
"""

from __future__ import annotations

import re
from dataclasses import dataclass

import yaml

from policypress.importer.document import Item, Place
from policypress.importer.facts import PROTECTED, KnownFacts, replace_known

EMAIL = re.compile(r"(?<![\w.+\\-])[\w.+'\\-]+@[\w-]+(?:\.[\w-]+)+")
UK_PHONE = re.compile(r"(?<![\w+])(?:\+\s?44\s?(?:\(0\)\s?)?|\(?0)\d[\d \u00a0\-.()]{7,14}\d(?![\d])")
TITLE = r"(?:Mr|Mrs|Ms|Miss|Mx|Dr|Rev|Revd|Prof)\.?"
NAME_WORD = r"(?:Mc|Mac|O['\u2019])?[A-Z][a-z]+(?:-[A-Z][a-z]+)?"
NAME = rf"{NAME_WORD}(?:[ \u00a0]+{NAME_WORD}){{1,2}}"
TWO_CAPITALISED = re.compile(rf"{NAME_WORD}[ \u00a0]+{NAME_WORD}|\b{TITLE}[ \u00a0]+[A-Z]")
TITLED = re.compile(rf"\b(?P<name>{TITLE}[ \u00a0]+(?:[A-Z]\.?[ \u00a0]+)?{NAME_WORD}(?:[ \u00a0]+{NAME_WORD})?)\b")
# Capitalised words that name organisations, roles, documents or days, never a person.
NOT_NAMES = frozenset(re.findall(r"\S+", """
school schools academy trust council partnership team service services board committee authority department
education children child safeguarding lead leader officer designated deputy head headteacher teacher teachers
policy policies governor governors governing body local primary infant junior nursery college centre hub office
family help support act guidance trustee trustees the our this that these all any every if when where what who
how why monday tuesday wednesday thursday friday saturday sunday january february march april may june july
august september october november december england wales keeping safe working together behaviour bullying
contents appendix section part page version review date approved by learning borough county city children's
manager coordinator co-ordinator chair clerk prevent virtual early emergency police nhs health social care
information data protection online mental year key stage senior leadership staff parents carers pupils students
training records responsible responsibilities role roles duties contact contacts details procedures procedure
referral referrals reporting concerns concern report form forms log register plan meeting meetings update
updates checklist flowchart overview summary introduction aims aim purpose scope definitions definition
monitoring annex further useful links other external agencies agency name names telephone phone email address
tel mobile signed signature barnardo"""))  # Barnardo's: a charity, named after a person
# Roles as people write them, most specific first: (pattern, role id, title for the contact entry).
ROLES: tuple[tuple[str, str, str], ...] = (
    (r"deputy\s+designated\s+safeguarding\s+leads?|deputy\s+DSLs?|DDSL", "deputy_dsl",
     "Deputy designated safeguarding lead"),
    (r"designated\s+safeguarding\s+leads?|DSL", "dsl", "Designated safeguarding lead"),
    (r"designated\s+teacher(?:\s+for\s+(?:looked[\s-]after|children\s+in\s+care)[\w\s-]*)?", "designated_teacher",
     "Designated teacher for looked-after children"),
    (r"executive\s+(?:head\s*teacher|principal)", "executive_principal", "Executive principal"),
    (r"head\s*teacher|head\s+of\s+school|principal", "headteacher", "Headteacher"),
    (r"SENDCo|SENCo|SENCO|special\s+educational\s+needs(?:\s+and\s+disabilit(?:y|ies))?\s+co-?ordinator", "senco",
     "Special educational needs coordinator (SENCO)"),
    (r"chair\s+of\s+(?:the\s+)?(?:local\s+)?(?:governors|governing\s+(?:body|board|committee))", "chair_of_governors",
     "Chair of governors"),
    (r"safeguarding\s+governor|(?:link\s+)?governor\s+for\s+safeguarding", "safeguarding_governor",
     "Safeguarding governor"),
    (r"LADO|local\s+authority\s+designated\s+officer", "lado", "Local authority designated officer (LADO)"),
    (r"online\s+safety\s+lead", "online_safety_lead", "Online safety lead"),
    (r"mental\s+health\s+lead", "mental_health_lead", "Senior mental health lead"),
    (r"data\s+protection\s+officer|DPO", "dpo", "Data protection officer"),
    (r"prevent\s+(?:lead|co-?ordinator)", "prevent", "Prevent lead"),
    (r"clerk(?:\s+to\s+(?:the\s+)?governors)?", "clerk", "Clerk to the governors"),
    (r"chief\s+executive(?:\s+officer)?|CEO", "ceo", "Chief executive officer"),
    (r"school\s+business\s+manager|business\s+manager", "business_manager", "School business manager"),
    (r"(?:school\s+)?office(?:\s+manager)?|reception", "office", "School office"),
)
ROLE_PATTERNS = [(re.compile(rf"(?<![\w@.-])(?:{words})(?![\w@-]|\.\w)", re.IGNORECASE), role, title)
                 for words, role, title in ROLES]
ANY_ROLE = "|".join(f"(?:{words})" for words, _role, _title in ROLES)
LABELLED = re.compile(rf"(?i:(?P<role>{ANY_ROLE}))\s*(?:[:–—-]|\bis\b|,)\s*(?P<name>(?:{TITLE}[ \u00a0]+)?{NAME})")
ROLE_AFTER = re.compile(rf"(?P<name>(?:{TITLE}[ \u00a0]+)?{NAME})\s*(?:\(|,\s*|\s[–—-]\s*)(?:(?i:our|the)\s+)?"
                        rf"(?i:(?P<role>{ANY_ROLE}))(?![\w-])")
GENERIC_LABEL = re.compile(rf"^\s*(?P<label>[A-Z][A-Za-z ]{{2,40}}?)\s*:\s*(?P<name>(?:{TITLE}[ \u00a0]+)?{NAME})"
                           r"\s*(?:$|[,;(]|\s[–—-]\s)")
# A label is a role the school names itself only when it ends like one ('Pastoral Manager', 'Attendance Officer').
ROLE_NOUN = re.compile(r"\b(?:lead|leader|manager|officer|co-?ordinator|teacher|head|governor|trustee|worker|mentor|"
                       r"assistant|administrator|director|nurse|counsellor|champion|principal|secretary)s?$",
                       re.IGNORECASE)
# In a key-personnel row: a name alone on a line of its cell, after an optional label, or after '&'.
ROW_NAME = re.compile(rf"(?:^|&|\band\b|^[A-Za-z ]{{2,25}}:)[ \u00a0]*(?P<name>(?:{TITLE}[ \u00a0]+)?{NAME})"
                      r"[ \u00a0]*(?=$|[:,&(]|\band\b|\s(?i:e-?mail|tel|telephone|phone)\b)", re.MULTILINE)
ROLE_CELL_WORDS = 10  # a cell this short naming a role says whose the row is
ROLE_WINDOW = 80  # characters either side of a value in which a role word says whose it is



def to_placeholders(text: str, place: Place, known: KnownFacts) -> tuple[str, list[Item]]:
    """The line with every known value as its placeholder, and Items for the people and numbers it does not know.

    A Markdown table row ('| DSL | Rachel Example | 01632 960999 |') is read cell by cell, the row as their context.
    """
    if text.lstrip().startswith("|") and text.rstrip().endswith("|"):
        cells, items = cells_to_placeholders(tuple(text.strip()[1:-1].split("|")), place, known)
        return text[:len(text) - len(text.lstrip())] + "|" + "|".join(cells) + "|", items
    replaced = replace_known(text, known)
    return replaced, unknown_items([replaced], place, known)


def cells_to_placeholders(cells: tuple[str, ...], place: Place,
                          known: KnownFacts) -> tuple[tuple[str, ...], list[Item]]:
    """A table row (a key-personnel table): each cell's known values replaced; a role in one cell names the
    person, number or email in the others."""
    replaced = tuple(replace_known(cell, known) for cell in cells)
    return replaced, unknown_items(list(replaced), place, known)


@dataclass
class _Found:
    kind: str  # 'unknown-person', 'unknown-phone', 'unknown-email'
    value: str
    role: str
    title: str


def unknown_items(cells: list[str], place: Place, known: KnownFacts) -> list[Item]:
    """Items for the people, UK telephone numbers and email addresses in these cells (one line, or one table row)."""
    row_role = _row_role(cells) if len(cells) > 1 else None
    found: list[_Found] = []
    for cell in cells:
        visible = PROTECTED.sub(lambda m: _kept_address(m.group(0)), cell)
        found += _people(visible, known, row_role) + _numbers(visible, row_role)
    found = list({(f.kind, f.value.lower()): f for f in found}.values())
    entries = _entries(found)
    return [_item(f, entries[f.role], place, known) for f in found]


def _kept_address(span: str) -> str:
    """A placeholder reads as nothing; a mailto:/tel: address still holds an email or number to report."""
    address = re.match(r"\]\(<?(?:mailto|tel):([^)>\s]*)", span, re.IGNORECASE)
    return f"]( {address.group(1)} )" if address else " " * len(span)


def _people(text: str, known: KnownFacts, row_role: tuple[str, str] | None) -> list[_Found]:
    if not TWO_CAPITALISED.search(text):  # most lines: no name at all, and the patterns below are slow
        return []
    found = []
    for pattern in (LABELLED, ROLE_AFTER):
        for match in pattern.finditer(text):
            role, title = _role_of(match.group("role")) or ("replace_me", "replace_me")
            found.append(_Found("unknown-person", match.group("name"), role, title))
    label = GENERIC_LABEL.match(text)
    if label and not found and not _role_of(label.group("label")) and ROLE_NOUN.search(label.group("label")):
        words = label.group("label").strip()
        found.append(_Found("unknown-person", label.group("name"), _role_id(words), words[0].upper() + words[1:]))
    claimed = {f.role for f in found}
    for match in TITLED.finditer(text):
        near = _nearby_role(text, match.span(), row_role)
        found.append(_Found("unknown-person", match.group("name"),
                            *(("replace_me", "replace_me") if near[0] in claimed else near)))
    if row_role:
        found += [_Found("unknown-person", m.group("name"), *row_role) for m in ROW_NAME.finditer(text)]
    return [f for f in _longest(found) if _is_person(f.value, known)]


def _numbers(text: str, row_role: tuple[str, str] | None) -> list[_Found]:
    found = []
    for match in UK_PHONE.finditer(text):
        number = match.group(0).rstrip("-. ")
        number = number[1:] if number.startswith("(") and ")" not in number else number
        if _uk_number(number):
            found.append(_Found("unknown-phone", number, *_nearby_role(text, match.span(), row_role)))
    for match in EMAIL.finditer(text):
        email = match.group(0).replace("\\", "").rstrip("._")
        found.append(_Found("unknown-email", email, *_nearby_role(text, match.span(), row_role)))
    return found


def _uk_number(number: str) -> bool:
    """A UK landline, mobile or non-geographic number: 10 or 11 digits from 01, 02, 03, 05, 07 or 08."""
    digits = re.sub(r"\D", "", number)
    digits = "0" + digits[2:] if number.lstrip().startswith("+") else digits
    return len(digits) in (10, 11) and digits[:2] in ("01", "02", "03", "05", "07", "08")


def _longest(found: list[_Found]) -> list[_Found]:
    """'Mrs Rachel Example' and 'Rachel Example' are one person: the longer, and the one with a role, is kept."""
    kept: list[_Found] = []
    for f in sorted(found, key=lambda f: (-len(f.value), f.role == "replace_me")):
        if not any(f.value in k.value for k in kept):
            kept.append(f)
    return kept


def _is_person(name: str, known: KnownFacts) -> bool:
    """Not a known contact, nor words that name an organisation, a role, a document or a day."""
    bare = re.sub(rf"^{TITLE}[ \u00a0]+", "", name).strip()
    if bare.lower() in known.names or any(bare.lower() in n for n in known.names):
        return False
    titled = bare != name.strip()
    return not any(word.lower().strip("'\u2019") in NOT_NAMES for word in bare.split()[0 if not titled else 1:]) \
        and not (titled and bare.split()[0].lower() in NOT_NAMES)


def role_named(words: str) -> str | None:
    """The contact role words such as 'Designated Safeguarding Lead', 'DSL' or 'Headteacher' name, if known."""
    found = _role_of(words)
    return found[0] if found else None


def _role_of(words: str) -> tuple[str, str] | None:
    """The role id and contact title that words like 'Designated Safeguarding Lead' or 'DSL' name."""
    for pattern, role, title in ROLE_PATTERNS:
        if pattern.fullmatch(words.strip()):
            return role, title
    return None


def _role_id(words: str) -> str:
    """'Pastoral Manager' → 'pastoral_manager': a role the school names itself."""
    return "_".join(re.findall(r"[a-z0-9]+", words.lower()))[:40] or "replace_me"


def _nearby_role(text: str, span: tuple[int, int], row_role: tuple[str, str] | None) -> tuple[str, str]:
    """The role named nearest to the value in the line (or its table row); replace_me when none is."""
    start, end = span
    best: tuple[int, str, str] | None = None
    for pattern, role, title in ROLE_PATTERNS:
        for match in pattern.finditer(text, max(0, start - ROLE_WINDOW), min(len(text), end + ROLE_WINDOW)):
            distance = match.start() - end if match.start() >= end else start - match.end()
            if best is None or distance < best[0]:
                best = (distance, role, title)
    if best:
        return best[1], best[2]
    return row_role or ("replace_me", "replace_me")


def _row_role(cells: list[str]) -> tuple[str, str] | None:
    """A key-personnel row: the first cell that is just a role ('Designated Safeguarding Lead', 'DSL')."""
    for cell in cells:
        plain = re.sub(r"[*_\\]", "", cell)
        if len(plain.split()) <= ROLE_CELL_WORDS:
            for pattern, role, title in ROLE_PATTERNS:
                if pattern.search(plain):
                    return role, title
    return None


def _entries(found: list[_Found]) -> dict[str, dict[str, str]]:
    """One suggested contact entry per role in this line: name, title, phone, email."""
    entries: dict[str, dict[str, str]] = {}
    for f in found:
        entry = entries.setdefault(f.role, {"name": "replace_me", "title": f.title})
        part = {"unknown-person": "name", "unknown-phone": "phone", "unknown-email": "email"}[f.kind]
        if part not in entry or entry[part] == "replace_me":
            entry[part] = re.sub(r"\s+", " ", f.value)
    return entries


WHAT = {"unknown-person": "a person", "unknown-phone": "a telephone number", "unknown-email": "an email address"}
PART = {"unknown-person": "name", "unknown-phone": "phone", "unknown-email": "email"}


def _item(found: _Found, entry: dict[str, str], place: Place, known: KnownFacts) -> Item:
    who = f" (the words around it suggest: {found.title.lower()})" if found.role != "replace_me" else ""
    suggestion = yaml.safe_dump({"contacts": {found.role: entry}}, default_flow_style=True, sort_keys=False,
                                width=10_000, allow_unicode=True).strip()
    placeholder = f'{{{{ contact("{found.role}").{PART[found.kind]} }}}}'
    return Item(found.kind, f'{WHAT[found.kind]} the source does not know: "{found.value}"{who}', place,
                f"if it is still right, add the contact to {known.target}: {suggestion[1:-1]}"
                f"{' (choose its role)' if found.role == 'replace_me' else ''}, then write {placeholder} "
                f"in its place; if it is out of date, write the current one{NATIONAL[found.kind]}")


NATIONAL = {"unknown-person": "", "unknown-phone": "; a national helpline's number may stay as written",
            "unknown-email": "; a national service's address may stay as written"}

