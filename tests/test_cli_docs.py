"""Every CLI command is documented in docs/cli.md and answers --help."""

import re
from pathlib import Path

import pytest
import typer.main

from dateline.cli import app

DOC = Path(__file__).resolve().parents[1] / "docs" / "cli.md"


def command_names() -> list[str]:
    group = typer.main.get_group(app)
    return sorted(group.commands)


def test_there_are_commands():
    assert {"ingest", "code", "events", "serve", "evaluate"} <= set(command_names())


@pytest.mark.parametrize("name", command_names())
def test_command_documented(name):
    headings = set(re.findall(r"^## +`?([a-z-]+)`?", DOC.read_text(), flags=re.M))
    assert name in headings, f"docs/cli.md has no '## {name}' section"


@pytest.mark.parametrize("name", command_names())
def test_command_help(name, runner):
    result = runner.invoke(app, [name, "--help"])
    assert result.exit_code == 0, result.output
    assert "Usage" in result.output
