"""YAML reading that remembers the line of every key, so errors can say `path:line`."""

from __future__ import annotations

import re
from typing import Any

import yaml

from policypress.core.errors import Problem

Loc = tuple[str | int, ...]
LineMap = dict[Loc, int]

INT_TAG = "tag:yaml.org,2002:int"
LEADING_ZERO = re.compile(r"^0\d+$")
TEXT = "\x00text"  # (*loc, TEXT): the line where a value's text starts, when not on its key's line
CHECK_LINE = "check the indentation and quoting on this line and the one above"


class YamlProblem(Exception):
    """A YAML file that cannot be read at all."""

    def __init__(self, problem: Problem) -> None:
        self.problem = problem
        super().__init__(str(problem))


def load_yaml(text: str, path: str, first_line: int = 1) -> tuple[Any, LineMap]:
    """Parse YAML text; return the data and the 1-based line of every key and item."""
    loader = yaml.SafeLoader(text)
    try:
        node = loader.get_single_node()
        lines: LineMap = {(): first_line}
        data = _construct(loader, node, (), lines, path, first_line) if node else None
    except yaml.MarkedYAMLError as exc:
        raise YamlProblem(_syntax_problem(exc, path, first_line)) from exc
    finally:
        loader.dispose()
    return data, lines


def _syntax_problem(exc: yaml.MarkedYAMLError, path: str, base: int) -> Problem:
    """Say what is wrong in words a school office can act on, on the line where it starts."""
    problem, context = exc.problem or "", exc.context or ""
    mark = exc.problem_mark or exc.context_mark
    line = (mark.line + base) if mark else base
    opened = (exc.context_mark.line + base) if exc.context_mark else line
    if "flow sequence" in context:
        return Problem(path, opened, "the list opened with '[' on this line is not closed",
                       "add the closing ']' at the end of the list")
    if "flow mapping" in context:
        return Problem(path, opened, "the '{' on this line is not closed",
                       "add the closing '}'")
    if "quoted scalar" in context:
        return Problem(path, opened, "the quotation mark opened on this line is not closed",
                       "add the closing quotation mark at the end of the value")
    if "'\\t'" in problem:
        return Problem(path, line, "this line is indented with a tab", "indent with spaces only")
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


def _construct(
    loader: yaml.SafeLoader, node: yaml.Node, loc: Loc, lines: LineMap, path: str, base: int
) -> Any:
    lines[loc] = node.start_mark.line + base
    if isinstance(node, yaml.MappingNode):
        return _construct_mapping(loader, node, loc, lines, path, base)
    if isinstance(node, yaml.SequenceNode):
        return [
            _construct(loader, item, (*loc, i), lines, path, base)
            for i, item in enumerate(node.value)
        ]
    if isinstance(node, yaml.ScalarNode) and node.style in ("|", ">"):  # text starts after the `|`
        lines[(*loc, TEXT)] = node.start_mark.line + base + 1
    return _scalar(loader, node, path, base)


def _scalar(loader: yaml.SafeLoader, node: yaml.Node, path: str, base: int) -> Any:
    # YAML 1.1 reads 012345 as an octal number; here such values are URNs or phone numbers.
    if node.tag == INT_TAG and LEADING_ZERO.match(str(node.value)):
        return str(node.value)
    try:
        return loader.construct_object(node, deep=True)
    except ValueError as exc:  # e.g. 2026-02-30: the form of a date, but no such day
        raise YamlProblem(Problem(path, node.start_mark.line + base,
                                  f"'{node.value}' is not a real date ({exc})",
                                  "check the day and the month; write dates as YYYY-MM-DD")) from exc


def _construct_mapping(
    loader: yaml.SafeLoader, node: yaml.MappingNode, loc: Loc, lines: LineMap, path: str, base: int
) -> dict[Any, Any]:
    data: dict[Any, Any] = {}
    for key_node, value_node in node.value:
        key = _scalar(loader, key_node, path, base)
        line = key_node.start_mark.line + base
        if key in data:
            first = lines.get((*loc, key), line)
            raise YamlProblem(Problem(path, line, f"the key '{key}' appears twice (first on line {first})",
                                      "keep one of them and delete the other"))
        key_loc = (*loc, key)
        data[key] = _construct(loader, value_node, key_loc, lines, path, base)
        lines[key_loc] = line
    return data


def text_line(lines: LineMap, loc: Loc) -> int:
    """The line where the text of the value at loc starts (after `key: |`, the next line)."""
    return lines.get((*loc, TEXT), line_of(lines, loc))


def line_of(lines: LineMap, loc: Loc) -> int:
    """The line of the deepest known part of loc (a missing key reports its parent)."""
    for end in range(len(loc), -1, -1):
        if loc[:end] in lines:
            return lines[loc[:end]]
    return 1
