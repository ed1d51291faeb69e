"""Citations and links in an imported line: registry documents as {{ ref("id") }}, links parents cannot open reported.

`references` turns a citation the registry knows (checks/citations.py finds it however it is
written) into `{{ ref("id") }}`, which prints the current edition's title, edition and address;
a stale edition is replaced too, and reported, because the text around it may describe the old
edition. It is conservative: a heading is left alone (it names a subject), and a link is replaced
only as a whole, when its words are the citation or say nothing ('click here').

`link_problems` removes the markup of links that go nowhere ('#', '', javascript:) or that parents
cannot open (SharePoint, OneDrive, a network drive, an intranet name: checks/links/judge.py
decides), keeping their words, and reports each with where the document should be published.
"""

from __future__ import annotations

import re
from dataclasses import dataclass, replace
from urllib.parse import urlsplit

from policypress.checks.citations import Citation, CitationFinder, edition_verdict
from policypress.checks.links.judge import static_problem
from policypress.checks.links.settings import LinkSettings
from policypress.importer.document import Item, Place

LINK = re.compile(r"(?<!!)\[(?P<words>(?:\\.|[^\]\\])*)\]\((?P<address><[^>]*>|(?:[^()\s]|\([^()\s]*\))*)"
                  r"(?:\s+\"[^\"]*\")?\)")
PLACEHOLDER = re.compile(r"\{\{.*?\}\}|\{%.*?%\}", re.DOTALL)
BARE_URL = re.compile(r"\bhttps?://[^\s<>\"'()\[\]]+")
BRACKETED_SHORT_NAME = re.compile(r"\s*\(\s*(?:the\s+)?(?:[\"'\u201c\u2018]\s*)?")
HEADING_LINE = re.compile(r"^\s{0,3}#{1,6}\s")
# Words of a link that say nothing of where it goes: the address says which document it is.
EMPTY_WORDS = {"", "here", "click here", "this link", "link", "this", "website", "web link", "online", "download",
               "read more", "more information", "guidance", "the guidance", "this guidance", "document",
               "the document", "this document", "see here", "available here", "gov.uk", "gov uk"}
# Words that may stand beside a title in a link's words without changing what it names.
BESIDE_TITLE = {"the", "dfe", "department", "for", "education", "statutory", "guidance", "s", "dfe's", "document"}
CONTEXT = 80


@dataclass(frozen=True)
class _Edit:
    start: int
    end: int
    text: str


def ref(entry_id: str) -> str:
    return f'{{{{ ref("{entry_id}") }}}}'


# --- citations ----------------------------------------------------------------------------------------------

def references(text: str, place: Place, finder: CitationFinder, heading: bool = False) -> tuple[str, list[Item]]:
    """The line with each clear citation of a registry entry as {{ ref("id") }}, and Items for stale editions.

    heading: the line is a heading (a line starting with '#' is one too): left as it is.
    """
    if heading or HEADING_LINE.match(text):
        return text, []
    citations = _spelled_out([c for c in finder.find(text) if not _inside(c.start, c.end, PLACEHOLDER, text)], text)
    edits: list[_Edit] = []
    items: list[Item] = []
    links = list(LINK.finditer(text))
    for link in links:
        edits += _link_edit(link, [c for c in citations if link.start() <= c.start < link.end()], finder, items,
                            place)
    cited_ids = {c.entry_id for c in citations if not c.quote.startswith("http")}
    for citation in citations:
        if any(link.start() <= citation.start < link.end() for link in links):
            continue
        if citation.quote.startswith("http") and citation.entry_id in cited_ids:
            continue  # "KCSIE (https://…)": the title becomes the reference; its address is left as written
        citation = _with_quotes(_with_year(_without_the(citation, finder), finder, text), text)
        edits += _citation_edit(citation, finder, items, place, text)
    return _apply(text, _joined(edits)), items


def _joined(edits: list[_Edit]) -> list[_Edit]:
    """One span citing two entries ('the Children Acts 1989 and 2004'): both references, joined by 'and'."""
    by_span: dict[tuple[int, int], list[str]] = {}
    for edit in edits:
        by_span.setdefault((edit.start, edit.end), []).append(edit.text)
    return [_Edit(start, end, " and ".join(texts)) for (start, end), texts in by_span.items()]


