"""Make policy Markdown safe to publish: no scripts, event handlers, iframes, styles or
`javascript:` links, whether written as raw HTML, Markdown links, autolinks or `{: attr }` lists.

Markdown passes raw HTML straight through to the page, and policy text is edited by many
people, so every tag is checked against an allow-list before MkDocs sees it. Code spans and
fenced blocks are kept exactly as typed, but only when Markdown really shows them as code:
the kept version is rendered and audited, and if anything in it would run, the code-looking
text is cleaned like the rest.
"""

from __future__ import annotations

import html
import re
from html.parser import HTMLParser

import markdown as md

from policypress.site_engine.dialect import audit_extensions

ALLOWED_TAGS = frozenset({
    "a", "abbr", "b", "br", "caption", "code", "dd", "del", "details", "dfn", "div", "dl", "dt",
    "em", "figcaption", "figure", "h2", "h3", "h4", "h5", "h6", "hr", "i", "img", "ins", "kbd",
    "li", "mark", "ol", "p", "pre", "q", "s", "small", "span", "strong", "sub", "summary", "sup",
    "table", "tbody", "td", "tfoot", "th", "thead", "tr", "u", "ul",
})
DROPPED_WITH_CONTENT = frozenset({
    "script", "style", "iframe", "frame", "frameset", "object", "embed", "applet", "template",
    "noscript", "svg", "math", "form", "textarea", "select", "button",
})
ALLOWED_ATTRS = frozenset({
    "href", "src", "alt", "title", "id", "class", "colspan", "rowspan", "scope", "headers", "lang",
    "dir", "width", "height", "open", "abbr", "datetime", "cite", "start", "reversed", "type",
})
URL_ATTRS = frozenset({"href", "src", "cite"})
SAFE_URL = re.compile(r"^(https?:|mailto:|tel:|#|/|\.|[a-z0-9_-]+(/|\.|#|$))", re.IGNORECASE)
SAFE_AUTOLINK = re.compile(r"^<(https?|ftps?)://", re.IGNORECASE)

# Python-Markdown's own autolink and automail patterns, which it applies before raw HTML.
_AUTO = r"<[A-Za-z][A-Za-z0-9+.-]*://[^<>]*>|<[^<> !]+@[^@<> ]+>"
TAG = re.compile(
    rf"(?P<auto>{_AUTO})|<!--.*?-->|<[!?][^<>]*>"
    r"|<(?P<close>/?)(?P<name>[A-Za-z][^\s/\"'<>@]*)(?P<attrs>(?:[^<>\"']|\"[^\"]*\"|'[^']*')*)>",
    re.DOTALL,
)
ATTR = re.compile(r"""([^\s=/>"']+)(?:\s*=\s*("[^"]*"|'[^']*'|[^\s"'>]+))?""")
LOOSE_OPENER = re.compile(TAG.pattern + r"|(?P<loose><)(?=[A-Za-z/!?])", re.DOTALL)
# [text](destination), ![alt](destination) and [label]: destination
MD_LINK = re.compile(
    r"(!?)\[((?:[^\[\]\n]|\[[^\[\]\n]*\])*)\]\(\s*<?([^\s()<>]*(?:\([^\s()<>]*\)[^\s()<>]*)*)>?"
    r"(?:\s+(?:\"[^\"\n]*\"|'[^'\n]*'|\([^()\n]*\)))?\s*\)"
)
MD_DEST = re.compile(r"(\]\(\s*<?\s*)([^\s)>]*)")
MD_REF_DEF = re.compile(r"^([ ]{0,3}\[[^\[\]\n]*\]:[ ]*\n?[ ]*<?)([^\s>]*)", re.MULTILINE)
ATTR_LIST = re.compile(r"\{:?[ ]*[^}\n ][^}\n]*\}")
ATTR_LIST_PAIR = re.compile(r"""(\s*)([^\s=}]+)=("[^"]*"|'[^']*'|[^\s=}]+)""")
CODE = re.compile(
    r"^(?P<fence>`{3,}|~{3,})[^\n]*\n.*?^(?P=fence)[ \t]*$"
    r"|(?<![\\`])(?P<ticks>`+)(?!`)(?:(?!\n[ \t]*\n).)+?(?<!`)(?P=ticks)(?!`)",
    re.DOTALL | re.MULTILINE,
)
RENDERED_TAGS = ALLOWED_TAGS | {"h1", "blockquote"}
TABLE_ALIGN = re.compile(r"^text-align: (left|right|center);?$")


def sanitise(markdown: str) -> str:
    """Return markdown with everything unsafe removed; code is kept as typed where it is code."""
    cleaned = _clean(markdown)
    kept = _clean_around_code(markdown)
    if kept == cleaned:
        return cleaned
    for candidate in (kept, cleaned):
        if renders_safely(candidate):
            return candidate
    return cleaned.replace("<", "&lt;")


