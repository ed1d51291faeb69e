"""Make raw HTML inside policy Markdown safe: no scripts, event handlers, iframes or styles.

Markdown passes raw HTML straight through to the page, and policy text is edited by many
people, so every tag is checked against an allow-list before MkDocs sees it.
"""

from __future__ import annotations

import html
import re

ALLOWED_TAGS = frozenset(
    [
        "a",
        "abbr",
        "b",
        "br",
        "caption",
        "code",
        "dd",
        "del",
        "details",
        "dfn",
        "div",
        "dl",
        "dt",
        "em",
        "figcaption",
        "figure",
        "h2",
        "h3",
        "h4",
        "h5",
        "h6",
        "hr",
        "i",
        "img",
        "ins",
        "kbd",
        "li",
        "mark",
        "ol",
        "p",
        "pre",
        "q",
        "s",
        "small",
        "span",
        "strong",
        "sub",
        "summary",
        "sup",
        "table",
        "tbody",
        "td",
        "tfoot",
        "th",
        "thead",
        "tr",
        "u",
        "ul",
    ]
)
DROPPED_WITH_CONTENT = frozenset(
    [
        "script",
        "style",
        "iframe",
        "frame",
        "frameset",
        "object",
        "embed",
        "applet",
        "template",
        "noscript",
        "svg",
        "math",
        "form",
        "textarea",
        "select",
        "button",
    ]
)
ALLOWED_ATTRS = frozenset(
    [
        "href",
        "src",
        "alt",
        "title",
        "id",
        "class",
        "colspan",
        "rowspan",
        "scope",
        "headers",
        "lang",
        "dir",
        "width",
        "height",
        "open",
        "abbr",
        "datetime",
        "cite",
        "start",
        "reversed",
        "type",
    ]
)
URL_ATTRS = frozenset({"href", "src", "cite"})
SAFE_URL = re.compile(r"^(https?:|mailto:|tel:|#|/|\.|[a-z0-9_-]+(/|\.|#|$))", re.IGNORECASE)

TAG = re.compile(r"<!--.*?-->|<(/?)([A-Za-z][A-Za-z0-9-]*)((?:\s[^<>]*?)?)(/?)>", re.DOTALL)
ATTR = re.compile(r"""([^\s=/>"']+)(?:\s*=\s*("[^"]*"|'[^']*'|[^\s"'>]+))?""")
CODE = re.compile(r"(^|\n)(```|~~~).*?\n\2[^\n]*|`[^`\n]+`", re.DOTALL)


def sanitise(markdown: str) -> str:
    """Return markdown with unsafe HTML removed; code spans and fenced blocks are kept as typed."""
    out, last = [], 0
    for code in CODE.finditer(markdown):
        out.append(_clean(markdown[last : code.start()]))
        out.append(code.group(0))
        last = code.end()
    out.append(_clean(markdown[last:]))
    return "".join(out)


def _clean(text: str) -> str:
    text = _drop_dangerous_blocks(text)
    return TAG.sub(_clean_tag, text)


def _drop_dangerous_blocks(text: str) -> str:
    for tag in DROPPED_WITH_CONTENT:
        text = re.sub(rf"<{tag}\b[^>]*>.*?</{tag}\s*>", "", text, flags=re.IGNORECASE | re.DOTALL)
    return text


def _clean_tag(match: re.Match[str]) -> str:
    closing, name, attrs, selfclose = match.groups()
    if name is None or name.lower() not in ALLOWED_TAGS:
        return ""  # comments, unknown tags and stray openers of dropped ones vanish
    if closing:
        return f"</{name.lower()}>"
    kept = "".join(_clean_attr(a.group(1).lower(), a.group(2)) for a in ATTR.finditer(attrs))
    return f"<{name.lower()}{kept}{' /' if selfclose else ''}>"


def _clean_attr(name: str, raw: str | None) -> str:
    if name not in ALLOWED_ATTRS:
        return ""
    value = html.unescape((raw or "").strip("\"'"))
    if name in URL_ATTRS and not SAFE_URL.match(re.sub(r"\s", "", value)):
        return ""
    return f' {name}="{html.escape(value, quote=True)}"'
