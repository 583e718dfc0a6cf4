"""Every command explains itself."""

from __future__ import annotations

import click
import pytest
from click.testing import CliRunner

from coauthor import cli, emit
from graph.server import docker_available


def all_commands(group: click.Group, prefix: tuple[str, ...] = ()) -> list[tuple[str, ...]]:
    found = [prefix]
    for name, command in group.commands.items():
        if isinstance(command, click.Group):
            found += all_commands(command, (*prefix, name))
        else:
            found.append((*prefix, name))
    return found


@pytest.mark.parametrize("path", all_commands(cli), ids=lambda path: " ".join(path) or "coauthor")
def test_help(path: tuple[str, ...]):
    result = CliRunner().invoke(cli, [*path, "--help"])
    assert result.exit_code == 0
    assert result.output.startswith(f"Usage: {' '.join(('cli', *path))}")
    assert len(result.output.splitlines()) > 4


def test_param_must_be_key_value():
    result = CliRunner().invoke(cli, ["cypher", "RETURN 1", "--param", "novalue"])
    assert result.exit_code == 2
    assert "'novalue' is not KEY=VALUE" in result.output


def test_docker_start_without_an_engine_says_so():
    if docker_available():
        pytest.skip("a Docker engine answers here")
    result = CliRunner().invoke(cli, ["db", "start", "--docker"])
    assert result.exit_code == 3
    assert "no Docker engine answers" in result.output


def test_an_empty_answer_says_so(capsys):
    emit([], "table", title="Coauthors of Nobody")
    assert capsys.readouterr().out == "Coauthors of Nobody: none found\n"
