"""The password never shows: not on a command line, in output, logs, HTML views, exceptions or reprs."""

from __future__ import annotations

import subprocess
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pytest
from click.testing import CliRunner

import graph.server
from coauthor import cli
from graph.config import Settings
from graph.connection import connect
from graph.errors import CoauthorError
from graph.server import LocalServer, free_port

SECRET = 'pw with "quotes", spaces\\ and ünïcode'


@pytest.fixture(scope="module")
def server_and_argv(tmp_path_factory: pytest.TempPathFactory) -> Iterator[tuple[LocalServer, list[list[str]]]]:
    """A private server started with SECRET, and every command line the launcher ran to start it."""
    seen: list[list[str]] = []
    real_run, real_popen = subprocess.run, subprocess.Popen

    def run(command: list[str], *args: Any, **kwargs: Any) -> Any:
        seen.append([str(part) for part in command])
        return real_run(command, *args, **kwargs)

    def popen(command: list[str], *args: Any, **kwargs: Any) -> Any:
        seen.append([str(part) for part in command])
        return real_popen(command, *args, **kwargs)

    home = tmp_path_factory.mktemp("secret-neo4j")
    server = LocalServer(home, bolt_port=free_port(), http_port=free_port(), password=SECRET)
    with pytest.MonkeyPatch.context() as patch:
        patch.setattr(graph.server.subprocess, "run", run)
        patch.setattr(graph.server.subprocess, "Popen", popen)
        server.start()
    yield server, seen
    server.stop()


def test_the_password_works_and_was_never_on_a_command_line(server_and_argv: tuple[LocalServer, list[list[str]]]):
    server, seen = server_and_argv
    with connect(Settings(uri=server.uri, password=SECRET)) as graph:
        assert graph.read("RETURN 1 AS one") == [{"one": 1}]
    assert any(
        "set-initial-password" in " ".join(command) or any(p.startswith("@") for p in command) for command in seen
    )
    assert not [command for command in seen if any(SECRET in part for part in command)]
    cmdline = Path(f"/proc/{server.pid()}/cmdline").read_bytes().decode()
    assert SECRET not in cmdline
    leftovers = [path for path in server.home.rglob("*") if path.is_file() and SECRET.encode() in path.read_bytes()]
    assert leftovers == []  # no argument file, conf or log keeps it


def test_output_views_and_errors_never_show_it(
    server_and_argv: tuple[LocalServer, list[list[str]]], tmp_path: Path, seed_page: Path
):
    server, _ = server_and_argv
    env = {"NEO4J_URI": server.uri, "NEO4J_PASSWORD": SECRET}
    view = tmp_path / "ego.html"
    outputs = [
        CliRunner().invoke(cli, args, env=env)
        for args in (
            ["load", str(seed_page)],
            ["db", "status", "--home", str(server.home)],
            ["stats", "--format", "json"],
            ["coauthors", "Tao Ren"],
            ["viz", "ego", "Tao Ren", "-o", str(view)],
            ["--database", "nosuchdb", "stats"],
            ["cypher", "RETURN $x AS x", "--param", "x=1", "--format", "csv"],
            ["--help"],
        )
    ]
    assert [result.exit_code for result in outputs] == [0, 0, 0, 0, 0, 5, 0, 0]
    assert not [result.output for result in outputs if SECRET in result.output]
    assert SECRET not in view.read_text(encoding="utf-8")
    assert SECRET not in repr(Settings(uri=server.uri, password=SECRET))
    with pytest.raises(CoauthorError) as refused:
        connect(Settings(uri=server.uri, password=SECRET + "!"))
    assert SECRET not in f"{refused.value} {refused.value.hint} {refused.value.__cause__}"
    logs = [path for path in (server.home / "logs").rglob("*") if path.is_file()]
    assert logs and not [path for path in logs if SECRET.encode() in path.read_bytes()]
