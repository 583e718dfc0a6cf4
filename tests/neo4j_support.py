"""What tests share about reaching Neo4j (imported by conftest.py and by tests that start their own servers)."""

from __future__ import annotations

import os
from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path

import pytest

from graph.errors import CoauthorError
from graph.server import LocalServer, free_port

IN_CI = os.environ.get("CI", "").lower() == "true"
TEST_PASSWORD = "coauthor-test"
QUICK_JVM = "-XX:TieredStopAtLevel=1"
"""JAVA_TOOL_OPTIONS for servers a test starts and stops itself: compiling with C1 only, Neo4j starts about a third
sooner on a busy machine (those tests are about the server's lifecycle, not its speed)."""
NO_HTTP = ("server.http.enabled", "false")
"""A neo4j.conf setting for a quicker start where only Bolt is used."""


def unavailable(reason: str) -> None:
    """Skip on a developer's machine; fail in CI, where everything must run."""
    if IN_CI:
        pytest.fail(f"{reason} (CI=true: this is a failure, not a skip)")
    pytest.skip(reason)


@contextmanager
def private_server(
    home: Path, config: tuple[tuple[str, str], ...], password: str = TEST_PASSWORD
) -> Iterator[LocalServer]:
    """A server of our launcher in ``home`` on free ports with extra neo4j.conf ``config``, stopped at the end; one
    that does not start is :func:`unavailable`."""
    server = LocalServer(home, free_port(), free_port(), password=password, config=config)
    try:
        server.start()
    except CoauthorError as err:
        unavailable(f"a local Neo4j server with {dict(config)} did not start: {err} ({err.hint})")
    try:
        yield server
    finally:
        server.stop()
