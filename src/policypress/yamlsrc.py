"""YAML reading that remembers the line of every key, so errors can say `path:line`."""

from __future__ import annotations

from typing import Any

import yaml

from policypress.errors import Problem

Loc = tuple[str | int, ...]
LineMap = dict[Loc, int]


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
        mark = exc.problem_mark or exc.context_mark
        line = (mark.line + first_line) if mark else first_line
        raise YamlProblem(
            Problem(path, line, f"this is not valid YAML ({exc.problem})",
                    "check the indentation and quoting on this line and the one above")
        ) from exc
    finally:
        loader.dispose()
    return data, lines


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
    return loader.construct_object(node, deep=True)


def _construct_mapping(
    loader: yaml.SafeLoader, node: yaml.MappingNode, loc: Loc, lines: LineMap, path: str, base: int
) -> dict[Any, Any]:
    data: dict[Any, Any] = {}
    for key_node, value_node in node.value:
        key = loader.construct_object(key_node, deep=True)
        line = key_node.start_mark.line + base
        if key in data:
            raise YamlProblem(Problem(path, line, f"the key '{key}' appears twice",
                                      "keep one of them and delete the other"))
        key_loc = (*loc, key)
        data[key] = _construct(loader, value_node, key_loc, lines, path, base)
        lines[key_loc] = line
    return data


def line_of(lines: LineMap, loc: Loc) -> int:
    """The line of the deepest known part of loc (a missing key reports its parent)."""
    for end in range(len(loc), -1, -1):
        if loc[:end] in lines:
            return lines[loc[:end]]
    return 1
