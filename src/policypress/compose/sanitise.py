"""Make policy Markdown safe to publish: no scripts, event handlers, iframes, styles or
`javascript:` links, whether written as raw HTML, Markdown links, autolinks or `{: attr }` lists.

Markdown passes raw HTML straight through to the page, and policy text is edited by many
people, so every tag is checked against an allow-list before MkDocs sees it. Code spans and
fenced blocks are kept exactly as typed, but only when Markdown really shows them as code:
the kept version is rendered and audited, and if anything in it would run, the code-looking
text is cleaned like the rest.
"""

from __future__ import annotations

import bisect
import html
import re
from collections.abc import Callable
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
# A backslash escape (Markdown reads a pair left to right: "\\\\[" is an escaped backslash, then "[").
ESCAPED = re.compile(r"\\.")
LINK_SYNTAX = frozenset("[]()<>!")


def without_escaped_link_syntax(text: str) -> str:
    """text with escaped brackets, parentheses and angle brackets blanked (same length), so that the
    link finders do not take `\\[x\\](y)`, which Markdown shows as text, for a link."""
    return ESCAPED.sub(lambda m: "  " if m.group(0)[1] in LINK_SYNTAX else m.group(0), text)


# [text](destination), ![alt](destination) and [label]: destination
MD_LINK = re.compile(
    r"(!?)\[((?:[^\[\]\n]|\[[^\[\]\n]*\])*)\]\(\s*<?([^\s()<>]*(?:\([^\s()<>]*\)[^\s()<>]*)*)>?"
    r"(?:\s+(?:\"[^\"\n]*\"|'[^'\n]*'|\([^()\n]*\)))?\s*\)"
)
MD_DEST = re.compile(r"(\]\(\s*<?\s*)([^\s)>]*)")
MD_REF_DEF = re.compile(r"^([ ]{0,3}\[[^\[\]\n]*\]:[ ]*\n?[ ]*<?)([^\s>]*)", re.MULTILINE)
ATTR_LIST = re.compile(r"\{:?[ ]*[^}\n ][^}\n]*\}")
ATTR_LIST_PAIR = re.compile(r"""(\s*)([^\s=}]+)=("[^"]*"|'[^']*'|[^\s=}]+)""")
RENDERED_TAGS = ALLOWED_TAGS | {"h1", "blockquote"}
TABLE_ALIGN = re.compile(r"^text-align: (left|right|center);?$")
# Possessive (`{3,}+, *+): no backtracking, so a line of a million backticks is read once.
FENCE_OPEN = re.compile(r"^(`{3,}+|~{3,}+)[^\n]*+\n", re.MULTILINE)
FENCE_CLOSE = re.compile(r"^(`{3,}+|~{3,}+)[ \t]*+$", re.MULTILINE)
PARAGRAPH_BREAK = re.compile(r"\n[ \t]*\n")
TICKS = re.compile(r"`+")


class CodeMatch:
    """One code span or fenced block found by CODE: text[start:end]."""

    def __init__(self, text: str, start: int, end: int) -> None:
        self.string, self._start, self._end = text, start, end

    def group(self, index: int = 0) -> str:
        if index:
            raise IndexError(index)
        return self.string[self._start:self._end]

    def start(self) -> int:
        return self._start

    def end(self) -> int:
        return self._end


class _CodeFinder:
    """Code spans and fenced blocks as Markdown sees them, found in time linear in the text.

    A fence is a line starting with 3 or more backticks or tildes, up to the next line that is the
    same fence alone; a code span is a run of backticks up to the next run of the same length in
    the same paragraph (a backslash before the opening run makes it text). One left-to-right pass:
    each candidate looks up its closer by bisection in indexes built once, so a megabyte of
    backticks takes milliseconds instead of the minutes a backtracking regular expression took."""

    def finditer(self, text: str) -> list[CodeMatch]:
        return [CodeMatch(text, start, end) for start, end in self.spans(text)]

    def spans(self, text: str) -> list[tuple[int, int]]:
        """(start, end) of every code span and fenced block, in order."""
        runs = [(m.start(), m.end()) for m in TICKS.finditer(text)]
        following = self._next_of_same_length(runs)
        break_starts = [m.start() for m in PARAGRAPH_BREAK.finditer(text)]  # no break overlaps a run
        paragraph = [bisect.bisect_left(break_starts, start) for start, _ in runs] if break_starts else [0] * len(runs)
        closers: dict[str, list[tuple[int, int]]] = {}
        for m in FENCE_CLOSE.finditer(text):
            closers.setdefault(m.group(1), []).append((m.start(), m.end()))
        fences = list(FENCE_OPEN.finditer(text))
        backtick_fences = {m.start(): m for m in fences if m.group(1)[0] == "`"}
        tildes = [m for m in fences if m.group(1)[0] == "~"]
        run_starts = [start for start, _ in runs]
        tilde_starts = [m.start() for m in tildes]
        found: list[tuple[int, int]] = []
        i = t = 0
        while i < len(runs) or t < len(tildes):
            if t < len(tildes) and (i >= len(runs) or tilde_starts[t] < run_starts[i]):
                at, stop = tilde_starts[t], self._fence(tildes[t], closers)
                t += 1
            else:
                at, j = run_starts[i], following[i]
                stop = self._fence(backtick_fences.get(at), closers) if at in backtick_fences else None
                if stop is None and j >= 0 and paragraph[j] == paragraph[i] and text[at - 1:at] != "\\":
                    stop = runs[j][1]
                i += 1
            if stop:
                found.append((at, stop))
                i = bisect.bisect_left(run_starts, stop, i)  # what the code holds is not looked at again
                t = bisect.bisect_left(tilde_starts, stop, t)
        return found

    @staticmethod
    def _next_of_same_length(runs: list[tuple[int, int]]) -> list[int]:
        """For each run of backticks, the index of the next run as long as it (-1: none)."""
        following = [-1] * len(runs)
        seen: dict[int, int] = {}
        for i in range(len(runs) - 1, -1, -1):
            length = runs[i][1] - runs[i][0]
            following[i] = seen.get(length, -1)
            seen[length] = i
        return following

    @staticmethod
    def _fence(opener: re.Match[str] | None, closers: dict[str, list[tuple[int, int]]]) -> int | None:
        if opener is None:
            return None
        same = closers.get(opener.group(1), [])
        k = bisect.bisect_left(same, (opener.end(), -1))
        return same[k][1] if k < len(same) else None

    def sub(self, replace: Callable[[CodeMatch], str], text: str) -> str:
        parts: list[str] = []
        last = 0
        for start, end in self.spans(text):
            parts += [text[last:start], replace(CodeMatch(text, start, end))]
            last = end
        return "".join([*parts, text[last:]])


CODE = _CodeFinder()


def sanitise(markdown: str) -> str:
    """Return markdown with everything unsafe removed; code is kept as typed where it is code."""
    cleaned = _clean(markdown)
    if cleaned == markdown:  # nothing to remove: code and all stay exactly as typed
        return markdown
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
    parts: list[str] = []
    last = 0
    for start, end in CODE.spans(markdown):
        parts += [markdown[last:start], f"\x02{len(codes)}\x03"]
        codes.append(markdown[start:end])
        last = end
    parts.append(markdown[last:])
    cleaned = _clean("".join(parts))
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
