"""One Word file into one policy: its front matter, its Markdown with facts as placeholders and citations as
registry references, its pictures, and everything a person must decide (items), each at its place."""

from __future__ import annotations

import hashlib
import html
import re
from dataclasses import dataclass, field, replace
from pathlib import PurePosixPath

from policypress.checks.citations import CitationFinder
from policypress.checks.links.settings import LinkSettings
from policypress.core.dates import review_after
from policypress.importer.assemble import assemble
from policypress.importer.doc_control import DocControl, parse_date, read_doc_control
from policypress.importer.document import Block, Item, Picture, Place, WordDocument
from policypress.importer.facts import KnownFacts
from policypress.importer.links import link_problems, references
from policypress.importer.placeholders import cells_to_placeholders, role_named, to_placeholders
from policypress.source.schema_types import review_cycle_months

PICTURE_TYPES = {"image/png": ".png", "image/jpeg": ".jpg", "image/svg+xml": ".svg"}
FLOWCHART_WORDS = re.compile(r"flow\s*chart|flowchart|process|procedure|steps|what\s+to\s+do", re.IGNORECASE)
CATEGORIES = (("safeguard|child protection|prevent|online safety|e-safety", "Safeguarding"),
              ("behaviour|bullying|exclusion|suspension|relationship", "Behaviour"),
              ("complain", "Complaints"), ("send|special educational|inclusion|medical", "Inclusion"),
              ("staff|conduct|whistleblow|capability|disciplin", "Staff"), ("charging|finance|pay", "Finance"))
STATUTORY_TITLES = re.compile(r"safeguard|child protection|behaviour|complaint|charging|special educational|send\b|"
                              r"equality|health and safety|admission|attendance|data protection|suspension|exclusion",
                              re.IGNORECASE)


@dataclass
class Tools:
    """What converting a file needs from the project: known facts, the citation finder, link settings."""

    known: KnownFacts
    finder: CitationFinder
    links: LinkSettings


@dataclass
class Converted:
    """One Word file as a policy."""

    source: str
    """The Word file's name, as reports give it."""
    title: str
    meta: dict[str, object]
    """Front matter, in the order the file is written."""
    markdown: str
    control: DocControl
    items: list[Item]
    pictures: dict[str, tuple[bytes, str]] = field(default_factory=dict)
    """Picture file name → (bytes, alt text) to save in the images folder."""
    word_text: str = ""
    """The words of the Word file's body as a reader sees them (document control and contents set aside)."""


def convert(doc: WordDocument, tools: Tools, policy_id: str) -> Converted:
    """The policy a Word file holds; nothing is written here."""
    control = read_doc_control(list(doc.blocks), doc.path.name)
    body = [b for b in doc.blocks if not any(b is used for used in control.used)]
    items: list[Item] = list(control.items) + _set_aside_items(doc)
    changed = [_transformed(block, tools, items) for block in body]
    pictures: dict[str, tuple[bytes, str]] = {}
    assembled = assemble(changed, doc.footnotes, lambda block: _picture(block, policy_id, pictures, items))
    title = assembled.title or _title_from(doc, policy_id, items, body)
    meta = _front_matter(title, assembled.markdown, control, items, body)
    word_text = "\n".join(_block_words(b) for b in body) + "\n" + "\n".join(doc.footnotes.values())
    return Converted(doc.path.name, title, meta, assembled.markdown, control, items, pictures, word_text)


ROUTINE = ("contents list", "page break", "bookmark", "empty paragraph")


def _set_aside_items(doc: WordDocument) -> list[Item]:
    """What the reader set aside that is not routine furniture (an embedded document, say): a person decides."""
    return [Item("set-aside", f"{what} was left out of the policy", place,
                 "open the Word file at that place and copy what matters into the policy by hand")
            for what, place in doc.removed if not what.startswith(ROUTINE)]


