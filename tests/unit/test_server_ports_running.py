"""`coauthor db start` on a home whose server already runs: ports given that differ from the running server's are
refused (exit 9) with the ports it really listens on; ports left at their defaults take the running server's, so the
URI reported is the one that answers.

The running server is a stand-in process whose command line names Neo4j's main class and the home, as the
launcher's does, with the neo4j.conf the launcher writes: no Java needed.
"""

from __future__ import annotations

import subprocess
import sys
import time
from collections.abc import Iterator
from pathlib import Path

import pytest
from click.testing import CliRunner

from coauthor import cli
from graph.errors import ServerControlError
from graph.server import MAIN_CLASS, NEO4J_VERSION, LocalServer

BOLT, HTTP = 7792, 7492


@pytest.fixture
def running(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> Iterator[LocalServer]:
    """A home whose "server" runs on Bolt 7792 and HTTP 7492 (a sleeping process the launcher takes for Neo4j)."""
    monkeypatch.setattr("graph.server.find_java", no_java)  # a start that did not see the stand-in fails at once
    server = LocalServer(tmp_path / "home", BOLT, HTTP)
    server._write_config()
    command = [sys.executable, "-c", "import time; time.sleep(120)", MAIN_CLASS, f"--home-dir={server.home}"]
    process = subprocess.Popen(command)
    cmdline = Path(f"/proc/{process.pid}/cmdline")
    while process.poll() is None and MAIN_CLASS.encode() not in cmdline.read_bytes():  # until the child runs it
        time.sleep(0.01)
    server.pid_file.write_text(str(process.pid))
    try:
        yield server
    finally:
        process.kill()
        process.wait()


def no_java() -> str:
    raise AssertionError("the test tried to start a real server")


def db_start(home: Path, *ports: str):
    return CliRunner().invoke(cli, ["db", "start", "--home", str(home), *ports])


def test_running_ports_are_read_from_the_homes_conf(running: LocalServer):
    assert running.running_ports() == (BOLT, HTTP)
    assert LocalServer(running.home, 1, 2).running_ports() == (BOLT, HTTP)  # the conf's, not the object's


def test_running_ports_of_a_home_without_a_server_are_none(tmp_path: Path):
    assert LocalServer(tmp_path).running_ports() is None


@pytest.mark.parametrize(
    ("ports", "asked"),
    [
        (("--bolt-port", "7793", "--http-port", "7493"), "7793 and 7493"),
        (("--http-port", "7493"), "7792 and 7493"),  # the port not given is the running one: only HTTP differs
        (("--bolt-port", "7687"), "7687 and 7492"),  # the default value, but given explicitly
    ],
)
def test_start_with_other_ports_is_refused_with_the_running_ones(running: LocalServer, ports: tuple[str, ...], asked):
    result = db_start(running.home, *ports)
    assert result.exit_code == 9
    assert result.output == (
        f"Error: the server of {running.home} already runs on Bolt port {BOLT} and HTTP port {HTTP}, not {asked}\n"
        f"hint: stop it first with `coauthor db stop --home {running.home}`, "
        f"or use its ports: --bolt-port {BOLT} --http-port {HTTP} (NEO4J_URI=bolt://127.0.0.1:{BOLT})\n"
    )


@pytest.mark.parametrize(
    "ports",
    [(), ("--bolt-port", str(BOLT)), ("--http-port", str(HTTP)), ("--bolt-port", str(BOLT), "--http-port", str(HTTP))],
)
def test_start_with_default_or_the_same_ports_reports_the_running_uri(running: LocalServer, ports: tuple[str, ...]):
    result = db_start(running.home, *ports)
    assert result.exit_code == 0, result.output
    first, ready = result.output.splitlines()
    assert (
        first
        == f"Neo4j {NEO4J_VERSION} is running on bolt://127.0.0.1:{BOLT} (PID {running.pid()}, home {running.home})"
    )
    assert ready.startswith("ready in ")


def test_library_start_refuses_other_ports(running: LocalServer):
    with pytest.raises(ServerControlError, match=f"already runs on Bolt port {BOLT} and HTTP port {HTTP}, not 7793"):
        LocalServer(running.home, 7793, HTTP).start()
    assert LocalServer(running.home, BOLT, HTTP).start() == running.pid()


def test_a_running_server_without_its_conf_is_a_clear_error(running: LocalServer):
    (running.home / "conf" / "neo4j.conf").unlink()
    result = db_start(running.home, "--bolt-port", "7793")
    assert result.exit_code == 9
    assert result.output == (
        f"Error: cannot tell the ports of the server of {running.home}: {running.home / 'conf' / 'neo4j.conf'} is "
        f"missing or names none\nhint: stop it first with `coauthor db stop --home {running.home}`\n"
    )


def test_start_with_a_plugin_the_running_server_lacks_is_refused(running: LocalServer):
    result = db_start(running.home, "--with-gds")
    assert result.exit_code == 9
    assert result.output == (
        f"Error: the server of {running.home} already runs without gds\n"
        f"hint: stop it first with `coauthor db stop --home {running.home}`\n"
    )
