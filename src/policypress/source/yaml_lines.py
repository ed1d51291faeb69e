"""YAML reading that remembers the line of every key, so errors can say `path:line`.

The input is bounded: values nest at most MAX_DEPTH deep and aliases may not make the file more
than MAX_NODES values (a 250-byte alias bomb is refused at its alias at once). A bad value does
not stop the reading: an impossible date, a key written twice, a comma or ' #' that cut a value
short are problems of their own, collected while the rest of the file is still read.
"""

from __future__ import annotations

import re
from typing import Any

import yaml

from policypress.core.errors import Problem

Loc = tuple[str | int, ...]
LineMap = dict[Loc, int]

INT_TAG = "tag:yaml.org,2002:int"
NULL_TAG = "tag:yaml.org,2002:null"
LEADING_ZERO = re.compile(r"^0\d+$")
TEXT = "\x00text"  # (*loc, TEXT): the line where a value's text starts, when not on its key's line
CHECK_LINE = "check the indentation and quoting on this line and the one above"
MAX_DEPTH = 50
TWICE = "the key "
MAX_NODES = 100_000
SPECIAL = {
    "?": "the start of a complex key",
    "*": "an alias (a reference to an '&' anchor)",
    "&": "an anchor name",
    "!": "a type tag",
    "%": "a directive",
    "@": "a reserved character",
    "`": "a reserved character",
}
CUT_BY_COMMENT = re.compile(r"^[ \t]+#\S|^#")  # `Unit #4`, `name: #1`; `x   # a note` is a comment


class YamlProblem(Exception):
    """A YAML file that cannot be read at all (problems: every problem found in it, first the main one)."""

    def __init__(self, problem: Problem, *more: Problem) -> None:
        self.problem = problem
        self.problems = [problem, *more]
        super().__init__(str(problem))


class ImpossibleDate(str):
    """A value in the form of a date (2026-02-30) that is no day: validation reports it."""

    reason: str

    def __new__(cls, text: str, reason: str) -> ImpossibleDate:
        made = super().__new__(cls, text)
        made.reason = reason
        return made


def load_yaml(
    text: str, path: str, first_line: int = 1, problems: list[Problem] | None = None
) -> tuple[Any, LineMap]:
    """Parse YAML text; return the data and the 1-based line of every key and item.

    Problems that leave the rest readable go to problems (if given; else they are raised as
    YamlProblem); a file that cannot be read at all, or whose data would be a guess (a key written
    twice), raises YamlProblem with every problem found."""
    found: list[Problem] = []
    loader = _Loader(text, path, first_line)
    try:
        node = loader.get_single_node()
        found += loader.unused
        lines: LineMap = {(): first_line}
        data = _Builder(loader, path, first_line, text, found).build(node, (), lines) if node else None
    except yaml.MarkedYAMLError as exc:
        raise YamlProblem(_syntax_problem(exc, path, first_line, text)) from exc
    finally:
        loader.dispose()
    if found and (problems is None or any(p.what.startswith(TWICE) for p in found)):
        raise YamlProblem(*found)
    if problems is not None:
        problems += found
    return data, lines