def _transformed(block: Block, tools: Tools, items: list[Item]) -> Block:
    if block.kind == "table":
        return replace(block, rows=tuple(_row(row, block.place, tools, items) for row in block.rows))
    if block.kind in ("paragraph", "list_item", "heading"):
        return replace(block, text=_text(block.text, block.place, tools, items, block.kind == "heading"))
    return block


def _text(text: str, place: Place, tools: Tools, items: list[Item], heading: bool) -> str:
    text, found = link_problems(text, place, tools.links)
    items += found
    text, found = to_placeholders(text, place, tools.known)
    items += found
    text, found = references(text, place, tools.finder, heading=heading)
    items += found
    return text


def _row(row: tuple[str, ...], place: Place, tools: Tools, items: list[Item]) -> tuple[str, ...]:
    """A table row: links and citations cell by cell, facts with the row as their context (key personnel)."""
    cells = []
    for cell in row:
        cell, found = link_problems(cell, place, tools.links)
        items += found
        cell, found = references(cell, place, tools.finder)
        items += found
        cells.append(cell)
    replaced, found = cells_to_placeholders(tuple(cells), place, tools.known)
    items += found
    return replaced


def _picture(block: Block, policy_id: str, pictures: dict[str, tuple[bytes, str]], items: list[Item]) -> str:
    picture = block.picture
    if picture is None or picture.content_type not in PICTURE_TYPES:
        items.append(Item("unsupported-picture", f"{_picture_words(picture)} cannot be published as it is",
                          block.place, "save it as a picture (PNG, JPEG or SVG) or redraw it, put it in the images "
                                       "folder and show it with ![](images/<file>)"))
        return ""
    digest = hashlib.sha256(picture.data).hexdigest()[:8]
    stem = re.sub(r"[^a-z0-9]+", "-", PurePosixPath(picture.name).stem.lower()).strip("-")[:40] or "picture"
    name = f"{policy_id}-{stem}-{digest}{PICTURE_TYPES[picture.content_type]}"  # a safe file and link name
    alt = picture.alt.strip()
    if not alt:
        items.append(Item("no-alt-text", f"the picture {picture.name} has no text alternative in Word", block.place,
                          f"say in words what it shows: replace the alt text of {name} in images.yml"))
        alt = "A picture from the Word file, not yet described"
    if FLOWCHART_WORDS.search(f"{alt} {picture.name} {block.place.heading} {block.place.context}"):
        items.append(Item("flowchart-picture", f"the picture {picture.name} looks like a flowchart", block.place,
                          "it is kept as a picture; it could be redrawn as a flowchart (content/flowcharts/, "
                          "README 'Flowcharts'), which reads on a phone and prints its steps in words"))
    pictures[name] = (picture.data, alt)
    return f"![](images/{name})"


def _picture_words(picture: Picture | None) -> str:
    """'a chart', 'a picture linked from outside the file (…)', 'a picture of type image/x-emf' …"""
    kind = picture.content_type if picture else "missing from the Word file"
    if "/" in kind and " " not in kind:
        return f"a picture of type {kind}"
    return f"a picture {kind}" if kind.startswith(("linked", "missing")) else f"a {kind}"


def _title_from(doc: WordDocument, policy_id: str, items: list[Item], body: list[Block]) -> str:
    """With no title at the top: the policy's name in the page footer or header ('… Policy – Page'), else the
    id in words, which a person should check."""
    for line in (*doc.footer_text, *doc.header_text):
        named = re.search(r"([A-Z][\w\u2019'&,\- ]{2,80}?\b(?:Policy|Procedures?|Statement|Plan))\b", line)
        if named:
            return named.group(1).strip()
    title = policy_id.replace("-", " ").capitalize()
    items.append(Item("title-needed", f"the Word file has no title; it is called \"{title}\" for now",
                      body[0].place if body else Place(1), "set `title:` in the front matter"))
    return title


