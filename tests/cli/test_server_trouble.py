"""Server trouble gives one clear line and its own exit code: TLS mismatch (11), no answer in time (12)."""

from __future__ import annotations

import socket
import threading
import time
from collections.abc import Iterator

import pytest
from click.testing import CliRunner

from coauthor import cli
from graph.config import Settings


@pytest.fixture
def silent_port() -> Iterator[int]:
    """A port that accepts connections and never says a word (a firewall black hole, a hung server)."""
    listener = socket.create_server(("127.0.0.1", 0))
    accepted: list[socket.socket] = []
    stop = threading.Event()

    def accept() -> None:
        listener.settimeout(0.2)
        while not stop.is_set():
            try:
                accepted.append(listener.accept()[0])
            except TimeoutError:
                continue

    thread = threading.Thread(target=accept, daemon=True)
    thread.start()
    yield listener.getsockname()[1]
    stop.set()
    thread.join()
    for connection in accepted:
        connection.close()
    listener.close()


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


@pytest.mark.parametrize("scheme", ["neo4j", "bolt", "neo4j+s"])
def test_a_server_that_never_answers_times_out(scheme: str, silent_port: int):
    started = time.monotonic()
    result = CliRunner().invoke(cli, ["--uri", f"{scheme}://127.0.0.1:{silent_port}", "--timeout", "1", "stats"])
    elapsed = time.monotonic() - started
    assert result.exit_code == 12, result.output
    assert "did not answer within 1 s" in result.output
    _one_clear_line(result.output)
    assert elapsed < 10  # bounded by --timeout, not the driver's 60 s default


def test_timeout_comes_from_the_environment(monkeypatch: pytest.MonkeyPatch):
    monkeypatch.setenv("COAUTHOR_TIMEOUT", "2.5")
    assert Settings.from_env().timeout == 2.5
    assert Settings.from_env(timeout=4.0).timeout == 4.0


def test_a_non_positive_timeout_is_a_usage_error():
    result = CliRunner().invoke(cli, ["--timeout", "0", "stats"])
    assert result.exit_code == 2
    assert "--timeout" in result.output