class _Loader(yaml.SafeLoader):
    """SafeLoader whose composer counts: depth of nesting, and values once aliases are expanded."""

    def __init__(self, text: str, path: str, base: int) -> None:
        super().__init__(text)
        self.path, self.base = path, base
        self.depth = 0
        self.total = 0
        self.sizes: dict[int, int] = {}  # id(node): the values in it, aliases expanded
        self.used: set[str] = set()
        self.unused: list[Problem] = []

    def compose_document(self) -> yaml.Node | None:
        """PyYAML's own, but the anchors are looked at before they are forgotten."""
        self.get_event()  # type: ignore[no-untyped-call]  # the start of the document
        node = self.compose_node(None, None)
        self.get_event()  # type: ignore[no-untyped-call]  # its end
        self.unused = self._unused_anchors()
        self.anchors = {}
        return node

    def compose_node(self, parent: yaml.Node | None, index: Any) -> yaml.Node | None:
        event = self.peek_event()  # type: ignore[no-untyped-call]  # PyYAML has no annotations
        if isinstance(event, yaml.AliasEvent) and event.anchor in self.anchors:
            self._count_alias(event)
            return super().compose_node(parent, index)
        self.depth += 1
        if self.depth > MAX_DEPTH:
            raise YamlProblem(Problem(self.path, (event.start_mark.line if event.start_mark else 0) + self.base,
                                      f"the values here are nested more than {MAX_DEPTH} levels deep",
                                      "a policypress file needs only a few levels: check the brackets and "
                                      "the indentation"))
        try:
            node = super().compose_node(parent, index)
        finally:
            self.depth -= 1
        if node is None:
            return None
        self.sizes[id(node)] = 1 + sum(self.sizes.get(id(child), 1) for child in _children(node))
        self.total += 1
        if self.total > MAX_NODES:
            raise YamlProblem(Problem(self.path, (event.start_mark.line if event.start_mark else 0) + self.base,
                                      f"this file holds more than {MAX_NODES} values", "split it into smaller "
                                      "files, or remove what was pasted in by mistake"))
        return node

    def _count_alias(self, event: yaml.AliasEvent) -> None:
        anchor = str(event.anchor)
        line = (event.start_mark.line if event.start_mark else 0) + self.base
        target = self.anchors[anchor]
        if id(target) not in self.sizes:  # its value is still being read: it would contain itself
            raise YamlProblem(Problem(self.path, line, f"the alias '*{anchor}' is inside the value it stands for",
                                      "write the value out in full"))
        self.used.add(anchor)
        self.total += self.sizes[id(target)]
        if self.total > MAX_NODES:
            raise YamlProblem(Problem(self.path, line, f"the alias '*{anchor}' makes this file more than "
                                      f"{MAX_NODES} values long", "write the values out in full instead of "
                                      "repeating them with '&' anchors and '*' aliases"))

    def _unused_anchors(self) -> list[Problem]:
        """An '&' no alias uses is almost always a value that starts with '&' and lost it."""
        return [_special_char(self.path, node.start_mark.line + self.base, "&", self.line_text(node.start_mark.line),
                              None) for name, node in self.anchors.items() if name not in self.used]

    def line_text(self, line: int) -> str:
        text = str(self.buffer)
        start = 0
        for _ in range(line):
            start = text.find("\n", start) + 1
        end = text.find("\n", start)
        return text[start:end if end >= 0 else len(text)]


def _children(node: yaml.Node) -> list[yaml.Node]:
    if isinstance(node, yaml.SequenceNode):
        return list(node.value)
    if isinstance(node, yaml.MappingNode):
        return [part for pair in node.value for part in pair]
    return []


