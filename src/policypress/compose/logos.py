"""A logo's content: PNG and JPEG are published as they are; an SVG only with nothing in it that runs or loads.

The logo is copied into every school's site and put into every PDF, so it is checked once, here,
when the project is loaded: before any command writes anything. An SVG is refused (each
problem at `logo.svg:line`) when it has
- a <script> element, a <foreignObject> or any HTML element, an event handler (onload=…), or an
  <animate>/<set> that changes an href or an event handler while the picture is shown;
- an href, xlink:href, src or CSS url(…) that is not a `#fragment` of the picture itself or a
  data: PNG/JPEG/GIF image (anything else is loaded from somewhere, or is a `javascript:` link);
- a DOCTYPE (entities can pull in other files) or an <?xml-stylesheet?>;
- XML that cannot be read.
It is refused rather than cleaned, so that what is published is exactly the file in the source.
The pictures policy text shows (compose/pictures.py) go through the same checks.
"""

from __future__ import annotations

import re
from pathlib import PurePath
from xml.parsers import expat

from policypress.core.errors import Problem

LOGO_KINDS = (".svg", ".png", ".jpg", ".jpeg")
PNG_START = b"\x89PNG\r\n\x1a\n"
JPEG_START = b"\xff\xd8\xff"
SAFE_REFERENCE = re.compile(r"^\s*(#|data:image/(png|jpeg|gif)[;,])", re.IGNORECASE)
CSS_URL = re.compile(r"url\s*\(\s*['\"]?([^'\")]*)|@import", re.IGNORECASE)
XHTML = "http://www.w3.org/1999/xhtml"
REFERENCE_ATTRS = frozenset({"href", "src", "action", "formaction"})
FIX = "remove it (save the {noun} again as a plain SVG, or as a PNG)"


def logo_content_problems(path: PurePath, data: bytes, rel: str, named_at: tuple[str, int],
                          noun: str = "logo") -> list[Problem]:
    """What is wrong with the logo's content (data, read from path); named_at: where the logo is named.

    noun: what the messages call it (the same checks hold for a picture in a policy, compose/pictures.py)."""
    suffix = path.suffix.lower()
    if suffix == ".png" and not data.startswith(PNG_START):
        return [Problem(*named_at, f"the {noun} '{path.name}' is not a PNG picture inside", "save it again as PNG")]
    if suffix in (".jpg", ".jpeg") and not data.startswith(JPEG_START):
        return [Problem(*named_at, f"the {noun} '{path.name}' is not a JPEG picture inside", "save it again as JPEG")]
    if suffix == ".svg":
        return _Svg(rel, noun).scan(data)
    return []


class _Svg:
    """Reads an SVG with expat, collecting everything in it that could run or load."""

    def __init__(self, rel: str, noun: str = "logo") -> None:
        self.rel, self.noun = rel, noun
        self.problems: list[Problem] = []
        self.parser = expat.ParserCreate(namespace_separator=" ")
        self.parser.StartElementHandler = self._start
        self.parser.EndElementHandler = self._end
        self.parser.CharacterDataHandler = self._text
        self.parser.ProcessingInstructionHandler = self._instruction
        self.parser.StartDoctypeDeclHandler = self._doctype
        self.parser.EntityDeclHandler = self._entity
        self.parser.SetParamEntityParsing(expat.XML_PARAM_ENTITY_PARSING_NEVER)
        self.in_style = 0
        self.in_foreign = 0
        self._root: str | None = None

    def add(self, what: str, fix: str | None = None) -> None:
        fix = fix or FIX.format(noun=self.noun)
        self.problems.append(Problem(self.rel, self.parser.CurrentLineNumber, what, fix))

    def scan(self, data: bytes) -> list[Problem]:
        try:
            self.parser.Parse(data, True)
        except _Entity:
            pass  # the DOCTYPE that declares it is already a problem
        except expat.ExpatError as exc:
            self.problems.append(Problem(self.rel, exc.lineno or 1, f"the {self.noun} cannot be read as SVG "
                                         f"({expat.ErrorString(exc.code)})",
                                         f"save the {self.noun} again as SVG, or as PNG"))
        if not self.problems and self._root is None:
            self.problems.append(Problem(self.rel, 1, f"the {self.noun} has no SVG in it",
                                         f"save the {self.noun} again as SVG"))
        return self.problems

    def _start(self, name: str, attrs: dict[str, str]) -> None:
        local = name.rsplit(" ", 1)[-1]
        if self._root is None:
            self._root = local
            if local != "svg":
                self.add(f"the {self.noun}'s outermost element is <{local}>, not <svg>",
                         f"save the {self.noun} again as SVG")
        what = self._element_problem(name, local, attrs)
        if what:
            self.add(what)
        if local.lower() == "style":
            self.in_style += 1
        for attr, value in attrs.items():
            attr_local = attr.rsplit(" ", 1)[-1].lower()
            if attr_local.startswith("on"):
                self.add(f"the {self.noun}'s <{local}> has an event handler {attr_local}=, which runs a script")
            elif attr_local in REFERENCE_ATTRS and not SAFE_REFERENCE.match(value):
                self.add(f"the {self.noun}'s <{local}> {attr_local}= points to '{value[:80]}', outside the picture")
            elif attr_local == "style":
                self._css(value, f"<{local}> style=")

    def _element_problem(self, name: str, local: str, attrs: dict[str, str]) -> str | None:
        """What is wrong with the element itself (its attributes are looked at one by one)."""
        if local.lower() == "foreignobject":
            self.in_foreign += 1
            return (f"the {self.noun} has a <foreignObject> element (HTML inside the picture), which can run or "
                    "load anything")
        if local.lower() == "script":
            return f"the {self.noun} has a <script> element, and a {self.noun} must not run anything"
        if name.startswith(XHTML + " ") and not self.in_foreign:
            return f"the {self.noun} has an HTML <{local}> element, which can run or load anything"
        target = attrs.get("attributeName", "").lower().rsplit(":", 1)[-1]
        if local in ("set", "animate") and (target in REFERENCE_ATTRS or target.startswith("on")):
            return (f"the {self.noun}'s <{local}> changes {attrs['attributeName']}= while it is shown, "
                    "which can make it a script or load something")
        return None

    def _end(self, name: str) -> None:
        if name.rsplit(" ", 1)[-1].lower() == "foreignobject":
            self.in_foreign -= 1
        if name.rsplit(" ", 1)[-1].lower() == "style":
            self.in_style -= 1

    def _text(self, text: str) -> None:
        if self.in_style:
            self._css(text, "<style>")

    def _css(self, css: str, where: str) -> None:
        for match in CSS_URL.finditer(css):
            address = match.group(1)
            if address is None:
                self.add(f"the {self.noun}'s {where} imports another stylesheet (@import)")
            elif not SAFE_REFERENCE.match(address):
                self.add(f"the {self.noun}'s {where} loads url({address[:80]}), outside the picture")

    def _instruction(self, target: str, _data: str) -> None:
        if target.lower() == "xml-stylesheet":
            self.add(f"the {self.noun} has an <?xml-stylesheet?>, which loads a stylesheet from elsewhere")

    def _doctype(self, *_args: object) -> None:
        self.add(f"the {self.noun} has a DOCTYPE, whose entities can pull other files into the picture",
                 "remove the <!DOCTYPE …> line (SVG needs none)")

    def _entity(self, *_args: object) -> None:
        raise _Entity  # never expand an entity: stop reading


class _Entity(Exception):
    """An SVG declares an entity: reading stops there."""
