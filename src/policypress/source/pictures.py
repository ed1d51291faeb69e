"""Pictures of the project's own: the folders that hold them, what each folder declares, their bytes.

Three levels, looked up from the school outwards (compose/pictures.py):
- `content/images/` — every school may show these;
- `schools/<trust>/images/` — the trust's schools;
- `schools/<trust>/<school>/images/` — one school (in the folder named by the school's id).
Each folder that holds pictures has an `images.yml` declaring every one of them once:

    pictures:
      graduated-response.svg:
        alt: The four stages of support, from the class teacher to outside help
        caption: How support for a child's behaviour grows
      border.png:
        decorative: true

Every file is read through the project's one reader (source/reader.py): inside the project once
links are resolved, a regular file, bounded in size. What a picture may contain is checked by compose.
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass
from pathlib import Path

from pydantic import Field

from policypress.core.errors import Problem
from policypress.source.project import Source
from policypress.source.reader import UnreadableFile, read_source, read_source_bytes
from policypress.source.schema_types import Strict, Text
from policypress.source.validation import validate
from policypress.source.yaml_lines import YamlProblem, load_yaml

DECLARATIONS = "images.yml"
SHARED_FOLDER = "content/images"
MAX_PICTURE_BYTES = 2 * 1024 * 1024  # a photo saved for the web is far smaller; print needs no more


class PictureEntry(Strict):
    """One picture of the folder: what it shows, in words, or that it only decorates."""

    alt: Text | None = None
    """What the picture shows, for someone who cannot see it (read out by screen readers; printed
    nowhere). Required unless the picture is decorative."""
    decorative: bool = False
    """True for a picture that adds nothing to the words around it: screen readers skip it."""
    caption: Text | None = None
    """Words shown under the picture when {{ picture("name") }} shows it."""
    credit: Text | None = None
    """Who drew or took the picture, shown after the caption, e.g. 'Drawn by Year 4'."""


class PictureDeclarations(Strict):
    """A folder's images.yml: every picture in the folder, by its file name."""

    pictures: dict[str, PictureEntry] = Field(default_factory=dict)
    """File name (e.g. framework.svg) → its alt text or `decorative: true`, and optional caption and credit."""


@dataclass(frozen=True)
class PictureFolder:
    """One folder of pictures: its level, where it is, what it declares and which files it holds."""

    level: str  # "shared", or the trust's or school's id
    folder: str  # relative to the project, e.g. schools/oakfield-learning-trust/images
    declarations: Source[PictureDeclarations] | None  # None: no images.yml (or one that cannot be read)
    files: tuple[str, ...]  # the folder's files other than images.yml, sorted


def picture_folders(root: Path, school_trusts: Mapping[str, str]) -> tuple[list[PictureFolder], list[Problem]]:
    """Every picture folder of the project (school_trusts: school id → its trust id), and the problems reading them."""
    places = [("shared", SHARED_FOLDER)]
    for trust in sorted(set(school_trusts.values())):
        places.append((trust, f"schools/{trust}/images"))
    places += [(school, f"schools/{trust}/{school}/images") for school, trust in sorted(school_trusts.items())]
    folders, problems = [], []
    for level, rel in places:
        if (root / rel).is_dir():
            folder, found = _read_folder(root, level, rel)
            folders.append(folder)
            problems += found
    return folders, problems


def _read_folder(root: Path, level: str, rel: str) -> tuple[PictureFolder, list[Problem]]:
    path = root / rel
    files = tuple(sorted(p.name for p in path.iterdir() if p.name != DECLARATIONS and not p.is_dir()
                         and not p.name.startswith(".")))
    if not (path / DECLARATIONS).exists():
        what = f"the picture folder {rel} has no {DECLARATIONS}"
        return PictureFolder(level, rel, None, files), [Problem(
            f"{rel}/{DECLARATIONS}", 1, what, "add it, with each picture's alt text (see the README, 'Pictures')")]
    declarations, problems = _declarations(root, f"{rel}/{DECLARATIONS}")
    return PictureFolder(level, rel, declarations, files), problems


def _declarations(root: Path, rel: str) -> tuple[Source[PictureDeclarations] | None, list[Problem]]:
    """The folder's images.yml, validated, or the problems with it."""
    try:
        text = read_source(root, root / rel, rel)
        data, lines = load_yaml(text, rel)
    except (UnreadableFile, YamlProblem) as exc:
        return None, list(exc.problems)
    model, problems = validate(PictureDeclarations, data if data is not None else {}, lines, rel)
    return (Source(model, rel, lines) if model else None), problems


def read_picture(root: Path, rel: str) -> bytes:
    """A picture's bytes through the one reader; raises UnreadableFile (a picture over the limit too)."""
    path = root / rel
    if path.is_file() and path.stat().st_size > MAX_PICTURE_BYTES:
        size = path.stat().st_size / 1024 / 1024
        raise UnreadableFile(Problem(rel, 1, f"this picture is {size:.1f} MB, more than the "
                                     f"{MAX_PICTURE_BYTES // 1024 // 1024} MB a picture may be",
                                     "save it smaller (a photo 1600 pixels wide, as JPEG, is enough for the "
                                     "site and for print)"))
    return read_source_bytes(root, path, rel)
