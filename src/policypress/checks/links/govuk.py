"""GOV.UK's content API: whether a page was withdrawn, and its notice as plain words.

Its record of a page (`/api/content/<path>`) has a `withdrawn_notice` once the page is withdrawn;
the explanation in it is HTML, shown to people as plain text.
"""

from __future__ import annotations

import json
from html.parser import HTMLParser

from policypress.checks.links.fetch import Fetcher
from policypress.checks.links.settings import LinkSettings


def content_api_lookup(api_url: str, fetcher: Fetcher) -> tuple[dict[str, object] | None, str]:
    """(the page's withdrawn_notice or None, '' or why the API gave no answer). No redirect is followed."""
    fetched = fetcher.fetch(api_url, headers={"Accept": "application/json"}, follow=False, body=True)
    last = fetched.last
    if last.fault:
        return None, last.fault.words
    if last.status == 404:
        return None, ""  # GOV.UK has no record of it: not a withdrawn page
    if last.status != 200:
        return None, f"{last.status} {last.reason}".strip()
    if len(last.body) > fetcher.settings.max_body_bytes:
        return None, f"its record is longer than {fetcher.settings.max_body_bytes} bytes, so it was not read"
    try:
        notice = json.loads(last.body).get("withdrawn_notice")
    except (ValueError, AttributeError):
        return None, "its answer is not a content API record"
    return (notice if isinstance(notice, dict) and notice else None), ""


def content_api_notice(api_url: str, settings: LinkSettings) -> dict[str, object] | None:
    """The page's withdrawn_notice, if it has one; None when it has none or the API cannot say."""
    return content_api_lookup(api_url, Fetcher(settings))[0]


class _Text(HTMLParser):
    def __init__(self) -> None:
        super().__init__(convert_charrefs=True)
        self.parts: list[str] = []

    def handle_data(self, data: str) -> None:
        self.parts.append(data)

    def handle_starttag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        if tag in ("p", "br", "li", "div"):
            self.parts.append(" ")


def plain_text(html: str) -> str:
    """GOV.UK's HTML (a withdrawn notice's explanation) as plain words."""
    parser = _Text()
    parser.feed(html)
    parser.close()
    return " ".join("".join(parser.parts).split())
