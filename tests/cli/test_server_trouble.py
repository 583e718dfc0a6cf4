"""Server trouble gives one clear line and its own exit code: nothing there or a hang-up (3), TLS mismatch (11), no
answer in time (12)."""

from __future__ import annotations

import contextlib
import socket
import struct
import threading
import time
from collections.abc import Callable, Iterator

import pytest
from click.testing import CliRunner

from coauthor import cli
from graph.config import Settings
from graph.server import free_port


@contextlib.contextmanager
def serving(handle: Callable[[socket.socket], None]) -> Iterator[int]:
    """A port on 127.0.0.1 whose accepted connections are each given to ``handle``; yields the port."""
    listener = socket.create_server(("127.0.0.1", 0))
    listener.settimeout(0.2)
    stop = threading.Event()

    def accept() -> None:
        while not stop.is_set():
            try:
                handle(listener.accept()[0])
            except TimeoutError:
                continue

    thread = threading.Thread(target=accept, daemon=True)
    thread.start()
    try:
        yield listener.getsockname()[1]
    finally:
        stop.set()
        thread.join()
        listener.close()


@pytest.fixture
def silent_port() -> Iterator[int]:
    """A port that accepts connections and never says a word (a firewall black hole, a hung server)."""
    accepted: list[socket.socket] = []
    with serving(accepted.append) as port:
        yield port
    for connection in accepted:
        connection.close()


def hang_up(*, read_first: bool, reset: bool) -> Callable[[socket.socket], None]:
    """A connection handler that hangs up without a word, after reading what the client sent or at once, with a
    reset (RST: SO_LINGER 0, as a crashing or refusing server does) or an orderly close (FIN)."""

    def handle(connection: socket.socket) -> None:
        with connection, contextlib.suppress(OSError):
            if read_first:
                connection.settimeout(2)
                connection.recv(4096)
            if reset:
                connection.setsockopt(socket.SOL_SOCKET, socket.SO_LINGER, struct.pack("ii", 1, 0))

    return handle


def _one_clear_line(output: str) -> None:
    assert output.startswith("Error: ")
    assert "Traceback" not in output
    assert len(output.strip().splitlines()) == 2  # the error and its hint


@pytest.mark.parametrize("scheme", ["neo4j+s", "bolt+s", "neo4j+ssc"])
def test_tls_scheme_against_a_plain_server(scheme: str, neo4j_settings: Settings, monkeypatch: pytest.MonkeyPatch):
    host_port = neo4j_settings.uri.partition("://")[2]
    monkeypatch.setenv("NEO4J_URI", f"{scheme}://{host_port}")
    monkeypatch.setenv("NEO4J_PASSWORD", neo4j_settings.password)
    result = CliRunner().invoke(cli, ["stats"])
    assert result.exit_code == 11, result.output
    assert f"the server at {scheme}://{host_port} does not speak TLS" in result.output
    assert "use neo4j:// or bolt://" in result.output
    _one_clear_line(result.output)


@pytest.fixture
def mute_after_handshake_port() -> Iterator[int]:
    """A port that agrees on Bolt 5.0 in the handshake and then never answers (a hung Neo4j)."""
    accepted: list[socket.socket] = []

    def agree_then_fall_silent(connection: socket.socket) -> None:
        accepted.append(connection)
        with contextlib.suppress(OSError):
            connection.settimeout(2)
            connection.recv(4096)
            connection.sendall(bytes((0, 0, 0, 5)))

    with serving(agree_then_fall_silent) as port:
        yield port
    for connection in accepted:
        connection.close()


@pytest.mark.parametrize("scheme", ["neo4j", "bolt", "neo4j+s"])
def test_a_server_that_never_answers_times_out(scheme: str, silent_port: int):
    started = time.monotonic()
    result = CliRunner().invoke(cli, ["--uri", f"{scheme}://127.0.0.1:{silent_port}", "--timeout", "1", "stats"])
    elapsed = time.monotonic() - started
    assert result.exit_code == 12, result.output
    assert "did not answer within 1 s" in result.output
    _one_clear_line(result.output)
    assert elapsed < 10  # bounded by --timeout, not the driver's 60 s default