def _spelled_out(citations: list[Citation], text: str) -> list[Citation]:
    """Citations to replace: not words inside a web address ('…/revised-prevent-duty-guidance'), nor the short name
    a title is given in brackets straight after it ('the Counter-Terrorism and Security Act 2015 (the CTSA 2015)')."""
    urls = [m.span() for m in BARE_URL.finditer(text)]
    kept: list[Citation] = []
    for citation in citations:
        in_url = any(s <= citation.start < e and (s, e) != (citation.start, citation.end) for s, e in urls)
        defined = any(k.entry_id == citation.entry_id and BRACKETED_SHORT_NAME.fullmatch(text[k.end:citation.start])
                      for k in kept)
        if not in_url and not defined:
            kept.append(citation)
    return kept


def _without_the(citation: Citation, finder: CitationFinder) -> Citation:
    """'the Children Acts 1989 and 2004': 'the' stays in the sentence when the title does not start with it."""
    the = re.match(r"the\s+", citation.quote, re.IGNORECASE)
    if the and not finder.entries[citation.entry_id].title.lower().startswith("the "):
        return replace(citation, start=citation.start + the.end(), quote=citation.quote[the.end():])
    return citation


def _with_year(citation: Citation, finder: CitationFinder, text: str) -> Citation:
    """'the CTSA 2015': an Act's year written after its short name is part of what the reference prints."""
    year = re.match(r"\s*((?:19|20)\d{2})\b", text[citation.end:])
    if year and year.group(1) in finder.entries[citation.entry_id].title:
        return replace(citation, end=citation.end + year.end(), quote=text[citation.start:citation.end + year.end()])
    return citation


def _with_quotes(citation: Citation, text: str) -> Citation:
    """'“Working Together to Safeguard Children” 2018': the opening quote goes with the closing one in the citation."""
    opening = {"\u201d": "\u201c", '"': '"', "\u2019": "\u2018"}
    closer = next((c for c in opening if c in citation.quote), None)
    if closer and citation.start and text[citation.start - 1] == opening[closer] \
            and citation.quote.count(closer) > citation.quote.count(opening[closer]):
        return replace(citation, start=citation.start - 1, quote=text[citation.start - 1:citation.end])
    return citation


def _link_edit(link: re.Match[str], inside: list[Citation], finder: CitationFinder, items: list[Item],
               place: Place) -> list[_Edit]:
    """A link is replaced as a whole when its words are the citation, or its address is the entry's and its
    words say nothing else; otherwise it stays, and a stale edition it points to is reported."""
    in_words = [c for c in inside if c.start < link.end("words")]
    by_address = [c for c in inside if c.start >= link.start("address")]
    address = by_address[0] if by_address else None
    named = next((c for c in in_words if _covers(link.group("words"), c.quote)), None)
    if named is None and address and _says_nothing(link.group("words"), link.group("address")):
        named = address
    if named is None or (address and address.entry_id != named.entry_id):
        for stale in [c for c in inside if _verdict(c, finder)[0] == "old"]:
            items.append(_stale_item(stale, finder, place, link.group(0), replaced=False))
        return []
    cited = named if named.edition or address is None else address
    _report(cited, finder, items, place, link.group(0), replaced=True)
    return [_Edit(link.start(), link.end(), ref(named.entry_id))]


def _citation_edit(citation: Citation, finder: CitationFinder, items: list[Item], place: Place,
                   text: str) -> list[_Edit]:
    verdict = _verdict(citation, finder)[0]
    if verdict == "newer":  # the registry is behind: the edition is kept as written, and said
        entry = finder.entries[citation.entry_id]
        items.append(Item("newer-edition", f'"{citation.quote}" cites an edition newer than the registry\'s '
                          f'({entry.edition})', _around(place, text, citation.start, citation.end),
                          f"add the new edition to content/statutory.yml (entry {citation.entry_id}), then write "
                          f"{ref(citation.entry_id)} in its place"))
        return []
    _report(citation, finder, items, place, text, replaced=True)
    return [_Edit(citation.start, citation.end, ref(citation.entry_id))]


def _report(citation: Citation, finder: CitationFinder, items: list[Item], place: Place, text: str,
            replaced: bool) -> None:
    verdict, older = _verdict(citation, finder)
    entry = finder.entries[citation.entry_id]
    here = _around(place, text, 0, len(text)) if text.startswith("[") else _around(place, text, citation.start,
                                                                                 citation.end)
    if verdict == "old":
        items.append(_stale_item(citation, finder, here, text, replaced))
    elif verdict == "unclear":
        items.append(Item("unclear-edition", f'"{citation.quote}" names a year of two editions of {entry.title} '
                          f"({older} and {entry.edition})", here,
                          f"it now reads {ref(citation.entry_id)} (the {entry.edition} edition): check the text "
                          "around it agrees with that edition"))


