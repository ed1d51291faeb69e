"""A school's pictures as its site and its PDFs get them: one source file, two sizes, no metadata.

- An SVG (checked when the project is loaded: nothing in it runs or loads) is published as it is,
  and the PDF embeds the same bytes.
- A PNG or JPEG is decoded and saved again, without any of its metadata (a phone photo's camera,
  time and place), turned the way its camera meant: the site's copy at most WEB_WIDTH pixels wide,
  the PDF's at its full size (at most 5000 pixels a side, compose/pictures.py), so print stays
  sharp. A picture no wider than WEB_WIDTH gets the very same bytes in both. Saving uses fixed
  settings and no date, so the same source gives the same bytes on every build.
"""

from __future__ import annotations

import base64
import io
import re
from functools import lru_cache
from pathlib import Path

from PIL import Image, ImageOps

from policypress.compose.pictures import SITE_FOLDER, Picture
from policypress.compose.render import RenderedSchool

WEB_WIDTH = 1600  # pixels: sharp on a wide screen at twice its density, small to download
JPEG_QUALITY = 85
MIME = {"svg": "image/svg+xml", "png": "image/png", "jpeg": "image/jpeg"}


def published_pictures(school: RenderedSchool) -> dict[str, Picture]:
    """The pictures the school's public policies show, by file name."""
    shown = {name for policy in school.public_policies
             for name in re.findall(rf"\.\./{SITE_FOLDER}/([A-Za-z0-9._-]+)", policy.markdown)}
    return {name: picture for name, picture in sorted(school.pictures.items()) if name in shown}


def picture_files(school: RenderedSchool) -> dict[str, bytes]:
    """The site's copy of each published picture, by its path in the school's docs folder."""
    return {f"{SITE_FOLDER}/{name}": web_version(picture) for name, picture in published_pictures(school).items()}


def picture_uris(school: RenderedSchool) -> dict[str, str]:
    """Each picture's address in the policy text → a data: URI of the PDF's copy."""
    return {picture.address: data_uri(picture.kind, print_version(picture))
            for picture in school.pictures.values()}


def web_version(picture: Picture) -> bytes:
    """The site's copy: an SVG as it is; a PNG or JPEG at most WEB_WIDTH wide, without metadata."""
    return picture.data if picture.kind == "svg" else _saved(picture.data, picture.kind, WEB_WIDTH)


def print_version(picture: Picture) -> bytes:
    """The PDF's copy: an SVG as it is; a PNG or JPEG at its full size, without metadata."""
    return picture.data if picture.kind == "svg" else _saved(picture.data, picture.kind, None)


@lru_cache(maxsize=64)  # each school's PDFs embed the same pictures
def _saved(data: bytes, kind: str, max_width: int | None) -> bytes:
    """The picture's pixels saved again (no metadata), made narrower than max_width if it is wider."""
    with Image.open(io.BytesIO(data)) as opened:
        icc = opened.info.get("icc_profile")  # colours, not metadata: kept so the picture looks the same
        image = ImageOps.exif_transpose(opened)
    if max_width and image.width > max_width:
        height = round(image.height * max_width / image.width)
        image = image.resize((max_width, height), Image.Resampling.LANCZOS)
    out = io.BytesIO()
    extra = {"icc_profile": icc} if icc else {}
    if kind == "jpeg":
        image.convert("RGB").save(out, "JPEG", quality=JPEG_QUALITY, optimize=True, **extra)
    else:
        image.save(out, "PNG", optimize=True, **extra)
    return out.getvalue()


def data_uri(kind: str, data: bytes) -> str:
    """A picture as a data: URI, so that the PDF's HTML carries it."""
    return f"data:{MIME[kind]};base64,{base64.b64encode(data).decode('ascii')}"


def with_picture_uris(markdown: str, uris: dict[str, str]) -> str:
    """The policy text with each picture's site address replaced by its data: URI (for the PDF)."""
    for address, uri in uris.items():
        markdown = markdown.replace(f"]({address})", f"]({uri})").replace(f'src="{address}"', f'src="{uri}"')
    return markdown


def write_pictures(docs: Path, school: RenderedSchool) -> None:
    """Put the site's copy of each published picture into the school's docs folder (being staged)."""
    for rel, data in picture_files(school).items():
        (docs / rel).parent.mkdir(parents=True, exist_ok=True)
        (docs / rel).write_bytes(data)