class _Builder:
    """Turns composed nodes into data, recording every line and collecting soft problems."""

    def __init__(self, loader: _Loader, path: str, base: int, text: str, problems: list[Problem]) -> None:
        self.loader, self.path, self.base = loader, path, base
        self.source = text.split("\n")
        self.problems = problems

    def build(self, node: yaml.Node, loc: Loc, lines: LineMap) -> Any:
        lines[loc] = node.start_mark.line + self.base
        if isinstance(node, yaml.MappingNode) and self._starts_with_question_mark(node):
            start = node.start_mark
            text = self.source[start.line]
            self.problems.append(_special_char(self.path, start.line + self.base, "?", text, start.column))
            return _value_text(text, start.column)
        if isinstance(node, yaml.MappingNode):
            return self._mapping(node, loc, lines)
        if isinstance(node, yaml.SequenceNode):
            return [self.build(item, (*loc, i), lines) for i, item in enumerate(node.value)]
        if isinstance(node, yaml.ScalarNode) and node.style in ("|", ">"):  # text starts after the `|`
            lines[(*loc, TEXT)] = node.start_mark.line + self.base + 1
        cut = self._cut_by_comment(node)
        return cut if cut is not None else self.scalar(node)

    def scalar(self, node: yaml.Node) -> Any:
        # YAML 1.1 reads 012345 as an octal number; here such values are URNs or phone numbers.
        if node.tag == INT_TAG and LEADING_ZERO.match(str(node.value)):
            return str(node.value)
        try:
            return self.loader.construct_object(node, deep=True)
        except ValueError as exc:  # e.g. 2026-02-30: the form of a date, but no such day
            return ImpossibleDate(str(node.value), str(exc))
        except yaml.constructor.ConstructorError:  # `name: !important`: an unknown tag
            line = node.start_mark.line
            self.problems.append(_special_char(self.path, line + self.base, "!", self.source[line], None))
            return self.source[line][node.start_mark.column:].strip()

    def _starts_with_question_mark(self, node: yaml.MappingNode) -> bool:
        """`- ?` or `[x, ?]`: YAML reads a mapping with an empty key, where a '?' was meant."""
        start = node.start_mark
        return start.line < len(self.source) and self.source[start.line][start.column:start.column + 1] == "?"

    def _cut_by_comment(self, node: yaml.Node) -> str | None:
        """`name: Unit #4` reads as 'Unit' and `name: #1 school` as nothing: say so, keep the words."""
        if not isinstance(node, yaml.ScalarNode) or node.style is not None:
            return None
        start, end = node.start_mark, node.end_mark
        if start.line != end.line or start.line >= len(self.source):
            return None
        line = self.source[start.line]
        if not CUT_BY_COMMENT.match(line[end.column:]) or "{" in line or "[" in line:
            return None
        words = line[start.column:].strip()
        self.problems.append(Problem(self.path, start.line + self.base,
                                     "YAML reads ' #' and what follows as a comment, so this value is cut short",
                                     f"put the value in quotes: {_quoted_fix(line, start.column, words)}"))
        return words

    def _mapping(self, node: yaml.MappingNode, loc: Loc, lines: LineMap) -> dict[Any, Any]:
        data: dict[Any, Any] = {}
        previous: tuple[Any, yaml.Node] | None = None
        for key_node, value_node in node.value:
            key = self.scalar(key_node)
            line = key_node.start_mark.line + self.base
            if node.flow_style and previous and _comma_split(key_node, value_node):
                self._join_comma(previous, key_node, data)
                continue
            if key in data:
                first = lines.get((*loc, key), line)
                self.problems.append(Problem(self.path, line, f"{TWICE}'{key}' appears twice (first on line {first})",
                                             "keep one of them and delete the other"))
                continue
            key_loc = (*loc, key)
            data[key] = self.build(value_node, key_loc, lines)
            lines[key_loc] = line
            previous = (key, value_node)
        return data

    def _join_comma(self, previous: tuple[Any, yaml.Node], key_node: yaml.Node, data: dict[Any, Any]) -> None:
        """{by: Care, and support}: YAML reads 'and support' as a key; the value was 'Care, and support'."""
        key, value_node = previous
        start = value_node.start_mark
        whole = str(self.loader.buffer)[start.index:key_node.end_mark.index]
        data[key] = whole
        self.problems.append(Problem(self.path, start.line + self.base,
                                     f"the comma in the value of '{key}' ends the value inside {{…}}",
                                     f"put the value in quotes: {key}: \"{_escaped(whole)}\""))


def _comma_split(key_node: yaml.Node, value_node: yaml.Node) -> bool:
    """A key with no ':' in a {…} mapping: text after a comma, read as a key with no value."""
    return (isinstance(key_node, yaml.ScalarNode) and key_node.style is None and isinstance(value_node, yaml.ScalarNode)
            and value_node.tag == NULL_TAG and value_node.value == "" and value_node.start_mark.index ==
            key_node.end_mark.index)


def _escaped(value: str) -> str:
    return value.replace("\\", "\\\\").replace('"', '\\"')


BLOCK_KEY = re.compile(r"^[ \t]*(?:-[ \t]+)?([^\s{\[#][^:{\[]*?):[ \t]+")


def _quoted_fix(line: str, column: int, value: str | None = None) -> str:
    """`key: "value"` as it should be written: in {…} or […] the value at column, else all after `key: `."""
    flow = "{" in line[:column] or "[" in line[:column]
    block = None if flow else BLOCK_KEY.match(line)
    if block:
        key, value = block.group(1), value if value is not None else line[block.end():].strip()
    else:
        found = re.search(r"([^\s{,\[]+):[ \t]*$", line[:column])
        key = found.group(1) if found else None
        value = _value_text(line, column) if value is None else value
    quoted = f'"{_escaped(value)}"'
    return f"{key}: {quoted}" if key else quoted


def _value_text(line: str, column: int) -> str:
    """The value that starts at column: to the next ',', '}' or ']' inside brackets, else to the end."""
    flow = "{" in line[:column] or "[" in line[:column]
    return (re.split(r"[,}\]]", line[column:])[0] if flow else line[column:]).strip()


def _special_char(path: str, line: int, char: str, text: str, column: int | None) -> Problem:
    column = text.find(char) if column is None else column
    return Problem(path, line, f"YAML reads a '{char}' at the start of a value as {SPECIAL[char]}, not as text",
                   f"put the value in quotes: {_quoted_fix(text, max(column, 0))}")


