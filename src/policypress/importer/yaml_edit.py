"""Adding an entry under a top-level key of a YAML file people wrote, keeping their comments and layout.

The importer adds a policy's approvals and overlay under `policies:` of a school or trust file, and
pictures under `pictures:` of an images.yml. Only the lines of that one entry change; everything
else in the file stays byte for byte.
"""

from __future__ import annotations

import re

import yaml

from policypress.core.errors import UsageError


def entry_yaml(key: str, value: object, indent: int = 2) -> str:
    """`key:` and its value as block YAML, indented under a top-level key."""
    dumped = yaml.safe_dump({key: value}, sort_keys=False, allow_unicode=True, width=100, default_flow_style=False)
    return "".join(" " * indent + line + "\n" for line in dumped.splitlines())


def has_entry(text: str, top: str, key: str) -> bool:
    """Whether `top:` already holds `key:`."""
    start, end = _block(text.splitlines(keepends=True), top)
    return start is not None and any(re.match(rf"\s+{re.escape(key)}\s*:", line)
                                     for line in text.splitlines(keepends=True)[start + 1:end])


def set_entry(text: str, top: str, key: str, value: object, replace: bool = False) -> str:
    """text with `key: value` under the top-level `top:` (added at the end of the file when it has none).

    An entry already there is an error, unless replace (then its lines give way to the new ones)."""
    lines = text.splitlines(keepends=True)
    if lines and not lines[-1].endswith("\n"):
        lines[-1] += "\n"
    start, end = _block(lines, top)
    if start is None:
        return "".join(lines) + f"{top}:\n" + entry_yaml(key, value)
    if lines[start].split(":", 1)[1].strip() in ("{}", "[]", "null", "~"):
        lines[start] = f"{top}:\n"  # `policies: {}` becomes a block it can hold entries in
    old = _entry_lines(lines, start, end, key)
    if old is not None:
        if not replace:
            raise UsageError(f"'{key}' is already under {top}: — run again with --force to replace it")
        del lines[old[0]:old[1]]
        end -= old[1] - old[0]
    while end > start + 1 and not lines[end - 1].strip():
        end -= 1  # the new entry goes after the last one, before any blank lines
    lines[end:end] = [entry_yaml(key, value)]
    return "".join(lines)


def _block(lines: list[str], top: str) -> tuple[int | None, int]:
    """The line index of `top:` and of the first line after its block."""
    start = next((i for i, line in enumerate(lines) if re.match(rf"{re.escape(top)}\s*:", line)), None)
    if start is None:
        return None, len(lines)
    end = next((i for i in range(start + 1, len(lines)) if re.match(r"[^\s#]", lines[i])), len(lines))
    return start, end


def _entry_lines(lines: list[str], start: int, end: int, key: str) -> tuple[int, int] | None:
    first = next((i for i in range(start + 1, end) if re.match(rf"\s{{1,8}}{re.escape(key)}\s*:", lines[i])), None)
    if first is None:
        return None
    indent = len(lines[first]) - len(lines[first].lstrip())
    last = next((i for i in range(first + 1, end) if lines[i].strip() and not lines[i].lstrip().startswith("#")
                 and len(lines[i]) - len(lines[i].lstrip()) <= indent), end)
    return first, last
