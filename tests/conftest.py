"""Fixtures shared by every test folder."""

from __future__ import annotations

import os
from collections.abc import Iterator
from pathlib import Path

import pytest
from neo4j_support import TEST_PASSWORD, unavailable

from graph.config import Settings
from graph.connection import Graph, connect
from graph.errors import CoauthorError
from graph.server import LocalServer, docker_available, free_port
from graph.writer import delete_everything

ROOT = Path(__file__).resolve().parents[1]
SHARED = ROOT.parent / "shared"


@pytest.fixture(scope="session")
def shared_dir() -> Path:
    """The team's real data folder beside the repo (../shared)."""
    if not SHARED.is_dir():
        unavailable(f"{SHARED} is absent: the real-data tests need the shared folder beside the repo")
    return SHARED


@pytest.fixture(scope="session")
def seed_page(shared_dir: Path) -> Path:
    return shared_dir / "seeds" / "000_ee1a281679e517e5.txt"


def _docker_neo4j() -> Iterator[Settings]:
    from testcontainers.community.neo4j import Neo4jContainer

    with Neo4jContainer("neo4j:5.26-community", password=TEST_PASSWORD) as container:
        yield Settings(uri=container.get_connection_url(), password=TEST_PASSWORD)


def _local_neo4j(home: Path) -> Iterator[Settings]:
    server = LocalServer(home, bolt_port=free_port(), http_port=free_port(), password=TEST_PASSWORD)
    try:
        server.start()
    except CoauthorError as err:
        unavailable(f"the local Neo4j server did not start: {err} ({err.hint})")
    try:
        yield Settings(uri=server.uri, password=TEST_PASSWORD)
    finally:
        server.stop()


@pytest.fixture(scope="session")
def neo4j_settings(tmp_path_factory: pytest.TempPathFactory) -> Iterator[Settings]:
    """A real Neo4j: NEO4J_URI if set, else a testcontainers container if Docker answers, else our launcher."""
    if os.environ.get("NEO4J_URI"):
        if int(os.environ.get("PYTEST_XDIST_WORKER_COUNT", "1")) > 1:
            pytest.exit("NEO4J_URI names one server and each test empties it: run the tests with -n 0, not in parallel")
        settings = Settings.from_env()
        _refuse_to_clear_foreign_data(settings)
        yield settings
    elif docker_available():
        yield from _docker_neo4j()
    else:
        yield from _local_neo4j(tmp_path_factory.mktemp("neo4j-home"))


def _refuse_to_clear_foreign_data(settings: Settings) -> None:
    with connect(settings, ensure_schema=False) as graph:
        nodes = graph.read("MATCH (n) RETURN count(n) AS nodes")[0]["nodes"]
    if nodes and os.environ.get("COAUTHOR_TESTS_MAY_CLEAR") != "1":
        pytest.exit(f"{settings.uri} holds {nodes} nodes and the tests empty it: set COAUTHOR_TESTS_MAY_CLEAR=1")


@pytest.fixture
def graph(neo4j_settings: Settings) -> Iterator[Graph]:
    """A connected, empty graph with the schema applied."""
    with connect(neo4j_settings) as connected:
        delete_everything(connected)
        yield connected


@pytest.fixture
def neo4j_env(neo4j_settings: Settings, monkeypatch: pytest.MonkeyPatch) -> dict[str, str]:
    """The environment under which the CLI reaches the test server."""
    env = {
        "NEO4J_URI": neo4j_settings.uri,
        "NEO4J_USERNAME": neo4j_settings.username,
        "NEO4J_PASSWORD": neo4j_settings.password,
        "NEO4J_DATABASE": neo4j_settings.database,
    }
    for key, value in env.items():
        monkeypatch.setenv(key, value)
    return env
