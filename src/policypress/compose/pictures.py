"""Pictures policy text shows: checked once per project, found for each school, placed in its text.

A picture is found by its file name (or, in {{ picture("name") }}, its name without the ending) in
the school's folder, then its trust's, then content/images/ (source/pictures.py). Policy text shows
one in two ways, both turned here into one address, `../images/<file>` (the site's images folder,
seen from a policy page; outputs/ publishes the file there and puts it into the PDF):
- Markdown with a local path, `![](images/framework.svg)`: the alt text is the Markdown's own
  words, else the one declared in images.yml (none for a decorative picture);
- `{{ picture("framework") }}`: a figure of its own, with the declared caption and credit.
Input errors, at their `path:line`: a file in a folder that images.yml does not declare, a declared
file that is not there, no alt text (and not decorative), a file that is not PNG, JPEG or SVG,
over 2 MB or too many pixels, an SVG with anything in it that runs or loads (compose/logos.py), and
a picture the text names that no folder of the school has.
"""

from __future__ import annotations

import difflib
import html
import io
import re
from dataclasses import dataclass, field
from pathlib import PurePosixPath

from PIL import Image, UnidentifiedImageError

from policypress.compose.logos import LOGO_KINDS, logo_content_problems
from policypress.compose.sanitise import CODE, MD_LINK
from policypress.compose.template_problems import FactMissing
from policypress.compose.wording import markdown_text
from policypress.core.errors import Problem
from policypress.source.pictures import DECLARATIONS, PictureEntry, PictureFolder, picture_folders, read_picture
from policypress.source.project import Project
from policypress.source.reader import UnreadableFile
from policypress.source.sections import Line

MAX_SIDE = 5000  # pixels: more is not a picture for a policy, and would take long to resize
TOKEN = "\ue000picture:{name}\ue000"  # noqa: S105 — a text marker left by picture(), placed after sanitising
TOKEN_FOUND = re.compile("\n*\ue000picture:([^\ue000\n]+)\ue000\n*")
LOCAL = re.compile(r"^(?:\.\./)?images/([A-Za-z0-9][A-Za-z0-9._-]*)$")
SITE_FOLDER = "images"  # in each school's site: <school>/images/<file>
KINDS = {".svg": "svg", ".png": "png", ".jpg": "jpeg", ".jpeg": "jpeg"}


@dataclass(frozen=True)
class Picture:
    """One checked picture: its file as in the source, and what the folder declares about it."""

    name: str  # its file name, e.g. graduated-response.svg: its name on the site too
    source: str  # where it is, relative to the project
    data: bytes = field(repr=False)
    entry: PictureEntry
    size: tuple[int, int] | None = None  # pixels (PNG, JPEG); None for SVG

    @property
    def kind(self) -> str:
        """svg, png or jpeg."""
        return KINDS[PurePosixPath(self.name).suffix.lower()]

    @property
    def alt(self) -> str:
        """What a screen reader says: the declared words, nothing for a decorative picture."""
        return "" if self.entry.decorative else (self.entry.alt or "")

    @property
    def address(self) -> str:
        """Its address from a policy page (policies/<id>.md)."""
        return f"../{SITE_FOLDER}/{self.name}"


@dataclass
class PictureCatalogue:
    """Every picture of the project by folder level (shared, a trust's id, a school's id), checked."""

    levels: dict[str, dict[str, Picture]]
    broken: set[tuple[str, str]]  # (level, file name) of pictures with problems, already reported
    problems: list[Problem]

    def for_school(self, school_id: str, trust_id: str) -> SchoolPictures:
        order = [school_id, trust_id, "shared"]
        return SchoolPictures([(lvl, self.levels.get(lvl, {})) for lvl in order],
                              {name for lvl, name in self.broken if lvl in order}, trust_id, school_id)


def load_pictures(project: Project) -> PictureCatalogue:
    """Read and check every picture folder; the problems are input errors."""
    folders, problems = picture_folders(project.root, {sid: s.trust for sid, s in project.schools.items()})
    catalogue = PictureCatalogue({}, set(), problems)
    for folder in folders:
        catalogue.levels[folder.level] = _folder_pictures(project, folder, catalogue)
    return catalogue


def _folder_pictures(project: Project, folder: PictureFolder, catalogue: PictureCatalogue) -> dict[str, Picture]:
    declared = folder.declarations.model.pictures if folder.declarations else {}
    pictures = {}
    for name in folder.files:
        if name not in declared and folder.declarations:
            catalogue.problems.append(Problem(
                f"{folder.folder}/{name}", 1, f"the picture '{name}' is not declared in {DECLARATIONS}",
                f"add '{name}:' to {folder.folder}/{DECLARATIONS} with its alt text (or 'decorative: true'), "
                "or remove the file"))
    for name, entry in declared.items():
        assert folder.declarations is not None  # noqa: S101 — declared is empty without it
        at = (folder.declarations.path, folder.declarations.lines.get(("pictures", name), 1))
        problems = _entry_problems(name, entry, folder, at)
        picture = None if problems else _checked(project, folder, name, entry, at, problems)
        catalogue.problems += problems
        if picture:
            pictures[name] = picture
        else:
            catalogue.broken.add((folder.level, name))
    return pictures


