"""A block of the body before its heading level and place are settled (shared by docx_body and docx_headings)."""

from __future__ import annotations

from dataclasses import dataclass
from typing import Literal

from policypress.importer.document import BlockKind, Picture

HeadingKind = Literal["title", "style", "numbered", "bold", "bullet"]


@dataclass
class Draft:
    """A block before heading levels and places are settled."""

    kind: BlockKind
    text: str
    context: str
    level: int = 0
    ordered: bool = False
    number: str = ""
    heading_kind: HeadingKind | None = None
    rows: tuple[tuple[str, ...], ...] = ()
    header: bool = False
    picture: Picture | None = None
    bold_bullet: bool = False