def _front_matter(title: str, markdown: str, control: DocControl, items: list[Item],
                  body: list[Block]) -> dict[str, object]:
    first_place = body[0].place if body else Place(1)
    summary = _first_sentence("\n\n".join(b.text for b in body if b.kind == "paragraph"))  # the Word file's words
    items.append(Item("summary-needed", f"the summary was taken from the first sentence: \"{summary}\"", first_place,
                      "write one line for parents saying what the policy is for, as `summary:` in its front matter"))
    approver, cycle = control.approver, control.review_cycle
    if approver is None:
        items.append(Item("approver-needed", "the Word file does not say who approves the policy"
                          + _as_written(control, "approver"), first_place,
                          "set `approver:` in the front matter (e.g. full_governing_body or trust_board)"))
    if cycle is None:
        items.append(Item("review-cycle-needed", "the Word file does not say how often the policy is reviewed"
                          + _as_written(control, "cycle"), first_place,
                          "set `review_cycle:` (annually, every_2_years …) in the front matter"))
    items += _next_review_item(control, cycle or "annually", first_place)
    refs = sorted(set(re.findall(r"""ref\(["']([a-z0-9-]+)["']\)""", markdown)))
    meta: dict[str, object] = {
        "title": title, "summary": summary, "category": _category(title),
        "statutory": bool(STATUTORY_TITLES.search(title)), "approver": approver or "full_governing_body",
        "review_cycle": cycle or "annually", "owner": "headteacher",
    }
    if control.fields.get("author"):
        meta["author"] = control.fields["author"]
    owner = control.fields.get("owner") or control.fields.get("author") or ""
    meta["owner"] = role_named(owner) or "headteacher"
    if owner and not role_named(owner):
        items.append(Item("owner-needed", f"the policy's owner, '{owner}', is not a contact role policypress knows",
                          first_place, "set `owner:` to the contact role that owns it (e.g. dsl, headteacher); "
                                       "it is headteacher for now"))
    meta["references"] = refs
    meta["audience"] = ["public", "staff"]
    return meta


def _next_review_item(control: DocControl, cycle: str, place: Place) -> list[Item]:
    """The Word file's own next review date, when it is not the approval date plus the review cycle."""
    written = parse_date(control.fields.get("next_review", ""))
    approved = [parse_date(a["date"]) for a in control.approvals]
    last = max((d for d in approved if d), default=None)
    if written is None or last is None:
        return []
    due = review_after(last, review_cycle_months(cycle))
    if abs((due - written).days) <= 31:
        return []
    return [Item("next-review-differs", f"the Word file says the next review is {control.fields['next_review']}, "
                 f"but {cycle.replace('_', ' ')} from its approval gives {due:%d %B %Y}", place,
                 "check the review cycle (review_cycle: in the front matter): policypress counts from the approval")]


def _as_written(control: DocControl, kind: str) -> str:
    return f" in words policypress knows ('{control.fields[kind]}')" if kind in control.fields else ""


TO_BE_WRITTEN = "To be written: one line for parents saying what this policy is for."


def _first_sentence(markdown: str) -> str:
    """The first sentence of the first real paragraph, as plain words (at most 30)."""
    for line in markdown.splitlines():
        words = re.sub(r"!\[[^\]]*\]\([^)]*\)|\[([^\]]*)\]\([^)]*\)", r"\1", line)
        words = html.unescape(re.sub(r"\\(.)", r"\1", re.sub(r"\*\*|__|(?<!\w)[*_]|[*_](?!\w)", "", words))).strip()
        if len(words.split()) >= 6 and not line.startswith(("#", "|", "-", "1.")):
            sentence = " ".join(re.split(r"(?<=[.!?])\s", words)[0].split()[:30])
            return TO_BE_WRITTEN if re.search(r"\{[{%#]", sentence) else sentence
    return TO_BE_WRITTEN


def _category(title: str) -> str:
    return next((name for pattern, name in CATEGORIES if re.search(pattern, title, re.IGNORECASE)), "Policies")


def _block_words(block: Block) -> str:
    if block.kind == "table":
        return "\n".join(" ".join(row) for row in block.rows)
    return f"{block.number} {block.text}" if block.kind == "heading" and block.number else block.text