@pytest.mark.parametrize("scheme", ["neo4j", "bolt"])
def test_a_server_that_falls_silent_after_the_handshake_times_out(scheme: str, mute_after_handshake_port: int):
    uri = f"{scheme}://127.0.0.1:{mute_after_handshake_port}"
    result = CliRunner().invoke(cli, ["--uri", uri, "--timeout", "1", "stats"])
    assert result.exit_code == 12, result.output
    assert result.output.startswith(f"Error: Neo4j at {uri} did not answer within 1 s\n"), result.output
    _one_clear_line(result.output)


def test_timeout_comes_from_the_environment(monkeypatch: pytest.MonkeyPatch):
    monkeypatch.setenv("COAUTHOR_TIMEOUT", "2.5")
    assert Settings.from_env().timeout == 2.5
    assert Settings.from_env(timeout=4.0).timeout == 4.0


def test_a_non_positive_timeout_is_a_usage_error():
    result = CliRunner().invoke(cli, ["--timeout", "0", "stats"])
    assert result.exit_code == 2
    assert "--timeout" in result.output


HANG_UPS = {
    "reset at once": hang_up(read_first=False, reset=True),
    "closed at once": hang_up(read_first=False, reset=False),
    "reset after the handshake": hang_up(read_first=True, reset=True),
    "closed after the handshake": hang_up(read_first=True, reset=False),
}


@pytest.mark.parametrize("scheme", ["bolt", "neo4j"])
@pytest.mark.parametrize("how", list(HANG_UPS))
def test_a_server_that_hangs_up_during_the_handshake_is_not_a_timeout(how: str, scheme: str):
    with serving(HANG_UPS[how]) as port:
        uri = f"{scheme}://127.0.0.1:{port}"
        started = time.monotonic()
        result = CliRunner().invoke(cli, ["--uri", uri, "--timeout", "30", "stats"])
        elapsed = time.monotonic() - started
    assert result.exit_code == 3, result.output
    assert result.output.startswith(f"Error: no Neo4j server answers at {uri}\n"), result.output
    _one_clear_line(result.output)
    assert elapsed < 5  # told at once, not after the 30 s it was allowed


@pytest.mark.parametrize("scheme", ["bolt", "neo4j", "bolt+s"])
def test_nothing_listening_is_no_server(scheme: str):
    uri = f"{scheme}://127.0.0.1:{free_port()}"
    result = CliRunner().invoke(cli, ["--uri", uri, "--timeout", "30", "stats"])
    assert result.exit_code == 3, result.output
    assert result.output.startswith(f"Error: no Neo4j server answers at {uri}\n"), result.output
    _one_clear_line(result.output)


def answer_http(connection: socket.socket) -> None:
    """Answer whatever the client sent as an HTTP server does (Neo4j's own 7474 port, a proxy, a web app)."""
    with connection, contextlib.suppress(OSError):
        connection.settimeout(2)
        connection.recv(4096)
        connection.sendall(b"HTTP/1.1 400 Bad Request\r\nContent-Length: 0\r\nConnection: close\r\n\r\n")


def answer_ssh(connection: socket.socket) -> None:
    """Greet as an SSH server does: bytes that are no Bolt version."""
    with connection, contextlib.suppress(OSError):
        connection.settimeout(2)
        connection.recv(4096)
        connection.sendall(b"SSH-2.0-OpenSSH_9.2\r\n")
        connection.recv(4096)  # wait for the client to hang up: closing first could reset before it reads


@pytest.mark.parametrize("scheme", ["bolt", "neo4j"])
@pytest.mark.parametrize(
    ("answer", "says"),
    [(answer_http, "speaks HTTP, not Bolt\n"), (answer_ssh, "does not speak Bolt")],
    ids=["http", "ssh"],
)
def test_a_port_that_answers_no_bolt_says_what_it_speaks(
    answer: Callable[[socket.socket], None], says: str, scheme: str
):
    with serving(answer) as port:
        uri = f"{scheme}://127.0.0.1:{port}"
        result = CliRunner().invoke(cli, ["--uri", uri, "--timeout", "30", "stats"])
    assert result.exit_code == 3, result.output
    assert result.output.startswith(f"Error: the server at {uri} {says}"), result.output
    assert "hint: point NEO4J_URI (or --uri) at Neo4j's Bolt port" in result.output
    _one_clear_line(result.output)
