"""`coauthor db start|status|stop` run a real Neo4j from Maven jars, keep its data, and stop exactly its PID."""

from __future__ import annotations

import os
import socket
from pathlib import Path

import pytest
from click.testing import CliRunner
from neo4j_support import QUICK_JVM

from coauthor import cli
from graph.config import Settings
from graph.connection import connect
from graph.errors import ServerControlError
from graph.server import NEO4J_VERSION, LocalServer, free_port

PASSWORD = "lifecycle-test"


def run(*args: str, env: dict[str, str]):
    return CliRunner().invoke(cli, list(args), env=env, catch_exceptions=False)


def test_start_status_stop_restart_keeps_data(
    tmp_path: Path, neo4j_settings: Settings, monkeypatch: pytest.MonkeyPatch
):
    home, bolt, http = tmp_path / "server", free_port(), free_port()
    where = ["--home", str(home), "--bolt-port", str(bolt), "--http-port", str(http)]
    env = {"NEO4J_URI": f"bolt://127.0.0.1:{bolt}", "NEO4J_PASSWORD": PASSWORD, "JAVA_TOOL_OPTIONS": QUICK_JVM}
    started = run("db", "start", *where, env=env)
    assert started.exit_code == 0, started.output
    assert f"running on bolt://127.0.0.1:{bolt}" in started.output
    pid = int((home / "neo4j.pid").read_text())
    again = run("db", "start", "--home", str(home), env=env)  # default ports: the running server's URI
    assert again.output.startswith(f"Neo4j {NEO4J_VERSION} is running on bolt://127.0.0.1:{bolt} (PID {pid}, ")
    other = CliRunner().invoke(cli, ["db", "start", *where[:2], "--bolt-port", str(free_port())], env=env)
    assert other.exit_code == 9
    assert f"already runs on Bolt port {bolt} and HTTP port {http}, not " in other.output
    conf = (home / "conf" / "neo4j.conf").read_text()
    assert "127.0.0.1" in conf
    assert "internal.server.bolt.connection_shutdown_wait_time=0s" in conf  # stops without Bolt's 2 x 5 s waits
    with connect(Settings(uri=env["NEO4J_URI"], password=PASSWORD)) as graph:
        graph.write("CREATE (:Topic {id: 'kept'})")
    assert f"running, PID {pid}" in run("db", "status", *where, env=env).output

    assert "stopped" in run("db", "stop", *where, env=env).output
    assert not Path(f"/proc/{pid}").exists() or b"CommunityEntryPoint" not in Path(f"/proc/{pid}/cmdline").read_bytes()
    down = CliRunner().invoke(cli, ["db", "status", *where], env=env)
    assert down.exit_code == 3
    assert "not running" in down.output

    assert run("db", "start", *where, env=env).exit_code == 0
    with connect(Settings(uri=env["NEO4J_URI"], password=PASSWORD)) as graph:
        assert graph.read("MATCH (t:Topic {id: 'kept'}) RETURN count(t) AS n")[0]["n"] == 1
    monkeypatch.chdir(tmp_path)  # a relative home (as `make demo` gives) is the same folder
    assert run("db", "stop", "--home", "server", env=env).output == f"stopped the Neo4j server of {home}\n"
    assert "no Neo4j server" in run("db", "stop", *where, env=env).output


def test_start_refuses_a_busy_port(tmp_path: Path):
    with socket.socket() as busy:
        busy.bind(("127.0.0.1", 0))
        busy.listen()
        server = LocalServer(tmp_path, bolt_port=busy.getsockname()[1], http_port=free_port())
        with pytest.raises(ServerControlError, match="already in use"):
            server.start()


def test_stale_pid_file_is_not_trusted(tmp_path: Path):
    server = LocalServer(tmp_path)
    server.pid_file.write_text(str(os.getpid()))
    assert server.pid() is None
    assert not server.pid_file.exists()
    assert server.stop() is False