def _syntax_problem(exc: yaml.MarkedYAMLError, path: str, base: int, text: str) -> Problem:
    """Say what is wrong in words a school office can act on, on the line where it starts."""
    problem, context = exc.problem or "", exc.context or ""
    mark = exc.problem_mark or exc.context_mark
    line = (mark.line + base) if mark else base
    opened = (exc.context_mark.line + base) if exc.context_mark else line
    source = text.split("\n")
    unclosed = _unclosed_quote(text, mark) if mark else None
    if unclosed is not None or "quoted scalar" in context:
        return Problem(path, base + unclosed if unclosed is not None else opened,
                       "the quotation mark opened on this line is not closed",
                       "add the closing quotation mark at the end of the value")
    if "'\\t'" in problem:
        return Problem(path, line, "this line is indented with a tab", "indent with spaces only")
    special = _special_at(exc, source)
    if special:
        char, at = special
        return _special_char(path, at.line + base, char, source[at.line], at.column)
    found_colon = "got ':'" in problem or "found ':'" in problem
    if "flow mapping" in context or "flow sequence" in context:
        if found_colon and opened == line and mark:
            text_line = source[mark.line]
            return Problem(path, line, "YAML cannot read this line: a ':' inside a value in {…} or […]",
                           f"put the value in quotes: {_quoted_fix(text_line, _value_start(text_line, mark.column))}")
        if "flow sequence" in context:
            return Problem(path, opened, "the list opened with '[' on this line is not closed",
                           "add the closing ']' at the end of the list")
        return Problem(path, opened, "the '{' on this line is not closed", "add the closing '}'")
    if "mapping values are not allowed" in problem:
        return Problem(path, line, "YAML cannot read this line: a ':' inside a value, or a key "
                       "indented more than the one above", "put a value that contains ': ' in "
                       "quotes (name: \"Alpha: a school\"), or line the key up with the others")
    if "expected <block end>" in problem:
        return Problem(path, line, "YAML cannot read this line: it does not line up with the "
                       "lines above, or there is text after a closing quotation mark",
                       "line the key up with the others; inside '…' write an apostrophe twice "
                       "('St Mary''s') or use \"…\" instead")
    return Problem(path, line, f"YAML cannot read this line ({problem or context})", CHECK_LINE)


def _value_start(line: str, column: int) -> int:
    """Where the value containing column starts: after the nearest `key: ` before it."""
    before = line[:column]
    starts = [m.end() for m in re.finditer(r"[{,\[][ \t]*[^\s:,{}\[\]]+:[ \t]+", before)]
    return starts[-1] if starts else column


def _special_at(exc: yaml.MarkedYAMLError, source: list[str]) -> tuple[str, yaml.Mark] | None:
    """The character (? * & ! % @ `) that YAML stopped at, or the one whose token it was scanning."""
    for mark in (exc.problem_mark, exc.context_mark):
        if mark is None or mark.line >= len(source):
            continue
        text = source[mark.line]
        char = text[mark.column:mark.column + 1]
        if char in SPECIAL and char:
            return char, mark
    return None


def _unclosed_quote(text: str, error: yaml.Mark) -> int | None:
    """The line (0-based) of a quoted value that ran on over lines into the error's line: its
    quote was never closed where it was meant to be, and a later quotation mark closed it."""
    tokens: list[yaml.Token] = []
    try:
        for token in yaml.scan(text, Loader=yaml.SafeLoader):
            if token.start_mark.index >= error.index:
                break
            tokens.append(token)
    except yaml.YAMLError:
        pass
    for token in reversed(tokens):
        if (isinstance(token, yaml.ScalarToken) and token.style in ('"', "'")
                and token.start_mark.line < token.end_mark.line == error.line):
            return int(token.start_mark.line)
    return None


def text_line(lines: LineMap, loc: Loc) -> int:
    """The line where the text of the value at loc starts (after `key: |`, the next line)."""
    return lines.get((*loc, TEXT), line_of(lines, loc))


def line_of(lines: LineMap, loc: Loc) -> int:
    """The line of the deepest known part of loc (a missing key reports its parent)."""
    for end in range(len(loc), -1, -1):
        if loc[:end] in lines:
            return lines[loc[:end]]
    return 1
