"""Every command is in the README and has help text (a habit borrowed from sqlite-utils)."""

from __future__ import annotations

import pytest

from conftest import REPO
from policypress.commands.cli import cli

README = (REPO / "README.md").read_text(encoding="utf-8")


@pytest.mark.parametrize("name", sorted(cli.commands))
def test_command_is_documented_and_has_help(name: str) -> None:
    command = cli.commands[name]
    assert command.help, f"{name} has no help"
    assert f"policypress {name}" in README, f"README does not mention 'policypress {name}'"
    for param in command.params:
        if param.param_type_name == "option":
            assert getattr(param, "help", None), f"{name} {param.opts} has no help"
            assert param.opts[0] in README, f"README does not mention {name} {param.opts[0]}"