def _entry_problems(name: str, entry: PictureEntry, folder: PictureFolder, at: tuple[str, int]) -> list[Problem]:
    """What is wrong with a declaration, before the file is read."""
    if PurePosixPath(name).suffix.lower() not in LOGO_KINDS:
        return [Problem(*at, f"the picture '{name}' is not a PNG, JPEG or SVG file", "save it as .png, .jpg or .svg")]
    if name not in folder.files:
        close = difflib.get_close_matches(name, folder.files, n=1)
        hint = f"did you mean '{close[0]}'? Otherwise " if close else ""
        return [Problem(*at, f"there is no file '{name}' in {folder.folder}",
                        f"{hint}put the picture there, or remove its entry")]
    if entry.decorative and entry.alt:
        return [Problem(*at, f"the picture '{name}' is declared decorative and also has alt text",
                        "remove 'decorative: true' if the picture says something; else remove its alt text")]
    if not entry.decorative and not entry.alt:
        return [Problem(*at, f"the picture '{name}' has no alt text",
                        "add 'alt: <what the picture shows, in a sentence>', or 'decorative: true' if it only "
                        "decorates (screen readers then skip it)")]
    return []


def _checked(project: Project, folder: PictureFolder, name: str, entry: PictureEntry,
             at: tuple[str, int], problems: list[Problem]) -> Picture | None:
    """The picture, read through the one reader and checked like a logo; None with problems added."""
    rel = f"{folder.folder}/{name}"
    try:
        data = read_picture(project.root, rel)
    except UnreadableFile as exc:
        problems.append(exc.problem)
        return None
    problems += logo_content_problems(PurePosixPath(name), data, rel, at, noun="picture")
    size = None if problems or name.lower().endswith(".svg") else _pixels(data, rel, problems)
    return None if problems else Picture(name, rel, data, entry, size)


def _pixels(data: bytes, rel: str, problems: list[Problem]) -> tuple[int, int] | None:
    """A raster picture's width and height, read from its header: too large a picture is refused."""
    try:
        with Image.open(io.BytesIO(data)) as image:
            width, height = image.size
    except (UnidentifiedImageError, OSError, Image.DecompressionBombError):
        problems.append(Problem(rel, 1, "this picture cannot be read", "save it again as PNG or JPEG"))
        return None
    if max(width, height) > MAX_SIDE:
        problems.append(Problem(rel, 1, f"this picture is {width} × {height} pixels, more than the {MAX_SIDE} "
                                "pixels a side a picture may be", "save it smaller: 1600 pixels wide is enough "
                                "for the site and sharp in print"))
        return None
    return width, height


class SchoolPictures:
    """The pictures one school can show, school first, then its trust's, then the shared ones."""

    def __init__(self, layers: list[tuple[str, dict[str, Picture]]], broken: set[str], trust: str,
                 school: str) -> None:
        self.layers, self.broken, self.trust, self.school = layers, broken, trust, school
        self.used: dict[str, Picture] = {}  # those its policies show: published in its site

    def find(self, name: str) -> Picture | None:
        """The picture of this file name, or of this name without its ending."""
        for _, pictures in self.layers:
            if name in pictures:
                return pictures[name]
            stems = [p for file, p in pictures.items() if PurePosixPath(file).stem == name]
            if stems:
                return stems[0]
        return None

    def missing(self, name: str) -> tuple[str, str]:
        """(what, fix) for a picture the text names that the school does not have."""
        known = sorted({file for _, pictures in self.layers for file in pictures})
        close = difflib.get_close_matches(name, known, n=1)
        hint = f"did you mean '{close[0]}'? Otherwise " if close else ""
        return (f"there is no picture '{name}' in schools/{self.trust}/{self.school}/images/, "
                f"schools/{self.trust}/images/ or content/images/",
                f"{hint}put the file in one of them and declare it in its {DECLARATIONS} (see the README, 'Pictures')")

    def helper(self, name: str) -> str:
        """{{ picture("name") }}: a figure of its own, placed once the text is sanitised."""
        picture = self.find(str(name))
        if picture is None and str(name) not in self.broken:
            raise FactMissing(*self.missing(str(name)))
        if picture:
            self.used[picture.name] = picture
            return TOKEN.format(name=picture.name)
        return ""


def place_pictures(text: str, pictures: SchoolPictures, lines: list[Line]) -> tuple[str, list[Problem]]:
    """The sanitised text with every picture at its site address, and the problems (at their lines)."""
    problems: list[Problem] = []
    text = TOKEN_FOUND.sub(lambda found: _figure(pictures.used.get(found.group(1))), text)
    code = CODE.spans(text)

    def image(found: re.Match[str]) -> str:
        local = LOCAL.match(found.group(3))
        if found.group(1) != "!" or not local or any(a <= found.start() < b for a, b in code):
            return found.group(0)
        picture = pictures.find(local.group(1))
        if picture is None:
            if local.group(1) not in pictures.broken:
                where = next((line for line in lines if found.group(3) in line.text), Line("", *_first_place(lines)))
                problems.append(Problem(where.path, where.lineno, *pictures.missing(local.group(1))))
            return found.group(0)
        pictures.used[picture.name] = picture
        alt = found.group(2).strip() or markdown_text(picture.alt)
        return f"![{alt}]({picture.address})"

    return MD_LINK.sub(image, text), problems


def _first_place(lines: list[Line]) -> tuple[str, int]:
    return (lines[0].path, lines[0].lineno) if lines else ("content/policies", 1)


def _figure(picture: Picture | None) -> str:
    """A picture with its caption and credit, as a block of HTML of our own (its words escaped)."""
    if picture is None:
        return "\n\n"
    words = " ".join(w for w in (picture.entry.caption, picture.entry.credit and f"({picture.entry.credit})") if w)
    caption = f"\n<figcaption>{html.escape(words)}</figcaption>" if words else ""
    return (f'\n\n<figure class="picture">\n<img src="{picture.address}" alt="{html.escape(picture.alt)}">'
            f"{caption}\n</figure>\n\n")