def renders_safely(markdown: str) -> bool:
    """Whether Markdown turns this text into HTML with only allowed tags, attributes and URLs."""
    audit = _Audit()
    audit.feed(md.markdown(markdown, extensions=audit_extensions()))
    audit.close()
    return not audit.unsafe


def _clean_around_code(markdown: str) -> str:
    """Clean everything but code spans and fenced blocks, which stand aside as placeholders."""
    codes: list[str] = []

    def stand_aside(match: re.Match[str]) -> str:
        codes.append(match.group(0))
        return f"\x02{len(codes) - 1}\x03"

    cleaned = _clean(CODE.sub(stand_aside, markdown))
    return re.sub(r"\x02(\d+)\x03", lambda m: codes[int(m.group(1))], cleaned)


def _clean(text: str) -> str:
    """Clean until nothing changes, so that removing one tag cannot join two halves of another."""
    while True:
        cleaned = _clean_once(text)
        if cleaned == text:
            return LOOSE_OPENER.sub(_escape_loose, cleaned)
        text = cleaned


def _clean_once(text: str) -> str:
    for tag in DROPPED_WITH_CONTENT:
        text = re.sub(rf"<{tag}\b[^>]*>.*?</{tag}\s*>", "", text, flags=re.IGNORECASE | re.DOTALL)
    text = TAG.sub(_clean_tag, text)
    text = MD_LINK.sub(_clean_link, text)
    text = MD_DEST.sub(_clean_destination, text)
    text = MD_REF_DEF.sub(_clean_destination, text)
    return ATTR_LIST.sub(_clean_attr_list, text)


def _escape_loose(match: re.Match[str]) -> str:
    """A '<' that starts no tag is shown as text, so no browser can read a tag into it."""
    return "&lt;" if match.group("loose") else match.group(0)


def _clean_tag(match: re.Match[str]) -> str:
    auto = match.group("auto")
    if auto:  # <https://…> and <name@example.org>: keep them unless the scheme is unsafe
        mail = "@" in auto and "://" not in auto
        return auto if mail or SAFE_AUTOLINK.match(auto) else auto[1:-1]
    name, attrs = match.group("name"), match.group("attrs") or ""
    if name is None or name.lower() not in ALLOWED_TAGS:
        return ""  # comments, unknown tags and stray openers of dropped ones vanish
    if match.group("close"):
        return f"</{name.lower()}>"
    kept = "".join(_clean_attr(a.group(1).lower(), a.group(2)) for a in ATTR.finditer(attrs))
    return f"<{name.lower()}{kept}{' /' if attrs.rstrip().endswith('/') else ''}>"


def _clean_attr(name: str, raw: str | None) -> str:
    if name not in ALLOWED_ATTRS:
        return ""
    value = html.unescape((raw or "").strip("\"'"))
    if name in URL_ATTRS and not _safe_url(value):
        return ""
    return f" {name}" if raw is None else f' {name}="{_escape(value)}"'


def _escape(value: str) -> str:
    """Escape an attribute value; a backtick would let Markdown pair it with code elsewhere."""
    value = value.replace("&", "&amp;").replace('"', "&quot;")
    return value.replace("<", "&lt;").replace(">", "&gt;").replace("`", "&#96;")


def _safe_url(value: str) -> bool:
    return bool(SAFE_URL.match(re.sub(r"[\s\\]", "", html.unescape(value))))


def _clean_link(match: re.Match[str]) -> str:
    """A Markdown link to an unsafe address keeps only its words (an image, its alt text)."""
    return match.group(0) if _safe_url(match.group(3)) else match.group(2)


def _clean_destination(match: re.Match[str]) -> str:
    return match.group(0) if _safe_url(match.group(2)) else f"{match.group(1)}#"


def _clean_attr_list(match: re.Match[str]) -> str:
    def pair(found: re.Match[str]) -> str:
        name, value = found.group(2).lower(), found.group(3).strip("\"'")
        allowed = name in ALLOWED_ATTRS and (name not in URL_ATTRS or _safe_url(value))
        return found.group(0) if allowed else ""

    cleaned = ATTR_LIST_PAIR.sub(pair, match.group(0))
    emptied = cleaned != match.group(0) and re.fullmatch(r"\{:?\s*\}", cleaned)
    return "" if emptied else cleaned


class _Audit(HTMLParser):
    """Collects every tag, attribute or address in rendered HTML that is not allowed."""

    def __init__(self) -> None:
        super().__init__(convert_charrefs=True)
        self.unsafe: list[str] = []

    def handle_starttag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        if tag not in RENDERED_TAGS:
            self.unsafe.append(f"<{tag}>")
        for name, value in attrs:
            if not _rendered_attr_ok(name, value or ""):
                self.unsafe.append(f"<{tag} {name}>")

    def handle_startendtag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        self.handle_starttag(tag, attrs)


def _rendered_attr_ok(name: str, value: str) -> bool:
    if name == "style":  # Markdown's own table column alignment
        return bool(TABLE_ALIGN.match(value))
    return name in ALLOWED_ATTRS and (name not in URL_ATTRS or _safe_url(value))