def _stale_item(citation: Citation, finder: CitationFinder, place: Place, text: str, replaced: bool) -> Item:
    entry = finder.entries[citation.entry_id]
    cited = citation.edition or _verdict(citation, finder)[1]
    what = (f'"{citation.quote}" cites the {cited} edition of {entry.title}; the current edition is '
            f"{entry.edition}")
    if replaced:
        fix = (f"it now reads {ref(citation.entry_id)}, which prints the {entry.edition} edition: check the text "
               "around it (what it says the guidance requires, paragraph numbers) against that edition")
    else:
        fix = f"cite the current edition: write {ref(citation.entry_id)} instead of the link"
    return Item("stale-citation", what, _around(place, text, citation.start, citation.end), fix)


def _verdict(citation: Citation, finder: CitationFinder) -> tuple[str, str]:
    return edition_verdict(citation, finder.entries[citation.entry_id])


def _covers(words: str, quote: str) -> bool:
    """The link's words are the citation, give or take 'the', the publisher or 'statutory guidance'."""
    rest = _word_set(words.replace(quote, " ", 1)) if quote in words else None
    return rest is not None and rest <= BESIDE_TITLE


def _says_nothing(words: str, address: str) -> bool:
    plain = " ".join(re.findall(r"[\w.']+", words.lower()))
    return plain in EMPTY_WORDS or words.strip("<> ") == address.strip("<> ")


def _word_set(text: str) -> set[str]:
    return set(re.findall(r"[a-z0-9']+", text.lower()))


def _inside(start: int, end: int, pattern: re.Pattern[str], text: str) -> bool:
    return any(m.start() <= start and end <= m.end() for m in pattern.finditer(text))


def _apply(text: str, edits: list[_Edit]) -> str:
    """Edits from last to first, so that earlier places stay right; an edit inside an earlier one is dropped."""
    out, last_start = text, len(text) + 1
    for edit in sorted(edits, key=lambda e: e.start, reverse=True):
        if edit.end <= last_start:
            out = out[:edit.start] + edit.text + out[edit.end:]
            last_start = edit.start
    return out


def _around(place: Place, text: str, start: int, end: int) -> Place:
    """The place, with the words around the thing found when the reader gave none."""
    if place.context:
        return place
    half = max(0, (CONTEXT - (end - start)) // 2)
    context = text[max(0, start - half):end + half].strip()
    return replace(place, context=context[:CONTEXT * 2])


# --- links that go nowhere or that parents cannot open ------------------------------------------------------

def link_problems(text: str, place: Place, settings: LinkSettings) -> tuple[str, list[Item]]:
    """The line with placeholder and not-public links as their words alone, and an Item for each."""
    edits: list[_Edit] = []
    items: list[Item] = []
    for link in LINK.finditer(text):
        address = link.group("address").strip("<>").strip()
        problem = _problem(address, settings)
        if problem:
            kind, reason = problem
            words = link.group("words")
            edits.append(_Edit(link.start(), link.end(), words))
            items.append(_link_item(kind, reason, words, address, _around(place, text, link.start(), link.end())))
    return _apply(text, edits), items


def _problem(address: str, settings: LinkSettings) -> tuple[str, str] | None:
    """('placeholder-link' | 'not-public-link' | 'internal-link', why); None: left to `check links`."""
    scheme = urlsplit(address).scheme.lower() if ":" in address else ""
    if scheme in ("mailto", "tel"):
        return None
    if address.startswith("#") and len(address) > 1:
        return "internal-link", "it goes to a bookmark inside the Word file"
    if not scheme and address and re.match(r"^[\w-]+(?:\.[\w-]+)+(?:/|$)", address):
        return None  # 'www.example.org/x': a web address without https://, which `check links` reports
    if not scheme and address not in ("", "#"):
        return "not-public-link", "it goes to a file next to the Word file, on a computer or network drive"
    found = static_problem(address, settings)
    if found is None or found[0] not in ("placeholder", "not_public"):
        return None
    return ("placeholder-link" if found[0] == "placeholder" else "not-public-link"), found[1]


def _link_item(kind: str, reason: str, words: str, address: str, place: Place) -> Item:
    shown = f' to "{address}"' if address and address != "#" else ""
    what = f'the link "{words}"{shown}: {reason}'
    if kind == "placeholder-link":
        fix = ("its words are kept without the link; if it should go somewhere, add the real public address "
               f"([{words}](https://…)) or a registry reference")
    elif kind == "internal-link":
        fix = "its words are kept without the link; link to the section's id ([words](#section-id)) if needed"
    else:
        fix = (f'its words are kept without the link; publish "{words}" where parents can open it (on the '
               "school's website, listed under published_elsewhere in the school file, or as a policy on the "
               "policies site) and link to that public address")
    return Item(kind, what, place, fix)
